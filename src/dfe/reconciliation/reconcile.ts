import { and, desc, eq, inArray, isNull, notInArray, or, sql } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { applicationsKnownToDfe } from '../../enrolment/enrolment.queries';
import type { Clock } from '../../platform/clock';
import { domainEvents, jobs } from '../../platform/platform.schema';
import type { DfeClient } from '../client/dfe-client';
import { dfeChanges, dfeDeclarations, dfeReconciliationDifferences, dfeReconciliationRuns, dfeSyncCursors } from '../dfe.schema';
import { countsOf, type DfeApplication, type DfeDeclaration, type DfeParticipant, type DfeSide, dashedState, type Difference, type PlatformApplication, type PlatformChange, type PlatformSide, type ReconciliationCounts, reconcile } from '../domain/reconciliation';
import { takeBackProposalsOf } from '../declarations/propose-declarations';
import type { DfeItem } from '../sync/paged-pull';
import { type Lease, takeLease } from '../sync/lease';

/** The lease one run holds (a row of `dfe_sync_cursors`, so /admin/dfe lists when it last read DfE to the end): one run at a time across processes. */
export const RECONCILE_LEASE = 'reconcile';
/** How long a run may go without renewing its lease: longer than one page's read, which may wait out DfE's 5-minute rate window. */
const LEASE_MS = 15 * 60 * 1000;
/** Runs kept with their differences; older ones are pruned. */
export const RUNS_KEPT = 7;
/** Records read a page: DfE's largest page is 3,000 (docs/dfe-api.md §5.3); bigger pages spend fewer of the 1,000 calls a window on a full read (§6 rule 22). */
const PER_PAGE = 1000;
/** At most this many places missing from DfE's list are read one by one before they are called gone: DfE's pages can drop a record (§6 rule 2). */
const MOST_CONFIRMED = 200;
/** Why a run has no finish: the process running it stopped (killed, restarted) before it did. */
export const NOT_FINISHED = 'The process running it stopped (killed or restarted). The next run compares everything again.';

/** The difference as stored: the platform's side holds the name and whether it is on its way, DfE's side its participant id (both searched). */
export interface StoredSides {
  platform: { name: string; onItsWay: boolean; holds: Difference['platform'] };
  dfe: { participantId: string | null; holds: Difference['dfe'] };
}

const text = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);
const cohortOf = (a: Record<string, unknown>) => `${a.cohort}${a.cohort_suffix ?? 'a'}`;

/** An `npq_application` as reconciliation compares it (§1.1). */
function applicationOf(item: DfeItem): DfeApplication {
  const a = item.attributes;
  return {
    id: item.id,
    participantId: String(a.participant_id),
    fullName: String(a.full_name ?? ''),
    courseIdentifier: String(a.course_identifier),
    cohort: cohortOf(a),
    status: a.status === 'accepted' || a.status === 'rejected' ? a.status : 'pending',
    reasonForRejection: text(a.reason_for_rejection),
    fundedPlace: typeof a.funded_place === 'boolean' ? a.funded_place : null,
    schedule: text(a.schedule_identifier),
  };
}

/** An `npq-participant` with its enrolments (§1.2). */
function participantOf(item: DfeItem): DfeParticipant {
  const enrolments = Array.isArray(item.attributes.npq_enrolments) ? (item.attributes.npq_enrolments as Record<string, unknown>[]) : [];
  return {
    id: item.id,
    fullName: String(item.attributes.full_name ?? ''),
    enrolments: enrolments.map((e) => ({
      applicationId: String(e.npq_application_id),
      courseIdentifier: String(e.course_identifier),
      cohort: cohortOf(e),
      schedule: text(e.schedule_identifier),
      trainingStatus: e.training_status === 'deferred' || e.training_status === 'withdrawn' ? e.training_status : 'active',
      fundedPlace: typeof e.funded_place === 'boolean' ? e.funded_place : null,
    })),
  };
}

/** A `participant-declaration` (§1.3), its state with DfE's dashes. */
function declarationOf(item: DfeItem): DfeDeclaration {
  const a = item.attributes;
  return { id: item.id, participantId: String(a.participant_id), applicationId: String(a.application_id), declarationType: String(a.declaration_type), state: dashedState(text(a.state)) ?? '', leadProviderName: text(a.lead_provider_name) };
}

/**
 * Every record of one of DfE's lists (`path`), page after page until a short page (§5.3), GET through
 * the client (each call in the call log, within the budget), each page's records made compact at once
 * so a list of 100,000 is never held as DfE's JSON. A record repeated across pages (§5.4) is kept once,
 * the later read winning. The lease is renewed before each page. An Error when DfE refuses a page;
 * DfeUnavailableError when it cannot be reached.
 */
async function readAll<T extends { id: string }>(client: DfeClient, lease: Lease, path: string, what: string, of: (item: DfeItem) => T, perPage: number): Promise<T[]> {
  const byId = new Map<string, T>();
  for (let page = 1; ; page++) {
    await lease.renew();
    const answer = await client.get(`${path}?page[page]=${page}&page[per_page]=${perPage}`, `reconcile ${what}`);
    if (answer.status !== 200) throw new Error(`DfE refused page ${page} of its ${what} (${answer.status}): the comparison was not made`);
    const items = ((answer.body as { data?: unknown } | null)?.data ?? []) as DfeItem[];
    for (const item of items) byId.set(item.id, of(item));
    if (items.length < perPage) return [...byId.values()];
  }
}

