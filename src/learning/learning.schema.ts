import { check, date, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { intakes, qualifications, venues } from '../catalogue/catalogue.schema';
import { createdAt, id, updatedAt } from '../db/columns';
import { applications } from '../enrolment/enrolment.schema';
import { users } from '../people/people.schema';
import { oneOf } from '../platform/workflow';
import type { ProgrammeContent } from './domain/programme';
import { ATTENDANCE_STATUSES } from './domain/timeline';
import { CORE_TASK_WORKFLOW } from './domain/core-task';

/**
 * One version of an NPQ's programme (issue 10 item 1): its courses, modules, activities, events and
 * briefings as one document (domain/programme.ts). A version is never changed once made: an edit
 * makes the next one, and each intake keeps the version it started with (intake_programmes).
 */
export const programmeVersions = pgTable(
  'programme_versions',
  {
    id: id(),
    qualificationId: uuid('qualification_id')
      .notNull()
      .references(() => qualifications.id),
    version: integer('version').notNull(),
    content: jsonb('content').$type<ProgrammeContent>().notNull(),
    /** What changed, in the admin's words. */
    note: text('note').notNull().default(''),
    createdBy: uuid('created_by').references(() => users.id),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('programme_versions_qualification_version_key').on(t.qualificationId, t.version)],
);

/** Which version of its NPQ's programme an intake follows: the newest when its plan was first made, until an admin moves it on. */
export const intakeProgrammes = pgTable('intake_programmes', {
  intakeId: uuid('intake_id')
    .primaryKey()
    .references(() => intakes.id),
  programmeVersionId: uuid('programme_version_id')
    .notNull()
    .references(() => programmeVersions.id),
  updatedAt: updatedAt(),
});

/**
 * An intake's delivery plan, one row per piece of the programme that has a date (issue 10 item 2):
 * an event or a briefing (`startsAt`–`endsAt`, at a venue and room or online with a join link; for
 * distance learning an event also runs until `runsUntil`), an event's pre-work deadline
 * (`preWorkDueOn`), a module's release (`releasesOn`). Instants are UTC; the zone they were entered
 * in is the intake's, and each participant reads them in their own.
 */
export const planEntries = pgTable(
  'plan_entries',
  {
    intakeId: uuid('intake_id')
      .notNull()
      .references(() => intakes.id),
    /** The programme piece's key ("e1", "b2", "c1m3"): the same in every version. */
    itemKey: text('item_key').notNull(),
    startsAt: timestamp('starts_at', { withTimezone: true }),
    endsAt: timestamp('ends_at', { withTimezone: true }),
    /** Distance learning: the last day of the two weeks an event runs over. */
    runsUntil: date('runs_until', { mode: 'string' }),
    releasesOn: date('releases_on', { mode: 'string' }),
    preWorkDueOn: date('pre_work_due_on', { mode: 'string' }),
    venueId: uuid('venue_id').references(() => venues.id),
    room: text('room').notNull().default(''),
    joinUrl: text('join_url'),
    updatedAt: updatedAt(),
  },
  (t) => [primaryKey({ columns: [t.intakeId, t.itemKey] }), index('plan_entries_starts_idx').on(t.startsAt)],
);

/**
 * What a participant has done, one row per piece (an activity, an event's pre-work) on one enrolment
 * (the application's id, as other capabilities name a place: enrolment.queries). Evidence of learning
 * that the next issues count towards guided learning hours and DfE's declarations.
 */
export const learningProgress = pgTable(
  'learning_progress',
  {
    enrolmentId: uuid('enrolment_id')
      .notNull()
      .references(() => applications.id),
    itemKey: text('item_key').notNull(),
    doneAt: timestamp('done_at', { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.enrolmentId, t.itemKey] })],
);

/** A person's calendar feed: the secret in its address, sealed so their page can show the address again, and hashed to find it. */
export const calendarFeeds = pgTable(
  'calendar_feeds',
  {
    userId: uuid('user_id')
      .primaryKey()
      .references(() => users.id),
    tokenHash: text('token_hash').notNull(),
    tokenSealed: text('token_sealed').notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('calendar_feeds_token_key').on(t.tokenHash)],
);

/**
 * A register's marks (issue 10 item 5): one row per participant at one event or briefing of their
 * intake, with the reason for an absence. Changes after the session are kept in the audit log.
 */
export const attendance = pgTable(
  'attendance',
  {
    intakeId: uuid('intake_id')
      .notNull()
      .references(() => intakes.id),
    itemKey: text('item_key').notNull(),
    enrolmentId: uuid('enrolment_id')
      .notNull()
      .references(() => applications.id),
    /** ATTENDANCE_STATUSES (domain/timeline.ts). */
    status: text('status').notNull(),
    reason: text('reason').notNull().default(''),
    recordedBy: uuid('recorded_by').references(() => users.id),
    recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.intakeId, t.itemKey, t.enrolmentId] }), index('attendance_enrolment_idx').on(t.enrolmentId), check('attendance_status_check', oneOf(t.status, ATTENDANCE_STATUSES))],
);

/**
 * Core task attempts (issue 10 item 4): one row per attempt, never changed but by its review, so the
 * history stays. The reviewer's "complete" also records the activity as done (learning_progress).
 */
export const coreTaskAttempts = pgTable(
  'core_task_attempts',
  {
    id: id(),
    enrolmentId: uuid('enrolment_id')
      .notNull()
      .references(() => applications.id),
    /** The core task activity's key ("c1m4a4"). */
    activityKey: text('activity_key').notNull(),
    attempt: integer('attempt').notNull(),
    text: text('text').notNull(),
    /** CORE_TASK_WORKFLOW's states. */
    status: text('status').notNull().default('submitted'),
    feedback: text('feedback').notNull().default(''),
    submittedAt: timestamp('submitted_at', { withTimezone: true }).notNull(),
    reviewedBy: uuid('reviewed_by').references(() => users.id),
    reviewedAt: timestamp('reviewed_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('core_task_attempts_attempt_key').on(t.enrolmentId, t.activityKey, t.attempt),
    index('core_task_attempts_status_idx').on(t.status, t.submittedAt),
    check('core_task_attempts_status_check', oneOf(t.status, CORE_TASK_WORKFLOW.states)),
  ],
);

/**
 * The reminders sent (issue 10 item 3), one row per participant, piece, kind and what it was about
 * (the session's start or the pre-work's due date, as text): a sweep that runs again sends none twice,
 * and a session moved to a new time is reminded of again.
 */
export const remindersSent = pgTable(
  'reminders_sent',
  {
    enrolmentId: uuid('enrolment_id')
      .notNull()
      .references(() => applications.id),
    itemKey: text('item_key').notNull(),
    /** 'session' or 'pre_work'. */
    kind: text('kind').notNull(),
    about: text('about').notNull(),
    sentAt: timestamp('sent_at', { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.enrolmentId, t.itemKey, t.kind, t.about] })],
);
