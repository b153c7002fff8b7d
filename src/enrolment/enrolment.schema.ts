import { sql } from 'drizzle-orm';
import { type AnyPgColumn, boolean, check, date, index, integer, jsonb, pgTable, text, timestamp, unique, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { id, createdAt, updatedAt } from '../db/columns';
import { deliveryPartners, intakes } from '../catalogue/catalogue.schema';
import { users } from '../people/people.schema';
import { oneOf } from '../platform/workflow';
import { DEFERRAL_REASONS, WITHDRAWAL_REASONS } from './domain/application';
import { APPLICATION_STATUSES, APPROVAL_STATUSES, type ApplicationStatus, type ApprovalStatus, GATEWAY_STATUSES, type GatewayStatus, TRAINING_STATUSES, type TrainingStatus } from './domain/workflows';

/** Schools from GIAS extracts, upserted by URN; closed schools are kept and marked. */
export const schools = pgTable(
  'schools',
  {
    urn: integer('urn').primaryKey(),
    name: text('name').notNull(),
    laCode: text('la_code'),
    laName: text('la_name'),
    establishmentNumber: text('establishment_number'),
    typeCode: integer('type_code'),
    typeName: text('type_name'),
    statusCode: integer('status_code'),
    statusName: text('status_name'),
    phaseCode: integer('phase_code'),
    phaseName: text('phase_name'),
    closeDate: date('close_date', { mode: 'string' }),
    ukprn: text('ukprn'),
    lastChangedDate: date('last_changed_date', { mode: 'string' }),
    street: text('street'),
    locality: text('locality'),
    town: text('town'),
    county: text('county'),
    postcode: text('postcode'),
    easting: integer('easting'),
    northing: integer('northing'),
    region: text('region'),
    country: text('country'),
    pupils: integer('pupils'),
    closed: boolean('closed').notNull().default(false),
    /** Name, town and postcode normalised for search (`schoolSearchText` in enrolment/domain/reference-data.ts), written with the row. */
    searchText: text('search_text').notNull().default(''),
    importedAt: timestamp('imported_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    index('schools_search_text_idx').using('gin', sql`to_tsvector('simple', ${t.searchText})`),
    index('schools_postcode_idx').on(sql`upper(replace(${t.postcode}, ' ', ''))`),
    index('schools_ukprn_idx').on(t.ukprn),
  ],
);

/** DfE's yearly eligibility lists (PP50, PP50 FE, childminders, RISE, approved ITT providers): one row per entry. */
export const referenceListEntries = pgTable(
  'reference_list_entries',
  {
    list: text('list').notNull(),
    key: text('key').notNull(),
    label: text('label'),
  },
  (t) => [uniqueIndex('reference_list_entries_key').on(t.list, t.key)],
);

export const referenceImports = pgTable(
  'reference_imports',
  {
    id: id(),
    kind: text('kind').notNull(),
    status: text('status').notNull(),
    fileName: text('file_name'),
    totalRows: integer('total_rows').notNull().default(0),
    processedRows: integer('processed_rows').notNull().default(0),
    added: integer('added').notNull().default(0),
    updated: integer('updated').notNull().default(0),
    removed: integer('removed').notNull().default(0),
    rejected: integer('rejected').notNull().default(0),
    rejections: jsonb('rejections').$type<{ row: number; reason: string }[]>().notNull().default([]),
    error: text('error'),
    /** An upload checked and waiting for the admin to confirm it (status `preview`): its text, applied on confirmation. */
    pendingFile: text('pending_file'),
    /** What confirming would do, for the preview page: the first rows to add, remove and change. */
    preview: jsonb('preview').$type<{ added: string[]; removed: string[]; changed: string[] }>(),
    startedAt: timestamp('started_at', { withTimezone: true }).notNull(),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
    actorLabel: text('actor_label').notNull(),
  },
  (t) => [index('reference_imports_started_idx').on(t.startedAt)],
);

export const cohorts = pgTable(
  'cohorts',
  {
    id: id(),
    identifier: text('identifier').notNull(),
    startYear: integer('start_year').notNull(),
    suffix: text('suffix').notNull(),
    funding: text('funding').notNull(),
    /** Funded places per NPQ in a capped cohort: course identifier → places. */
    fundedPlaceLimits: jsonb('funded_place_limits').$type<Record<string, number>>().notNull().default({}),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('cohorts_identifier_key').on(t.identifier)],
);

/**
 * One person as a participant (ADR 0026): one row per person however many applications and NPQs,
 * made when their first application is sent. A person with an account is found by their user id; one
 * the provider entered without an account, by their email address (lower-case) until they have one.
 * `id` is the `participant_id` DfE's API shows: for a person with an account it is their user id, as
 * it was before this table, so no id a client holds changes.
 */
export const participants = pgTable(
  'participants',
  {
    id: id(),
    userId: uuid('user_id').references(() => users.id),
    /** Lower-case; how a person without an account is recognised when the provider enters them again. */
    email: text('email').notNull(),
    /** The id DfE gives this person, once DfE sync has it (a later issue); null until then. */
    dfeParticipantId: text('dfe_participant_id'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('participants_user_key').on(t.userId),
    uniqueIndex('participants_email_without_account_key').on(t.email).where(sql`user_id is null`),
    uniqueIndex('participants_dfe_participant_id_key').on(t.dfeParticipantId),
  ],
);

/** DfE's reason codes a change of training status may carry (withdrawal and deferral), for the CHECKs below. */
const TRAINING_STATUS_REASONS: readonly string[] = [...new Set([...WITHDRAWAL_REASONS, ...DEFERRAL_REASONS])];

/**
 * One enrolment (ADR 0036): what accepting an application makes, one row per accepted application.
 * The participant's place on that NPQ: the intake they were placed in (whose `schedule` is DfE's
 * `schedule_identifier`), its delivery partner (copied from the intake at acceptance, on a move and when
 * the intake changes partner: a partner lead's scope reads it), the funded place, the training status
 * with DfE's reason and whether they wait for a place in the intake. Every change here also moves the
 * application's `updated_at`, which is what DfE's API shows (issue 9 item 9).
 */
export const enrolments = pgTable(
  'enrolments',
  {
    id: id(),
    applicationId: uuid('application_id')
      .notNull()
      .references((): AnyPgColumn => applications.id),
    participantId: uuid('participant_id')
      .notNull()
      .references(() => participants.id),
    /** The intake placed in; null only when accepted without one (an application that named none). */
    intakeId: uuid('intake_id').references(() => intakes.id),
    deliveryPartnerId: uuid('delivery_partner_id').references(() => deliveryPartners.id),
    /** Null when the cohort's funding asks no question (not capped). */
    fundedPlace: boolean('funded_place'),
    /** TRAINING_WORKFLOW's states (ADR 0027), kept to them by a CHECK constraint. */
    trainingStatus: text('training_status').$type<TrainingStatus>().notNull().default('active'),
    /** DfE's withdrawal or deferral reason for the present status; null while active. */
    trainingStatusReason: text('training_status_reason'),
    onWaitingList: boolean('on_waiting_list').notNull().default(false),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('enrolments_application_key').on(t.applicationId),
    index('enrolments_participant_idx').on(t.participantId),
    // Places taken and the waiting list of an intake are counted from this.
    index('enrolments_intake_idx').on(t.intakeId, t.trainingStatus),
    index('enrolments_delivery_partner_idx').on(t.deliveryPartnerId),
    check('enrolments_training_status_check', oneOf(t.trainingStatus, TRAINING_STATUSES)),
    check('enrolments_training_status_reason_check', oneOf(t.trainingStatusReason, TRAINING_STATUS_REASONS)),
  ],
);

/**
 * The history of a participant's training status on one enrolment: each change with its DfE reason,
 * when and by whom. `from` is null for the first (acceptance) and for the status found when this table
 * was made (migration 'participants'). Status is per enrolment (ADR 0036), so each line names its
 * enrolment; the participant is kept beside it to read a person's whole history at once.
 */
export const participantStatusChanges = pgTable(
  'participant_status_changes',
  {
    id: id(),
    participantId: uuid('participant_id')
      .notNull()
      .references(() => participants.id),
    enrolmentId: uuid('enrolment_id')
      .notNull()
      .references(() => enrolments.id),
    fromStatus: text('from_status').$type<TrainingStatus>(),
    toStatus: text('to_status').$type<TrainingStatus>().notNull(),
    /** DfE's withdrawal or deferral reason code; null for a change that needs none. */
    reason: text('reason'),
    changedAt: timestamp('changed_at', { withTimezone: true }).notNull(),
    /** Who made it, as the audit log names them (actorLabel). */
    changedBy: text('changed_by').notNull(),
  },
  (t) => [
    index('participant_status_changes_participant_idx').on(t.participantId, t.changedAt),
    index('participant_status_changes_enrolment_idx').on(t.enrolmentId, t.changedAt),
    check('participant_status_changes_from_check', oneOf(t.fromStatus, TRAINING_STATUSES)),
    check('participant_status_changes_to_check', oneOf(t.toStatus, TRAINING_STATUSES)),
    check('participant_status_changes_reason_check', oneOf(t.reason, TRAINING_STATUS_REASONS)),
  ],
);

/**
 * One person's application for one NPQ, from the first saved answer (draft) to the provider's decision,
 * `status` is DfE's (pending, accepted, rejected) plus `draft` before submission; its school approval
 * and gateway are rows of their own beside it (ADR 0026), and accepting it makes its enrolment (ADR 0036).
 */
export const applications = pgTable(
  'applications',
  {
    id: id(),
    userId: uuid('user_id').references(() => users.id),
    /** The person as a participant, set when the application is sent (null on a draft). */
    participantId: uuid('participant_id').references((): AnyPgColumn => participants.id),
    /** The journey's answers as typed, kept while the draft is open so it can be resumed. */
    answers: jsonb('answers').$type<Record<string, unknown>>().notNull().default({}),
    fullName: text('full_name').notNull().default(''),
    email: text('email').notNull().default(''),
    teacherReferenceNumber: text('teacher_reference_number'),
    courseIdentifier: text('course_identifier').notNull(),
    cohortId: uuid('cohort_id').references(() => cohorts.id),
    /** The intake the applicant chose (an answer); where they were placed is their enrolment's (ADR 0036). */
    intakeId: uuid('intake_id').references(() => intakes.id),
    deliveryMode: text('delivery_mode'),
    timeZone: text('time_zone'),
    worksInEngland: boolean('works_in_england'),
    workSetting: text('work_setting'),
    schoolUrn: text('school_urn'),
    schoolUkprn: text('school_ukprn'),
    employerName: text('employer_name'),
    employmentRole: text('employment_role'),
    employmentType: text('employment_type'),
    kindOfNursery: text('kind_of_nursery'),
    privateChildcareProviderUrn: text('private_childcare_provider_urn'),
    ittProvider: text('itt_provider'),
    newHeadteacher: boolean('new_headteacher'),
    lineManagerName: text('line_manager_name'),
    lineManagerEmail: text('line_manager_email'),
    fundingChoice: text('funding_choice'),
    consentedAt: timestamp('consented_at', { withTimezone: true }),
    /** APPLICATION_WORKFLOW's states (ADR 0027), kept to them by a CHECK constraint. */
    status: text('status').$type<ApplicationStatus>().notNull().default('pending'),
    eligibleForFunding: boolean('eligible_for_funding').notNull().default(false),
    fundingStatusCode: text('funding_status_code'),
    subjectToReview: boolean('subject_to_review').notNull().default(false),
    reasonForRejection: text('reason_for_rejection'),
    /** DfE's id for this application, once it is known to DfE's API (registered at DfE, or matched by DfE sync: issue 13). */
    dfeApplicationId: text('dfe_application_id'),
    /** DfE's status and `updated_at` for it as last read, for reconciliation to compare (issue 13). */
    dfeStatus: text('dfe_status'),
    dfeUpdatedAt: timestamp('dfe_updated_at', { withTimezone: true }),
    submittedAt: timestamp('submitted_at', { withTimezone: true }),
    decidedAt: timestamp('decided_at', { withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index('applications_trn_idx').on(t.teacherReferenceNumber, t.courseIdentifier),
    index('applications_inbox_idx').on(t.courseIdentifier, t.cohortId, t.status, t.createdAt),
    index('applications_updated_idx').on(t.updatedAt),
    index('applications_created_idx').on(t.createdAt, t.id),
    index('applications_search_idx').using('gin', sql`(${t.fullName} || ' ' || ${t.email}) gin_trgm_ops`),
    index('applications_user_idx').on(t.userId),
    index('applications_participant_idx').on(t.participantId),
    index('applications_intake_idx').on(t.intakeId),
    // The DfE applications pull finds a person's own application by email, NPQ and cohort whatever its
    // status (rejected too): without this it read every application of the NPQ and cohort, slower with
    // each one made (86 ms a record at 28,000; the 100,000 bench fell to 21 a second).
    index('applications_email_course_cohort_idx').on(sql`lower(${t.email})`, t.courseIdentifier, t.cohortId),
    // Pages of the inbox and the API, newest first, for each kind of filter (docs/adr/0034): a page's ids
    // are read in order from one of these alone (the filters' columns trail the order's, so the scan
    // never visits the table), then the page's own rows by id, and counts are read the same way.
    index('applications_status_page_idx').on(t.status, t.createdAt, t.id, t.courseIdentifier, t.eligibleForFunding),
    index('applications_course_status_page_idx').on(t.courseIdentifier, t.status, t.createdAt, t.id, t.eligibleForFunding),
    index('applications_live_page_idx').on(t.createdAt, t.id, t.courseIdentifier, t.eligibleForFunding).where(sql`status <> 'draft'`),
    index('applications_live_course_page_idx').on(t.courseIdentifier, t.createdAt, t.id, t.eligibleForFunding).where(sql`status <> 'draft'`),
    index('applications_cohort_status_page_idx').on(t.cohortId, t.status, t.createdAt, t.id),
    index('applications_live_cohort_page_idx').on(t.cohortId, t.createdAt, t.id).where(sql`status <> 'draft'`),
    // One draft per person at a time, and one live application per person, NPQ and cohort: a second
    // submit or a retried API call finds the first instead of making another.
    uniqueIndex('applications_dfe_application_key').on(t.dfeApplicationId),
    uniqueIndex('applications_one_draft_key').on(t.userId).where(sql`status = 'draft'`),
    uniqueIndex('applications_one_live_key').on(sql`lower(email)`, t.courseIdentifier, t.cohortId).where(sql`status in ('pending', 'accepted')`),
    // Each workflow's column holds only its table's states (ADR 0027).
    check('applications_status_check', oneOf(t.status, APPLICATION_STATUSES)),
  ],
);

/**
 * The school's approval of an application (ADR 0026, 0011): the line manager's answer through an
 * emailed link, made when the application is sent (or recorded as given by the provider). An
 * application without a row has not asked (`not_requested`).
 */
export const schoolApprovals = pgTable(
  'school_approvals',
  {
    applicationId: uuid('application_id')
      .primaryKey()
      .references(() => applications.id, { onDelete: 'cascade' }),
    /** APPROVAL_WORKFLOW's states but `not_requested`, which is having no row (ADR 0027). */
    status: text('status').$type<ApprovalStatus>().notNull().default('pending'),
    /** Lower-case: the address the link was sent to, which finds the request on the line manager's home. */
    requestedOf: text('requested_of'),
    tokenHash: text('token_hash'),
    /** The link's token, sealed, so a reminder can send the same link again. */
    tokenSealed: text('token_sealed'),
    expiresAt: timestamp('expires_at', { withTimezone: true }),
    requestedAt: timestamp('requested_at', { withTimezone: true }),
    remindersSent: integer('reminders_sent').notNull().default(0),
    lastRemindedAt: timestamp('last_reminded_at', { withTimezone: true }),
    decidedAt: timestamp('decided_at', { withTimezone: true }),
    comment: text('comment'),
    approverName: text('approver_name'),
    /** The address the approving link was sent to, kept as it was when they answered (the applicant may later name someone else). */
    approverEmail: text('approver_email'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('school_approvals_token_key').on(t.tokenHash),
    // A line manager's home lists the approvals waiting for them, found by their email address.
    index('school_approvals_awaiting_idx').on(t.requestedOf).where(sql`status = 'pending'`),
    check('school_approvals_status_check', oneOf(t.status, APPROVAL_STATUSES.filter((s) => s !== 'not_requested'))),
  ],
);

/**
 * The gateway assessment of an application whose NPQ has one (ADR 0026): made with status
 * `awaiting_submission` when the application is sent, answered by the applicant, scored by a reviewer.
 * An application without a row needs no gateway (`not_required`).
 */
export const gatewayAssessments = pgTable(
  'gateway_assessments',
  {
    applicationId: uuid('application_id')
      .primaryKey()
      .references(() => applications.id, { onDelete: 'cascade' }),
    /** GATEWAY_WORKFLOW's states but `not_required`, which is having no row (ADR 0027). */
    status: text('status').$type<GatewayStatus>().notNull().default('awaiting_submission'),
    answers: jsonb('answers').$type<Record<string, string>>().notNull().default({}),
    submittedAt: timestamp('submitted_at', { withTimezone: true }),
    scores: jsonb('scores').$type<Record<string, number>>().notNull().default({}),
    feedback: text('feedback'),
    /** Why the reviewer's result goes against the pass mark; null when it follows it. */
    overrideReason: text('override_reason'),
    reviewerId: uuid('reviewer_id').references(() => users.id),
    reviewedAt: timestamp('reviewed_at', { withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index('gateway_assessments_queue_idx').on(t.status, t.submittedAt),
    check('gateway_assessments_status_check', oneOf(t.status, GATEWAY_STATUSES.filter((s) => s !== 'not_required'))),
  ],
);

/**
 * How many applications there are of each combination of the inbox's filters (ADR 0038): status, NPQ,
 * cohort, funding, and the school approval's and gateway's states (`not_requested` / `not_required` for
 * an application without their row). Not the delivery partner: it is the enrolment's or the chosen
 * intake's (ADR 0036), and a partner's counts are read from its rows. Kept exact by triggers on
 * `applications`, `school_approvals` and `gateway_assessments` (migration 0023), in the transaction of each change,
 * so a count of the inbox is a sum over a few hundred rows instead of reading up to 10,001 index
 * entries. Derived data only: nothing writes it but the triggers, and nothing else reads it but counts.
 */
export const applicationCounts = pgTable(
  'application_counts',
  {
    status: text('status').$type<ApplicationStatus>().notNull(),
    courseIdentifier: text('course_identifier').notNull(),
    cohortId: uuid('cohort_id'),
    eligibleForFunding: boolean('eligible_for_funding').notNull(),
    approvalStatus: text('approval_status').$type<ApprovalStatus>().notNull(),
    gatewayStatus: text('gateway_status').$type<GatewayStatus>().notNull(),
    /** Applications with exactly this combination; a combination that empties stays, at 0. */
    n: integer('n').notNull().default(0),
  },
  (t) => [unique('application_counts_key').on(t.status, t.courseIdentifier, t.cohortId, t.eligibleForFunding, t.approvalStatus, t.gatewayStatus).nullsNotDistinct()],
);

/** The gateway assessment for an NPQ that needs one: its questions, the criteria reviewers score, the pass mark. */
export const gatewayConfigs = pgTable('gateway_configs', {
  courseIdentifier: text('course_identifier').primaryKey(),
  questions: jsonb('questions').$type<{ id: string; prompt: string; hint: string; wordLimit: number }[]>().notNull(),
  criteria: jsonb('criteria').$type<{ id: string; name: string; maxScore: number }[]>().notNull(),
  passMark: integer('pass_mark').notNull(),
  updatedAt: updatedAt(),
});

/** Someone interested in a future intake (seed 004): one per email address (kept lower-case) and NPQ, updated if they ask again. */
export const expressionsOfInterest = pgTable(
  'expressions_of_interest',
  {
    id: id(),
    name: text('name').notNull(),
    email: text('email').notNull(),
    courseIdentifier: text('course_identifier').notNull(),
    startPreference: text('start_preference').notNull(),
    role: text('role').notNull().default(''),
    schoolName: text('school_name').notNull().default(''),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    invitedAt: timestamp('invited_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('expressions_of_interest_person_course_key').on(t.email, t.courseIdentifier),
    index('expressions_of_interest_course_idx').on(t.courseIdentifier, t.createdAt),
  ],
);