/**
 * DfE's side, read whole (issue 13 item 6; docs/dfe-api.md §6 rule 2: "run a full sync … and reconcile
 * absences"): every page of the provider's applications, participants and declarations, no
 * `updated_since`. A place the platform holds accepted that the list lacks is read on its own
 * (GET /npq-applications/{id}, at most MOST_CONFIRMED) before it is called gone: DfE's pages have
 * dropped records (§6 rule 2), and a 404 is DfE's word that it is no longer the provider's (§4.4).
 * `gone`: DfE's ids of those answered 404.
 */
export async function readDfeSide(client: DfeClient, lease: Lease, platform: readonly PlatformApplication[], perPage = PER_PAGE): Promise<DfeSide & { gone: string[] }> {
  const applications = await readAll(client, lease, '/api/v3/npq-applications', 'applications', applicationOf, perPage);
  const participants = await readAll(client, lease, '/api/v3/participants/npq', 'participants', participantOf, perPage);
  const declarations = await readAll(client, lease, '/api/v3/participant-declarations', 'declarations', declarationOf, perPage);
  const listed = new Set(applications.map((a) => a.id));
  const missing = platform.filter((p) => p.status === 'accepted' && !listed.has(p.dfeApplicationId)).slice(0, MOST_CONFIRMED);
  const gone: string[] = [];
  for (const p of missing) {
    await lease.renew();
    const answer = await client.get(`/api/v3/npq-applications/${encodeURIComponent(p.dfeApplicationId)}`, 'reconcile: confirm an application missing from the list');
    const item = (answer.body as { data?: DfeItem } | null)?.data;
    if (answer.status === 200 && item) applications.push(applicationOf(item));
    else if (answer.status === 404) gone.push(p.dfeApplicationId);
    else throw new Error(`DfE did not answer for application ${p.dfeApplicationId} (${answer.status}): the comparison was not made`);
  }
  return { applications, participants, declarations, gone };
}

/**
 * The platform's side (issue 13 item 6): every application DfE holds (enrolment's applicationsKnownToDfe,
 * a page at a time), every declaration the platform made or means to make, and the changes DfE does not
 * have — pending, queued and not yet recorded (queuedChanges), or refused and not dismissed by the admin.
 */
export async function readPlatformSide(db: Db): Promise<PlatformSide> {
  const applications: PlatformApplication[] = [];
  for (let after: string | undefined; ; ) {
    const page = await applicationsKnownToDfe(db, { after, limit: PER_PAGE });
    applications.push(...page);
    if (page.length < PER_PAGE) break;
    after = page.at(-1)!.applicationId;
  }
  const declarations = await db
    .select({ id: dfeDeclarations.id, applicationId: dfeDeclarations.applicationId, declarationType: dfeDeclarations.declarationType, state: dfeDeclarations.state, dfeDeclarationId: dfeDeclarations.dfeDeclarationId, dfeState: dfeDeclarations.dfeState, voidRequested: sql<boolean>`${dfeDeclarations.voidRequestedAt} is not null`, voided: sql<boolean>`${dfeDeclarations.voidedAt} is not null` })
    .from(dfeDeclarations);
  const changes = await db
    .select({ applicationId: dfeChanges.applicationId, kind: dfeChanges.kind, state: dfeChanges.state })
    .from(dfeChanges)
    .where(or(eq(dfeChanges.state, 'pending'), and(eq(dfeChanges.state, 'refused'), isNull(dfeChanges.dismissedAt))));
  return { applications, declarations, changes: [...(changes as PlatformChange[]), ...(await queuedChanges(db))] };
}

/** The platform's events the DfE sync sends from, and the changes each becomes (dfe.events.ts). */
const CHANGES_OF_EVENTS: Record<string, PlatformChange['kind'][]> = {
  'application.accepted': ['accept'],
  'application.rejected': ['reject'],
  'application.funded_place_changed': ['change_funded_place'],
  'participant.moved': ['change_schedule'],
  'application.schedule_changed': ['change_schedule'],
  'participant.deferred': ['defer'],
  'participant.resumed': ['resume'],
  'participant.withdrawn': ['withdraw'],
};

/**
 * Changes made in the platform whose sending has not begun: the event is recorded and its job (the
 * dispatch, or the DfE sync's handler) waits in the queue, still to be tried, so nothing is in
 * `dfe_changes` yet — on its way all the same (seconds, or until DfE answers again). A job that has
 * given up is not counted: its change is no longer on its way.
 */
