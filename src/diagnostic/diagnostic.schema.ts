import { sql } from 'drizzle-orm';
import { boolean, date, index, integer, jsonb, pgTable, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { id, createdAt, updatedAt } from '../db/columns';
import { cohorts, applications } from '../enrolment/enrolment.schema';

/** Each saved edit of the instrument is a new version; a round keeps the version it began with. */
export const diagnosticInstruments = pgTable('diagnostic_instruments', {
  version: integer('version').primaryKey(),
  content: jsonb('content').$type<import('../diagnostic/domain/instrument').Instrument>().notNull(),
  createdAt: createdAt(),
});

/** The provider's anonymity threshold, named groups and the raters it asks for per group. */
export const diagnosticSettings = pgTable('diagnostic_settings', {
  id: text('id').primaryKey(),
  threshold: integer('threshold').notNull(),
  namedGroups: jsonb('named_groups').$type<string[]>().notNull(),
  groupLimits: jsonb('group_limits').$type<Record<string, { min: number; max: number }>>().notNull(),
  updatedAt: updatedAt(),
});

/** When a cohort's start and end rounds open and close. */
export const diagnosticWindows = pgTable(
  'diagnostic_windows',
  {
    id: id(),
    cohortId: uuid('cohort_id')
      .notNull()
      .references(() => cohorts.id),
    kind: text('kind').notNull(),
    opensOn: date('opens_on', { mode: 'string' }).notNull(),
    closesOn: date('closes_on', { mode: 'string' }).notNull(),
  },
  (t) => [uniqueIndex('diagnostic_windows_cohort_kind_key').on(t.cohortId, t.kind)],
);

/** A participant's start or end round, with their own ratings. */
export const diagnosticRounds = pgTable(
  'diagnostic_rounds',
  {
    id: id(),
    applicationId: uuid('application_id')
      .notNull()
      .references(() => applications.id),
    kind: text('kind').notNull(),
    instrumentVersion: integer('instrument_version')
      .notNull()
      .references(() => diagnosticInstruments.version),
    opensOn: date('opens_on', { mode: 'string' }).notNull(),
    closesOn: date('closes_on', { mode: 'string' }).notNull(),
    /** The UK day an admin closed the round ahead of its dates; its planned dates are kept as they were. */
    closedEarlyOn: date('closed_early_on', { mode: 'string' }),
    selfAnswers: jsonb('self_answers').$type<{ ratings: Record<string, number | null>; comments: Record<string, string> }>().notNull().default({ ratings: {}, comments: {} }),
    selfSubmitted: boolean('self_submitted').notNull().default(false),
    /** The anonymity rule promised to this round's raters: the provider's settings until it opens, then fixed. */
    anonymityThreshold: integer('anonymity_threshold').notNull().default(3),
    namedGroups: jsonb('named_groups').$type<string[]>().notNull().default([]),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('diagnostic_rounds_application_kind_key').on(t.applicationId, t.kind)],
);

/**
 * A colleague asked to rate. Draft answers stay here until sent; on sending they move, without the
 * rater, to `diagnostic_responses`, so no stored answer can be traced back to a person.
 */
export const diagnosticRaters = pgTable(
  'diagnostic_raters',
  {
    id: id(),
    roundId: uuid('round_id')
      .notNull()
      .references(() => diagnosticRounds.id),
    group: text('group').notNull(),
    name: text('name').notNull(),
    email: text('email').notNull(),
    tokenHash: text('token_hash').notNull(),
    tokenSealed: text('token_sealed').notNull(),
    status: text('status').notNull().default('invited'),
    draft: jsonb('draft').$type<{ ratings: Record<string, number | null>; comments: Record<string, string> }>(),
    remindersSent: integer('reminders_sent').notNull().default(0),
  },
  (t) => [uniqueIndex('diagnostic_raters_token_key').on(t.tokenHash), uniqueIndex('diagnostic_raters_round_email_key').on(t.roundId, sql`lower(${t.email})`), index('diagnostic_raters_round_idx').on(t.roundId)],
);

/** Sent answers: a group and the answers, nothing else (no rater, no time). */
export const diagnosticResponses = pgTable(
  'diagnostic_responses',
  {
    id: id(),
    roundId: uuid('round_id')
      .notNull()
      .references(() => diagnosticRounds.id),
    group: text('group').notNull(),
    answers: jsonb('answers').$type<{ ratings: Record<string, number | null>; comments: Record<string, string> }>().notNull(),
  },
  (t) => [index('diagnostic_responses_round_idx').on(t.roundId)],
);
