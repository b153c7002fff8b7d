import { sql } from 'drizzle-orm';
import { boolean, check, date, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { applications } from '../enrolment/enrolment.schema';
import { users } from '../people/people.schema';
import { createdAt, id, updatedAt } from '../db/columns';
import { oneOf } from '../platform/workflow';
import { DECLARATION_TYPES } from './domain/dfe-reference-data';
import { DECLARATION_STATES } from './domain/declarations';

/**
 * Every call the platform made to DfE's Lead Provider API (issue 13 item 4): when, what, how DfE
 * answered (`status` null when no answer came: a timeout or a dropped connection), how long it took,
 * the bodies both ways, and what it was for. Never the token. Kept a year, searchable by the admin.
 */
export const dfeApiCalls = pgTable(
  'dfe_api_calls',
  {
    id: id(),
    at: timestamp('at', { withTimezone: true }).notNull(),
    method: text('method').notNull(),
    /** The path and query, e.g. `/api/v3/npq-applications?page[page]=2`. */
    path: text('path').notNull(),
    status: integer('status'),
    durationMs: integer('duration_ms').notNull(),
    requestBody: jsonb('request_body'),
    /** DfE's JSON, or `{ "text": … }` for an answer that was not JSON (a bare 429, a 502 page). */
    responseBody: jsonb('response_body'),
    /** Why no answer came, or what went wrong reading it. */
    error: text('error'),
    /** What the call was for, e.g. `sync applications`. */
    purpose: text('purpose').notNull(),
  },
  (t) => [index('dfe_api_calls_at_idx').on(t.at), index('dfe_api_calls_path_idx').on(t.path, t.at)],
);

/**
 * Where a pull from DfE stands (issue 13 item 2), one row per kind (`applications`): the
 * `updated_since` of the run in progress or the next, the page to read next, and when the run began
 * (its start becomes the next run's watermark once it reads to the end). A run killed at any instant
 * resumes at `next_page`; pages already read are read again at worst, and reading is idempotent.
 */
export const dfeSyncCursors = pgTable('dfe_sync_cursors', {
  name: text('name').primaryKey(),
  /** Null: the next run reads everything (a full sync). */
  since: timestamp('since', { withTimezone: true }),
  nextPage: integer('next_page').notNull().default(1),
  runStartedAt: timestamp('run_started_at', { withTimezone: true }),
  lastCompletedAt: timestamp('last_completed_at', { withTimezone: true }),
  /** When the last full read (no `updated_since`) finished: one is made weekly (docs/dfe-api.md §6 rule 2). */
  lastFullAt: timestamp('last_full_at', { withTimezone: true }),
  /** Held by the process running a pull until then (renewed each page): two never run at once. */
  leaseUntil: timestamp('lease_until', { withTimezone: true }),
  updatedAt: updatedAt(),
});

/**
 * A record read from DfE that the platform could not take in, for the admin to see and act on
 * (issue 13): why (`unknown_cohort`, `accepted_elsewhere`, `person_conflict`), the record as read, and
 * when last read. Gone once a later read takes it in.
 */
export const dfeSkippedRecords = pgTable('dfe_skipped_records', {
  dfeApplicationId: text('dfe_application_id').primaryKey(),
  reason: text('reason').notNull(),
  record: jsonb('record').notNull(),
  seenAt: timestamp('seen_at', { withTimezone: true }).notNull(),
});

/**
 * A change the platform must make at DfE (issue 13 item 4), recorded before it is sent: the
 * provider's decision on an application DfE holds (`accept` with its body, `reject`), once per
 * application and kind; a change of the participant's training status (`defer`, `resume`, `withdraw`,
 * with DfE's body), once per change, sent in the order made; a change of funded place
 * (`change_funded_place`), once per change, DfE being sent the platform's value as it is then. `pending` until DfE is seen to have it (`applied`, whether by this send or one
 * whose answer was lost) or refuses it (`refused`, with DfE's words in `answer`); `attempts` counts sends.
 */
export const dfeChanges = pgTable(
  'dfe_changes',
  {
    id: id(),
    kind: text('kind').notNull(),
    /** What makes one change of a kind distinct: '' for a decision (one per application); the domain event's id for a change of training status, which can come many times. */
    changeKey: text('change_key').notNull().default(''),
    applicationId: uuid('application_id').notNull(),
    dfeApplicationId: text('dfe_application_id').notNull(),
    body: jsonb('body'),
    state: text('state').notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    answer: jsonb('answer'),
    /** When the admin put a refused change aside, having dealt with it another way; null while it is listed for them. */
    dismissedAt: timestamp('dismissed_at', { withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex('dfe_changes_application_kind_key').on(t.applicationId, t.kind, t.changeKey), index('dfe_changes_state_idx').on(t.state, t.createdAt), check('dfe_changes_kind_check', oneOf(t.kind, ['accept', 'reject', 'defer', 'resume', 'withdraw', 'change_funded_place', 'change_schedule'])), check('dfe_changes_state_check', oneOf(t.state, ['pending', 'applied', 'refused']))],
);

/**
 * A declaration the platform makes to DfE for a participant's place (issue 13 item 3): proposed from the
 * evidence the platform holds (domain/declarations.ts), with the evidence's date and what it was;
 * `approved` by the admin (or automatically) and then sent exactly once (`sent`, with DfE's id, state
 * and statements as last read) or `refused` in DfE's words; `dismissed` when the admin decides it is not
 * to be made. A void asked for is `void_requested_at` until DfE has it (`voided_at`: voided, or awaiting
 * clawback after payment). One live declaration per place and type: a voided one makes way for another.
 */
export const dfeDeclarations = pgTable(
  'dfe_declarations',
  {
    id: id(),
    applicationId: uuid('application_id')
      .notNull()
      .references(() => applications.id),
    declarationType: text('declaration_type').notNull(),
    /** When the evidence was: the `declaration_date` sent (RFC 3339). */
    declarationDate: timestamp('declaration_date', { withTimezone: true }).notNull(),
    /** What the evidence was, for the admin: `{ summary }` in words. */
    evidence: jsonb('evidence').notNull(),
    /** For `completed` on an NPQ with outcomes: whether they passed. */
    hasPassed: boolean('has_passed'),
    state: text('state').notNull().default('proposed'),
    approvedBy: uuid('approved_by').references(() => users.id),
    approvedAt: timestamp('approved_at', { withTimezone: true }),
    dfeDeclarationId: text('dfe_declaration_id'),
    /** DfE's state as last read, in DfE's words (`eligible`, `awaiting-clawback`). */
    dfeState: text('dfe_state'),
    dfeStatementId: text('dfe_statement_id'),
    dfeClawbackStatementId: text('dfe_clawback_statement_id'),
    dfeUpdatedAt: timestamp('dfe_updated_at', { withTimezone: true }),
    voidRequestedAt: timestamp('void_requested_at', { withTimezone: true }),
    voidedAt: timestamp('voided_at', { withTimezone: true }),
    attempts: integer('attempts').notNull().default(0),
    /** DfE's last answer, or the platform's `{ note }` on why it waits or was not sent. */
    answer: jsonb('answer'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('dfe_declarations_live_key').on(t.applicationId, t.declarationType).where(sql`voided_at is null`),
    uniqueIndex('dfe_declarations_dfe_id_key').on(t.dfeDeclarationId),
    index('dfe_declarations_state_idx').on(t.state, t.createdAt),
    check('dfe_declarations_type_check', oneOf(t.declarationType, DECLARATION_TYPES)),
    check('dfe_declarations_state_check', oneOf(t.state, DECLARATION_STATES)),
  ],
);

/** DfE's output-fee statements for the provider (issue 13 item 5; docs/dfe-api.md §1.4), as last pulled. */
export const dfeStatements = pgTable('dfe_statements', {
  dfeStatementId: text('dfe_statement_id').primaryKey(),
  cohort: text('cohort').notNull(),
  /** The month's name and the year, as DfE gives them. */
  month: text('month').notNull(),
  year: text('year').notNull(),
  cutOffDate: date('cut_off_date', { mode: 'string' }).notNull(),
  paymentDate: date('payment_date', { mode: 'string' }).notNull(),
  paid: boolean('paid').notNull(),
  dfeUpdatedAt: timestamp('dfe_updated_at', { withTimezone: true }),
  seenAt: timestamp('seen_at', { withTimezone: true }).notNull(),
});

/**
 * The provider's rules for declarations from evidence (issue 13 item 3; domain/declarations.ts): how
 * many pieces of evidence make each retention declaration due, and whether due declarations are sent
 * without the admin's approval. One row (`provider`); absent, the defaults hold.
 */
export const dfeDeclarationSettings = pgTable('dfe_declaration_settings', {
  id: text('id').primaryKey().default('provider'),
  retained1Activities: integer('retained1_activities').notNull(),
  retained2Activities: integer('retained2_activities').notNull(),
  sendAutomatically: boolean('send_automatically').notNull().default(false),
  updatedAt: updatedAt(),
});

/**
 * The provider's contract with DfE per cohort and NPQ (issue 13 item 5; docs/dfe-api.md §2.7 "Money"),
 * which DfE's API does not expose: the price per participant, the recruitment target, the shares paid
 * as output payments and as a monthly service fee, and over how many instalments the fee is paid. What
 * the finance page reckons each statement should pay from. Money in pence.
 */
export const dfeContracts = pgTable(
  'dfe_contracts',
  {
    /** DfE's cohort identifier (`2025a`). */
    cohort: text('cohort').notNull(),
    courseIdentifier: text('course_identifier').notNull(),
    perParticipantPence: integer('per_participant_pence').notNull(),
    recruitmentTarget: integer('recruitment_target').notNull(),
    outputPaymentPercent: integer('output_payment_percent').notNull().default(60),
    serviceFeePercent: integer('service_fee_percent').notNull().default(40),
    serviceFeeInstalments: integer('service_fee_instalments').notNull(),
    updatedAt: updatedAt(),
  },
  (t) => [primaryKey({ columns: [t.cohort, t.courseIdentifier] })],
);

/**
 * One comparison of the platform with DfE (issue 13 item 6): nightly or asked for, when it ran, and
 * how many records of each kind it compared and found different (`counts`).
 */
export const dfeReconciliationRuns = pgTable(
  'dfe_reconciliation_runs',
  {
    id: id(),
    startedAt: timestamp('started_at', { withTimezone: true }).notNull(),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
    counts: jsonb('counts').notNull().default(sql`'{}'::jsonb`),
    /** Why it did not finish (DfE unreachable), when it did not. */
    error: text('error'),
  },
  (t) => [index('dfe_reconciliation_runs_started_idx').on(t.startedAt)],
);

/**
 * A difference a reconciliation run found between the platform and DfE (issue 13 item 6): of which kind
 * (participant, status, schedule, funded place, declaration), about which application or declaration,
 * what each side holds, and the action that fixes it, in words.
 */
export const dfeReconciliationDifferences = pgTable(
  'dfe_reconciliation_differences',
  {
    id: id(),
    runId: uuid('run_id')
      .notNull()
      .references(() => dfeReconciliationRuns.id, { onDelete: 'cascade' }),
    kind: text('kind').notNull(),
    /** The platform's application, when the difference is about one it holds. */
    applicationId: uuid('application_id'),
    /** DfE's id of what differs (an application, participant or declaration). */
    dfeId: text('dfe_id'),
    platform: jsonb('platform'),
    dfe: jsonb('dfe'),
    action: text('action').notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('dfe_reconciliation_differences_run_idx').on(t.runId, t.kind)],
);
