import { eq } from 'drizzle-orm';
import type { Db } from '../../db/client';
import type { Clock } from '../../platform/clock';
import type { DfeClient } from '../client/dfe-client';
import { dfeSyncCursors } from '../dfe.schema';
import { takeLease } from './lease';

/** One record of a DfE list as the API gives it (`data[]`, JSON:API). */
export interface DfeItem {
  id: string;
  attributes: Record<string, unknown>;
}

/** A time as DfE's filter must have it: UTC with `Z`, to the second (docs/dfe-api.md §6 rule 5: a `+hh:mm` offset fails). */
const asFilterTime = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, 'Z');

/** How long a pull holds its lease without reading a page: a process that dies holding it lets the next run take over after this. */
const LEASE_MS = 10 * 60 * 1000;
/** How often everything is read again, without `updated_since` (docs/dfe-api.md §6 rule 2: at least weekly). */
const FULL_EVERY_MS = 7 * 24 * 60 * 60 * 1000;

/**
 * Reads one of DfE's lists (`path`, e.g. `/api/v3/npq-applications`) for the sync (issue 13 item 2;
 * docs/dfe-api.md §6 rules 2–4): every page, in DfE's default order, from the last completed run's
 * start less `overlapMs` — or everything, when no run has completed or the last full read is a week
 * old — until a page comes back short. Each page's records are given to `take` (which must be
 * idempotent) before the cursor (`dfe_sync_cursors`, row `cursor`) moves past the page, so a run killed
 * at any instant resumes where it was and at worst reads a page again. One run at a time across
 * processes: a run holds a lease on the cursor, renewed each page (a run whose lease ran out and was
 * taken over stops with LeaseLostError), and a second finds it held and reads
 * nothing (`finished: false`, no pages). Stops early after `maxPages`. Throws when DfE does not answer a
 * page with 200 (DfeUnavailableError when it cannot be reached); the cursor stays, for the next run.
 */
export async function pullPages(
  deps: { db: Db; clock: Clock; client: DfeClient },
  list: { cursor: string; path: string; purpose: string },
  take: (items: DfeItem[]) => Promise<void>,
  opts: { perPage?: number; overlapMs?: number; maxPages?: number } = {},
): Promise<{ pages: number; finished: boolean }> {
  const { db, clock, client } = deps;
  const perPage = opts.perPage ?? 100;
  const overlapMs = opts.overlapMs ?? 30 * 60 * 1000;
  const done = { pages: 0, finished: false };
  const lease = await takeLease(db, clock, list.cursor, LEASE_MS);
  if (!lease) return done;
  let [cursor] = await db.select().from(dfeSyncCursors).where(eq(dfeSyncCursors.name, list.cursor));
  try {
    if (!cursor!.runStartedAt) {
      const full = !cursor!.lastFullAt || clock.now().getTime() - cursor!.lastFullAt.getTime() >= FULL_EVERY_MS;
      [cursor] = await db.update(dfeSyncCursors).set({ runStartedAt: clock.now(), nextPage: 1, ...(full ? { since: null } : {}), updatedAt: clock.now() }).where(eq(dfeSyncCursors.name, list.cursor)).returning();
    }
    const since = cursor!.since ? new Date(cursor!.since.getTime() - overlapMs) : null;
    for (let page = cursor!.nextPage; ; page++) {
      if (opts.maxPages !== undefined && done.pages >= opts.maxPages) return done;
      // Stops here (LeaseLostError) if another process took over while this one was held up.
      await lease.renew();
      const query = [since ? `filter[updated_since]=${asFilterTime(since)}` : null, `page[page]=${page}`, `page[per_page]=${perPage}`].filter(Boolean).join('&');
      const answer = await client.get(`${list.path}?${query}`, list.purpose);
      if (answer.status !== 200) throw new Error(`DfE refused page ${page} of ${list.path}: ${answer.status} ${JSON.stringify(answer.body)}`);
      const items = ((answer.body as { data?: unknown[] }).data ?? []) as DfeItem[];
      await take(items);
      done.pages++;
      if (items.length < perPage) {
        await db
          .update(dfeSyncCursors)
          .set({ since: cursor!.runStartedAt, runStartedAt: null, nextPage: 1, lastCompletedAt: clock.now(), ...(since === null ? { lastFullAt: clock.now() } : {}), updatedAt: clock.now() })
          .where(eq(dfeSyncCursors.name, list.cursor));
        done.finished = true;
        return done;
      }
      await db.update(dfeSyncCursors).set({ nextPage: page + 1, updatedAt: clock.now() }).where(eq(dfeSyncCursors.name, list.cursor));
    }
  } finally {
    await lease.release();
  }
}
