import { randomUUID } from 'node:crypto';
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Db, Executor } from '../db/client';
import type { Clock } from './clock';
import { jobs } from './platform.schema';

/** A transaction of the database, as Drizzle hands it to `db.transaction`. */
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

export interface JobToQueue {
  /** Which handler runs it (`runner.handle(name, …)`). */
  name: string;
  payload?: unknown;
  /** Makes queueing idempotent: a second job with the same key is not queued (and not an error). */
  key?: string;
  /** Not before this instant; now when absent. */
  runAt?: Date;
  /** Attempts before the job is left failed for a person to look at (default 10). */
  maxAttempts?: number;
}

/**
 * Queues a job in the caller's transaction (docs/adr/0030), so it exists exactly when the change that
 * asks for it commits. Returns whether it was queued (false when `key` was already taken).
 */
export async function enqueueJob(db: Executor, clock: Clock, job: JobToQueue): Promise<boolean> {
  const now = clock.now();
  const rows = await db
    .insert(jobs)
    .values({ name: job.name, payload: job.payload ?? {}, key: job.key ?? null, runAt: job.runAt ?? now, maxAttempts: job.maxAttempts ?? 10, createdAt: now })
    .onConflictDoNothing({ target: jobs.key })
    .returning({ id: jobs.id });
  return rows.length > 0;
}

export interface JobContext {
  id: string;
  name: string;
  /** 1 on the first attempt. */
  attempt: number;
  /**
   * Runs `work` in one transaction that also marks the job done, so a handler whose effects are all in
   * the database has them exactly once: a retry after a crash finds the job done, or finds nothing
   * written. Read what you need before calling it (on PGlite, a read outside the transaction waits for it).
   */
  transaction<T>(work: (tx: Tx) => Promise<T>): Promise<T>;
}

/**
 * A job's work. Runs after the commit that queued it, at least once, and never in two processes at
 * once; a throw retries it with back-off. Effects outside the database (SMTP, DfE) must be idempotent.
 */
export type JobHandler = (payload: unknown, ctx: JobContext) => Promise<void>;

/** Seconds to wait before attempt n+1 after n failures: 2, 4, 8 … capped at an hour. */
export const backoffMs = (failures: number): number => Math.min(2 ** failures, 3600) * 1000;

/**
 * Deletes jobs done more than `keep.jobsMs` ago, and sweeps' jobs done more than `keep.sweepsMs` ago (a
 * sweep every second leaves 86,400 a day); the number deleted. Their keys name past periods and handled
 * events, which nothing queues again.
 */
export async function pruneDoneJobs(db: Executor, clock: Clock, keep: { jobsMs: number; sweepsMs: number }): Promise<number> {
  const now = clock.now().getTime();
  const gone = await db
    .delete(jobs)
    .where(
      and(
        sql`${jobs.doneAt} is not null`,
        sql`(${jobs.doneAt} < ${new Date(now - keep.jobsMs)} or (${jobs.name} like 'sweep:%' and ${jobs.doneAt} < ${new Date(now - keep.sweepsMs)}))`,
      ),
    )
    .returning({ id: jobs.id });
  return gone.length;
}

/** How long a claim lasts: a process that dies holding one lets another take the job after this. */
const DEFAULT_LEASE_MS = 5 * 60_000;

export interface JobRunnerOptions {
  db: Db;
  clock: Clock;
  /** Names this process in `locked_by`; random by default. */
  workerId?: string;
  leaseMs?: number;
  /** How often a started runner looks for due work (default 1 s). */
  pollMs?: number;
  /** Jobs claimed at a time. */
  batchSize?: number;
  log?: (msg: string, err?: unknown) => void;
}

interface Sweep {
  name: string;
  everyMs: number;
  run: () => Promise<void>;
}

/**
 * The one jobs module (docs/adr/0030): handlers by name, sweeps by period, on the `jobs` table.
 *
 * - Claiming takes due rows with FOR UPDATE SKIP LOCKED and sets a lease in one short statement, so
 *   two runners (processes) never hold the same job; the handler runs outside that statement.
 * - A job whose runner dies is taken again when its lease ends; one that throws is retried after
 *   backoffMs(attempts), up to its maxAttempts.
 * - A sweep is queued as a job keyed by its name and period (`approvals.remind@<period start>`): every
 *   process tries, the key lets one in, so it runs once a period across processes.
 */
