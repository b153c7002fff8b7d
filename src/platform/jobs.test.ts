import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Database, openDatabase } from '../db/client';
import { createThrowawayDatabase, type ThrowawayDatabase } from '../db/test-database';
import { fixedClock } from './clock';
import { createEventHandlers, recordEvent } from './events';
import { backoffMs, createJobRunner, enqueueJob, pruneDoneJobs } from './jobs';
import { domainEvents, jobs } from './platform.schema';

declare module './events' {
  interface DomainEvents {
    'test.happened': { n: number };
  }
}

const serverUrl = process.env.DATABASE_URL;

/**
 * Two handles on one database, as two processes have: on PostgreSQL two pools of their own; on PGlite
 * (one process by nature) the same database twice.
 */
let throwaway: ThrowawayDatabase | undefined;
let one: Database;
let two: Database;
beforeAll(async () => {
  if (serverUrl) {
    throwaway = await createThrowawayDatabase(serverUrl);
    one = await openDatabase({ kind: 'postgres', url: throwaway.url, poolSize: 4 });
    two = await openDatabase({ kind: 'postgres', url: throwaway.url, poolSize: 4 });
  } else {
    one = await openDatabase({ kind: 'pglite' });
    two = one;
  }
}, 60_000);
afterAll(async () => {
  await one.close();
  if (two !== one) await two.close();
  await throwaway?.drop();
});

const clock = fixedClock('2026-11-25T10:00:00Z');
beforeEach(async () => {
  clock.set('2026-11-25T10:00:00Z');
  await one.db.delete(jobs);
  await one.db.delete(domainEvents);
});

const stateOf = async (name: string) => one.db.select().from(jobs).where(eq(jobs.name, name));

describe('backoffMs', () => {
  it('doubles from two seconds and stops at an hour', () => {
    expect([1, 2, 3, 10, 12, 30].map(backoffMs)).toEqual([2_000, 4_000, 8_000, 1_024_000, 3_600_000, 3_600_000]);
  });
});

