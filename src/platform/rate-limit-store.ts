import type { FastifyRateLimitStore, FastifyRateLimitStoreCtor } from '@fastify/rate-limit';
import { lt, sql } from 'drizzle-orm';
import type { Db, Executor } from '../db/client';
import type { Clock } from './clock';
import { rateLimitHits } from './platform.schema';

type Callback = (err: Error | null, res?: { current: number; ttl: number }) => void;
interface RouteParams {
  routeInfo?: { method?: string | string[]; url?: string };
  groupId?: string;
}

/**
 * A store for @fastify/rate-limit that keeps its counters in PostgreSQL (`rate_limit_hits`), so a limit
 * is one limit across every process (docs/adr/0031): twenty sign-ins a minute from an address mean
 * twenty, however many processes share the port. One atomic upsert a hit: the window starts with the
 * first hit and the count resets when it ends (fixed windows, as the in-memory store counts).
 * `continueExceeding` and `exponentialBackoff` are not supported (the platform uses neither).
 */
export function postgresRateLimitStore(db: Db): FastifyRateLimitStoreCtor {
  class PostgresRateLimitStore implements FastifyRateLimitStore {
    constructor(
      _params?: unknown,
      private readonly prefix = '',
    ) {}

    incr(key: string, cb: Callback, timeWindow: number): void {
      const now = new Date();
      countHit(db, this.prefix + key, now, new Date(now.getTime() + timeWindow)).then(
        (row) => cb(null, { current: row.hits, ttl: Math.max(0, row.resetsAt.getTime() - now.getTime()) }),
        (err: Error) => cb(err),
      );
    }

    /** A store per limited route, its counters apart from every other route's. */
    child(routeOptions: Parameters<FastifyRateLimitStore['child']>[0]): PostgresRateLimitStore {
      // What the plugin passes is the route's limit settings with `routeInfo` (method and URL).
      const params = routeOptions as unknown as RouteParams;
      const method = [params.routeInfo?.method ?? ''].flat().join(',');
      return new PostgresRateLimitStore(params, `${params.groupId ?? `${method} ${params.routeInfo?.url ?? ''}`}|`);
    }
  }
  return PostgresRateLimitStore;
}

/**
 * Counts one hit on `key` at `now`, in one atomic upsert: a window that has ended (or none) starts
 * again at 1 and ends at `resetsAt`; otherwise the count goes up and the window's end stays. Gives
 * the count and when the window ends. The sign-in limits (fixed windows from the first hit) and the
 * DfE client's call budget (DfE's windows, aligned to the epoch) both count this way.
 */
export async function countHit(db: Executor, key: string, now: Date, resetsAt: Date): Promise<{ hits: number; resetsAt: Date }> {
  const expired = sql`${rateLimitHits.resetsAt} <= ${now}`;
  const [row] = await db
    .insert(rateLimitHits)
    .values({ key, hits: 1, resetsAt })
    .onConflictDoUpdate({
      target: rateLimitHits.key,
      set: {
        hits: sql`case when ${expired} then 1 else ${rateLimitHits.hits} + 1 end`,
        resetsAt: sql`case when ${expired} then ${resetsAt}::timestamptz else ${rateLimitHits.resetsAt} end`,
      },
    })
    .returning({ hits: rateLimitHits.hits, resetsAt: rateLimitHits.resetsAt });
  return row!;
}

/** Deletes counters whose window ended before now; the number deleted. A sweep calls it. */
export async function pruneRateLimits(db: Executor, clock: Clock): Promise<number> {
  const gone = await db.delete(rateLimitHits).where(lt(rateLimitHits.resetsAt, clock.now())).returning({ key: rateLimitHits.key });
  return gone.length;
}