async function queuedChanges(db: Db): Promise<PlatformChange[]> {
  const rows = await db
    .select({ type: domainEvents.type, payload: domainEvents.payload })
    .from(jobs)
    .innerJoin(domainEvents, sql`${domainEvents.id}::text = ${jobs.payload}->>'eventId'`)
    .where(and(isNull(jobs.doneAt), sql`${jobs.attempts} < ${jobs.maxAttempts}`, or(eq(jobs.name, 'events.dispatch'), sql`${jobs.name} like '%:dfe'`), inArray(domainEvents.type, Object.keys(CHANGES_OF_EVENTS))));
  return rows.flatMap((r) => {
    const payload = r.payload as { applicationId?: string; applicationIds?: string[] };
    const ids = payload.applicationIds ?? (payload.applicationId ? [payload.applicationId] : []);
    return ids.flatMap((applicationId) => CHANGES_OF_EVENTS[r.type]!.map((kind) => ({ applicationId, kind, state: 'pending' as const })));
  });
}

/** What a run came to: `busy` when another process holds the run (nothing read), else the run's id and counts. */
export type ReconcileResult = { state: 'busy' } | { state: 'finished'; runId: string; counts: ReconciliationCounts };

/**
 * One reconciliation run (issue 13 item 6), nightly or asked for: DfE's side read whole (readDfeSide)
 * and the platform's (readPlatformSide), compared (domain/reconciliation.ts), and stored — a
 * `dfe_reconciliation_runs` row with its counts and a `dfe_reconciliation_differences` row for each
 * difference and each change on its way. One run at a time across processes (a lease): a second finds
 * it held and does nothing (`busy`). Safe to kill: the run's row is written first and finished with its
 * differences in one transaction, so a run killed part way has none and no finish, and the next run
 * marks it NOT_FINISHED; one DfE would not answer keeps why (`error`) and the error is thrown, for the
 * job runner. Runs older than the last RUNS_KEPT are pruned with their differences. Places DfE
 * answered 404 for are passed to `transferredAway` once the run is stored (docs/dfe-api.md §4.4), and
 * the proposals of those it marked taken back.
 */
export async function runReconciliation(deps: { db: Db; clock: Clock; client: DfeClient; transferredAway?: ((dfeApplicationIds: readonly string[]) => Promise<string[]>) | undefined }, opts: { perPage?: number } = {}): Promise<ReconcileResult> {
  const { db, clock, client } = deps;
  const lease = await takeLease(db, clock, RECONCILE_LEASE, LEASE_MS);
  if (!lease) return { state: 'busy' };
  try {
    // Holding the lease, no other run is live: any without a finish or an error died part way.
    await db.update(dfeReconciliationRuns).set({ error: NOT_FINISHED }).where(and(isNull(dfeReconciliationRuns.finishedAt), isNull(dfeReconciliationRuns.error)));
    const [run] = await db.insert(dfeReconciliationRuns).values({ startedAt: clock.now() }).returning({ id: dfeReconciliationRuns.id });
    try {
      const platform = await readPlatformSide(db);
      const dfe = await readDfeSide(client, lease, platform.applications, opts.perPage);
      const differences = reconcile(platform, dfe);
      const counts = countsOf(differences, platform, dfe);
      await lease.renew();
      await db.transaction(async (tx) => {
        for (let i = 0; i < differences.length; i += 500) {
          await tx.insert(dfeReconciliationDifferences).values(
            differences.slice(i, i + 500).map((d) => {
              const sides: StoredSides = { platform: { name: d.name, onItsWay: d.onItsWay, holds: d.platform }, dfe: { participantId: d.dfeParticipantId, holds: d.dfe } };
              return { runId: run!.id, kind: d.kind, applicationId: d.applicationId, dfeId: d.dfeId, platform: sides.platform, dfe: sides.dfe, action: d.action, createdAt: clock.now() };
            }),
          );
        }
        await tx.update(dfeReconciliationRuns).set({ finishedAt: clock.now(), counts }).where(eq(dfeReconciliationRuns.id, run!.id));
        await tx.update(dfeSyncCursors).set({ lastCompletedAt: clock.now(), lastFullAt: clock.now(), updatedAt: clock.now() }).where(eq(dfeSyncCursors.name, RECONCILE_LEASE));
      });
      // DfE's 404 for a place it no longer lists: transferred away (enrolment's recordDfeTransfersAway), so nothing more is declared for it.
      if (dfe.gone.length && deps.transferredAway) await takeBackProposalsOf(db, await deps.transferredAway(dfe.gone));
      await pruneRuns(db);
      return { state: 'finished', runId: run!.id, counts };
    } catch (err) {
      await db.update(dfeReconciliationRuns).set({ error: (err as Error).message.slice(0, 1000) }).where(eq(dfeReconciliationRuns.id, run!.id));
      throw err;
    }
  } finally {
    await lease.release();
  }
}

/** Deletes the runs before the last RUNS_KEPT, their differences with them (the foreign key cascades). */
async function pruneRuns(db: Db): Promise<void> {
  const kept = db.select({ id: dfeReconciliationRuns.id }).from(dfeReconciliationRuns).orderBy(desc(dfeReconciliationRuns.startedAt), desc(dfeReconciliationRuns.id)).limit(RUNS_KEPT);
  await db.delete(dfeReconciliationRuns).where(notInArray(dfeReconciliationRuns.id, kept));
}
