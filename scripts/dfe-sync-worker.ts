import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { and, count, eq, inArray, isNotNull, isNull } from 'drizzle-orm';
import { buildServices } from '../src/app';
import { loadConfig } from '../src/config';
import { openDatabase } from '../src/db/client';
import { createDfeClient } from '../src/dfe/client/dfe-client';
import { dfeChanges, dfeDeclarations, dfeSyncCursors } from '../src/dfe/dfe.schema';
import { proposeDeclarations } from '../src/dfe/declarations/propose-declarations';
import { pullDeclarations, pullStatements } from '../src/dfe/declarations/pull-declarations';
import { sendDeclaration, sendPendingDeclarations } from '../src/dfe/declarations/send-declarations';
import { pullApplications } from '../src/dfe/sync/pull-applications';
import { sendDecision, sendPendingChanges } from '../src/dfe/sync/send-decisions';
import { type Clock, systemClock } from '../src/platform/clock';

/*
 * The DfE sync as one process that can be killed at any instant (issue 13 item 4; the fault-injection
 * test, src/dfe/fault-injection.test.ts, forks it and SIGKILLs it). It opens the platform on
 * DATABASE_URL (PostgreSQL: a killed process's embedded PGlite could not be shared), connects the
 * platform's DfE client to DFE_API_URL with DFE_API_TOKEN, and runs the platform's own sync steps in
 * the order the platform's sweeps run them (src/dfe/dfe-sync.ts) — pull applications; send pending
 * decisions and changes; propose declarations (sending those approved automatically); send pending
 * declarations and voids; pull declarations; pull statements — round after round, until a round finds
 * nothing left to do (every pull finished, nothing pending, approved or newly proposed: exit 0) or
 * DFE_WORKER_DEADLINE_MS passes (exit 3), or it is killed.
 *
 * Optional: DFE_WORKER_BUDGET (calls per DfE window), DFE_WORKER_TIMEOUT_MS (the client's timeout, real
 * ms), DFE_WORKER_CLOCK (JSON { base, realStart, speed }: a clock that runs `speed` times faster than
 * real time from `base` at the real instant `realStart`, shared with the stand-in, so DfE's 5-minute
 * rate windows pass in seconds; the client's waits are shortened by the same factor).
 * Prints one JSON line per round on stdout.
 */

interface ScaledClock {
  base: number;
  realStart: number;
  speed: number;
}

const env = process.env;
const url = env.DATABASE_URL;
const dfeUrl = env.DFE_API_URL;
const token = env.DFE_API_TOKEN;
if (!url || !dfeUrl || !token) {
  console.error('Set DATABASE_URL (PostgreSQL), DFE_API_URL and DFE_API_TOKEN');
  process.exit(2);
}

const scaled = env.DFE_WORKER_CLOCK ? (JSON.parse(env.DFE_WORKER_CLOCK) as ScaledClock) : null;
const clock: Clock = scaled ? { now: () => new Date(scaled.base + (Date.now() - scaled.realStart) * scaled.speed) } : systemClock;
const speed = scaled?.speed ?? 1;
const deadline = Date.now() + Number(env.DFE_WORKER_DEADLINE_MS ?? 10 * 60 * 1000);

const database = await openDatabase({ kind: 'postgres', url, poolSize: 4 });
const { db } = database;
const config = loadConfig({ NODE_ENV: 'production', LOG_LEVEL: 'silent', BASE_URL: 'http://npq.test', DATA_DIR: mkdtempSync(path.join(tmpdir(), 'npq-sync-worker-')), DATABASE_URL: url, DFE_API_URL: dfeUrl, DFE_API_TOKEN: token, COOKIE_SECRET: env.COOKIE_SECRET ?? 'a-sync-worker-has-no-cookies-but-config-asks-for-one' } as NodeJS.ProcessEnv);
const services = buildServices({ config, database, clock });
const client = createDfeClient({
  baseUrl: dfeUrl,
  token,
  db,
  clock,
  ...(env.DFE_WORKER_BUDGET ? { budget: Number(env.DFE_WORKER_BUDGET) } : {}),
  ...(env.DFE_WORKER_TIMEOUT_MS ? { timeoutMs: Number(env.DFE_WORKER_TIMEOUT_MS) } : {}),
  // The client's waits are in the clock's time: a faster clock waits as much less.
  sleep: (ms) => new Promise<void>((r) => setTimeout(r, Math.max(1, Math.round(ms / speed)))),
});
const sync = { db, clock, client };
const changeId = services.applications.recordDfeParticipantIdChange;

