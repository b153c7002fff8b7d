import { sql } from 'drizzle-orm';
import { bigserial, check, index, integer, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { createdAt, id, updatedAt } from '../db/columns';
import { applications } from '../enrolment/enrolment.schema';
import { users } from '../people/people.schema';
import { oneOf } from '../platform/workflow';
import { ALLOCATION_KINDS, BOOKING_STATUSES, SLOT_MODES } from './domain/coaching';
import { MESSAGE_AUTHOR_ROLES } from './domain/messages';

/** The provider's coaching rules (one row, id 1): the notice a participant gives to cancel or move a session without it counting as used. */
export const coachingSettings = pgTable('coaching_settings', {
  id: integer('id').primaryKey(),
  noticeHours: integer('notice_hours').notNull(),
  updatedAt: updatedAt(),
});

/** A coach's own settings: the time zone they publish slots in, and how many participants they may take (set by the admin or their partner's lead; null: no limit). */
export const coachProfiles = pgTable('coach_profiles', {
  userId: uuid('user_id')
    .primaryKey()
    .references(() => users.id),
  timeZone: text('time_zone').notNull().default('Europe/London'),
  capacity: integer('capacity'),
  updatedAt: updatedAt(),
});

/**
 * Who coaches or tutors a participant on one place (enrolment = the application's id). A new
 * allocation of the same kind ends the one before (`endedAt`), which is kept: a coach's notes stay
 * theirs after they are reassigned, and the hours they held stay counted to them.
 */
export const coachAllocations = pgTable(
  'coach_allocations',
  {
    id: id(),
    enrolmentId: uuid('enrolment_id')
      .notNull()
      .references(() => applications.id),
    kind: text('kind').notNull(),
    coachUserId: uuid('coach_user_id')
      .notNull()
      .references(() => users.id),
    allocatedBy: uuid('allocated_by').references(() => users.id),
    allocatedAt: timestamp('allocated_at', { withTimezone: true }).notNull(),
    endedAt: timestamp('ended_at', { withTimezone: true }),
  },
  (t) => [
    // One current coach and one current tutor per place; two allocations at once cannot both be current.
    uniqueIndex('coach_allocations_current_key').on(t.enrolmentId, t.kind).where(sql`ended_at is null`),
    index('coach_allocations_coach_idx').on(t.coachUserId, t.kind).where(sql`ended_at is null`),
    check('coach_allocations_kind_check', oneOf(t.kind, ALLOCATION_KINDS)),
  ],
);

/** A time a coach offers for one session: online (with its join link) or in person (with where). Repeating slots share a `seriesId`. */
export const coachingSlots = pgTable(
  'coaching_slots',
  {
    id: id(),
    coachUserId: uuid('coach_user_id')
      .notNull()
      .references(() => users.id),
    startsAt: timestamp('starts_at', { withTimezone: true }).notNull(),
    minutes: integer('minutes').notNull(),
    mode: text('mode').notNull(),
    joinUrl: text('join_url'),
    location: text('location'),
    seriesId: uuid('series_id'),
    /** Withdrawn by the coach before anyone booked it. */
    removedAt: timestamp('removed_at', { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [
    index('coaching_slots_coach_idx').on(t.coachUserId, t.startsAt),
    // A coach cannot offer the same start twice.
    uniqueIndex('coaching_slots_coach_start_key').on(t.coachUserId, t.startsAt).where(sql`removed_at is null`),
    check('coaching_slots_mode_check', oneOf(t.mode, SLOT_MODES)),
  ],
);

/**
 * One participant's booking of one slot (domain/coaching.ts BOOKING_WORKFLOW). The coach is copied
 * from the slot so hours per coach and a coach's notes are read without it. At most one booking holds
 * a slot at a time (the partial unique index): two people booking the last slot at once cannot both
 * have it.
 */
export const coachingBookings = pgTable(
  'coaching_bookings',
  {
    id: id(),
    slotId: uuid('slot_id')
      .notNull()
      .references(() => coachingSlots.id),
    enrolmentId: uuid('enrolment_id')
      .notNull()
      .references(() => applications.id),
    coachUserId: uuid('coach_user_id')
      .notNull()
      .references(() => users.id),
    status: text('status').notNull(),
    bookedAt: timestamp('booked_at', { withTimezone: true }).notNull(),
    /** When it was cancelled, moved or recorded. */
    changedAt: timestamp('changed_at', { withTimezone: true }),
    heldMinutes: integer('held_minutes'),
    /** The coach's own notes: read by that coach alone, never by the participant, another coach or staff. */
    privateNotes: text('private_notes').notNull().default(''),
    /** What coach and participant agreed to do: read by the participant and whoever coaches them now. */
    agreedActions: text('agreed_actions').notNull().default(''),
    /** The calendar entry's id: the first booking's own, kept when the participant moves it, so calendars move the entry rather than add one. */
    calendarUid: uuid('calendar_uid').notNull(),
    /** Raised with every change, so calendars take the newest version of the entry. */
    sequence: integer('sequence').notNull().default(0),
  },
  (t) => [
    uniqueIndex('coaching_bookings_slot_key').on(t.slotId).where(sql`status in ('booked', 'held', 'missed')`),
    index('coaching_bookings_enrolment_idx').on(t.enrolmentId),
    index('coaching_bookings_coach_idx').on(t.coachUserId, t.status),
    check('coaching_bookings_status_check', oneOf(t.status, BOOKING_STATUSES)),
  ],
);

/**
 * A message in a participant's conversation with their support (issue 11 item 2): the participant,
 * their personal tutor and their group's facilitator, whoever they are when it is read
 * (docs/adr/0056). `authorRole` is what the author was to the participant when they wrote it. A
 * withdrawn message keeps its row, without its words or file, so the conversation reads the same for
 * everyone.
 */
export const supportMessages = pgTable(
  'support_messages',
  {
    id: id(),
    /** The order messages were written in: two within the same instant still have one. */
    seq: bigserial('seq', { mode: 'number' }).notNull(),
    enrolmentId: uuid('enrolment_id')
      .notNull()
      .references(() => applications.id),
    authorUserId: uuid('author_user_id')
      .notNull()
      .references(() => users.id),
    authorRole: text('author_role').notNull(),
    body: text('body').notNull(),
    fileName: text('file_name'),
    fileType: text('file_type'),
    fileSize: integer('file_size'),
    fileKey: text('file_key'),
    /** The file's SHA-256 (hex): the same file sent twice at once is told apart from another. */
    fileSha256: text('file_sha256'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    withdrawnAt: timestamp('withdrawn_at', { withTimezone: true }),
  },
  (t) => [index('support_messages_enrolment_idx').on(t.enrolmentId, t.seq), check('support_messages_author_role_check', oneOf(t.authorRole, MESSAGE_AUTHOR_ROLES))],
);

/** Up to when each reader has read a conversation: what is newer, and not theirs, is unread. */
export const supportMessageReads = pgTable(
  'support_message_reads',
  {
    enrolmentId: uuid('enrolment_id')
      .notNull()
      .references(() => applications.id),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    readAt: timestamp('read_at', { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.enrolmentId, t.userId] })],
);
