import { and, eq, isNull, lt, or } from 'drizzle-orm';
import type { Db } from '../../db/client';
import type { Clock } from '../../platform/clock';
import { dfeSyncCursors } from '../dfe.schema';

/** A lease this process holds: renew it before a long step, release it when done. */
/**
 * The start of every lease a sender takes for one participant's changes (`send:status:<id>`), which
 * share the pulls' table: the admin's page lists pulls, not these.
 */
export const SENDER_LEASE = 'send:';

/** How long a sender holds its lease: longer than a read and a send that may each wait out DfE's 5-minute rate window. */
export const SENDER_LEASE_MS = 15 * 60 * 1000;

export interface Lease {
  /** Extends the lease by its length from now. LeaseLostError when another process has taken it since (it ran out). */
  renew(): Promise<void>;
  /** Gives it up, for the next to take at once; does nothing when it is no longer this process's. */
  release(): Promise<void>;
}

/** The lease ran out and another process took it: the holder must stop, leaving the work to them. */
export class LeaseLostError extends Error {
  constructor(name: string) {
    super(`The lease ${name} ran out and another process holds it now`);
  }
}

/**
 * Takes the lease named `name` (a row of `dfe_sync_cursors`) for `ms` milliseconds, across every
 * process: when it is free or its lease has run out; undefined when another holds it. A process that
 * dies holding a lease gives it up when the lease runs out. The lease's own expiry instant is its
 * holder's token: renewing and releasing touch the row only while it still holds that instant, so a
 * holder whose lease ran out never extends or frees the lease of the process that took it over. `ms`
 * must outlast the longest step the holder takes between renewals.
 */
export async function takeLease(db: Db, clock: Clock, name: string, ms: number): Promise<Lease | undefined> {
  await db.insert(dfeSyncCursors).values({ name, updatedAt: clock.now() }).onConflictDoNothing();
  let held = new Date(clock.now().getTime() + ms);
  const [taken] = await db
    .update(dfeSyncCursors)
    .set({ leaseUntil: held, updatedAt: clock.now() })
    .where(and(eq(dfeSyncCursors.name, name), or(isNull(dfeSyncCursors.leaseUntil), lt(dfeSyncCursors.leaseUntil, clock.now()))))
    .returning({ name: dfeSyncCursors.name });
  if (!taken) return undefined;
  const mine = () => and(eq(dfeSyncCursors.name, name), eq(dfeSyncCursors.leaseUntil, held));
  return {
    async renew() {
      // Never the same instant twice, so the token stays this holder's.
      const next = new Date(Math.max(clock.now().getTime() + ms, held.getTime() + 1));
      const [renewed] = await db.update(dfeSyncCursors).set({ leaseUntil: next, updatedAt: clock.now() }).where(mine()).returning({ name: dfeSyncCursors.name });
      if (!renewed) throw new LeaseLostError(name);
      held = next;
    },
    async release() {
      await db.update(dfeSyncCursors).set({ leaseUntil: null }).where(mine());
    },
  };
}
