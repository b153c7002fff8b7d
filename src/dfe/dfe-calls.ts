import { and, count, desc, eq, gte, ilike, isNotNull, isNull, lt, ne, notLike, or, type SQL, sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { audit } from '../audit/audit';
import type { Actor } from '../platform/auth/actor';
import type { Clock } from '../platform/clock';
import { ForbiddenError, NotFoundError, ValidationError } from '../platform/errors';
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
 * for; where each pull stands; the decisions and changes DfE does not have yet or refused (those the
 * admin dismissed left out), and those dismissed, latest first, to restore. ForbiddenError for anyone
 * but who may read them (dfe.policy).
 */
export async function dfeCalls(db: Db, actor: Actor, filter: { search?: string; outcome: CallOutcome }, page: number, perPage: number) {
  if (!dfeAbilities(actor).read) throw new ForbiddenError();
  const search = filter.search?.trim();
  const where = and(search ? ilike(dfeApiCalls.path, `%${search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`) : undefined, outcomeWhere[filter.outcome]);
  const [rows, [counted], cursors, unsettled, skipped, dismissed] = await Promise.all([
    db.select().from(dfeApiCalls).where(where).orderBy(desc(dfeApiCalls.at), desc(dfeApiCalls.id)).limit(perPage).offset((page - 1) * perPage),
    db.select({ n: count() }).from(dfeApiCalls).where(where),
    // The pulls' cursors, not the leases of status changes being sent (send-status-changes).
    db.select().from(dfeSyncCursors).where(notLike(dfeSyncCursors.name, `${SENDER_LEASE}%`)).orderBy(dfeSyncCursors.name),
    // Decisions and status changes DfE does not have yet, or refused: what the admin must follow up (at most 100).
    // Waiting ones first (oldest first), then refusals (latest first), so a new one is never pushed off by old refusals.
    db.select().from(dfeChanges).where(and(ne(dfeChanges.state, 'applied'), isNull(dfeChanges.dismissedAt))).orderBy(sql`${dfeChanges.state} = 'refused'`, sql`case when ${dfeChanges.state} = 'refused' then 0 - extract(epoch from ${dfeChanges.createdAt}) else extract(epoch from ${dfeChanges.createdAt}) end`).limit(100),
    // Records read from DfE that the platform could not take in (at most 100, latest first).
    db.select().from(dfeSkippedRecords).orderBy(desc(dfeSkippedRecords.seenAt)).limit(100),
    // Refusals the admin dismissed (at most 100, latest dismissed first), to restore one dismissed by mistake.
    db.select().from(dfeChanges).where(isNotNull(dfeChanges.dismissedAt)).orderBy(desc(dfeChanges.dismissedAt), desc(dfeChanges.id)).limit(100),
  ]);
  return { rows, total: counted?.n ?? 0, pulls: cursors, unsettled, skipped, dismissed };
}

/**
 * Puts aside a change DfE refused, or the platform would not send (`dfe_changes.state` `refused`), once
 * the admin has dealt with it (`dismiss`: `dismissed_at` set, so /admin/dfe no longer lists it among the
 * changes DfE does not have), or brings one dismissed by mistake back (`restore`: cleared). The change
 * itself, its state and DfE's answer are kept as they were: nothing is sent or settled. NotFoundError for
 * no such change; ValidationError `{ id }` for one not refused (pending or applied: nothing to dismiss),
 * or already dismissed / not dismissed (a second click, or another admin first); ForbiddenError for
 * anyone but who may read the DfE sync (the provider's admin). Audited (`dfe.change_dismissed`,
 * `dfe.change_restored`).
 */
export async function dismissDfeChange(db: Db, clock: Clock, actor: Actor, id: string, action: 'dismiss' | 'restore'): Promise<void> {
  if (!dfeAbilities(actor).read) throw new ForbiddenError();
  await db.transaction(async (tx) => {
    const [row] = await tx.select({ state: dfeChanges.state, dismissedAt: dfeChanges.dismissedAt, kind: dfeChanges.kind, applicationId: dfeChanges.applicationId }).from(dfeChanges).where(eq(dfeChanges.id, id)).for('update');
    if (!row) throw new NotFoundError('change');
    if (row.state !== 'refused') throw new ValidationError({ id: 'Only a change DfE refused, or the platform did not send, can be dismissed' });
    if (action === 'dismiss' ? row.dismissedAt : !row.dismissedAt) throw new ValidationError({ id: action === 'dismiss' ? 'This change is dismissed already' : 'This change is not dismissed' });
    const dismissedAt = action === 'dismiss' ? clock.now() : null;
    await tx.update(dfeChanges).set({ dismissedAt }).where(eq(dfeChanges.id, id));
    await audit(tx, clock, actor, { action: action === 'dismiss' ? 'dfe.change_dismissed' : 'dfe.change_restored', entityType: 'dfe_change', entityId: id, before: { dismissedAt: row.dismissedAt }, after: { dismissedAt, kind: row.kind, applicationId: row.applicationId } });
  });
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
