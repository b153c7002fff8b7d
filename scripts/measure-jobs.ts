/**
 * The measurement behind docs/adr/0030: how fast the platform's jobs table (FOR UPDATE SKIP LOCKED, a
 * lease) and pg-boss queue and handle N trivial jobs, on PGlite and on PostgreSQL, with one and two
 * runners. Usage: `tsx scripts/measure-jobs.ts [N]` (PostgreSQL rows only with DATABASE_URL set).
 * pg-boss rows need pg-boss installed (`npm install --no-save pg-boss@10`); they are skipped without it.
 */
import { createThrowawayDatabase } from '../src/db/test-database';
import { type Database, openDatabase } from '../src/db/client';
import { systemClock } from '../src/platform/clock';
import { createJobRunner } from '../src/platform/jobs';
import { jobs } from '../src/platform/platform.schema';

const N = Number(process.argv[2] ?? 2000);
const serverUrl = process.env.DATABASE_URL;
const rows: string[] = [];
const report = (what: string, queueMs: number, handleMs: number) => {
  const line = `${what.padEnd(44)} queue ${String(Math.round((N / queueMs) * 1000)).padStart(6)}/s   claim+handle ${String(Math.round((N / handleMs) * 1000)).padStart(6)}/s   (${N} jobs, ${Math.round(handleMs)} ms)`;
  rows.push(line);
  console.log(line);
};

async function jobsTable(label: string, databases: Database[]) {
  const [first] = databases;
  await first!.db.delete(jobs);
  let t = performance.now();
  // As use cases queue them: one insert per job, each in its own transaction.
  for (let i = 0; i < N; i++) await first!.db.transaction((tx) => tx.insert(jobs).values({ name: 'measure', payload: { i }, runAt: new Date(), createdAt: new Date() }));
  const queueMs = performance.now() - t;
  let handled = 0;
  const runners = databases.map((d) => createJobRunner({ db: d.db, clock: systemClock, batchSize: 10 }).handle('measure', async () => void handled++));
  t = performance.now();
  await Promise.all(runners.map((r) => r.runDue()));
  const handleMs = performance.now() - t;
  if (handled !== N) throw new Error(`handled ${handled} of ${N}`);
  report(`jobs table, ${label}`, queueMs, handleMs);
}

/** What of pg-boss 10's API the measurement uses. */
interface Boss {
  start(): Promise<unknown>;
  on(event: 'error', listener: (err: Error) => void): void;
  stop(o?: object): Promise<void>;
  createQueue(n: string): Promise<void>;
  send(n: string, d: object): Promise<string | null>;
  work(n: string, o: object, h: (jobs: unknown[]) => Promise<void>): Promise<string>;
}

async function pgBoss(url: string, workers: number, batchSize: number) {
  let PgBoss: new (url: string) => Boss;
  try {
    // Named through a variable: measured only where it is installed; the platform does not depend on it.
    const name = 'pg-boss';
    PgBoss = ((await import(name)) as { default: new (url: string) => Boss }).default;
  } catch {
    rows.push('pg-boss: not installed, skipped');
    return;
  }
  const bosses: Boss[] = [];
  for (let w = 0; w < workers; w++) {
    const boss = new PgBoss(url);
    // Dropping the database at the end ends its connections: that is not a finding.
    boss.on('error', () => {});
    await boss.start();
    bosses.push(boss);
  }
  await bosses[0]!.createQueue('measure');
  let t = performance.now();
  for (let i = 0; i < N; i++) await bosses[0]!.send('measure', { i });
  const queueMs = performance.now() - t;
  let handled = 0;
  t = performance.now();
  const done = new Promise<void>((resolve) => {
    for (const boss of bosses)
      void boss.work('measure', { batchSize, pollingIntervalSeconds: 0.5 }, async (batch) => {
        handled += batch.length;
        if (handled >= N) resolve();
      });
  });
  await done;
  const handleMs = performance.now() - t;
  report(`pg-boss 10, PostgreSQL, ${workers} worker${workers > 1 ? 's' : ''}, batch ${batchSize}`, queueMs, handleMs);
  for (const boss of bosses) await boss.stop({ graceful: false, wait: true });
}

const pglite = await openDatabase({ kind: 'pglite' });
await jobsTable('PGlite, 1 runner', [pglite]);
await pglite.close();
if (serverUrl) {
  const throwaway = await createThrowawayDatabase(serverUrl, 'npq_measure_');
  try {
    const a = await openDatabase({ kind: 'postgres', url: throwaway.url });
    const b = await openDatabase({ kind: 'postgres', url: throwaway.url });
    await jobsTable('PostgreSQL, 1 runner', [a]);
    await jobsTable('PostgreSQL, 2 runners (two pools)', [a, b]);
    await a.close();
    await b.close();
    // Its workers fetch a batch each polling interval (0.5 s at the least): batch 10 is the runner's own.
    await pgBoss(throwaway.url, 1, 10);
    await pgBoss(throwaway.url, 2, 10);
    await pgBoss(throwaway.url, 1, 100);
  } finally {
    await throwaway.drop();
  }
}
console.log(`\n${rows.join('\n')}`);
