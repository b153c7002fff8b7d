/** Reads of applications: one person's, one by id, the inbox's pages and the counts decisions need. Queries only. */
import { and, asc, count, desc, eq, getTableColumns, gte, inArray, ne, or, type SQL, sql } from 'drizzle-orm';
import { type Executor, executeNamed } from '../../db/client';
import type { ApplicationStatus, ApprovalStatus, GatewayStatus } from '../domain/application';
import { intakeIdsOfPartners, partnerOfIntake } from '../../catalogue/catalogue.queries';
import type { TrainingStatus } from '../domain/workflows';
import { applicationCounts, applications, cohorts, enrolments, gatewayAssessments, schoolApprovals } from '../enrolment.schema';

/** The gateway's status of an application: its assessment's, or `not_required` without one. */
export const gatewayStatusOf = sql<GatewayStatus>`coalesce(${gatewayAssessments.status}, 'not_required')`;

/** The school's approval status of an application: its approval's, or `not_requested` without one. */
export const approvalStatusOf = sql<ApprovalStatus>`coalesce(${schoolApprovals.status}, 'not_requested')`;

/** The intake an application is in: the one placed in once accepted (its enrolment's), else the one chosen. */
export const intakeOf = sql<string | null>`coalesce(${enrolments.intakeId}, ${applications.intakeId})`;

/** The delivery partner an application is with: its enrolment's once accepted, else its chosen intake's (ADR 0036). */
export const deliveryPartnerOf = sql<string | null>`coalesce(${enrolments.deliveryPartnerId}, ${partnerOfIntake(applications.intakeId)})`;

/**
 * An application as enrolment reads it: its own columns, its school approval's, its gateway
 * assessment's and its enrolment's under their former names (`approvalStatus`, `gatewayStatus`,
 * `trainingStatus`, ...), so pages, the API's presenter and the domain read one shape wherever its
 * parts are stored (ADR 0026, 0036). `intakeId` is the intake placed in once accepted, else the one
 * chosen; `enrolmentId` is null until accepted.
 */
export const applicationColumns = {
  ...getTableColumns(applications),
  intakeId: intakeOf,
  deliveryPartnerId: deliveryPartnerOf,
  enrolmentId: enrolments.id,
  fundedPlace: enrolments.fundedPlace,
  trainingStatus: sql<TrainingStatus | null>`${enrolments.trainingStatus}`,
  trainingStatusReason: enrolments.trainingStatusReason,
  onWaitingList: sql<boolean>`coalesce(${enrolments.onWaitingList}, false)`,
  approvalStatus: approvalStatusOf,
  approvalTokenHash: schoolApprovals.tokenHash,
  approvalTokenSealed: schoolApprovals.tokenSealed,
  approvalExpiresAt: schoolApprovals.expiresAt,
  approvalRequestedAt: schoolApprovals.requestedAt,
  approvalRemindersSent: sql<number>`coalesce(${schoolApprovals.remindersSent}, 0)`.mapWith(Number),
  approvalLastRemindedAt: schoolApprovals.lastRemindedAt,
  approvalDecidedAt: schoolApprovals.decidedAt,
  approvalComment: schoolApprovals.comment,
  approverName: schoolApprovals.approverName,
  approverEmail: schoolApprovals.approverEmail,
  gatewayStatus: gatewayStatusOf,
  gatewayAnswers: sql<Record<string, string>>`coalesce(${gatewayAssessments.answers}, '{}'::jsonb)`,
  gatewaySubmittedAt: gatewayAssessments.submittedAt,
  gatewayScores: sql<Record<string, number>>`coalesce(${gatewayAssessments.scores}, '{}'::jsonb)`,
  gatewayFeedback: gatewayAssessments.feedback,
  gatewayOverrideReason: gatewayAssessments.overrideReason,
  gatewayReviewerId: gatewayAssessments.reviewerId,
  gatewayReviewedAt: gatewayAssessments.reviewedAt,
};

