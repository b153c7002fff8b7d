import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { buildServices } from '../src/app';
import { loadConfig } from '../src/config';
import { type Database, openDatabase, withConnection } from '../src/db/client';
import { loadDemo, loadEnrolmentDemo } from '../src/demo/demo-data';
import { createDfeClient } from '../src/dfe/client/dfe-client';
import { proposeDeclarations } from '../src/dfe/declarations/propose-declarations';
import { pullApplications } from '../src/dfe/sync/pull-applications';
import { pullParticipants } from '../src/dfe/sync/pull-participants';
import { system } from '../src/platform/auth/actor';
import { systemClock } from '../src/platform/clock';

/**
 * Issue 13's bench: pulling 100,000 applications and 100,000 participants from DfE's stand-in, and
 * preparing declarations for 100,000 participants — each with its time and this process's peak memory
 * (the platform's side: the stand-in runs in its own process, `npm run dfe-stand-in`, as DfE is
 * elsewhere). Pages of 3,000, DfE's most, so 100,000 records are 34 calls, within DfE's budget.
 */
/** DFE_BENCH_RECORDS runs it smaller, to try it quickly; the figure is 100,000. */
export const DFE_BENCH = { records: Number(process.env.DFE_BENCH_RECORDS ?? 100_000), perPage: 3_000 };

export interface DfeBenchRow {
  name: string;
  records: number;
  seconds: number;
  records_per_s: number;
  rss_before_mb: number;
  peak_rss_mb: number;
  note: string;
}

const mb = (bytes: number) => Math.round(bytes / 1048576);

/** Runs `step`, sampling this process's resident memory every 50 ms; its time and peak. */
async function measured<T>(step: () => Promise<T>): Promise<{ value: T; seconds: number; before: number; peak: number }> {
  const before = process.memoryUsage().rss;
  let peak = before;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 50);
  const started = performance.now();
  try {
    const value = await step();
    peak = Math.max(peak, process.memoryUsage().rss);
    return { value, seconds: (performance.now() - started) / 1000, before, peak };
  } finally {
    clearInterval(sampler);
  }
}

