import { and, asc, count, desc, eq, ilike, isNotNull, or, type SQL, sql } from 'drizzle-orm';
import { audit } from '../../audit/audit';
import type { Db } from '../../db/client';
import type { Actor } from '../../platform/auth/actor';
import type { Clock } from '../../platform/clock';
import { ForbiddenError } from '../../platform/errors';
import { recordEvent } from '../../platform/events';
import { dfeReconciliationDifferences, dfeReconciliationRuns, dfeSyncCursors } from '../dfe.schema';
import { dfeAbilities } from '../domain/dfe.policy';
import { DIFFERENCE_KINDS, type Difference, type DifferenceKind, type ReconciliationCounts } from '../domain/reconciliation';
import { NOT_FINISHED, RECONCILE_LEASE, type StoredSides } from './reconcile';

declare module '../../platform/events' {
  interface DomainEvents {
    /** The admin asked for the platform to be compared with DfE now, not at the nightly run: a job after commit. */
    'dfe.reconcile_asked': { by: string };
  }
}

/** A run as the page shows it: when, whether it finished (or why not) and its counts. */
export interface RunShown {
  id: string;
  startedAt: Date;
  finishedAt: Date | null;
  error: string | null;
  counts: ReconciliationCounts | null;
}

/** One difference (or change on its way) as the page and the export list it: as the run found it, with its row's id. */
export type DifferenceRow = Difference & { id: string };

/** Which differences to list: of one kind or any, the name or an id containing `search`, the differences or the changes on their way. */
export interface DifferenceFilter {
  kind?: DifferenceKind | undefined;
  search?: string | undefined;
  show: 'differences' | 'on-its-way';
}

const allowed = (actor: Actor) => {
  // The provider's admin and finance (dfe.policy's `dfe:reconciliation:read`).
  if (!dfeAbilities(actor).reconcile) throw new ForbiddenError();
};

const shownRun = (r: typeof dfeReconciliationRuns.$inferSelect): RunShown => ({ id: r.id, startedAt: r.startedAt, finishedAt: r.finishedAt, error: r.error, counts: r.finishedAt ? (r.counts as ReconciliationCounts) : null });

/**
 * The runs the page speaks of (issue 13 item 6): the last one finished, whose differences are listed,
 * and the latest begun, when it is another (running now, or stopped: its error says why — NOT_FINISHED
 * when no process holds the run's lease, though no run since has marked it). ForbiddenError
 * for anyone but the provider's admin and finance.
 */
export async function reconciliationRuns(deps: { db: Db; clock: Clock }, actor: Actor): Promise<{ finished: RunShown | null; latest: RunShown | null }> {
  allowed(actor);
  const [[finished], [latest], [lease]] = await Promise.all([
    deps.db.select().from(dfeReconciliationRuns).where(isNotNull(dfeReconciliationRuns.finishedAt)).orderBy(desc(dfeReconciliationRuns.startedAt)).limit(1),
    deps.db.select().from(dfeReconciliationRuns).orderBy(desc(dfeReconciliationRuns.startedAt)).limit(1),
    deps.db.select({ until: dfeSyncCursors.leaseUntil }).from(dfeSyncCursors).where(eq(dfeSyncCursors.name, RECONCILE_LEASE)),
  ]);
  if (!latest || latest.id === finished?.id) return { finished: finished ? shownRun(finished) : null, latest: null };
  // Begun, not finished, and no process holds the run: it stopped (the next run marks it so too).
  const stopped = !latest.finishedAt && !latest.error && !(lease?.until && lease.until > deps.clock.now());
  return { finished: finished ? shownRun(finished) : null, latest: shownRun(stopped ? { ...latest, error: NOT_FINISHED } : latest) };
}

const name = sql<string>`${dfeReconciliationDifferences.platform}->>'name'`;
const onItsWay = sql<boolean>`coalesce((${dfeReconciliationDifferences.platform}->>'onItsWay')::boolean, false)`;
/** The page's order: by kind as DIFFERENCE_KINDS lists them, then name, then id (also the export's key). */
const kindRank = sql<number>`array_position(array[${sql.join(
  DIFFERENCE_KINDS.map((k) => sql`${k}`),
  sql`, `,
)}]::text[], ${dfeReconciliationDifferences.kind})`;