/** `select ... from applications` with its school approval, gateway assessment and enrolment beside each: every read of an application starts here. */
export const selectApplications = (db: Executor) =>
  db
    .select(applicationColumns)
    .from(applications)
    .leftJoin(schoolApprovals, eq(schoolApprovals.applicationId, applications.id))
    .leftJoin(gatewayAssessments, eq(gatewayAssessments.applicationId, applications.id))
    .leftJoin(enrolments, eq(enrolments.applicationId, applications.id));

export type ApplicationRow = Awaited<ReturnType<typeof selectApplications>>[number];

/**
 * What a decision (accept, reject) answers: the application as it now is, and `unchanged` when it had
 * been decided so already — the same decision sent twice (a double click, the back button) changes
 * nothing, records nothing and emails no one, and the page must not say it did.
 */
export type DecidedApplication = ApplicationRow & { unchanged?: true };

export interface InboxFilter {
  status?: ApplicationStatus | undefined;
  /** Any of these statuses (the API's "rejected" is rejected or withdrawn). */
  statuses?: readonly ApplicationStatus[] | undefined;
  course?: string | undefined;
  cohortId?: string | undefined;
  deliveryPartnerId?: string | undefined;
  funding?: 'eligible' | 'not_eligible' | undefined;
  gateway?: GatewayStatus | undefined;
  approval?: ApprovalStatus | undefined;
  query?: string | undefined;
  updatedSince?: Date | undefined;
  cohortIdentifiers?: string[] | undefined;
  /** The ids `cohortIdentifiers` name, when looked up before the page is read (withCohortIds). */
  cohortIds?: string[] | undefined;
  participantIds?: string[] | undefined;
  /** Set from who is asking, never from the request: a partner lead's own partners. */
  deliveryPartnerIds?: string[] | undefined;
}

/** One application by id, drafts included; `lock` holds the row for the caller's transaction. */
export async function applicationById(db: Executor, id: string, lock = false): Promise<ApplicationRow | undefined> {
  const query = selectApplications(db).where(eq(applications.id, id));
  const [row] = lock ? await query.for('update', { of: applications }) : await query;
  return row;
}

/**
 * One application by id, locked for a decision together with its cohort's row: the cohort first, then the
 * application. Every use case that locks both takes them in this one order, so two decisions at once on one
 * person's applications (an acceptance rejecting the other) wait for each other instead of deadlocking; the
 * cohort lock also serialises counting an intake's places (its intakes are the cohort's). An application's
 * cohort never changes, so reading it unlocked first is safe. `cohort` is undefined for a draft without one.
 */
export async function applicationForDecision(db: Executor, id: string) {
  const first = await applicationById(db, id);
  if (!first) return undefined;
  const cohort = first.cohortId ? await cohortById(db, first.cohortId, true) : undefined;
  const app = await applicationById(db, id, true);
  return app && { app, cohort };
}

/** One submitted application (never a draft) by id. */
export async function submittedApplicationById(db: Executor, id: string): Promise<ApplicationRow | undefined> {
  const [row] = await selectApplications(db).where(and(eq(applications.id, id), ne(applications.status, 'draft')));
  return row;
}

/** One of this person's applications (user id), or undefined when the id is someone else's. */
export async function applicationOf(db: Executor, userId: string, id: string): Promise<ApplicationRow | undefined> {
  const [row] = await selectApplications(db).where(and(eq(applications.id, id), eq(applications.userId, userId)));
  return row;
}

/** The person's open draft, if any (there is at most one). */
export async function draftOf(db: Executor, userId: string): Promise<ApplicationRow | undefined> {
  const [row] = await selectApplications(db).where(and(eq(applications.userId, userId), eq(applications.status, 'draft')));
  return row;
}

/** The person's most recently sent application. */
export async function latestSentOf(db: Executor, userId: string): Promise<ApplicationRow | undefined> {
  const [row] = await selectApplications(db).where(and(eq(applications.userId, userId), ne(applications.status, 'draft'))).orderBy(desc(applications.submittedAt)).limit(1);
  return row;
}

/**
 * Every application of the person (by account id), drafts included, newest first, as a prepared
 * statement on `db` (the database, not a transaction): every signed-in
 * home page reads it, and planning the joined select over a table with many indexes took ten times
 * as long as running it (1.4 ms against 0.16 ms by EXPLAIN ANALYZE on the bench's data). Prepared,
 * it is built once per process and planned once per connection (ADR 0034).
 */