/** The stand-in in its own process with `records` applications for the provider; resolves once it listens. */
async function standInProcess(port: number, env: Record<string, string>): Promise<{ url: string; stop: () => Promise<void> }> {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'scripts/dfe-stand-in.ts'], { env: { ...process.env, DFE_STAND_IN_PORT: String(port), DFE_API_TOKEN: 'bench-dfe-token', PROVIDER_NAME: 'Northern Lights Leadership', ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`the stand-in stopped (${code})`)));
    child.stdout!.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('stand-in at')) resolve();
    });
  });
  const exited = new Promise((r) => child.once('exit', r));
  return {
    url: `http://127.0.0.1:${port}`,
    stop: async () => {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/**
 * The DfE bench on its own database (PostgreSQL `npq_bench_dfe`, or PGlite): the demo provider and
 * cohorts; 100,000 applications pulled from a stand-in holding them pending in cohort 2025a (NPQH and
 * NPQLT); 100,000 participants pulled from a stand-in holding them accepted; then the pulled
 * applications accepted into two intakes of 2025a whose first event and briefing they attended, and
 * every place weighed for declarations (each proposed `started`). Returns a row per step.
 */
export async function benchDfe(opts: { pglite: boolean; port: number; log: (msg: string) => void }): Promise<DfeBenchRow[]> {
  const config = loadConfig({ ...process.env, DEMO: 'true', LOG_LEVEL: 'warn', COOKIE_SECRET: 'bench-cookie-secret-bench-cookie-secret-0123' });
  let database: Database;
  let cleanup: () => Promise<void>;
  if (opts.pglite) {
    const dir = mkdtempSync(path.join(tmpdir(), 'npq-bench-dfe-'));
    database = await openDatabase({ kind: 'pglite', dataDir: path.join(dir, 'pglite') });
    cleanup = async () => rmSync(dir, { recursive: true, force: true });
  } else {
    const server = process.env.BENCH_DATABASE_URL ?? process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
    const name = `${process.env.BENCH_DB_NAME ?? 'npq_bench'}_dfe`;
    await withConnection(server, async (admin) => {
      await admin.query(`drop database if exists ${name} with (force)`);
      await admin.query(`create database ${name}`);
    });
    const url = new URL(server);
    url.pathname = `/${name}`;
    database = await openDatabase({ kind: 'postgres', url: url.toString() });
    cleanup = () => withConnection(server, async (c) => void (await c.query(`drop database if exists ${name} with (force)`)));
  }
  const rows: DfeBenchRow[] = [];
  try {
    const services = buildServices({ config, database, clock: systemClock });
    await loadDemo(database.db, services.people);
    await loadEnrolmentDemo(services);
    await services.learning.ensureProgrammes();
    const client = (url: string) => createDfeClient({ baseUrl: url, token: 'bench-dfe-token', db: database.db, clock: systemClock, timeoutMs: 120_000 });
    const sync = (url: string) => ({ db: database.db, clock: systemClock, client: client(url) });
    const row = (name: string, records: number, m: { seconds: number; before: number; peak: number }, note: string): DfeBenchRow => ({ name, records, seconds: +m.seconds.toFixed(1), records_per_s: Math.round(records / m.seconds), rss_before_mb: mb(m.before), peak_rss_mb: mb(m.peak), note });

    const env = { DFE_STAND_IN_APPLICATIONS: String(DFE_BENCH.records), DFE_STAND_IN_COHORT: '2025a', DFE_STAND_IN_COURSES: 'npq-headship,npq-leading-teaching' };
    let standIn = await standInProcess(opts.port, env);
    try {
      opts.log(`pulling ${DFE_BENCH.records.toLocaleString('en-GB')} applications from the stand-in`);
      const pulled = await measured(() => pullApplications({ ...sync(standIn.url), record: services.applications.recordDfeApplication }, { perPage: DFE_BENCH.perPage }));
      rows.push(row('pull applications (new to the platform)', pulled.value.read, pulled, `${pulled.value.created.toLocaleString('en-GB')} made, ${pulled.value.skipped} not taken in`));
      const again = await measured(() => pullApplications({ ...sync(standIn.url), record: services.applications.recordDfeApplication }, { perPage: DFE_BENCH.perPage }));
      rows.push(row('pull applications again (known)', again.value.read, again, 'a full read: every record matched by DfE’s id'));
    } finally {
      await standIn.stop();
    }
    standIn = await standInProcess(opts.port, { ...env, DFE_STAND_IN_ACCEPTED: 'true' });
    try {
      opts.log(`pulling ${DFE_BENCH.records.toLocaleString('en-GB')} participants from the stand-in`);
      const participants = await measured(() => pullParticipants({ ...sync(standIn.url), changeId: services.applications.recordDfeParticipantIdChange }, { perPage: DFE_BENCH.perPage }));
      rows.push(row('pull participants', participants.value.read, participants, `${participants.value.idsChanged} ids changed`));
    } finally {
      await standIn.stop();
    }

    // The pulled applications as places: accepted into a 2025a intake of their NPQ, at its first event and briefing.
    const actor = system('bench');
    const catalogue = await services.catalogue.list();
    const partner = (await services.catalogue.partnersAndVenues(actor)).partners[0]!;
    for (const [identifier, schedule] of [
      ['npq-headship', 'npq-leadership-spring'],
      ['npq-leading-teaching', 'npq-specialist-spring'],
    ] as const) {
      const q = catalogue.find((c) => c.identifier === identifier)!;
      const intakeId = await services.catalogue.saveIntake(actor, q.id, null, { name: 'Bench spring 2025', startDate: '2025-03-03', applicationDeadline: '2025-02-14', deliveryMode: 'distance', deliveryPartnerId: partner.id, venueId: null, timeZone: 'Europe/London', capacity: null, waitingList: false, cohortIdentifier: '2025a', schedule });
      await services.learning.savePlanEntry(actor, intakeId, 'b1', { date: '2025-03-04', startTime: '17:00', endTime: '18:30', joinUrl: 'https://meet.example.org/bench-b1' });
      await services.learning.savePlanEntry(actor, intakeId, 'e1', { date: '2025-03-10', startTime: '09:30', endTime: '16:00', joinUrl: 'https://meet.example.org/bench-e1' });
      await database.db.execute(sql`update applications set status = 'accepted', intake_id = ${intakeId}, decided_at = now() where dfe_application_id is not null and course_identifier = ${identifier}`);
      await database.db.execute(sql`
        insert into enrolments (application_id, participant_id, intake_id, delivery_partner_id, funded_place, training_status, created_at, updated_at)
        select id, participant_id, intake_id, ${partner.id}, true, 'active', now(), now() from applications where intake_id = ${intakeId} and status = 'accepted'`);
      await database.db.execute(sql`
        insert into attendance (intake_id, item_key, enrolment_id, status, reason, recorded_at)
        select ${intakeId}, k, id, 'present', '', now() from applications, unnest(array['b1', 'e1']) k where intake_id = ${intakeId} and status = 'accepted'`);
    }
    opts.log(`preparing declarations for ${DFE_BENCH.records.toLocaleString('en-GB')} participants`);
    const proposed = await measured(() => proposeDeclarations({ db: database.db, clock: systemClock }));
    rows.push(row('prepare declarations', proposed.value.places, proposed, `${proposed.value.proposed.toLocaleString('en-GB')} proposed (started, from the event and briefing attended)`));
    const reweighed = await measured(() => proposeDeclarations({ db: database.db, clock: systemClock }));
    rows.push(row('prepare declarations again (none new)', reweighed.value.places, reweighed, `${reweighed.value.proposed} proposed, ${reweighed.value.changed} changed`));
  } finally {
    await database.close();
    await cleanup();
  }
  return rows;
}

/** The bench's table for these rows. */
export function printDfeBench(rows: DfeBenchRow[]): void {
  console.log(`\nDfE sync, ${DFE_BENCH.records.toLocaleString('en-GB')} records (pages of ${DFE_BENCH.perPage.toLocaleString('en-GB')}; the stand-in in its own process)`);
  console.log('step                                        records   seconds  records/s  RSS before MB  peak RSS MB  note');
  for (const r of rows) console.log(`${r.name.padEnd(42)} ${String(r.records).padStart(8)} ${r.seconds.toFixed(1).padStart(9)} ${String(r.records_per_s).padStart(10)} ${String(r.rss_before_mb).padStart(14)} ${String(r.peak_rss_mb).padStart(12)}  ${r.note}`);
}
