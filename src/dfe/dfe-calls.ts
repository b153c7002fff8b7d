import { and, count, desc, gte, ilike, isNull, lt, ne, notLike, or, type SQL, sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { audit } from '../audit/audit';
import type { Actor } from '../platform/auth/actor';
import type { Clock } from '../platform/clock';
import { ForbiddenError } from '../platform/errors';
import { dfeApiCalls, dfeChanges, dfeSkippedRecords, dfeSyncCursors } from './dfe.schema';
import { dfeAbilities } from './domain/dfe.policy';
import { SENDER_LEASE } from './sync/lease';

/** Which calls to list: all, those DfE answered 2xx, refused (4xx), or that failed (5xx or no answer). */
export const CALL_OUTCOMES = { all: 'All calls', answered: 'Answered', refused: 'Refused by DfE (4xx)', failed: 'Failed (5xx or no answer)' } as const;
export type CallOutcome = keyof typeof CALL_OUTCOMES;

/** How long calls are kept (issue 13 item 4: "kept for a year"). */
export const CALLS_KEPT_MS = 365 * 24 * 60 * 60 * 1000;

const outcomeWhere: Record<CallOutcome, SQL | undefined> = {
  all: undefined,
  answered: and(gte(dfeApiCalls.status, 200), lt(dfeApiCalls.status, 300)),
  refused: and(gte(dfeApiCalls.status, 400), lt(dfeApiCalls.status, 500)),
  failed: or(isNull(dfeApiCalls.status), gte(dfeApiCalls.status, 500)),
};

/**
 * The calls the platform made to DfE's API (issue 13 item 4), newest first, a page at a time (`page`
 * from 1): those whose path and query contain `search` (as typed, any case), with the outcome asked
 * for; where each pull stands; and the decisions DfE does not have yet or refused. ForbiddenError
 * for anyone but who may read them (dfe.policy).
 */
export async function dfeCalls(db: Db, actor: Actor, filter: { search?: string; outcome: CallOutcome }, page: number, perPage: number) {
  if (!dfeAbilities(actor).read) throw new ForbiddenError();
  const search = filter.search?.trim();
  const where = and(search ? ilike(dfeApiCalls.path, `%${search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`) : undefined, outcomeWhere[filter.outcome]);
  const [rows, [counted], cursors, unsettled, skipped] = await Promise.all([
    db.select().from(dfeApiCalls).where(where).orderBy(desc(dfeApiCalls.at), desc(dfeApiCalls.id)).limit(perPage).offset((page - 1) * perPage),
    db.select({ n: count() }).from(dfeApiCalls).where(where),
    // The pulls' cursors, not the leases of status changes being sent (send-status-changes).
    db.select().from(dfeSyncCursors).where(notLike(dfeSyncCursors.name, `${SENDER_LEASE}%`)).orderBy(dfeSyncCursors.name),
    // Decisions and status changes DfE does not have yet, or refused: what the admin must follow up (at most 100).
    // Waiting ones first (oldest first), then refusals (latest first), so a new one is never pushed off by old refusals.
    db.select().from(dfeChanges).where(ne(dfeChanges.state, 'applied')).orderBy(sql`${dfeChanges.state} = 'refused'`, sql`case when ${dfeChanges.state} = 'refused' then 0 - extract(epoch from ${dfeChanges.createdAt}) else extract(epoch from ${dfeChanges.createdAt}) end`).limit(100),
    // Records read from DfE that the platform could not take in (at most 100, latest first).
    db.select().from(dfeSkippedRecords).orderBy(desc(dfeSkippedRecords.seenAt)).limit(100),
  ]);
  return { rows, total: counted?.n ?? 0, pulls: cursors, unsettled, skipped };
}

/** Deletes calls older than a year; the number deleted. A daily sweep calls it. */
export async function pruneDfeCalls(db: Db, clock: Clock): Promise<number> {
  const gone = await db.delete(dfeApiCalls).where(lt(dfeApiCalls.at, new Date(clock.now().getTime() - CALLS_KEPT_MS))).returning({ id: dfeApiCalls.id });
  return gone.length;
}

/**
 * Asks for the next pull to read everything from DfE again (no `updated_since`): after adding a cohort
 * DfE's records were skipped for, or to find what an incremental read cannot (docs/dfe-api.md §6 rule
 * 2). ForbiddenError for anyone but who may read the DfE sync. Audited.
 */
export async function askFullPull(db: Db, clock: Clock, actor: Actor): Promise<void> {
  if (!dfeAbilities(actor).read) throw new ForbiddenError();
  await db.transaction(async (tx) => {
    await tx.update(dfeSyncCursors).set({ lastFullAt: null, updatedAt: clock.now() });
    await audit(tx, clock, actor, { action: 'dfe.full_pull_asked', entityType: 'dfe_sync', entityId: 'applications' });
  });
}