export function preparedApplicationsOf(db: Executor): (userId: string) => Promise<ApplicationRow[]> {
  const query = selectApplications(db).where(eq(applications.userId, sql.placeholder('userId'))).orderBy(desc(applications.createdAt)).prepare('applications_of_person');
  return (userId) => query.execute({ userId });
}

/** The live (pending or accepted) application of an email address (lower-case) for an NPQ in a cohort. */
export async function liveApplicationOf(db: Executor, email: string, course: string, cohortId: string): Promise<ApplicationRow | undefined> {
  const [row] = await selectApplications(db)
    .where(and(sql`lower(${applications.email}) = ${email}`, eq(applications.courseIdentifier, course), eq(applications.cohortId, cohortId), inArray(applications.status, ['pending', 'accepted'])));
  return row;
}

/** The account holding an email address, and a person's name: people's own queries (docs/adr/0029). */
export { accountByEmail, nameOfAccount as nameOfUser } from '../../people/people.queries';

/** A cohort row by id; `lock` holds it so two acceptances cannot both take its last funded place. */
export async function cohortById(db: Executor, id: string, lock = false) {
  const query = db.select().from(cohorts).where(eq(cohorts.id, id));
  const [row] = lock ? await query.for('update') : await query;
  return row;
}

/** Funded places taken in a cohort for an NPQ: enrolments (accepted applications) with a funded place. */
export async function fundedPlacesTaken(db: Executor, cohortId: string, course: string): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(applications)
    .innerJoin(enrolments, eq(enrolments.applicationId, applications.id))
    .where(and(eq(applications.cohortId, cohortId), eq(applications.courseIdentifier, course), eq(applications.status, 'accepted'), eq(enrolments.fundedPlace, true)));
  return row?.n ?? 0;
}

/**
 * The condition that an application is the same person's as `app`: the same account, or the same
 * email address in any case (an application entered through the API may have no account).
 */
export function samePersonAs(app: { userId: string | null; email: string }): SQL | undefined {
  return or(app.userId ? eq(applications.userId, app.userId) : undefined, sql`lower(${applications.email}) = lower(${app.email})`);
}

/**
 * Another of the person's applications accepted in the application's cohort, if any. Domain rule: one
 * accepted application per person per cohort (ADR 0027). Callers deciding on it hold the cohort's lock.
 */
export async function otherAcceptedInCohort(db: Executor, app: { id: string; cohortId: string | null; userId: string | null; email: string }): Promise<{ id: string } | undefined> {
  if (!app.cohortId) return undefined;
  const [row] = await db
    .select({ id: applications.id })
    .from(applications)
    .where(and(eq(applications.cohortId, app.cohortId), eq(applications.status, 'accepted'), ne(applications.id, app.id), samePersonAs(app)))
    .limit(1);
  return row;
}

/** Places taken in an intake: enrolments placed in it, active or deferred, not on its waiting list. */
export async function placedIn(db: Executor, intakeId: string, exceptApplicationId?: string): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(enrolments)
    .where(and(eq(enrolments.intakeId, intakeId), inArray(enrolments.trainingStatus, ['active', 'deferred']), eq(enrolments.onWaitingList, false), exceptApplicationId ? ne(enrolments.applicationId, exceptApplicationId) : undefined));
  return row?.n ?? 0;
}

/** The active participant who has waited longest for a place in the intake. */
export async function longestWaitingIn(db: Executor, intakeId: string): Promise<ApplicationRow | undefined> {
  const [next] = await selectApplications(db)
    .where(and(eq(enrolments.intakeId, intakeId), eq(enrolments.onWaitingList, true), eq(applications.status, 'accepted'), eq(enrolments.trainingStatus, 'active')))
    .orderBy(asc(applications.decidedAt))
    .limit(1);
  return next;
}

const cohortIdsNamed = (db: Executor, identifiers: readonly string[]) =>
  db.select({ id: cohorts.id }).from(cohorts).where(or(inArray(cohorts.identifier, [...identifiers]), inArray(sql`${cohorts.startYear}::text`, [...identifiers])));

