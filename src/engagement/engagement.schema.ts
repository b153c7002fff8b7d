import { boolean, index, integer, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { applications } from '../enrolment/enrolment.schema';
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
  },
  (t) => [
    index('engagement_snapshots_intake_idx').on(t.intakeId, t.fullName),
    // An intake's chart and counts read from the index alone, and its lowest-first page in order.
    index('engagement_snapshots_intake_percent_idx').on(t.intakeId, t.percent, t.below),
    index('engagement_snapshots_cohort_idx').on(t.cohortId, t.fullName),
    index('engagement_snapshots_partner_idx').on(t.deliveryPartnerId, t.fullName),
    index('engagement_snapshots_facilitator_idx').on(t.facilitatorUserId),
    index('engagement_snapshots_name_idx').on(t.fullName, t.enrolmentId),
  ],
);
