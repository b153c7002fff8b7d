import { bigserial, boolean, check, date, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { createdAt, id, updatedAt } from '../db/columns';
import { sql } from 'drizzle-orm';
import { oneOf } from '../platform/workflow';
import { intakes } from '../catalogue/catalogue.schema';
import { applications } from '../enrolment/enrolment.schema';
import { SUBMISSION_WORKFLOW } from './domain/submission';
import { users } from '../people/people.schema';
import { MARKING_ROUNDS, MARKING_WORKFLOW, type Marks } from './domain/mark-scheme';
import { MODERATION_WORKFLOW, SAMPLE_REASONS, type SampleRules } from './domain/moderation';
import { OUTCOME_STATES, REVIEW_DECISIONS } from './domain/outcome';
import { LIBRARY_PHASES, LIBRARY_WORKFLOW } from './domain/library';
import { BOARD_CONTACT_ROLES, BOARD_SCHOOLS, HOST_ANSWERS, PROJECT_ENTRY_MAX_MINUTES } from './domain/evidence';

/**
 * The in-school project log (issue 12 item 2; seed 000: "an additional minimum two hours a week"):
 * one dated entry per piece of work, with the minutes spent, a reflection and perhaps a file. An
 * entry removed is kept with `removed_at` for a while, so its removal can be taken back.
 */
export const projectLogEntries = pgTable(
  'project_log_entries',
  {
    id: id(),
    enrolmentId: uuid('enrolment_id')
      .notNull()
      .references(() => applications.id),
    workedOn: date('worked_on', { mode: 'string' }).notNull(),
    minutes: integer('minutes').notNull(),
    reflection: text('reflection').notNull(),
    /** A file with it (PDF, Word, PowerPoint, Excel or an image): its name as sent, kind, size in bytes, and key in the file store. */
    fileName: text('file_name'),
    fileType: text('file_type'),
    fileSize: integer('file_size'),
    fileKey: text('file_key'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    removedAt: timestamp('removed_at', { withTimezone: true }),
  },
  (t) => [index('project_log_entries_enrolment_idx').on(t.enrolmentId, t.workedOn), check('project_log_entries_minutes_check', sql`${t.minutes} between 1 and ${sql.raw(String(PROJECT_ENTRY_MAX_MINUTES))}`)],
);

/**
 * A placement in a contrasting school (issue 12 item 2; seed 000, Task 2): the host school by its
 * GIAS URN, why it contrasts, and the host's contact who confirms the days. One per place and task.
 */
export const placements = pgTable(
  'placements',
  {
    id: id(),
    enrolmentId: uuid('enrolment_id')
      .notNull()
      .references(() => applications.id),
    taskKey: text('task_key').notNull(),
    hostUrn: integer('host_urn').notNull(),
    /** CONTRAST_REASONS chosen, and the participant's own words on the contrast. */
    contrasts: jsonb('contrasts').$type<string[]>().notNull(),
    contrastNote: text('contrast_note').notNull().default(''),
    hostContactName: text('host_contact_name').notNull(),
    hostContactEmail: text('host_contact_email').notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex('placements_enrolment_task_key').on(t.enrolmentId, t.taskKey)],
);

/** A stretch of placement days as recorded, from and to (UK dates, inclusive): its working days are counted, weekends and England's bank holidays left out. */
export const placementPeriods = pgTable(
  'placement_periods',
  {
    id: id(),
    placementId: uuid('placement_id')
      .notNull()
      .references(() => placements.id, { onDelete: 'cascade' }),
    fromDate: date('from_date', { mode: 'string' }).notNull(),
    toDate: date('to_date', { mode: 'string' }).notNull(),
    note: text('note').notNull().default(''),
    /** The host confirmation that covers it, once put to the host: then it cannot be changed unless the host disputes it. */
    confirmationId: uuid('confirmation_id'),
    createdAt: createdAt(),
  },
  (t) => [index('placement_periods_placement_idx').on(t.placementId, t.fromDate)],
);

/**
 * The host's confirmation of placement days, asked by an emailed link (no account): the days put to
 * them as they were when asked, the link's token kept only as a hash, and the host's answer.
 */
export const placementConfirmations = pgTable(
  'placement_confirmations',
  {
    id: id(),
    placementId: uuid('placement_id')
      .notNull()
      .references(() => placements.id, { onDelete: 'cascade' }),
    days: jsonb('days').$type<string[]>().notNull(),
    sentTo: text('sent_to').notNull(),
    tokenHash: text('token_hash').notNull(),
    requestedAt: timestamp('requested_at', { withTimezone: true }).notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    /** HOST_ANSWERS, once answered. */
    answer: text('answer'),
    answeredBy: text('answered_by'),
    comment: text('comment').notNull().default(''),
    answeredAt: timestamp('answered_at', { withTimezone: true }),
  },
  (t) => [uniqueIndex('placement_confirmations_token_key').on(t.tokenHash), index('placement_confirmations_placement_idx').on(t.placementId), check('placement_confirmations_answer_check', oneOf(t.answer, HOST_ANSWERS))],
);

/**
 * A presentation of the plan to a governing board (issue 12 item 2; seed 000): when, which board and
 * whose school, and the board's feedback — gathered from its chair or clerk by an emailed link (no
 * account; the token kept as a hash) or as uploaded minutes.
 */
export const boardPresentations = pgTable(
  'board_presentations',
  {
    id: id(),
    enrolmentId: uuid('enrolment_id')
      .notNull()
      .references(() => applications.id),
    taskKey: text('task_key').notNull(),
    presentedOn: date('presented_on', { mode: 'string' }).notNull(),
    boardName: text('board_name').notNull(),
    /** BOARD_SCHOOLS. */
    school: text('school').notNull(),
    contactName: text('contact_name'),
    contactEmail: text('contact_email'),
    /** BOARD_CONTACT_ROLES. */
    contactRole: text('contact_role'),
    tokenHash: text('token_hash'),
    requestedAt: timestamp('requested_at', { withTimezone: true }),
    expiresAt: timestamp('expires_at', { withTimezone: true }),
    feedback: text('feedback'),
    feedbackBy: text('feedback_by'),
    feedbackAt: timestamp('feedback_at', { withTimezone: true }),
    /** Minutes uploaded instead (PDF or Word): name as sent, kind, size in bytes, key in the file store. */
    minutesName: text('minutes_name'),
    minutesType: text('minutes_type'),
    minutesSize: integer('minutes_size'),
    minutesKey: text('minutes_key'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index('board_presentations_enrolment_idx').on(t.enrolmentId, t.presentedOn),
    uniqueIndex('board_presentations_token_key').on(t.tokenHash),
    check('board_presentations_school_check', oneOf(t.school, BOARD_SCHOOLS)),
    check('board_presentations_role_check', oneOf(t.contactRole, BOARD_CONTACT_ROLES)),
  ],
);

/** When an intake's participants send one task's account (issue 12 item 3), as the provider's admin sets it: opens, due (end of that UK day), and late until (flagged), if late is taken at all. */
export const submissionWindows = pgTable(
  'submission_windows',
  {
    intakeId: uuid('intake_id')
      .notNull()
      .references(() => intakes.id),
    taskKey: text('task_key').notNull(),
    opensOn: date('opens_on', { mode: 'string' }).notNull(),
    dueOn: date('due_on', { mode: 'string' }).notNull(),
    lateUntil: date('late_until', { mode: 'string' }),
    updatedAt: updatedAt(),
  },
  (t) => [primaryKey({ columns: [t.intakeId, t.taskKey] })],
);

/** One participant's later due date for one task, with the admin's reason (issue 12 item 3: "extensions for one person, with a reason"). */
export const submissionExtensions = pgTable(
  'submission_extensions',
  {
    enrolmentId: uuid('enrolment_id')
      .notNull()
      .references(() => applications.id),
    taskKey: text('task_key').notNull(),
    dueOn: date('due_on', { mode: 'string' }).notNull(),
    reason: text('reason').notNull(),
    grantedBy: text('granted_by').notNull(),
    grantedAt: timestamp('granted_at', { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.enrolmentId, t.taskKey] })],
);

/**
 * A written account (issue 12 item 3): the file as uploaded, its words as counted under the task's
 * rule when it was uploaded (the rule is kept with it), whether it was over the limit or late, and
 * SUBMISSION_WORKFLOW's state. A sent account is never changed: withdrawing it and sending another
 * makes a new row. `attempt` is 1, or more for a resit.
 */
export const submissions = pgTable(
  'submissions',
  {
    id: id(),
    enrolmentId: uuid('enrolment_id')
      .notNull()
      .references(() => applications.id),
    taskKey: text('task_key').notNull(),
    attempt: integer('attempt').notNull().default(1),
    status: text('status').notNull().default('draft'),
    fileName: text('file_name').notNull(),
    fileType: text('file_type').notNull(),
    fileSize: integer('file_size').notNull(),
    fileKey: text('file_key').notNull(),
    wordLimit: integer('word_limit').notNull(),
    wordsTotal: integer('words_total').notNull(),
    wordsCounted: integer('words_counted').notNull(),
    /** Words left out by each exclusion of the rule (WordCount.excluded). */
    wordsExcluded: jsonb('words_excluded').$type<Record<string, number>>().notNull(),
    overLimit: boolean('over_limit').notNull(),
    late: boolean('late').notNull().default(false),
    uploadedAt: timestamp('uploaded_at', { withTimezone: true }).notNull(),
    submittedAt: timestamp('submitted_at', { withTimezone: true }),
    withdrawnAt: timestamp('withdrawn_at', { withTimezone: true }),
  },
  (t) => [
    index('submissions_enrolment_idx').on(t.enrolmentId, t.taskKey),
    index('submissions_status_idx').on(t.status, t.submittedAt),
    // One draft and one sent account at a time per place and task: two uploads or two sends at once let one through.
    uniqueIndex('submissions_one_draft_key').on(t.enrolmentId, t.taskKey).where(sql`status = 'draft'`),
    uniqueIndex('submissions_one_sent_key').on(t.enrolmentId, t.taskKey, t.attempt).where(sql`status = 'submitted'`),
    check('submissions_status_check', oneOf(t.status, SUBMISSION_WORKFLOW.states)),
  ],
);

/**
 * Which assessor marks a sent account, and the candidate number it is marked under (issue 12 item 4):
 * the assessor sees the number, never the name, school or partner. Allocated by the provider's admin
 * by hand or evenly; a script is allocated again only while its first marking is not submitted.
 */
export const scriptAllocations = pgTable(
  'script_allocations',
  {
    submissionId: uuid('submission_id')
      .primaryKey()
      .references(() => submissions.id),
    candidateNumber: text('candidate_number').notNull(),
    assessorUserId: uuid('assessor_user_id')
      .notNull()
      .references(() => users.id),
    allocatedBy: uuid('allocated_by').references(() => users.id),
    allocatedAt: timestamp('allocated_at', { withTimezone: true }).notNull(),
  },
  (t) => [uniqueIndex('script_allocations_candidate_key').on(t.candidateNumber), index('script_allocations_assessor_idx').on(t.assessorUserId)],
);

/**
 * One marking of a script under its task's mark scheme (issue 12 item 4): a mark and a comment per
 * criterion (`marks`, by criterion key), an overall comment, the total and result the scheme gives,
 * saved as a draft until submitted (MARKING_WORKFLOW). `round` is `first` for the allocated
 * assessor's; moderation adds its rounds beside it. The scheme's version is kept with the marks.
 */
export const scriptMarkings = pgTable(
  'script_markings',
  {
    id: id(),
    submissionId: uuid('submission_id')
      .notNull()
      .references(() => submissions.id),
    round: text('round').notNull(),
    markerUserId: uuid('marker_user_id')
      .notNull()
      .references(() => users.id),
    schemeVersion: text('scheme_version').notNull(),
    marks: jsonb('marks').$type<Marks>().notNull(),
    overallComment: text('overall_comment').notNull().default(''),
    total: integer('total').notNull(),
    /** pass | fail once every criterion is marked. */
    result: text('result'),
    status: text('status').notNull().default('draft'),
    updatedAt: updatedAt(),
    submittedAt: timestamp('submitted_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('script_markings_round_key').on(t.submissionId, t.round),
    index('script_markings_marker_idx').on(t.markerUserId, t.status),
    check('script_markings_status_check', oneOf(t.status, MARKING_WORKFLOW.states)),
    check('script_markings_round_check', oneOf(t.round, MARKING_ROUNDS)),
    check('script_markings_result_check', oneOf(t.result, ['pass', 'fail'])),
  ],
);

/** The provider's moderation rules (issue 12 item 5): one row, kept as the admin last saved them. */
export const moderationSettings = pgTable(
  'moderation_settings',
  {
    id: integer('id').primaryKey().default(1),
    rules: jsonb('rules').$type<SampleRules>().notNull(),
    updatedBy: text('updated_by').notNull(),
    updatedAt: updatedAt(),
  },
  (t) => [check('moderation_settings_one_row', sql`${t.id} = 1`)],
);

/**
 * A first marking as moderation drew on it (issue 12 item 5): every marked script is drawn on once.
 * `reason` is the rule that took it into the sample, or null when it was left out (its first marks
 * stand). A sampled script has its moderator, its MODERATION_WORKFLOW state, the third marker where
 * the totals differ beyond the tolerance, and once decided the final total and result.
 */
export const moderationSamples = pgTable(
  'moderation_samples',
  {
    submissionId: uuid('submission_id')
      .primaryKey()
      .references(() => submissions.id),
    reason: text('reason'),
    drawnAt: timestamp('drawn_at', { withTimezone: true }).notNull(),
    status: text('status'),
    moderatorUserId: uuid('moderator_user_id').references(() => users.id),
    thirdMarkerUserId: uuid('third_marker_user_id').references(() => users.id),
    /** The tolerance in force when the script was sampled: a later setting applies to later draws (null when left out). */
    tolerance: integer('tolerance'),
    /** What the moderator asked the assessor to look at again, when sent back. */
    sentBackNote: text('sent_back_note'),
    /** Assessors it was moved away from once sent back, their marks let go: never its third marker (they have read and marked it). */
    earlierAssessorIds: jsonb('earlier_assessor_ids').$type<string[]>().notNull().default([]),
    finalTotal: integer('final_total'),
    finalResult: text('final_result'),
    decidedAt: timestamp('decided_at', { withTimezone: true }),
  },
  (t) => [
    index('moderation_samples_moderator_idx').on(t.moderatorUserId),
    index('moderation_samples_third_idx').on(t.thirdMarkerUserId),
    check('moderation_samples_reason_check', oneOf(t.reason, SAMPLE_REASONS)),
    check('moderation_samples_status_check', oneOf(t.status, MODERATION_WORKFLOW.states)),
    check('moderation_samples_result_check', oneOf(t.finalResult, ['pass', 'fail'])),
  ],
);

/**
 * A release of an intake's results (issue 12 item 6): the day they are seen (not before moderation
 * ends, which setting it checks), the days after it in which a review of marking may be asked for,
 * and the last day for resits. An intake may have several (a later one for resits); one not yet
 * reached can be called off, its results and outcomes with it, since no one has seen them.
 * `announcedAt` is when participants were emailed that their results are out.
 */
export const resultReleases = pgTable(
  'result_releases',
  {
    id: id(),
    intakeId: uuid('intake_id')
      .notNull()
      .references(() => intakes.id),
    releasesOn: date('releases_on', { mode: 'string' }).notNull(),
    reviewDays: integer('review_days').notNull(),
    resitDueOn: date('resit_due_on', { mode: 'string' }),
    setBy: uuid('set_by').references(() => users.id),
    createdAt: createdAt(),
    announcedAt: timestamp('announced_at', { withTimezone: true }),
  },
  (t) => [index('result_releases_intake_idx').on(t.intakeId, t.releasesOn), index('result_releases_unannounced_idx').on(t.releasesOn).where(sql`announced_at is null`)],
);

/**
 * One script's result as a release gives it out: the total and result that stood when it was made,
 * and the feedback is the marking's. A review of marking that changes the result changes this row
 * (the review keeps what it was).
 */
export const releasedResults = pgTable(
  'released_results',
  {
    submissionId: uuid('submission_id')
      .primaryKey()
      .references(() => submissions.id),
    releaseId: uuid('release_id')
      .notNull()
      .references(() => resultReleases.id, { onDelete: 'cascade' }),
    enrolmentId: uuid('enrolment_id')
      .notNull()
      .references(() => applications.id),
    taskKey: text('task_key').notNull(),
    attempt: integer('attempt').notNull(),
    total: integer('total').notNull(),
    result: text('result').notNull(),
    /** Which marking's comments are the feedback: first, second or third. */
    feedbackRound: text('feedback_round').notNull(),
  },
  (t) => [index('released_results_enrolment_idx').on(t.enrolmentId), index('released_results_release_idx').on(t.releaseId), check('released_results_result_check', oneOf(t.result, ['pass', 'fail'])), check('released_results_round_check', oneOf(t.feedbackRound, MARKING_ROUNDS))],
);

/**
 * A participant's outcome, appended, never changed (docs/dfe-api.md: outcomes are append-only): the
 * latest by `seq` is the one that stands. Passed carries the certificate's code; voided says why.
 * `completionDate` is the release day, DfE's "date the participant received the assessment outcome".
 */
export const participantOutcomes = pgTable(
  'participant_outcomes',
  {
    id: id(),
    seq: bigserial('seq', { mode: 'number' }).notNull(),
    enrolmentId: uuid('enrolment_id')
      .notNull()
      .references(() => applications.id),
    releaseId: uuid('release_id').references(() => resultReleases.id, { onDelete: 'cascade' }),
    state: text('state').notNull(),
    completionDate: date('completion_date', { mode: 'string' }).notNull(),
    certificateCode: text('certificate_code'),
    /** Why it was voided, or what a review of marking changed. */
    note: text('note'),
    recordedBy: uuid('recorded_by').references(() => users.id),
    createdAt: createdAt(),
    /**
     * When the participant (and the API) may first see it: when it was recorded, or the start of its
     * release's day (UK) if that is later. The API lists outcomes by this, so a client reading what is
     * new since its last call misses none that came out after being recorded (issue 12 item 8).
     */
    outAt: timestamp('out_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    index('participant_outcomes_enrolment_idx').on(t.enrolmentId, t.seq),
    uniqueIndex('participant_outcomes_code_key').on(t.certificateCode),
    index('participant_outcomes_created_idx').on(t.createdAt),
    index('participant_outcomes_out_idx').on(t.outAt, t.id), check('participant_outcomes_state_check', oneOf(t.state, OUTCOME_STATES))],
);

/**
 * A participant's request for a review of marking of one released result, within the release's
 * window (issue 12 item 6), and what it ended in: upheld, or changed with the reviewer's total and
 * result (the result it replaced is kept here). One open request per script.
 */
export const markingReviews = pgTable(
  'marking_reviews',
  {
    id: id(),
    submissionId: uuid('submission_id')
      .notNull()
      .references(() => submissions.id),
    enrolmentId: uuid('enrolment_id')
      .notNull()
      .references(() => applications.id),
    reason: text('reason').notNull(),
    requestedAt: timestamp('requested_at', { withTimezone: true }).notNull(),
    decision: text('decision'),
    was: jsonb('was').$type<{ total: number; result: string }>(),
    total: integer('total'),
    result: text('result'),
    note: text('note'),
    decidedBy: uuid('decided_by').references(() => users.id),
    decidedAt: timestamp('decided_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('marking_reviews_open_key').on(t.submissionId).where(sql`decision is null`),
    index('marking_reviews_enrolment_idx').on(t.enrolmentId),
    check('marking_reviews_decision_check', oneOf(t.decision, REVIEW_DECISIONS)),
    check('marking_reviews_result_check', oneOf(t.result, ['pass', 'fail'])),
  ],
);

/**
 * A School Improvement Library entry (issue 12 item 7; seed 002): a passed project a participant
 * shares, with their consent, as a public entry once the provider's admin publishes it. One per place
 * and task. The school's name is kept only when the participant agreed to it being shown; the course
 * is kept so the public list filters without reading places.
 */
export const libraryEntries = pgTable(
  'library_entries',
  {
    id: id(),
    enrolmentId: uuid('enrolment_id')
      .notNull()
      .references(() => applications.id),
    taskKey: text('task_key').notNull(),
    courseIdentifier: text('course_identifier').notNull(),
    state: text('state').notNull(),
    title: text('title').notNull(),
    summary: text('summary').notNull(),
    impact: text('impact').notNull(),
    phase: text('phase').notNull(),
    themes: text('themes').array().notNull(),
    /** The school's name as shared, or null when the participant did not agree to it being named. */
    schoolName: text('school_name'),
    consentedAt: timestamp('consented_at', { withTimezone: true }).notNull(),
    /** Why the admin returned it (or took it down). */
    reviewNote: text('review_note'),
    reviewedBy: uuid('reviewed_by').references(() => users.id),
    reviewedAt: timestamp('reviewed_at', { withTimezone: true }),
    publishedAt: timestamp('published_at', { withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('library_entries_place_task_key').on(t.enrolmentId, t.taskKey),
    index('library_entries_state_idx').on(t.state, t.publishedAt),
    index('library_entries_search_idx').using('gin', sql`to_tsvector('english', ${t.title} || ' ' || ${t.summary} || ' ' || ${t.impact})`),
    check('library_entries_state_check', oneOf(t.state, LIBRARY_WORKFLOW.states)),
    check('library_entries_phase_check', oneOf(t.phase, Object.keys(LIBRARY_PHASES))),
  ],
);