/**
 * The filter with the cohorts it names by identifier or start year looked up as ids first, so the
 * planner sees the ids and reads one cohort's applications in order from its index (ADR 0034).
 */
export async function withCohortIds(db: Executor, f: InboxFilter): Promise<InboxFilter> {
  if (!f.cohortIdentifiers?.length || f.cohortIds) return f;
  return { ...f, cohortIds: (await cohortIdsNamed(db, f.cohortIdentifiers)).map((r) => r.id) };
}

/**
 * The application's school approval or gateway is in `status`: a row in that state, or for the state
 * that means having no row (`absent`), no row in another. A semi-join, which the planner runs as one
 * lookup by primary key per application read in order from a page index; the left join's
 * `coalesce(status, absent) = …` hid the state from its estimates and read both tables whole, 100–230 ms
 * a page (ADR 0038).
 */
function partIn(part: typeof schoolApprovals | typeof gatewayAssessments, absent: string, status: string): SQL {
  const row = sql`select 1 from ${part} where ${part.applicationId} = ${applications.id}`;
  return status === absent ? sql`not exists (${row} and ${part.status} <> ${absent})` : sql`exists (${row} and ${part.status} = ${status})`;
}

/**
 * Applications with one of these delivery partners (deliveryPartnerOf) as a condition on `applications`
 * alone, so a page's ids are still read without joining: an enrolment's partner once accepted, else the
 * chosen intake's. An application has an enrolment exactly when it is accepted (ADR 0036), so the
 * second half asks the status, not the enrolments table. An empty list matches nothing.
 */
function withPartners(db: Executor, partnerIds: readonly string[]): SQL {
  if (!partnerIds.length) return sql`false`;
  const enrolled = db.select({ id: enrolments.applicationId }).from(enrolments).where(inArray(enrolments.deliveryPartnerId, [...partnerIds]));
  return or(inArray(applications.id, enrolled), and(ne(applications.status, 'accepted'), inArray(applications.intakeId, intakeIdsOfPartners(db, partnerIds))))!;
}

/** The inbox filter as one SQL condition. A filter given is a filter kept: an empty list matches nothing. */
export function inboxWhere(db: Executor, f: InboxFilter): SQL | undefined {
  const where: (SQL | undefined)[] = [f.status ? eq(applications.status, f.status) : f.statuses?.length ? inArray(applications.status, [...f.statuses]) : ne(applications.status, 'draft')];
  if (f.course) where.push(eq(applications.courseIdentifier, f.course));
  if (f.cohortId) where.push(eq(applications.cohortId, f.cohortId));
  if (f.cohortIds) where.push(f.cohortIds.length === 0 ? sql`false` : inArray(applications.cohortId, f.cohortIds));
  else if (f.cohortIdentifiers) where.push(f.cohortIdentifiers.length === 0 ? sql`false` : inArray(applications.cohortId, cohortIdsNamed(db, f.cohortIdentifiers)));
  // One participant per person, however many applications (ADR 0026).
  if (f.participantIds) where.push(f.participantIds.length === 0 ? sql`false` : inArray(applications.participantId, f.participantIds));
  if (f.deliveryPartnerId) where.push(withPartners(db, [f.deliveryPartnerId]));
  if (f.deliveryPartnerIds) where.push(withPartners(db, f.deliveryPartnerIds));
  if (f.funding) where.push(eq(applications.eligibleForFunding, f.funding === 'eligible'));
  if (f.gateway) where.push(partIn(gatewayAssessments, 'not_required', f.gateway));
  if (f.approval) where.push(partIn(schoolApprovals, 'not_requested', f.approval));
  if (f.updatedSince) where.push(gte(applications.updatedAt, f.updatedSince));
  if (f.query) {
    const q = `%${f.query.replace(/[%_\\]/g, '\\$&')}%`;
    // One expression, as the trigram index has it, so the search does not read every row.
    where.push(or(sql`(${applications.fullName} || ' ' || ${applications.email}) ilike ${q}`, eq(applications.teacherReferenceNumber, f.query.trim()))!);
  }
  return and(...where);
}

