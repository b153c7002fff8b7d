import { boolean, check, date, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
import { intakes, qualifications, venues } from '../catalogue/catalogue.schema';
import { createdAt, id, updatedAt } from '../db/columns';
import { applications } from '../enrolment/enrolment.schema';
import { users } from '../people/people.schema';
import { oneOf } from '../platform/workflow';
import type { ProgrammeContent } from './domain/programme';
import { ATTENDANCE_STATUSES, SESSION_REPLIES } from './domain/timeline';
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
    /** A session's recording, added afterwards (issue 10 item 6). */
    recordingUrl: text('recording_url'),
    /** Who leads the session (issue 10 item 2: "facilitators assigned per event"): a facilitator or lead of the intake's partner. */
    facilitatorUserId: uuid('facilitator_user_id').references(() => users.id),
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

/** A participant (their enrolment) at one session (an event's or briefing's key) of their intake: the key of a register's mark and of a reply. */
const participantAtSession = () => ({
  intakeId: uuid('intake_id')
    .notNull()
    .references(() => intakes.id),
  itemKey: text('item_key').notNull(),
  enrolmentId: uuid('enrolment_id')
    .notNull()
    .references(() => applications.id),
});

/**
 * A register's marks (issue 10 item 5): one row per participant at one event or briefing of their
 * intake, with the reason for an absence. Changes after the session are kept in the audit log.
 */
export const attendance = pgTable(
  'attendance',
  {
    ...participantAtSession(),
    /** ATTENDANCE_STATUSES (domain/timeline.ts). */
    status: text('status').notNull(),
    reason: text('reason').notNull().default(''),
    recordedBy: uuid('recorded_by').references(() => users.id),
    recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.intakeId, t.itemKey, t.enrolmentId] }), index('attendance_enrolment_idx').on(t.enrolmentId), check('attendance_status_check', oneOf(t.status, ATTENDANCE_STATUSES))],
);

/**
 * Participants' replies to a session of their intake (issue 10 item 5): they will attend, or they
 * cannot, with their reason. One row per participant and session; changed until the session starts.
 */
export const sessionReplies = pgTable(
  'session_replies',
  {
    ...participantAtSession(),
    /** SESSION_REPLIES (domain/timeline.ts). */
    reply: text('reply').notNull(),
    reason: text('reason').notNull().default(''),
    repliedAt: timestamp('replied_at', { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.intakeId, t.itemKey, t.enrolmentId] }), index('session_replies_enrolment_idx').on(t.enrolmentId), check('session_replies_reply_check', oneOf(t.reply, SESSION_REPLIES))],
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
    /** What they wrote; may be empty when they sent a file. */
    text: text('text').notNull(),
    /** A file sent with it (PDF or Word): its name as sent, its kind, its size in bytes, and its key in the file store. */
    fileName: text('file_name'),
    fileType: text('file_type'),
    fileSize: integer('file_size'),
    fileKey: text('file_key'),
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

/**
 * A module's discussion (issue 10 item 4): posts by the intake's participants and its staff, each on
 * one module of one intake; a reply names the post it answers (one level deep). Staff pin guidance
 * to the top and hide a post (kept, with who hid it, for the audit; shown to no participant).
 */
export const discussionPosts = pgTable(
  'discussion_posts',
  {
    id: id(),
    intakeId: uuid('intake_id')
      .notNull()
      .references(() => intakes.id),
    /** The module's key ("c1m2"): the same in every version. */
    moduleKey: text('module_key').notNull(),
    /** The post a reply answers; null for a post that starts a thread. */
    replyTo: uuid('reply_to'),
    authorUserId: uuid('author_user_id')
      .notNull()
      .references(() => users.id),
    /** The author's name as shown when they posted. */
    authorName: text('author_name').notNull(),
    /** Posted by the intake's staff (admin, lead, facilitator), not a participant. */
    byStaff: boolean('by_staff').notNull(),
    /** The group whose discussion it is; null for the whole intake's (staff posting to everyone, or participants in no group). */
    groupId: uuid('group_id'),
    body: text('body').notNull(),
    pinned: boolean('pinned').notNull().default(false),
    hiddenAt: timestamp('hidden_at', { withTimezone: true }),
    hiddenBy: uuid('hidden_by').references(() => users.id),
    createdAt: createdAt(),
  },
  (t) => [index('discussion_posts_module_idx').on(t.intakeId, t.moduleKey, t.createdAt)],
);

/**
 * An intake's groups (issue 10 item 2: "Participants can be split into groups (e.g. \"Group A —
 * Birmingham\") with their own facilitator"). A group's discussion and register are its own.
 */
export const intakeGroups = pgTable(
  'intake_groups',
  {
    id: id(),
    intakeId: uuid('intake_id')
      .notNull()
      .references(() => intakes.id),
    name: text('name').notNull(),
    facilitatorUserId: uuid('facilitator_user_id').references(() => users.id),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('intake_groups_intake_name_key').on(t.intakeId, t.name)],
);

/**
 * Which group a participant (their enrolment) is in: one at a time. A participant moved to another
 * intake keeps the row until placed in a group there; it is read only with its group's intake.
 */
export const groupMembers = pgTable('group_members', {
  enrolmentId: uuid('enrolment_id')
    .primaryKey()
    .references(() => applications.id),
  groupId: uuid('group_id')
    .notNull()
    .references(() => intakeGroups.id, { onDelete: 'cascade' }),
});

/**
 * A file uploaded for an NPQ's programme (issue 10 item 4: "materials stored on disk under the data
 * folder"): a handbook, slides, a reading. Programme versions name it from a "File" activity by its
 * id, so a version keeps the file it was saved with. Its name is unique within the NPQ, case aside,
 * as the outline refers to it by name. Removed only while no version names it.
 */
export const programmeMaterials = pgTable(
  'programme_materials',
  {
    id: id(),
    qualificationId: uuid('qualification_id')
      .notNull()
      .references(() => qualifications.id),
    /** As kept and served: one word (no spaces), ending with its kind ("npqh-handbook.pdf"). */
    name: text('name').notNull(),
    /** A key of FILE_TYPES (platform/file-types.ts). */
    type: text('type').notNull(),
    /** In bytes. */
    size: integer('size').notNull(),
    /** Where the file store keeps it. */
    fileKey: text('file_key').notNull(),
    uploadedBy: uuid('uploaded_by').references(() => users.id),
    uploadedAt: timestamp('uploaded_at', { withTimezone: true }).notNull(),
  },
  (t) => [uniqueIndex('programme_materials_qualification_name_key').on(t.qualificationId, sql`lower(${t.name})`)],
);

/**
 * What a participant wrote for a reflection activity (issue 10 item 1: "a reflection to write"): their
 * own, read by nobody else; the latest words, changed as often as they like. Writing it records the
 * activity as done (learning_progress).
 */
export const reflections = pgTable(
  'reflections',
  {
    enrolmentId: uuid('enrolment_id')
      .notNull()
      .references(() => applications.id),
    /** The reflection activity's key ("c1m1a3"). */
    activityKey: text('activity_key').notNull(),
    text: text('text').notNull(),
    writtenAt: timestamp('written_at', { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.enrolmentId, t.activityKey] })],
);
