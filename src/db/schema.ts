import { sql } from 'drizzle-orm';
import {
  boolean,
  date,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';

const id = () => uuid('id').primaryKey().default(sql`gen_random_uuid()`);
const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();
const updatedAt = () => timestamp('updated_at', { withTimezone: true }).notNull().defaultNow();

// ── People ──────────────────────────────────────────────────────────────
export const users = pgTable(
  'users',
  {
    id: id(),
    email: text('email').notNull(),
    name: text('name').notNull(),
    passwordHash: text('password_hash'),
    totpSecret: text('totp_secret'),
    totpEnabledAt: timestamp('totp_enabled_at', { withTimezone: true }),
    /** The last TOTP time step accepted, so a code cannot be replayed. */
    totpLastStep: integer('totp_last_step'),
    deactivatedAt: timestamp('deactivated_at', { withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex('users_email_key').on(sql`lower(${t.email})`)],
);

export const roleAssignments = pgTable(
  'role_assignments',
  {
    id: id(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    role: text('role').notNull(),
    scopeType: text('scope_type').notNull(),
    scopeId: uuid('scope_id'),
    createdAt: createdAt(),
  },
  (t) => [
    index('role_assignments_user_idx').on(t.userId),
    index('role_assignments_scope_idx').on(t.scopeType, t.scopeId),
  ],
);

export const recoveryCodes = pgTable(
  'recovery_codes',
  {
    id: id(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    codeHash: text('code_hash').notNull(),
    usedAt: timestamp('used_at', { withTimezone: true }),
  },
  (t) => [index('recovery_codes_user_idx').on(t.userId)],
);

export const sessions = pgTable(
  'sessions',
  {
    id: id(),
    tokenHash: text('token_hash').notNull(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    secondFactorDone: boolean('second_factor_done').notNull().default(false),
    userAgent: text('user_agent'),
    createdAt: createdAt(),
    lastSeenAt: timestamp('last_seen_at', { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
  },
  (t) => [uniqueIndex('sessions_token_key').on(t.tokenHash), index('sessions_user_idx').on(t.userId)],
);

/** Single-use emailed links: staff invitations and password resets. */
export const accountTokens = pgTable(
  'account_tokens',
  {
    id: id(),
    tokenHash: text('token_hash').notNull(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    purpose: text('purpose').notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    usedAt: timestamp('used_at', { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('account_tokens_token_key').on(t.tokenHash), index('account_tokens_user_idx').on(t.userId)],
);

export const apiTokens = pgTable(
  'api_tokens',
  {
    id: id(),
    name: text('name').notNull(),
    tokenHash: text('token_hash').notNull(),
    role: text('role').notNull(),
    /** What the token may do (src/api/domain/scopes.ts); each API operation names the one it needs. */
    scopes: text('scopes').array().notNull().default(sql`'{}'::text[]`),
    createdByUserId: uuid('created_by_user_id').references(() => users.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
    lastUsedAt: timestamp('last_used_at', { withTimezone: true }),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
  },
  (t) => [uniqueIndex('api_tokens_token_key').on(t.tokenHash)],
);

export const auditEvents = pgTable(
  'audit_events',
  {
    id: id(),
    at: timestamp('at', { withTimezone: true }).notNull(),
    actorId: uuid('actor_id'),
    actorLabel: text('actor_label').notNull(),
    action: text('action').notNull(),
    entityType: text('entity_type').notNull(),
    entityId: text('entity_id'),
    before: jsonb('before'),
    after: jsonb('after'),
  },
  (t) => [
    index('audit_events_at_idx').on(t.at),
    index('audit_events_entity_idx').on(t.entityType, t.entityId),
    index('audit_events_actor_idx').on(t.actorId),
  ],
);

/** Transactional outbox: mail is written with the change that causes it and delivered after commit. */
export const outboundEmails = pgTable(
  'outbound_emails',
  {
    id: id(),
    to: text('to').notNull(),
    subject: text('subject').notNull(),
    body: text('body').notNull(),
    createdAt: createdAt(),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }).notNull().defaultNow(),
    sentAt: timestamp('sent_at', { withTimezone: true }),
    lastError: text('last_error'),
  },
  (t) => [index('outbound_emails_pending_idx').on(t.nextAttemptAt).where(sql`sent_at is null`)],
);

/**
 * Failed sign-ins and second-factor codes, counted per email address (whether or not an account has
 * it, so that nothing here reveals who has one) and per source: `account` (every source together),
 * `ip:<hash>`, `device:<id>` or `second_factor`. A source that has signed in successfully keeps its
 * row with last_succeeded_at set, which is what makes it trusted (docs/adr/0019).
 */
export const signInThrottles = pgTable(
  'sign_in_throttles',
  {
    emailKey: text('email_key').notNull(),
    source: text('source').notNull().default('account'),
    failures: integer('failures').notNull().default(0),
    windowStartedAt: timestamp('window_started_at', { withTimezone: true }).notNull(),
    lockedUntil: timestamp('locked_until', { withTimezone: true }),
    lastSucceededAt: timestamp('last_succeeded_at', { withTimezone: true }),
  },
  (t) => [primaryKey({ columns: [t.emailKey, t.source] })],
);

// ── Catalogue ───────────────────────────────────────────────────────────
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

// ── Enrolment: reference data ───────────────────────────────────────────
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

// ── Enrolment: cohorts and applications ────────────────────────────────
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
 * One person's application for one NPQ, from the first saved answer (draft) to the provider's decision,
 * and then their place as a participant. `status` is DfE's (pending, accepted, rejected) plus `draft`
 * before submission; school approval and the gateway run alongside it.
 */
export const applications = pgTable(
  'applications',
  {
    id: id(),
    userId: uuid('user_id').references(() => users.id),
    /** The journey's answers as typed, kept while the draft is open so it can be resumed. */
    answers: jsonb('answers').$type<Record<string, unknown>>().notNull().default({}),
    fullName: text('full_name').notNull().default(''),
    email: text('email').notNull().default(''),
    teacherReferenceNumber: text('teacher_reference_number'),
    courseIdentifier: text('course_identifier').notNull(),
    cohortId: uuid('cohort_id').references(() => cohorts.id),
    intakeId: uuid('intake_id').references(() => intakes.id),
    deliveryPartnerId: uuid('delivery_partner_id').references(() => deliveryPartners.id),
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
    status: text('status').notNull().default('pending'),
    eligibleForFunding: boolean('eligible_for_funding').notNull().default(false),
    fundingStatusCode: text('funding_status_code'),
    subjectToReview: boolean('subject_to_review').notNull().default(false),
    fundedPlace: boolean('funded_place'),
    reasonForRejection: text('reason_for_rejection'),
    submittedAt: timestamp('submitted_at', { withTimezone: true }),
    decidedAt: timestamp('decided_at', { withTimezone: true }),
    // School approval: the line manager's answer through an emailed link.
    approvalStatus: text('approval_status').notNull().default('not_requested'),
    approvalTokenHash: text('approval_token_hash'),
    /** The link's token, sealed, so a reminder can send the same link again. */
    approvalTokenSealed: text('approval_token_sealed'),
    approvalExpiresAt: timestamp('approval_expires_at', { withTimezone: true }),
    approvalRequestedAt: timestamp('approval_requested_at', { withTimezone: true }),
    approvalRemindersSent: integer('approval_reminders_sent').notNull().default(0),
    approvalLastRemindedAt: timestamp('approval_last_reminded_at', { withTimezone: true }),
    approvalDecidedAt: timestamp('approval_decided_at', { withTimezone: true }),
    approvalComment: text('approval_comment'),
    approverName: text('approver_name'),
    /** The address the approving link was sent to, kept as it was when they answered (the applicant may later name someone else). */
    approverEmail: text('approver_email'),
    // The gateway assessment, for NPQs that need one.
    gatewayStatus: text('gateway_status').notNull().default('not_required'),
    gatewayAnswers: jsonb('gateway_answers').$type<Record<string, string>>().notNull().default({}),
    gatewaySubmittedAt: timestamp('gateway_submitted_at', { withTimezone: true }),
    gatewayScores: jsonb('gateway_scores').$type<Record<string, number>>().notNull().default({}),
    gatewayFeedback: text('gateway_feedback'),
    /** Why the reviewer's result goes against the pass mark; null when it follows it. */
    gatewayOverrideReason: text('gateway_override_reason'),
    gatewayReviewerId: uuid('gateway_reviewer_id').references(() => users.id),
    gatewayReviewedAt: timestamp('gateway_reviewed_at', { withTimezone: true }),
    // The participant, once accepted.
    trainingStatus: text('training_status'),
    onWaitingList: boolean('on_waiting_list').notNull().default(false),
    trainingStatusReason: text('training_status_reason'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index('applications_trn_idx').on(t.teacherReferenceNumber, t.courseIdentifier),
    index('applications_status_idx').on(t.status, t.createdAt),
    index('applications_inbox_idx').on(t.courseIdentifier, t.cohortId, t.status, t.createdAt),
    index('applications_updated_idx').on(t.updatedAt),
    index('applications_created_idx').on(t.createdAt, t.id),
    index('applications_search_idx').using('gin', sql`(${t.fullName} || ' ' || ${t.email}) gin_trgm_ops`),
    index('applications_user_idx').on(t.userId),
    // A line manager's home lists the approvals waiting for them, found by their email address.
    index('applications_awaiting_approver_idx').on(sql`lower(${t.lineManagerEmail})`).where(sql`approval_status = 'pending'`),
    index('applications_intake_idx').on(t.intakeId, t.trainingStatus),
    uniqueIndex('applications_approval_token_key').on(t.approvalTokenHash),
    // One draft per person at a time, and one live application per person, NPQ and cohort: a second
    // submit or a retried API call finds the first instead of making another.
    uniqueIndex('applications_one_draft_key').on(t.userId).where(sql`status = 'draft'`),
    uniqueIndex('applications_one_live_key').on(sql`lower(email)`, t.courseIdentifier, t.cohortId).where(sql`status in ('pending', 'accepted')`),
  ],
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

// ── 360° diagnostic ─────────────────────────────────────────────────────
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

// ── Platform ────────────────────────────────────────────────────────────
/**
 * A form page answered with an error, kept so that the browser can be sent to a GET (post/redirect/get)
 * and reloading shows the same page instead of submitting again. Personal: read only with the signed
 * cookie that names it, and kept for minutes.
 */
export const formReplays = pgTable(
  'form_replays',
  {
    id: uuid('id').primaryKey(),
    path: text('path').notNull(),
    status: integer('status').notNull(),
    html: text('html').notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('form_replays_expires_idx').on(t.expiresAt)],
);