/** A step that throws (DfE away past a read's retries, a lease taken over) is the next round's to try again, as a sweep's is. */
async function step<T>(name: string, run: () => Promise<T>, errors: string[]): Promise<T | undefined> {
  try {
    return await run();
  } catch (err) {
    errors.push(`${name}: ${(err as Error).message.slice(0, 200)}`);
    return undefined;
  }
}

/** What is still to do: changes pending, declarations approved and not sent, voids asked for; and whether every pull's last run finished. */
async function outstanding() {
  const [[changes], [declarations], [voids], cursors] = await Promise.all([
    db.select({ n: count() }).from(dfeChanges).where(eq(dfeChanges.state, 'pending')),
    db.select({ n: count() }).from(dfeDeclarations).where(eq(dfeDeclarations.state, 'approved')),
    db.select({ n: count() }).from(dfeDeclarations).where(and(isNotNull(dfeDeclarations.voidRequestedAt), isNull(dfeDeclarations.voidedAt))),
    db.select({ name: dfeSyncCursors.name, runStartedAt: dfeSyncCursors.runStartedAt }).from(dfeSyncCursors).where(inArray(dfeSyncCursors.name, ['applications', 'declarations', 'statements'])),
  ]);
  return { changes: changes!.n, declarations: declarations!.n, voids: voids!.n, pullsUnfinished: cursors.filter((c) => c.runStartedAt).length };
}

for (let round = 1; ; round++) {
  const errors: string[] = [];
  const apps = await step('pull applications', () => pullApplications({ ...sync, record: services.applications.recordDfeApplication, decided: (id, kind) => sendDecision(sync, id, kind) }, { overlapMs: 10 * 60 * 1000 }), errors);
  const changes = await step('send pending changes', () => sendPendingChanges({ ...sync, changeId }, 500), errors);
  const proposed = await step(
    'propose declarations',
    async () => {
      const r = await proposeDeclarations(sync);
      for (const id of r.approved) await sendDeclaration({ ...sync, changeId }, id).catch(() => undefined);
      return r;
    },
    errors,
  );
  const declarations = await step('send pending declarations', () => sendPendingDeclarations({ ...sync, changeId }), errors);
  const pulled = await step('pull declarations', () => pullDeclarations(sync, { overlapMs: 10 * 60 * 1000 }), errors);
  const statements = await step('pull statements', () => pullStatements(sync, { overlapMs: 10 * 60 * 1000 }), errors);
  const left = await outstanding();
  const finished = Boolean(apps?.finished && pulled?.finished && statements?.finished);
  const done = finished && !errors.length && proposed?.proposed === 0 && left.changes === 0 && left.declarations === 0 && left.voids === 0 && left.pullsUnfinished === 0;
  console.log(JSON.stringify({ round, at: clock.now().toISOString(), applicationsRead: apps?.read ?? null, changesSettled: changes ?? null, proposed: proposed?.proposed ?? null, declarationsSettled: declarations ?? null, declarationsRead: pulled?.read ?? null, left, errors, done }));
  if (done) break;
  if (Date.now() > deadline) {
    console.error('dfe-sync-worker: deadline passed with work left');
    await database.close();
    process.exit(3);
  }
}
await database.close();
process.exit(0);