function whereOf(runId: string, filter: DifferenceFilter): SQL | undefined {
  const search = filter.search?.trim();
  const like = search ? `%${search.replace(/[\\%_]/g, (c) => `\\${c}`)}%` : undefined;
  return and(
    eq(dfeReconciliationDifferences.runId, runId),
    filter.show === 'on-its-way' ? onItsWay : sql`not ${onItsWay}`,
    filter.kind ? eq(dfeReconciliationDifferences.kind, filter.kind) : undefined,
    like ? or(ilike(name, like), ilike(dfeReconciliationDifferences.dfeId, like), ilike(sql`${dfeReconciliationDifferences.applicationId}::text`, like), ilike(sql`${dfeReconciliationDifferences.dfe}->>'participantId'`, like)) : undefined,
  );
}

const select = (db: Db) => db.select({ id: dfeReconciliationDifferences.id, kind: dfeReconciliationDifferences.kind, applicationId: dfeReconciliationDifferences.applicationId, dfeId: dfeReconciliationDifferences.dfeId, platform: dfeReconciliationDifferences.platform, dfe: dfeReconciliationDifferences.dfe, action: dfeReconciliationDifferences.action, rank: kindRank, name }).from(dfeReconciliationDifferences);

type Selected = Awaited<ReturnType<ReturnType<typeof select>['where']>>[number];
const rowOf = (r: Selected): DifferenceRow => {
  const platform = r.platform as StoredSides['platform'];
  const dfe = r.dfe as StoredSides['dfe'];
  return { id: r.id, kind: r.kind as DifferenceKind, applicationId: r.applicationId, dfeId: r.dfeId, dfeParticipantId: dfe.participantId, name: platform.name, platform: platform.holds, dfe: dfe.holds, action: r.action, onItsWay: platform.onItsWay };
};

/**
 * A page (`page` from 1) of the differences the last finished run found (issue 13 item 6) — or of the
 * changes it found on their way — of one kind, the name, DfE's id, the participant's or the platform's
 * application id containing `search`; by kind then name; and how many match. Nothing when no run has
 * finished. ForbiddenError for anyone but the provider's admin and finance.
 */
export async function listDifferences(deps: { db: Db; clock: Clock }, actor: Actor, filter: DifferenceFilter, page: number, perPage: number): Promise<{ rows: DifferenceRow[]; total: number }> {
  const { finished } = await reconciliationRuns(deps, actor);
  if (!finished) return { rows: [], total: 0 };
  const where = whereOf(finished.id, filter);
  const [rows, [counted]] = await Promise.all([
    select(deps.db).where(where).orderBy(asc(kindRank), asc(name), asc(dfeReconciliationDifferences.id)).limit(perPage).offset((page - 1) * perPage),
    deps.db.select({ n: count() }).from(dfeReconciliationDifferences).where(where),
  ]);
  return { rows: rows.map(rowOf), total: counted?.n ?? 0 };
}

/** Where an export's walk is: the last row's kind, name and id. */
export type DifferenceKey = { rank: number; name: string; id: string };

/**
 * The last finished run's differences matching `filter` after `after`, in the page's order, `perPage`
 * at a time: the export's walk by key (docs/adr/0044). ForbiddenError for anyone but the provider's admin and finance.
 */
export async function differencesAfter(deps: { db: Db; clock: Clock }, actor: Actor, filter: DifferenceFilter, after: DifferenceKey | undefined, perPage: number): Promise<{ rows: DifferenceRow[]; next: DifferenceKey | undefined }> {
  const { finished } = await reconciliationRuns(deps, actor);
  if (!finished) return { rows: [], next: undefined };
  const past = after ? sql`(${kindRank}, ${name}, ${dfeReconciliationDifferences.id}) > (${after.rank}, ${after.name}, ${after.id})` : undefined;
  const rows = await select(deps.db)
    .where(and(whereOf(finished.id, filter), past))
    .orderBy(asc(kindRank), asc(name), asc(dfeReconciliationDifferences.id))
    .limit(perPage);
  const last = rows.at(-1);
  return { rows: rows.map(rowOf), next: last && rows.length === perPage ? { rank: last.rank, name: last.name, id: last.id } : undefined };
}

/**
 * Asks for the platform to be compared with DfE now rather than at the nightly run (a job after commit:
 * runReconciliation; a run already going is not doubled). ForbiddenError for anyone but the provider's
 * admin and finance. Audited.
 */
export async function askReconciliation(deps: { db: Db; clock: Clock }, actor: Actor): Promise<void> {
  allowed(actor);
  await deps.db.transaction(async (tx) => {
    await audit(tx, deps.clock, actor, { action: 'dfe.reconciliation_asked', entityType: 'dfe_reconciliation', entityId: 'provider' });
    await recordEvent(tx, deps.clock, { type: 'dfe.reconcile_asked', by: actor.kind === 'user' ? actor.userId : actor.kind });
  });
}