/** An order for a list of applications, most significant key first; the id is always the last tie-break. */
export type ApplicationsOrder = readonly { field: 'createdAt' | 'updatedAt'; descending: boolean }[];
/** The inbox's order: newest first. */
export const NEWEST_FIRST: ApplicationsOrder = [{ field: 'createdAt', descending: true }];
const orderBy = (order: ApplicationsOrder) => [
  ...order.map((k) => (k.descending ? desc(applications[k.field]) : asc(applications[k.field]))),
  order.at(-1)?.descending ? desc(applications.id) : asc(applications.id),
];

/**
 * The ids of one page of applications matching `filter`, in `order` (the id breaks ties in the last
 * key's direction, so equal times never swap between pages: docs/adr/0033), read from an index alone
 * where the filter allows: reading in full the rows an offset skips cost a deep page thousands of
 * table reads (ADR 0034).
 */
export async function applicationIdsPage(db: Executor, filter: InboxFilter, page: number, perPage: number, order: ApplicationsOrder = NEWEST_FIRST): Promise<string[]> {
  const rows = await db
    .select({ id: applications.id })
    .from(applications)
    .where(inboxWhere(db, filter))
    .orderBy(...orderBy(order))
    .limit(perPage)
    .offset((page - 1) * perPage);
  return rows.map((r) => r.id);
}

/**
 * Where a walk through applications newest first has got to: the last one read, its `created_at` as
 * PostgreSQL's own text (to the microsecond, which a JavaScript Date would round to the millisecond
 * and so skip rows made in the same millisecond).
 */
export type NewestFirstKey = { createdAt: string; id: string };

/**
 * Up to `perPage` ids of the applications matching `filter` that come after `after` newest first
 * (created_at, then id, both descending), from the first when `after` is undefined, and the key to go
 * on from (undefined once a page comes back short: the walk is done). A walk by key, not by offset:
 * an application that arrives or leaves the filter while a walk goes on never moves another from one
 * page to the next, so each is read at most once (the exports: ADR 0044).
 */
export async function applicationIdsAfter(db: Executor, filter: InboxFilter, after: NewestFirstKey | undefined, perPage: number): Promise<{ ids: string[]; next: NewestFirstKey | undefined }> {
  const where = inboxWhere(db, filter);
  const rows = await db
    .select({ id: applications.id, createdAt: sql<string>`${applications.createdAt}::text` })
    .from(applications)
    .where(after ? and(where, sql`(${applications.createdAt}, ${applications.id}) < (${after.createdAt}::timestamptz, ${after.id}::uuid)`) : where)
    .orderBy(...orderBy(NEWEST_FIRST))
    .limit(perPage);
  const last = rows.at(-1);
  return { ids: rows.map((r) => r.id), next: rows.length === perPage && last ? { createdAt: last.createdAt, id: last.id } : undefined };
}

/** Reads applications by id, in any order: `preparedApplicationsByIds`, or a plain select inside a transaction. */
export type ApplicationsByIds = (ids: readonly string[]) => Promise<ApplicationRow[]>;

/**
 * Applications by id (any order; ids not found are left out) as a prepared statement on `db`, the
 * database: every page of the inbox and the API reads its rows through it once it has their ids.
 * Planning the select with its joins over a table with many indexes cost about as much as running it
 * for 50 rows (ADR 0034, 0038); prepared, it is built once per process and planned once per connection.
 */
export function preparedApplicationsByIds(db: Executor): ApplicationsByIds {
  const query = selectApplications(db)
    .where(sql`${applications.id} = any(${sql.placeholder('ids')}::uuid[])`)
    .prepare('applications_by_ids');
  return async (ids) => (ids.length ? query.execute({ ids: [...ids] }) : []);
}

/** The rows of `ids`, in the order of `ids` (one deleted since its id was read is left out). */
export async function inIdOrder<R extends { id: string }>(ids: readonly string[], rowsByIds: (ids: readonly string[]) => Promise<R[]>): Promise<R[]> {
  const byId = new Map((await rowsByIds(ids)).map((r) => [r.id, r]));
  return ids.map((id) => byId.get(id)).filter((r): r is R => r !== undefined);
}

