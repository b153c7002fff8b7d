import { createHash } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/client';
import type { Clock } from '../../platform/clock';
import { rateLimitHits } from '../../platform/platform.schema';
import { countHit } from '../../platform/rate-limit-store';
import { dfeApiCalls } from '../dfe.schema';

/*
 * The platform's client of DfE's Lead Provider API v3 (issue 13 item 2). Every call is kept in
 * `dfe_api_calls` (never the token). Calls are counted per token in DfE's own 5-minute windows
 * (docs/dfe-api.md §5.2: 1,000 a window, fixed windows aligned to the epoch) in the database, so every
 * process together stays under the budget; a call past it waits for the next window. A 429 marks the
 * shared budget spent until `Retry-After` or the next window (rule 22), so every process waits, not only
 * the one DfE answered (ADR 0069); a 5xx, a timeout or a dropped connection backs off and,
 * for a read, tries again. A write is tried once: what happened to it is for its caller to find out
 * (rule 6), never guessed by sending it again.
 */

const WINDOW_MS = 5 * 60 * 1000;
/** The most of a body kept in the call log: a full page of 3,000 records is cut to its first part. */
const KEPT_CHARS = 64 * 1024;

/** A body as the call log keeps it: whole up to KEPT_CHARS of JSON, else its first part as text, marked cut. */
function kept(body: unknown): object | null {
  if (body === null || body === undefined) return null;
  const text = JSON.stringify(body);
  return text.length <= KEPT_CHARS ? (body as object) : { text: text.slice(0, KEPT_CHARS), cut: `${(text.length - KEPT_CHARS).toLocaleString('en-GB')} more characters not kept` };
}

/** What DfE answered: its status (null when no answer came) and body (JSON, or `{ text }`). */
export interface DfeAnswer {
  status: number | null;
  body: unknown;
  error?: string;
}

export interface DfeClientOptions {
  baseUrl: string;
  token: string;
  db: Db;
  clock: Clock;
  /** Calls allowed per window for this token, below DfE's 1,000 to leave room for people using the same token by hand. */
  budget?: number;
  /** How long to wait for an answer (ms). */
  timeoutMs?: number;
  /** Attempts for a read before giving up. */
  readAttempts?: number;
  /** How to wait: tests move their clock instead. */
  sleep?: (ms: number) => Promise<void>;
}

/** What DfE said in a refusal (§5.6: `errors`, each with a `detail`), joined; empty for anything else. */
export const refusalDetail = (body: unknown): string => ((body as { errors?: { detail?: string }[] } | null)?.errors ?? []).map((e) => e.detail ?? '').join('; ');

/** Why a change or declaration is refused or still waits, for the admin: the platform's `{ note }` when it kept one, else DfE's own words, quoted; empty when neither. */
export const whyOf = (answer: unknown): string => {
  const note = (answer as { note?: unknown } | null)?.note;
  if (typeof note === 'string') return note;
  const said = refusalDetail(answer);
  return said ? `DfE said: “${said}”` : '';
};

/** A read that failed after every attempt: the last answer is kept. */
export class DfeUnavailableError extends Error {
  constructor(
    readonly path: string,
    readonly answer: DfeAnswer,
  ) {
    super(`DfE's API did not answer ${path}: ${answer.status ?? answer.error}`);
  }
}

/**
 * A client for one token. `get` reads (retrying as above; DfeUnavailableError when it cannot);
 * `send` writes once and gives whatever came back, `status: null` when nothing did. `purpose` names
 * what the call is for in the call log.
 */
