import { sql } from 'drizzle-orm';
import { check, index, integer, pgTable, primaryKey, text, uuid } from 'drizzle-orm/pg-core';
import { id } from '../db/columns';
import { applications } from '../enrolment/enrolment.schema';
import { oneOf } from '../platform/workflow';
import { SURVEY_KINDS } from './domain/feedback';

/**
 * Which surveys each participant has answered or skipped (issue 11 item 5), so none is asked twice:
 * a session or module by its intake and key (`<intake>/<key>`), a coaching session by its booking. It
 * says nothing of what they answered, nor when: responses are kept apart, against no one.
 */
export const feedbackRequests = pgTable(
  'feedback_requests',
  {
    enrolmentId: uuid('enrolment_id')
      .notNull()
      .references(() => applications.id),
    kind: text('kind').notNull(),
    subjectKey: text('subject_key').notNull(),
    /** 'answered' or 'skipped'. */
    outcome: text('outcome').notNull(),
  },
  (t) => [primaryKey({ columns: [t.enrolmentId, t.kind, t.subjectKey] }), check('feedback_requests_outcome_check', oneOf(t.outcome, ['answered', 'skipped']))],
);

/**
 * Responses to surveys, kept against no participant and dated only by month (docs/adr/0059): what the
 * results group by is copied here from the session, module or coaching session when it is answered. A
 * coaching response's subject is its coach within the intake, never the booking (one participant's).
 */
export const feedbackResponses = pgTable(
  'feedback_responses',
  {
    id: id(),
    kind: text('kind').notNull(),
    /** The session's or module's key in the intake's programme, or the coach's account id. */
    subjectKey: text('subject_key').notNull(),
    subjectTitle: text('subject_title').notNull(),
    intakeId: uuid('intake_id'),
    courseIdentifier: text('course_identifier').notNull(),
    cohortId: uuid('cohort_id'),
    deliveryPartnerId: uuid('delivery_partner_id'),
    venueId: uuid('venue_id'),
    /** Who led it: the session's facilitator, or the coach. */
    facilitatorUserId: uuid('facilitator_user_id'),
    rating: integer('rating').notNull(),
    comment: text('comment').notNull().default(''),
    /** The UK month it was answered in, "2026-12" (never the day or time: with few answers a day, either would say whose it is). */
    answeredIn: text('answered_in').notNull(),
  },
  (t) => [
    check('feedback_responses_kind_check', oneOf(t.kind, SURVEY_KINDS)),
    check('feedback_responses_rating_check', sql`${t.rating} between 1 and 5`),
    index('feedback_responses_partner_idx').on(t.deliveryPartnerId),
    index('feedback_responses_facilitator_idx').on(t.facilitatorUserId),
    index('feedback_responses_subject_idx').on(t.intakeId, t.kind, t.subjectKey),
  ],
);