/** An application as a row of the inbox's table shows it: its own columns and its approval's and gateway's states. */
export type ApplicationSummary = Pick<ApplicationRow, 'id' | 'fullName' | 'email' | 'courseIdentifier' | 'cohortId' | 'status' | 'approvalStatus' | 'gatewayStatus' | 'eligibleForFunding' | 'submittedAt'>;

/**
 * The columns of an `ApplicationSummary` over `a` (applications) joined by `summaryJoins`, as
 * `summariesOf` reads them: the one list both of the inbox's reads select (a page with its count, and
 * summaries by id), so the two cannot drift apart.
 */
const summaryColumns = sql`a.id, a.full_name, a.email, a.course_identifier, a.cohort_id, a.status,
           coalesce(sa.status, 'not_requested') as approval_status, coalesce(ga.status, 'not_required') as gateway_status,
           a.eligible_for_funding, (extract(epoch from a.submitted_at) * 1000)::float8 as submitted_ms`;
const summaryJoins = sql`left join ${schoolApprovals} sa on sa.application_id = a.id
    left join ${gatewayAssessments} ga on ga.application_id = a.id`;

/**
 * Applications' summaries by id (any order; ids not found are left out), as a named statement on
 * `db`: the inbox reads ten columns of fifty applications a page, not the 57 of `selectApplications`
 * with its enrolment and intake (ADR 0041, 0042).
 */
export function applicationSummariesByIds(db: Executor): (ids: readonly string[]) => Promise<ApplicationSummary[]> {
  return async (ids) => {
    if (!ids.length) return [];
    const statement = sql`select null::int as total, ${summaryColumns} from ${applications} a ${summaryJoins} where a.id = any(${sql.param([...ids])}::uuid[])`;
    return summariesOf((await executeNamed<SummaryRecord>(db, statement)).rows).rows;
  };
}

/**
 * Whether the kept counts can answer for `filter` (a cheap count): every filter but a search,
 * `updated_since`, participant ids and delivery partners names columns of `application_counts` (ADR
 * 0038). An application's partner is its enrolment's once accepted, else its chosen intake's (ADR 0036):
 * not a column of the application, so a partner's counts are counted from its (fewer) rows.
 */
export const countIsKept = (f: InboxFilter) => !f.query && !f.updatedSince && !f.participantIds && !f.deliveryPartnerId && !f.deliveryPartnerIds;

/** The filter as one condition on `application_counts`, matching the combinations `inboxWhere` would match rows of. */
function countsWhere(db: Executor, f: InboxFilter): SQL | undefined {
  const c = applicationCounts;
  const where: (SQL | undefined)[] = [f.status ? eq(c.status, f.status) : f.statuses?.length ? inArray(c.status, [...f.statuses]) : ne(c.status, 'draft')];
  if (f.course) where.push(eq(c.courseIdentifier, f.course));
  if (f.cohortId) where.push(eq(c.cohortId, f.cohortId));
  if (f.cohortIds) where.push(f.cohortIds.length === 0 ? sql`false` : inArray(c.cohortId, f.cohortIds));
  else if (f.cohortIdentifiers) where.push(f.cohortIdentifiers.length === 0 ? sql`false` : inArray(c.cohortId, cohortIdsNamed(db, f.cohortIdentifiers)));
  if (f.funding) where.push(eq(c.eligibleForFunding, f.funding === 'eligible'));
  if (f.gateway) where.push(eq(c.gatewayStatus, f.gateway));
  if (f.approval) where.push(eq(c.approvalStatus, f.approval));
  return and(...where);
}

/**
 * How many applications match `filter`; with `countUpTo`, no more than one past it (the page then says
 * "more than", as when counting stopped there). Without a search, `updated_since` or participant ids,
 * the count is a sum over the counts the triggers keep per combination of filters (ADR 0038): exact,
 * and a few hundred rows whatever the filter matches. Otherwise the matching rows are counted.
 */
export async function applicationsCount(db: Executor, filter: InboxFilter, countUpTo?: number): Promise<number> {
  const [counted] = await db.select({ n: countOf(db, filter, countUpTo) }).from(sql`(values (1)) as one(x)`);
  return counted?.n ?? 0;
}

