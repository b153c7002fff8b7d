import { and, eq, isNull, lt, or } from 'drizzle-orm';
import type { Db } from '../../db/client';
import type { Clock } from '../../platform/clock';
import { dfeSyncCursors } from '../dfe.schema';

/**
 * Takes the lease named `name` (a row of `dfe_sync_cursors`) for `ms` milliseconds, across every
 * process: the row, when it is free or its lease has run out; undefined when another holds it. A
 * process that dies holding a lease gives it up when the lease runs out. Renew with `renewLease`, give
 * it up with `releaseLease`. `ms` must outlast the longest single step the holder takes between
 * renewals (a DfE call with its waits for the rate window and retries).
 */
export async function takeLease(db: Db, clock: Clock, name: string, ms: number) {
  await db.insert(dfeSyncCursors).values({ name, updatedAt: clock.now() }).onConflictDoNothing();
  const [taken] = await db
    .update(dfeSyncCursors)
    .set({ leaseUntil: new Date(clock.now().getTime() + ms), updatedAt: clock.now() })
    .where(and(eq(dfeSyncCursors.name, name), or(isNull(dfeSyncCursors.leaseUntil), lt(dfeSyncCursors.leaseUntil, clock.now()))))
    .returning();
  return taken;
}

/** Gives up the lease named `name`, for the next to take at once. */
export async function releaseLease(db: Db, name: string): Promise<void> {
  await db.update(dfeSyncCursors).set({ leaseUntil: null }).where(eq(dfeSyncCursors.name, name));
}

/** Extends a lease this process holds by `ms` from now, before a step that may take long. */
export async function renewLease(db: Db, clock: Clock, name: string, ms: number): Promise<void> {
  await db.update(dfeSyncCursors).set({ leaseUntil: new Date(clock.now().getTime() + ms), updatedAt: clock.now() }).where(eq(dfeSyncCursors.name, name));
}
