import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { dateTimeFilterSchema, pageMeta, pageMetaSchema, pageNumberSchema } from '../../api/domain/paging';
import { operation, serveOperations } from '../../api/operation';
import type { AssessmentService } from '../assessment.service';
import { hasDfeOutcomes } from '../../enrolment/domain/dfe-courses';
import { SCRIPT_RESULT_STATES } from '../domain/outcome';
import { participantOutcomeOf, participantOutcomeSchema } from './participant-outcome.presenter';

const MAX_PER_PAGE = 100;

export const participantAssessmentSchema = z
  .object({
    participant_id: z.string(),
    places: z.array(
      z.object({
        application_id: z.string(),
        course_identifier: z.string(),
        training_status: z.string(),
        assessment_version: z.string().meta({ description: 'The version of the NPQ’s assessment the place is held to: the one in force when its intake started' }),
        pass_by: z.string().meta({ description: 'The UK date the final assessment must be passed by: 18 months from the start, deferrals added' }),
        tasks: z.array(
          z.object({
            task_key: z.string(),
            title: z.string(),
            word_limit: z.number().int(),
            submissions: z.array(
              z.object({
                id: z.string(),
                attempt: z.number().int().meta({ description: '1, or 2 for a resit' }),
                status: z.enum(['submitted', 'withdrawn']).meta({ description: 'Sent, or withdrawn before the deadline (a draft is not listed)' }),
                late: z.boolean(),
                words_counted: z.number().int().meta({ description: 'Words counted by the task’s rule (headings, references and so on left out as it says)' }),
                over_limit: z.boolean(),
                submitted_at: z.string().nullable().meta({ description: 'UTC, ISO 8601' }),
                withdrawn_at: z.string().nullable(),
                marking_stage: z
                  .enum([...SCRIPT_RESULT_STATES, 'released'])
                  .nullable()
                  .meta({ description: 'not_allocated, marking, awaiting_draw (marked, moderation not yet drawn), in_moderation, decided (waiting for release), released; null for a withdrawn account' }),
                total: z.number().int().nullable().meta({ description: 'The released mark; null until the release day' }),
                result: z.enum(['pass', 'fail']).nullable().meta({ description: 'The released result; null until the release day' }),
                released_on: z.string().nullable().meta({ description: 'The UK date the result came out' }),
              }),
            ),
          }),
        ),
        outcome: participantOutcomeSchema.optional().meta({ description: 'The outcome that stands once out, as DfE’s participant-outcome; absent before any' }),
      }),
    ),
  })
  .meta({ id: 'ParticipantAssessment' });

export const participantOutcomesSchema = z.object({ data: z.array(participantOutcomeSchema) }).meta({ id: 'ParticipantOutcomes' });
export const outcomesPageSchema = z.object({ data: z.array(participantOutcomeSchema), meta: pageMetaSchema }).meta({ id: 'ParticipantOutcomesPage' });

/**
 * Assessment's operations (issue 12 item 8): a participant's submissions and their state, and
 * outcomes in DfE's `participant-outcome` shape, read as the pages are (readsEvidenceOf: the
 * provider's admin every place, a delivery partner's lead their partner's; nobody marking).
 */
export async function assessmentApi(app: FastifyInstance, opts: { assessment: AssessmentService }) {
  const { assessment } = opts;
  serveOperations(app, [
    operation({
      method: 'get',
      path: '/api/v1/participants/{id}/assessment',
      scope: 'assessment:read',
      tag: 'Assessment',
      summary: 'A participant’s assessment on each of their assessed places: every account sent or withdrawn per task, where it is in marking, its released result, the date the final assessment must be passed by, and the outcome that stands',
      description: 'Results and outcomes appear from their release day, as the participant sees them. The assessor’s and moderator’s marks and comments are not given: marking is blind, and feedback is the participant’s.',
      params: z.object({ id: z.uuid() }),
      response: participantAssessmentSchema,
      handle: async ({ actor, params }) => ({ id: params.id, places: await assessment.assessmentOfDfeParticipant(actor, params.id) }),
      // The id as the platform holds it, not as typed (a UUID in capitals names the same participant).
      present: ({ id, places }) => ({
        participant_id: places[0]?.at.place.participantId ?? id,
        places: places.map(({ at, tasks, outcome }) => ({
          application_id: at.place.enrolmentId,
          course_identifier: at.place.courseIdentifier,
          training_status: at.place.trainingStatus,
          assessment_version: at.spec.version,
          pass_by: at.deadline.passBy,
          tasks: tasks.map(({ task, submissions }) => ({
            task_key: task.key,
            title: task.title,
            word_limit: task.wordLimit,
            submissions: submissions.map((s) => ({
              id: s.id,
              attempt: s.attempt,
              status: s.status,
              late: s.late,
              words_counted: s.wordsCounted,
              over_limit: s.overLimit,
              submitted_at: s.submittedAt?.toISOString() ?? null,
              withdrawn_at: s.withdrawnAt?.toISOString() ?? null,
              marking_stage: s.stage,
              total: s.released?.total ?? null,
              result: s.released?.result ?? null,
              released_on: s.released?.releasedOn ?? null,
            })),
          })),
          ...(outcome && hasDfeOutcomes(at.place.courseIdentifier) ? { outcome: participantOutcomeOf({ outcome, participantId: at.place.participantId, courseIdentifier: at.place.courseIdentifier }) } : {}),
        })),
      }),
    }),
    operation({
      method: 'get',
      path: '/api/v1/participants/{id}/outcomes',
      scope: 'assessment:read',
      tag: 'Assessment',
      summary: 'Every outcome of a participant, as DfE’s participant-outcome: appended, never changed, in the order they came out; the latest per course stands',
      description: 'As DfE’s GET /api/v3/participants/npq/{id}/outcomes. Only courses DfE keeps outcomes for; an outcome appears from its release day.',
      params: z.object({ id: z.uuid() }),
      response: participantOutcomesSchema,
      handle: ({ actor, params }) => assessment.outcomesOfDfeParticipant(actor, params.id),
      present: (rows) => ({ data: rows.map(participantOutcomeOf) }),
    }),
    operation({
      method: 'get',
      path: '/api/v1/participants/outcomes',
      scope: 'assessment:read',
      tag: 'Assessment',
      summary: 'The outcomes of every participant the token may see, as DfE’s participant-outcome, in the order they came out, a page at a time',
      description: 'As DfE’s GET /api/v3/participants/npq/outcomes. created_at is when an outcome came out (its release day, or when it was recorded if later), so asking with filter[created_since] set to your last call misses none.',
      query: z.object({
        'filter[created_since]': dateTimeFilterSchema().optional().describe('Only outcomes that came out at or after this date-time (ISO 8601 with its offset)'),
        'page[page]': pageNumberSchema(MAX_PER_PAGE),
        'page[per_page]': z.coerce.number().int().min(1).max(MAX_PER_PAGE).default(50).describe(`Results per page, up to ${MAX_PER_PAGE}`),
      }),
      response: outcomesPageSchema,
      handle: async ({ actor, query }) => {
        const since = query['filter[created_since]'];
        return { ...(await assessment.releasedOutcomes(actor, { outSince: since ? new Date(since) : undefined }, query['page[page]'], query['page[per_page]'])), page: query['page[page]'], perPage: query['page[per_page]'] };
      },
      present: ({ rows, total, page, perPage }) => ({ data: rows.map(participantOutcomeOf), meta: pageMeta(total, page, perPage) }),
    }),
  ]);
}
