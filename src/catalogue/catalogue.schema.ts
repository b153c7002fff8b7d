import { boolean, date, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { id, createdAt, updatedAt } from '../db/columns';

export const qualifications = pgTable(
  'qualifications',
  {
    id: id(),
    identifier: text('identifier').notNull(),
    shortName: text('short_name').notNull(),
    name: text('name').notNull(),
    kind: text('kind').notNull(),
    framework: text('framework').notNull().default('reformed'),
    summary: text('summary').notNull().default(''),
    whoFor: text('who_for').notNull().default(''),
    audiences: jsonb('audiences').$type<string[]>().notNull().default([]),
    whoCanApply: text('who_can_apply').notNull().default(''),
    intakesDescription: text('intakes_description').notNull().default(''),
    durationMonthsMin: integer('duration_months_min').notNull(),
    durationMonthsMax: integer('duration_months_max').notNull(),
    weeklyStudyHoursMin: integer('weekly_study_hours_min'),
    weeklyStudyHoursMax: integer('weekly_study_hours_max'),
    studyType: text('study_type').notNull().default(''),
    faceToFaceDays: integer('face_to_face_days'),
    faceToFaceNote: text('face_to_face_note').notNull().default(''),
    onlineCourses: integer('online_courses'),
    personalTutor: boolean('personal_tutor').notNull().default(false),
    coaching: boolean('coaching').notNull().default(false),
    guidedLearningHours: integer('guided_learning_hours'),
    /** The share of the guided learning expected by now a participant must evidence, in per cent (issue 11 item 3). */
    engagementThresholdPercent: integer('engagement_threshold_percent').notNull().default(90),
    assessmentType: text('assessment_type').notNull().default(''),
    mastersCredits: integer('masters_credits'),
    dfeFunding: text('dfe_funding').notNull().default(''),
    dfeAccredited: boolean('dfe_accredited').notNull().default(true),
    learningThemes: jsonb('learning_themes').$type<string[]>().notNull().default([]),
    deliveryModes: jsonb('delivery_modes').$type<string[]>().notNull().default([]),
    position: integer('position').notNull().default(0),
    retiredAt: timestamp('retired_at', { withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex('qualifications_identifier_key').on(t.identifier)],
);

/** A part of a programme (360, events, online courses, coaching…) with its guided learning time. */
export const programmeComponents = pgTable(
  'programme_components',
  {
    id: id(),
    qualificationId: uuid('qualification_id')
      .notNull()
      .references(() => qualifications.id, { onDelete: 'cascade' }),
    position: integer('position').notNull(),
    kind: text('kind').notNull(),
    title: text('title').notNull(),
    description: text('description').notNull().default(''),
    guidedLearningMinutes: integer('guided_learning_minutes').notNull(),
    /** Events with agendas, online courses with modules, assessment tasks: the items within the component. */
    items: jsonb('items').$type<{ title: string; points: string[] }[]>().notNull().default([]),
  },
  (t) => [index('programme_components_qualification_idx').on(t.qualificationId, t.position)],
);

export const deliveryPartners = pgTable('delivery_partners', {
  id: id(),
  name: text('name').notNull(),
  region: text('region').notNull().default(''),
  description: text('description').notNull().default(''),
  /** DfE's id for this partner (GET /delivery-partners), which declarations from the 2024 cohort on must carry (docs/dfe-api.md §2.4 item 12); null until matched. */
  dfeDeliveryPartnerId: text('dfe_delivery_partner_id').unique(),
  createdAt: createdAt(),
  retiredAt: timestamp('retired_at', { withTimezone: true }),
});

export const venues = pgTable(
  'venues',
  {
    id: id(),
    deliveryPartnerId: uuid('delivery_partner_id')
      .notNull()
      .references(() => deliveryPartners.id),
    name: text('name').notNull(),
    addressLine: text('address_line').notNull().default(''),
    town: text('town').notNull(),
    postcode: text('postcode').notNull(),
    /** How many participants its rooms hold for an event (issue 10 item 5), when the admin has said. */
    capacity: integer('capacity'),
    createdAt: createdAt(),
    retiredAt: timestamp('retired_at', { withTimezone: true }),
  },
  (t) => [index('venues_partner_idx').on(t.deliveryPartnerId)],
);

export const intakes = pgTable(
  'intakes',
  {
    id: id(),
    qualificationId: uuid('qualification_id')
      .notNull()
      .references(() => qualifications.id),
    name: text('name').notNull(),
    startDate: date('start_date', { mode: 'string' }).notNull(),
    applicationDeadline: date('application_deadline', { mode: 'string' }).notNull(),
    deliveryMode: text('delivery_mode').notNull(),
    deliveryPartnerId: uuid('delivery_partner_id')
      .notNull()
      .references(() => deliveryPartners.id),
    venueId: uuid('venue_id').references(() => venues.id),
    timeZone: text('time_zone'),
    capacity: integer('capacity'),
    /** When full, further applicants wait for a place rather than being turned away. */
    waitingList: boolean('waiting_list').notNull().default(true),
    cohortIdentifier: text('cohort_identifier'),
    /** The DfE schedule whose milestone dates the intake's declarations follow. */
    schedule: text('schedule'),
    createdAt: createdAt(),
    retiredAt: timestamp('retired_at', { withTimezone: true }),
  },
  (t) => [
    index('intakes_qualification_idx').on(t.qualificationId, t.startDate),
    index('intakes_partner_idx').on(t.deliveryPartnerId),
  ],
);
