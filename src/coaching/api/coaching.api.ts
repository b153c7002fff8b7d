import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { operation, serveOperations } from '../../api/operation';
import { BOOKING_STATUSES } from '../domain/coaching';
import type { CoachingService } from '../coaching.service';

const person = z.object({ id: z.string(), name: z.string() }).nullable();

export const participantCoachingSchema = z
  .object({
    participant_id: z.string(),
    places: z.array(
      z.object({
        application_id: z.string(),
        course_identifier: z.string(),
        training_status: z.string(),
        coach: person.meta({ description: 'Null while nobody is allocated' }),
        personal_tutor: person,
        entitled_minutes: z.number().int().meta({ description: 'The NPQ’s coaching hours, in minutes' }),
        used_minutes: z.number().int().meta({ description: 'Held sessions by their recorded length; missed sessions and late cancellations by their booked length' }),
        booked_minutes: z.number().int().meta({ description: 'Sessions booked and not yet recorded' }),
        sessions: z.array(
          z.object({
            id: z.string(),
            status: z.enum(BOOKING_STATUSES),
            starts_at: z.string().meta({ description: 'UTC, ISO 8601' }),
            minutes: z.number().int().meta({ description: 'The booked length' }),
            held_minutes: z.number().int().nullable().meta({ description: 'The length the coach recorded, for a held session' }),
            mode: z.enum(['online', 'in_person']),
          }),
        ),
      }),
    ),
  })
  .meta({ id: 'ParticipantCoaching' });

/** Coaching's operations (issue 11 item 6), scoped as the pages are (coaching policy). */
export async function coachingApi(app: FastifyInstance, opts: { coaching: CoachingService }) {
  const { coaching } = opts;
  serveOperations(app, [
    operation({
      method: 'get',
      path: '/api/v1/participants/{id}/coaching',
      scope: 'delivery:read',
      tag: 'Coaching',
      summary: 'A participant’s coaching on each of their places: their coach and personal tutor, coaching minutes entitled, used and booked, and every session with its outcome (never the coach’s notes)',
      params: z.object({ id: z.uuid() }),
      response: participantCoachingSchema,
      handle: async ({ actor, params }) => ({ id: params.id, places: await coaching.coachingOfParticipant(actor, params.id) }),
      present: ({ id, places }) => ({
        participant_id: id,
        places: places.map((p) => ({
          application_id: p.place.enrolmentId,
          course_identifier: p.place.courseIdentifier,
          training_status: p.place.trainingStatus,
          coach: p.coach,
          personal_tutor: p.tutor,
          entitled_minutes: p.minutes.entitled,
          used_minutes: p.minutes.used,
          booked_minutes: p.minutes.booked,
          sessions: p.sessions.map((s) => ({ id: s.id, status: s.status, starts_at: s.startsAt.toISOString(), minutes: s.minutes, held_minutes: s.heldMinutes, mode: s.mode })),
        })),
      }),
    }),
  ]);
}
