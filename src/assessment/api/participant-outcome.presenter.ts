import { z } from 'zod';
import { DFE_OUTCOME_COURSES } from '../../enrolment/domain/dfe-courses';
import { dfeCompletionDate, OUTCOME_STATES } from '../domain/outcome';
import type { OutcomeOfParticipant } from '../outcomes/participant-assessment';

/**
 * An outcome in the shape of DfE's Lead Provider API v3 `participant-outcome` (its document's
 * `ParticipantOutcome`; docs/dfe-api.md §3), so the DfE issue sends what the platform holds as it is
 * and a provider's tools read both alike. `created_at` is when the outcome came out (outcomeOutAt):
 * outcomes are never changed, so `updated_at` is the same.
 */
export const participantOutcomeSchema = z
  .object({
    id: z.uuid(),
    type: z.literal('participant-outcome'),
    attributes: z.object({
      state: z.enum(OUTCOME_STATES).meta({ description: 'passed, failed, or voided (malpractice, say): the latest of a participant’s outcomes on a course is the one that stands' }),
      completion_date: z.string().meta({ description: 'The day the participant received the outcome, as DfE writes it: 2026-12-01T00:00:00+00:00' }),
      course_identifier: z.enum(DFE_OUTCOME_COURSES),
      participant_id: z.uuid().meta({ description: 'DfE’s participant id' }),
      created_at: z.string().meta({ description: 'When the outcome came out (its release day, or when it was recorded if later), UTC, ISO 8601' }),
      updated_at: z.string().meta({ description: 'As created_at: outcomes are appended, never changed' }),
    }),
  })
  .meta({ id: 'ParticipantOutcome' });

/** One outcome as DfE's `participant-outcome` (participantOutcomeSchema). */
export function participantOutcomeOf(o: OutcomeOfParticipant): z.input<typeof participantOutcomeSchema> {
  const at = o.outcome.outAt.toISOString();
  return {
    id: o.outcome.id,
    type: 'participant-outcome',
    attributes: {
      state: o.outcome.state as (typeof OUTCOME_STATES)[number],
      completion_date: dfeCompletionDate(o.outcome.completionDate),
      course_identifier: o.courseIdentifier as (typeof DFE_OUTCOME_COURSES)[number],
      participant_id: o.participantId,
      created_at: at,
      updated_at: at,
    },
  };
}