export function createDfeClient(o: DfeClientOptions) {
  const budget = o.budget ?? 900;
  if (!Number.isInteger(budget) || budget < 1 || budget > 1000) throw new Error(`A DfE call budget is a whole number from 1 to 1,000 a window (DfE's limit), not ${budget}`);
  const timeoutMs = o.timeoutMs ?? 30_000;
  const readAttempts = o.readAttempts ?? 6;
  const sleep = o.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const base = o.baseUrl.replace(/\/$/, '');
  // The counter's key names the token without holding it.
  const key = `dfe-api|${createHash('sha256').update(o.token).digest('hex').slice(0, 24)}`;

  const nextWindow = (now: Date) => (Math.floor(now.getTime() / WINDOW_MS) + 1) * WINDOW_MS;

  /**
   * When a 429 lets calls go again: after `Retry-After` (seconds, or an HTTP date) — at most one of DfE's
   * 5-minute windows, so a wild value cannot stall the sync (or outlast a sender's lease) — or, with none
   * (DfE's own throttle sends none: docs/dfe-api.md §5.2), at the next window.
   */
  function retryAt(retryAfter: string | null, now: Date): Date {
    const seconds = retryAfter !== null && /^\s*\d+\s*$/.test(retryAfter) ? Number(retryAfter) * 1000 : retryAfter ? Date.parse(retryAfter) - now.getTime() : Number.NaN;
    return new Date(Number.isFinite(seconds) && seconds > 0 ? now.getTime() + Math.min(seconds, WINDOW_MS) : nextWindow(now));
  }

  // A 429's wait is kept apart from the window's count: DfE counts every call of its window whatever it
  // answered, so a Retry-After shorter than the window must not start the count afresh (a second budget
  // in DfE's same window would be refused: the fault-injection test found it).
  const waitKey = `${key}|retry-after`;

  /**
   * Holds this token's calls back until `until`, in a row every process shares (`rate_limit_hits`):
   * each one's next call then waits in takeSlot until DfE said it may go again, and then takes its slot
   * from the window's count as it stands. Never shortens a wait already there (an earlier 429's).
   */
  async function spendUntil(until: Date): Promise<void> {
    await o.db
      .insert(rateLimitHits)
      .values({ key: waitKey, hits: 1, resetsAt: until })
      .onConflictDoUpdate({ target: rateLimitHits.key, set: { resetsAt: sql`greatest(${rateLimitHits.resetsAt}, ${until.toISOString()}::timestamptz)` } });
  }

  /** Takes one call from this window's budget: first waiting out a 429's Retry-After (spendUntil), then for the next window while the budget is spent. */
  async function takeSlot(): Promise<void> {
    for (;;) {
      const now = o.clock.now();
      const [held] = await o.db.select({ resetsAt: rateLimitHits.resetsAt }).from(rateLimitHits).where(eq(rateLimitHits.key, waitKey));
      const row = held && held.resetsAt > now ? null : await countHit(o.db, key, now, new Date(nextWindow(now)));
      if (row && row.hits <= budget) return;
      await sleep(Math.max(1, (row ?? held!).resetsAt.getTime() - now.getTime()));
      // A clock the wait did not move (a test's, frozen) would wait for ever: go after one wait (counted).
      if (o.clock.now().getTime() === now.getTime()) {
        if (!row) await countHit(o.db, key, now, new Date(nextWindow(now)));
        return;
      }
    }
  }

  async function once(method: string, path: string, body: unknown, purpose: string): Promise<DfeAnswer> {
    await takeSlot();
    const at = o.clock.now();
    const started = performance.now();
    let answer: DfeAnswer;
    try {
      const res = await fetch(`${base}${path}`, {
        method,
        headers: { authorization: `Bearer ${o.token}`, accept: 'application/json', ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(timeoutMs),
      });
      const text = await res.text();
      let parsed: unknown;
      try {
        parsed = text ? JSON.parse(text) : null;
      } catch {
        parsed = { text: text.slice(0, 2000) };
      }
      answer = { status: res.status, body: parsed };
      if (res.status === 429) {
        answer.error = `retry-after ${res.headers.get('retry-after') ?? 'none'}`;
        // Every process backs off, not only this one: DfE counts the token, not the process.
        await spendUntil(retryAt(res.headers.get('retry-after'), o.clock.now()));
      }
    } catch (err) {
      answer = { status: null, body: null, error: err instanceof Error ? `${err.name}: ${err.message}` : String(err) };
    }
    await o.db.insert(dfeApiCalls).values({ at, method, path, status: answer.status, durationMs: Math.round(performance.now() - started), requestBody: kept(body ?? null), responseBody: kept(answer.body), error: answer.error ?? null, purpose });
    return answer;
  }

  /**
   * How long to wait after an answer that is not one, before trying again: nothing for a 429, whose wait
   * is the shared budget's (spendUntil, waited out by the next call's takeSlot); doubling from a second,
   * capped at a minute, otherwise.
   */
  function waitAfter(answer: DfeAnswer, attempt: number): number {
    return answer.status === 429 ? 0 : Math.min(1000 * 2 ** (attempt - 1), 60_000);
  }

  const retryable = (a: DfeAnswer) => a.status === null || a.status === 429 || a.status >= 500;

  return {
    /** Reads `path` (with its query); retries what is worth retrying. Throws DfeUnavailableError after the last attempt. */
    async get(path: string, purpose: string): Promise<DfeAnswer> {
      let answer: DfeAnswer = { status: null, body: null };
      for (let attempt = 1; attempt <= readAttempts; attempt++) {
        answer = await once('GET', path, undefined, purpose);
        if (!retryable(answer)) return answer;
        const wait = waitAfter(answer, attempt);
        if (attempt < readAttempts && wait) await sleep(wait);
      }
      throw new DfeUnavailableError(path, answer);
    },
    /**
     * Writes once: a 429 is waited out (the shared budget's wait, before the next call) and sent again
     * (DfE did nothing with it), as many times as a read is tried, then given to the caller like any other
     * answer; anything else is the caller's to read.
     */
    async send(method: 'POST' | 'PUT', path: string, body: unknown, purpose: string): Promise<DfeAnswer> {
      for (let attempt = 1; ; attempt++) {
        const answer = await once(method, path, body, purpose);
        if (answer.status !== 429 || attempt >= readAttempts) return answer;
      }
    },
  };
}

export type DfeClient = ReturnType<typeof createDfeClient>;