describe('the jobs runner', () => {
  it('runs a job queued in a transaction once it commits, and never one whose transaction rolled back', async () => {
    const seen: unknown[] = [];
    const runner = createJobRunner({ db: one.db, clock }).handle('note', async (payload) => void seen.push(payload));
    await one.db.transaction((tx) => enqueueJob(tx, clock, { name: 'note', payload: { kept: true } }));
    await one.db
      .transaction(async (tx) => {
        await enqueueJob(tx, clock, { name: 'note', payload: { kept: false } });
        throw new Error('the change failed');
      })
      .catch(() => undefined);
    expect(await runner.runDue()).toBe(1);
    expect(seen).toEqual([{ kept: true }]);
    expect(await runner.runDue()).toBe(0);
  });

  it('queues a job once per key', async () => {
    expect(await enqueueJob(one.db, clock, { name: 'note', key: 'k1' })).toBe(true);
    expect(await enqueueJob(one.db, clock, { name: 'note', key: 'k1' })).toBe(false);
    expect(await stateOf('note')).toHaveLength(1);
  });

  it('keeps a job through a restart: queued, the process stops before handling it, a new runner handles it', async () => {
    const first = createJobRunner({ db: one.db, clock, pollMs: 60_000 });
    await enqueueJob(one.db, clock, { name: 'survivor', payload: { n: 1 } });
    await first.stop(); // it never ran: no handler for `survivor` was registered before it stopped
    const handled: unknown[] = [];
    const second = createJobRunner({ db: two.db, clock }).handle('survivor', async (p) => void handled.push(p));
    expect(await second.runDue()).toBe(1);
    expect(handled).toEqual([{ n: 1 }]);
  });

  it('lets another runner take a job whose runner died holding it, once its lease has ended', async () => {
    await enqueueJob(one.db, clock, { name: 'orphan' });
    // A runner claimed it and its process died: the row says so until the lease ends.
    await one.db.update(jobs).set({ lockedBy: 'dead-process', lockedUntil: new Date(clock.now().getTime() + 60_000), attempts: 1 });
    let runs = 0;
    const runner = createJobRunner({ db: two.db, clock }).handle('orphan', async () => void runs++);
    expect(await runner.runDue()).toBe(0);
    clock.advance(60_001);
    expect(await runner.runDue()).toBe(1);
    expect(runs).toBe(1);
    const [row] = await stateOf('orphan');
    expect(row!.attempts).toBe(2);
    expect(row!.doneAt).not.toBeNull();
  });

  it('takes again at once a job it holds but lost the release of (its connection failed mid-job)', async () => {
    let runs = 0;
    const runner = createJobRunner({ db: one.db, clock, workerId: 'me' }).handle('stranded', async () => void runs++);
    await enqueueJob(one.db, clock, { name: 'stranded' });
    await one.db.update(jobs).set({ lockedBy: 'me', lockedUntil: new Date(clock.now().getTime() + 300_000), attempts: 1 });
    expect(await runner.runDue()).toBe(1);
    expect(runs).toBe(1);
  });

  it('retries a failing job with back-off, and leaves it failed after its attempts', async () => {
    let calls = 0;
    const runner = createJobRunner({ db: one.db, clock }).handle('flaky', async () => {
      calls++;
      if (calls < 3) throw new Error(`refused ${calls}`);
    });
    await enqueueJob(one.db, clock, { name: 'flaky' });
    await runner.runDue();
    let [row] = await stateOf('flaky');
    expect({ attempts: row!.attempts, lastError: row!.lastError, runAt: row!.runAt.toISOString() }).toEqual({ attempts: 1, lastError: 'Error: refused 1', runAt: '2026-11-25T10:00:02.000Z' });
    expect(await runner.runDue()).toBe(0); // not due for two seconds
    clock.advance(2_000);
    await runner.runDue();
    [row] = await stateOf('flaky');
    expect(row!.runAt.toISOString()).toBe('2026-11-25T10:00:06.000Z');
    clock.advance(4_000);
    await runner.runDue();
    [row] = await stateOf('flaky');
    expect({ attempts: row!.attempts, done: row!.doneAt !== null, lastError: row!.lastError }).toEqual({ attempts: 3, done: true, lastError: null });

    const hopeless = createJobRunner({ db: one.db, clock }).handle('hopeless', async () => {
      throw new Error('never');
    });
    await enqueueJob(one.db, clock, { name: 'hopeless', maxAttempts: 2 });
    await hopeless.runDue();
    clock.advance(3_600_000);
    await hopeless.runDue();
    clock.advance(3_600_000);
    expect(await hopeless.runDue()).toBe(0);
    const [failed] = await stateOf('hopeless');
    expect({ attempts: failed!.attempts, done: failed!.doneAt !== null }).toEqual({ attempts: 2, done: false });
  });

  it('keeps what a handler writes in ctx.transaction exactly once, even when its lease was lost', async () => {
    await enqueueJob(one.db, clock, { name: 'slow' });
    const runner = createJobRunner({ db: one.db, clock, leaseMs: 1_000 }).handle('slow', async (_p, ctx) => {
      // Another runner took the job over while this one was busy.
      await one.db.update(jobs).set({ lockedBy: 'the-other-runner' }).where(eq(jobs.id, ctx.id));
      await ctx.transaction((tx) => recordEvent(tx, clock, { type: 'test.happened', n: 1 }));
    });
    await runner.runDue();
    expect(await one.db.select().from(domainEvents)).toEqual([]);
  });

  it('has two runners on one database claim each job once', async () => {
    const N = 120;
    for (let i = 0; i < N; i += 40) {
      await one.db.insert(jobs).values(Array.from({ length: 40 }, (_, j) => ({ name: 'count', payload: { i: i + j }, runAt: clock.now(), createdAt: clock.now() })));
    }
    const handledBy: Record<string, string[]> = {};
    const runnerOn = (db: Database, who: string) =>
      createJobRunner({ db: db.db, clock, workerId: who, batchSize: 5 }).handle('count', async (p) => {
        const i = String((p as { i: number }).i);
        handledBy[i] = [...(handledBy[i] ?? []), who];
        // Yield, so the two runners interleave.
        await new Promise((r) => setTimeout(r, 1));
      });
    const [a, b] = await Promise.all([runnerOn(one, 'a').runDue(), runnerOn(two, 'b').runDue()]);
    expect(a + b).toBe(N);
    expect(Object.keys(handledBy)).toHaveLength(N);
    expect(Object.values(handledBy).filter((who) => who.length !== 1)).toEqual([]);
    if (serverUrl) expect(Math.min(a, b)).toBeGreaterThan(0);
  });

  it('runs a sweep once a period however many runners try', async () => {
    let sweeps = 0;
    const runners = [one, two, one].map((db) => createJobRunner({ db: db.db, clock }).every('tidy', 60_000, async () => void sweeps++));
    clock.set('2026-11-25T10:00:30Z');
    await Promise.all(runners.map((r) => r.drain()));
    await Promise.all(runners.map((r) => r.drain()));
    expect(sweeps).toBe(1);
    clock.advance(30_000); // 10:01:00, the next period
    await Promise.all(runners.map((r) => r.drain()));
    expect(sweeps).toBe(2);
    expect((await stateOf('sweep:tidy')).map((j) => j.key).sort()).toEqual(['tidy@2026-11-25T10:00:00.000Z', 'tidy@2026-11-25T10:01:00.000Z']);
  });

  it('polls once started and stops without losing work in hand', async () => {
    const seen: number[] = [];
    const runner = createJobRunner({ db: one.db, clock, pollMs: 10 }).handle('tick', async (p) => void seen.push((p as { n: number }).n));
    runner.start();
    await enqueueJob(one.db, clock, { name: 'tick', payload: { n: 7 } });
    const deadline = Date.now() + 10_000;
    while (!seen.length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    await runner.stop();
    expect(seen).toEqual([7]);
  });
});

describe('domain events', () => {
  it('are recorded with the change, and each handler of their type runs after commit on its own', async () => {
    const runner = createJobRunner({ db: one.db, clock });
    const emailed: number[] = [];
    let synced = 0;
    createEventHandlers(runner, one.db, clock)
      .on('test.happened', 'email', async (event) => void emailed.push(event.payload.n))
      .on('test.happened', 'dfe', async () => {
        synced++;
        if (synced === 1) throw new Error('DfE is down');
      });
    await one.db.transaction((tx) => recordEvent(tx, clock, { type: 'test.happened', n: 42 }));
    await runner.runDue();
    expect({ emailed, synced }).toEqual({ emailed: [42], synced: 1 });
    const [event] = await one.db.select().from(domainEvents);
    expect({ type: event!.type, payload: event!.payload, occurredAt: event!.occurredAt.toISOString() }).toEqual({ type: 'test.happened', payload: { n: 42 }, occurredAt: '2026-11-25T10:00:00.000Z' });
    // The failed DfE call is retried; the email is not sent again.
    clock.advance(2_000);
    await runner.runDue();
    expect({ emailed, synced }).toEqual({ emailed: [42], synced: 2 });
    const pending = await one.db.select({ n: sql<number>`count(*)::int` }).from(jobs).where(sql`${jobs.doneAt} is null`);
    expect(pending[0]!.n).toBe(0);
  });
});

describe('pruneDoneJobs', () => {
  it('deletes done jobs after a week and done sweeps after a day, never work still to do', async () => {
    const at = (iso: string) => new Date(iso);
    const row = (name: string, doneAt: string | null) => ({ name, runAt: at('2026-11-01T00:00:00Z'), createdAt: at('2026-11-01T00:00:00Z'), doneAt: doneAt ? at(doneAt) : null });
    await one.db.insert(jobs).values([
      row('event-handler', '2026-11-17T09:00:00Z'), // 8 days ago: goes
      row('event-handler', '2026-11-20T09:00:00Z'), // 5 days ago: stays
      row('sweep:mail.deliver', '2026-11-24T09:00:00Z'), // 25 hours ago: goes
      row('sweep:mail.deliver', '2026-11-25T09:00:00Z'), // an hour ago: stays
      row('event-handler', null), // not done: stays
    ]);
    expect(await pruneDoneJobs(one.db, clock, { jobsMs: 7 * 86_400_000, sweepsMs: 86_400_000 })).toBe(2);
    expect(await one.db.select().from(jobs)).toHaveLength(3);
  });
});