/** `applicationsCount` as one SQL expression (a scalar subquery), for a statement that reads a page and its count at once. */
function countOf(db: Executor, filter: InboxFilter, countUpTo?: number): SQL<number> {
  if (countIsKept(filter)) {
    const kept = sql`(select coalesce(sum(${applicationCounts.n}), 0) from ${applicationCounts} where ${countsWhere(db, filter) ?? sql`true`})`;
    return (countUpTo === undefined ? sql`${kept}::int` : sql`least(${kept}, ${countUpTo + 1})::int`).mapWith(Number) as SQL<number>;
  }
  const where = inboxWhere(db, filter) ?? sql`true`;
  const counted = countUpTo === undefined ? sql`(select count(*) from ${applications} where ${where})` : sql`(select count(*) from (select 1 from ${applications} where ${where} limit ${countUpTo + 1}) capped)`;
  return sql`${counted}::int`.mapWith(Number) as SQL<number>;
}

/**
 * One page of the inbox's summaries of the applications matching `filter`, newest first, with the
 * filter's count (capped as `applicationsCount`'s), in one statement: the count, the page's ids (read
 * from an index where the filter allows) and their summaries. One round trip and one plan where
 * three were, which under load cost the process as much as the rows did (ADR 0041). A page past the
 * last match is not read.
 */
export async function summariesPageWithCount(db: Executor, filter: InboxFilter, page: number, perPage: number, countUpTo?: number): Promise<{ rows: ApplicationSummary[]; total: number }> {
  // Named: filters of one shape share a plan, made once per connection (ADR 0042).
  return summariesOf((await executeNamed<SummaryRecord>(db, summariesPageStatement(db, filter, page, perPage, countUpTo))).rows);
}

/** `summariesPageWithCount`'s statement; its rows are `SummaryRecord`s, the first always there with the count. */
export function summariesPageStatement(db: Executor, filter: InboxFilter, page: number, perPage: number, countUpTo?: number): SQL {
  const offset = (page - 1) * perPage;
  const ids = db.select({ id: applications.id }).from(applications).where(inboxWhere(db, filter)).orderBy(...orderBy(NEWEST_FIRST)).limit(perPage).offset(offset);
  const worthReading = countUpTo === undefined ? sql`counted.total > ${offset}` : sql`(counted.total > ${offset} or counted.total > ${countUpTo})`;
  return sql`
    select counted.total, ${summaryColumns}
    from (select ${countOf(db, filter, countUpTo)} as total offset 0) counted
    left join lateral unnest(case when ${worthReading} then array(${ids}) end) with ordinality as page(id, n) on true
    left join ${applications} a on a.id = page.id
    ${summaryJoins}
    order by page.n`;
}

/** The summaries of `summariesPageStatement`'s rows, and its count. */
function summariesOf(records: SummaryRecord[]): { rows: ApplicationSummary[]; total: number } {
  const rows = records
    .filter((r) => r.id !== null)
    .map((r) => ({
      id: r.id!,
      fullName: r.full_name,
      email: r.email,
      courseIdentifier: r.course_identifier,
      cohortId: r.cohort_id,
      status: r.status,
      approvalStatus: r.approval_status,
      gatewayStatus: r.gateway_status,
      eligibleForFunding: r.eligible_for_funding,
      submittedAt: r.submitted_ms === null ? null : new Date(Number(r.submitted_ms)),
    }));
  return { rows, total: Number(records[0]?.total ?? 0) };
}

/** A row of `summariesPageWithCount`'s statement as the driver gives it. */
interface SummaryRecord {
  total: number | string;
  id: string | null;
  full_name: string;
  email: string;
  course_identifier: string;
  cohort_id: string | null;
  status: ApplicationStatus;
  approval_status: ApprovalStatus;
  gateway_status: GatewayStatus;
  eligible_for_funding: boolean;
  submitted_ms: number | string | null;
}

/** Every cohort's identifier, start year, suffix and funding, by id. */
export async function cohortLabelRows(db: Executor) {
  return db.select({ id: cohorts.id, identifier: cohorts.identifier, startYear: cohorts.startYear, suffix: cohorts.suffix, funding: cohorts.funding }).from(cohorts);
}