export function createJobRunner(opts: JobRunnerOptions) {
  const { db, clock } = opts;
  const me = opts.workerId ?? `${process.pid}-${randomUUID().slice(0, 8)}`;
  const leaseMs = opts.leaseMs ?? DEFAULT_LEASE_MS;
  const batchSize = opts.batchSize ?? 10;
  const handlers = new Map<string, JobHandler>();
  const sweeps: Sweep[] = [];
  const offered = new Map<string, number>();
  let log = opts.log;

  const after = (ms: number) => new Date(clock.now().getTime() + ms);

  async function claim(): Promise<(typeof jobs.$inferSelect)[]> {
    const now = clock.now();
    const due = db
      .select({ id: jobs.id })
      .from(jobs)
      .where(
        and(
          sql`${jobs.doneAt} is null`,
          sql`${jobs.runAt} <= ${now}`,
          sql`${jobs.attempts} < ${jobs.maxAttempts}`,
          // A job this runner holds but is not running (runDue is one at a time) lost its release to a
          // failed connection: it is taken again now rather than when the lease ends.
          sql`(${jobs.lockedUntil} is null or ${jobs.lockedUntil} < ${now} or ${jobs.lockedBy} = ${me})`,
          inArray(jobs.name, [...handlers.keys()]),
        ),
      )
      .orderBy(jobs.runAt)
      .limit(batchSize)
      .for('update', { skipLocked: true });
    return db
      .update(jobs)
      .set({ lockedBy: me, lockedUntil: after(leaseMs), attempts: sql`${jobs.attempts} + 1` })
      .where(inArray(jobs.id, due))
      .returning();
  }

  const mine = (id: string) => and(eq(jobs.id, id), eq(jobs.lockedBy, me));

  async function runOne(job: typeof jobs.$inferSelect): Promise<void> {
    const handler = handlers.get(job.name)!;
    let finished = false;
    const markDone = async (tx: Executor) => {
      const done = await tx.update(jobs).set({ doneAt: clock.now(), lockedBy: null, lockedUntil: null, lastError: null }).where(mine(job.id)).returning({ id: jobs.id });
      // Another runner took the job after this one's lease ran out: its work must not be kept twice.
      if (!done.length) throw new Error(`job ${job.id} (${job.name}) was taken by another runner after its lease ended`);
      finished = true;
    };
    const ctx: JobContext = {
      id: job.id,
      name: job.name,
      attempt: job.attempts,
      transaction: (work) =>
        db.transaction(async (tx) => {
          const result = await work(tx);
          await markDone(tx);
          return result;
        }),
    };
    try {
      await handler(job.payload, ctx);
      if (!finished) await markDone(db);
    } catch (err) {
      log?.(`job ${job.name} failed (attempt ${job.attempts} of ${job.maxAttempts})`, err);
      await db
        .update(jobs)
        .set({ lockedBy: null, lockedUntil: null, lastError: String(err).slice(0, 2000), runAt: after(backoffMs(job.attempts)) })
        .where(mine(job.id));
    }
  }

  /** Queues each sweep whose period has begun, once across processes (the period's key). */
  async function queueSweeps(): Promise<void> {
    const now = clock.now().getTime();
    for (const s of sweeps) {
      const periodStart = Math.floor(now / s.everyMs) * s.everyMs;
      // Once this process has offered a period's job (queued, or found queued) it need not ask again.
      if (offered.get(s.name) === periodStart) continue;
      const at = new Date(periodStart);
      await enqueueJob(db, clock, { name: sweepJob(s.name), key: `${s.name}@${at.toISOString()}`, runAt: at, maxAttempts: 3 });
      offered.set(s.name, periodStart);
    }
  }

  /** Runs every job due now, and those they queue, until none is left; the number handled. One call at a time. */
  let previous: Promise<unknown> = Promise.resolve();
  function runDue(): Promise<number> {
    const next = previous.then(runDueNow, runDueNow);
    previous = next.catch(() => undefined);
    return next;
  }
  async function runDueNow(): Promise<number> {
    if (!handlers.size) return 0;
    let handled = 0;
    for (;;) {
      const claimed = await claim();
      if (!claimed.length) return handled;
      for (const job of claimed) await runOne(job);
      handled += claimed.length;
    }
  }

  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> | undefined;
  let stopped = true;
  const tick = async () => {
    if (stopped) return;
    running = queueSweeps()
      .then(runDue)
      .catch((err) => log?.('the job runner failed to claim work', err));
    await running;
    if (!stopped) timer = setTimeout(tick, opts.pollMs ?? 1000);
  };

  return {
    workerId: me,
    /** Where failures are told (the application's logger, once it exists). */
    setLog(fn: (msg: string, err?: unknown) => void) {
      log = fn;
    },
    /** Tells the log what a sweep did. */
    say(msg: string) {
      log?.(msg);
    },
    /** Registers the handler of jobs named `name`; one per name. */
    handle(name: string, handler: JobHandler) {
      if (handlers.has(name)) throw new Error(`a handler for ${name} is registered already`);
      handlers.set(name, handler);
      return this;
    },
    /** Registers a sweep that runs once every `everyMs` across all processes (periods align to the epoch). */
    every(name: string, everyMs: number, run: () => Promise<void>) {
      sweeps.push({ name, everyMs, run });
      return this.handle(sweepJob(name), run);
    },
    queueSweeps,
    runDue,
    /** Queues due sweeps and runs everything due: what tests call instead of waiting for the timer. */
    async drain(): Promise<number> {
      await queueSweeps();
      return runDue();
    },
    /** Polls every pollMs until stop(). */
    start() {
      if (!stopped) return;
      stopped = false;
      timer = setTimeout(tick, 0);
    },
    /** Stops polling and waits for the jobs in hand; what it had not claimed stays queued for the next runner. */
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
export type JobRunner = ReturnType<typeof createJobRunner>;

const sweepJob = (name: string) => `sweep:${name}`;
