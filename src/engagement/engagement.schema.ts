import { sql } from 'drizzle-orm';
import { boolean, check, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { applications } from '../enrolment/enrolment.schema';
import { users } from '../people/people.schema';
import { id } from '../db/columns';
import { oneOf } from '../platform/workflow';
import type { Acknowledged, RiskSignal } from './domain/early-warning';
import { FOLLOW_UP_KINDS } from './domain/early-warning';
import type { ComponentMinutes } from './domain/engagement';

/**
 * Each participant in training's engagement as last computed (issue 11 item 3): by the nightly run
 * for everyone, and again for one participant whenever their page computes it afresh. The lists,
 * their exports and charts, and the API's cohort view read these rows, so a list of thousands is one
 * indexed query; what a list filters on is copied here from the place (docs/adr/0057).
 */
export const engagementSnapshots = pgTable(
  'engagement_snapshots',
  {
    enrolmentId: uuid('enrolment_id')
      .primaryKey()
      .references(() => applications.id),
    computedAt: timestamp('computed_at', { withTimezone: true }).notNull(),
    fullName: text('full_name').notNull(),
    courseIdentifier: text('course_identifier').notNull(),
    cohortId: uuid('cohort_id'),
    intakeId: uuid('intake_id'),
    deliveryPartnerId: uuid('delivery_partner_id'),
    groupId: uuid('group_id'),
    groupName: text('group_name'),
    facilitatorUserId: uuid('facilitator_user_id'),
    expectedMinutes: integer('expected_minutes').notNull(),
    countedMinutes: integer('counted_minutes').notNull(),
    /** Null while nothing is expected yet. */
    percent: integer('percent'),
    thresholdPercent: integer('threshold_percent').notNull(),
    below: boolean('below').notNull(),
    components: jsonb('components').$type<ComponentMinutes[]>().notNull(),
    /** Early warning (issue 11 item 4): the signals found, their summed weight, and the flag after any follow-up. */
    riskSignals: jsonb('risk_signals').$type<RiskSignal[]>().notNull().default(sql`'[]'::jsonb`),
    riskScore: integer('risk_score').notNull().default(0),
    atRisk: boolean('at_risk').notNull().default(false),
    /** When this stretch of being flagged began (kept while the flag stays up; the weekly digest lists the week's new ones). */
    flaggedSince: timestamp('flagged_since', { withTimezone: true }),
  },
  (t) => [
    index('engagement_snapshots_intake_idx').on(t.intakeId, t.fullName),
    // An intake's chart and counts (below the threshold, at risk) read from the index alone, and its lowest-first page in order.
    index('engagement_snapshots_intake_percent_idx').on(t.intakeId, t.percent, t.below, t.atRisk),
    index('engagement_snapshots_cohort_idx').on(t.cohortId, t.fullName),
    index('engagement_snapshots_partner_idx').on(t.deliveryPartnerId, t.fullName),
    index('engagement_snapshots_facilitator_idx').on(t.facilitatorUserId),
    index('engagement_snapshots_name_idx').on(t.fullName, t.enrolmentId),
    // Few are flagged: the lists' "at risk" filter and the digest read them from this alone.
    index('engagement_snapshots_at_risk_idx').on(t.flaggedSince).where(sql`at_risk`),
  ],
);

/**
 * Follow-ups of participants flagged at risk (issue 11 item 4): who followed up, how (called, emailed,
 * met), a note, and the signals they saw, each at its amount then. The latest clears the flag until a
 * signal is new or grows (domain/early-warning.ts riskOf).
 */
export const riskFollowUps = pgTable(
  'risk_follow_ups',
  {
    id: id(),
    enrolmentId: uuid('enrolment_id')
      .notNull()
      .references(() => applications.id),
    kind: text('kind').notNull(),
    note: text('note').notNull().default(''),
    acknowledged: jsonb('acknowledged').$type<Acknowledged>().notNull(),
    recordedByUserId: uuid('recorded_by_user_id')
      .notNull()
      .references(() => users.id),
    recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('risk_follow_ups_place_idx').on(t.enrolmentId, t.recordedAt), check('risk_follow_ups_kind_check', oneOf(t.kind, FOLLOW_UP_KINDS))],
);

/** The weekly digests of participants newly flagged at risk (issue 11 item 4), one per person per ISO week ("2026-W48"), so none is sent twice. */
export const riskDigestsSent = pgTable(
  'risk_digests_sent',
  {
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    week: text('week').notNull(),
    participants: integer('participants').notNull(),
    sentAt: timestamp('sent_at', { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.week] })],
);
