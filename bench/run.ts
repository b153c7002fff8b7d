/**
 * npm run bench [-- --pglite] [-- --json] [-- --duration 10] [-- --connections 50] [-- --only inbox] [-- --profile]
 *
 * Starts the platform in its own process on PostgreSQL (or PGlite), on a generated provider-sized
 * dataset, loads it from this process with autocannon, and in the same run measures a ceiling: a bare
 * node:http server sending the same bytes from memory. Reports requests/s, p50/p95/p99, errors and the
 * platform's peak memory for each scenario, next to the ceiling.
 */
import { type ChildProcess, fork, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { buildServices } from '../src/app';
import { loadConfig } from '../src/config';
import { openDatabase, withConnection } from '../src/db/client';
import * as OTPAuth from 'otpauth';
import { DEMO_TOTP_SECRET, loadDemo, loadEnrolmentDemo } from '../src/demo/demo-data';
import { systemClock } from '../src/platform/clock';
import { generatedSchools, giasCsv } from '../src/enrolment/gias-csv';
import { DATASET, generateDataset } from './dataset';

const args = process.argv.slice(2);
const flag = (name: string) => args.includes(`--${name}`);
const option = (name: string, fallback: number) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const usePglite = flag('pglite');
const profile = flag('profile');
const onlyIndex = args.indexOf('--only');
const only = onlyIndex >= 0 ? args[onlyIndex + 1] : undefined;
const json = flag('json');
const duration = option('duration', 10);
const connections = option('connections', 50);
const APP_PORT = 3290;
const BENCH_TOKEN = 'npq_bench_token_for_this_run_only';
// The dataset and the server share the secret: staff second-factor keys are sealed with it.
const COOKIE_SECRET = 'bench-cookie-secret-bench-cookie-secret';
// The platform runs as production, which deactivates demo accounts left with the published password.
const BENCH_PASSWORD = 'bench-password-not-the-demo-one';
const GIAS_ROWS = 50_000;
const CEILING_PORT = 3291;
const log = (...m: unknown[]) => console.error(...m);

interface Scenario {
  name: string;
  path: string;
  /** When given, each request asks for a different one of these (filters and pages vary, as in use). */
  paths?: string[];
  headers?: Record<string, string>;
  targets: { ratio: number; p99_ms?: number; p95_ms?: number };
}

interface Measured {
  rps: number;
  p50_ms: number;
  p95_ms: number;
  p99_ms: number;
  errors: number;
  requests: number;
}

const percentile = (sorted: number[], p: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]! : 0);

/** Loads a URL with autocannon and records every response time, so p95 is exact. */
async function load(url: string, headers: Record<string, string> = {}, seconds = duration, paths?: string[]): Promise<Measured> {
  const times: number[] = [];
  let errors = 0;
  let next = 0;
  const requests = paths ? [{ setupRequest: (req: autocannon.Request) => ({ ...req, path: paths[next++ % paths.length]! }) }] : undefined;
  const instance = autocannon({ url, connections, duration: seconds, headers, pipelining: 1, ...(requests ? { requests } : {}) }) as unknown as Promise<autocannon.Result> & autocannon.Instance;
  instance.on('response', (_client: unknown, status: number, _bytes: number, ms: number) => {
    if (status >= 400) errors++;
    times.push(ms);
  });
  const result = await instance;
  times.sort((a, b) => a - b);
  return {
    rps: Math.round(result.requests.total / seconds),
    p50_ms: +percentile(times, 50).toFixed(2),
    p95_ms: +percentile(times, 95).toFixed(2),
    p99_ms: +percentile(times, 99).toFixed(2),
    errors: errors + result.errors + result.timeouts + result.non2xx,
    requests: result.requests.total,
  };
}

async function waitFor(url: string, timeoutMs = 120_000) {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {}
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${url} did not become ready`);
}

const peakRssMb = (pid: number) => {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(status.match(/VmHWM:\s+(\d+)/)?.[1] ?? 0);
  return Math.round(kb / 1024);
};

async function prepareDatabase(): Promise<{ env: Record<string, string>; cleanup: () => Promise<void> }> {
  const config = loadConfig({ ...process.env, DEMO: 'true', LOG_LEVEL: 'warn', COOKIE_SECRET });
  const started = Date.now();
  if (usePglite) {
    const dir = mkdtempSync(path.join(tmpdir(), 'npq-bench-'));
    const database = await openDatabase({ kind: 'pglite', dataDir: path.join(dir, 'pglite') });
    const services = buildServices({ config, database, clock: systemClock });
    await loadDemo(database.db, services.people, BENCH_PASSWORD);
    await loadEnrolmentDemo(services);
    await generateDataset(database);
    await database.close();
    log(`dataset on PGlite ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    return { env: { DATA_DIR: dir, DATABASE_URL: '' }, cleanup: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  const server = process.env.BENCH_DATABASE_URL ?? process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const name = 'npq_bench';
  await withConnection(server, async (admin) => {
    await admin.query(`drop database if exists ${name} with (force)`);
    await admin.query(`create database ${name}`);
  });
  const url = new URL(server);
  url.pathname = `/${name}`;
  const database = await openDatabase({ kind: 'postgres', url: url.toString() });
  const services = buildServices({ config, database, clock: systemClock });
  await loadDemo(database.db, services.people, BENCH_PASSWORD);
  await loadEnrolmentDemo(services);
  await generateDataset(database);
  await database.close();
  log(`dataset on PostgreSQL ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return {
    env: { DATABASE_URL: url.toString() },
    cleanup: () => withConnection(server, async (c) => void (await c.query(`drop database if exists ${name} with (force)`))),
  };
}

/** Signs in through the real sign-in form (and the second factor, for staff); returns the cookies a browser would then send. */
async function signInCookie(base: string, email = 'participant@demo.npq.test'): Promise<string> {
  const page = await fetch(`${base}/sign-in`);
  const cookies = page.headers.getSetCookie().map((c) => c.split(';')[0]!);
  const csrf = (await page.text()).match(/name="_csrf" value="([^"]+)"/)![1]!;
  const res = await fetch(`${base}/sign-in`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: cookies.join('; ') },
    body: new URLSearchParams({ _csrf: csrf, email, password: BENCH_PASSWORD }).toString(),
  });
  const session = res.headers.getSetCookie().find((c) => c.startsWith('npq_session='));
  if (!session) throw new Error(`sign-in failed: ${res.status}`);
  const jar = new Map(cookies.map((c) => [c.split('=')[0]!, c]));
  for (const c of res.headers.getSetCookie()) jar.set(c.split('=')[0]!, c.split(';')[0]!);
  if (res.headers.get('location') === '/sign-in/two-factor') {
    const cookie = [...jar.values()].join('; ');
    const form = await fetch(`${base}/sign-in/two-factor`, { headers: { cookie } });
    const token = (await form.text()).match(/name="_csrf" value="([^"]+)"/)![1]!;
    const code = new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(DEMO_TOTP_SECRET) }).generate();
    const done = await fetch(`${base}/sign-in/two-factor`, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded', cookie }, body: new URLSearchParams({ _csrf: token, code }).toString() });
    if (done.headers.get('location') !== '/home') throw new Error(`second factor failed: ${done.status}`);
    for (const c of done.headers.getSetCookie()) jar.set(c.split('=')[0]!, c.split(';')[0]!);
  }
  return [...jar.values()].join('; ');
}

async function main() {
  const { env, cleanup } = await prepareDatabase();
  const children: ChildProcess[] = [];
  const stopAll = () => {
    for (const c of children) c.kill('SIGTERM');
  };
  process.on('exit', stopAll);
  try {
    const app = spawn(process.execPath, [...(profile ? ['--cpu-prof', `--cpu-prof-dir=${path.join(tmpdir(), 'npq-prof')}`] : []), '--import', 'tsx', 'src/server.ts'], {
      env: { ...process.env, ...env, PORT: String(APP_PORT), HOST: '127.0.0.1', DEMO: 'false', LOG_LEVEL: 'warn', NODE_ENV: 'production', COOKIE_SECRET, NPQ_BOOTSTRAP_API_TOKEN: BENCH_TOKEN },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    children.push(app);
    const base = `http://127.0.0.1:${APP_PORT}`;
    await waitFor(`${base}/ready`);
    const cookie = await signInCookie(base);
    const adminCookie = await signInCookie(base, 'admin@demo.npq.test');

    // The inbox as an admin uses it: each request a different filter and page over the 100,000 applications.
    const courses = ['npq-senco', 'npq-headship', 'npq-senior-leadership', 'npq-leading-teaching', ''];
    const statuses = ['pending', 'accepted', 'rejected', ''];
    const inboxPaths: string[] = [];
    const apiPaths: string[] = [];
    for (let i = 0; i < 400; i++) {
      const query = new URLSearchParams(Object.entries({ status: statuses[i % 4]!, course: courses[i % 5]!, funding: i % 3 === 0 ? 'eligible' : '', approval: i % 7 === 0 ? 'approved' : '', gateway: i % 11 === 0 ? 'passed' : '', q: i % 13 === 0 ? `Applicant ${i * 37}` : '', page: String(1 + (i % 40)) }).filter(([, v]) => v));
      inboxPaths.push(`/admin/applications?${query}`);
      apiPaths.push(`/api/v1/applications?filter[cohort]=${['2025', '2026', '2027'][i % 3]}&page[per_page]=100&page[page]=${1 + (i % 50)}${i % 2 ? '&filter[status]=pending' : ''}`);
    }

    const scenarios: Scenario[] = [
      { name: 'course page (anonymous)', path: '/qualifications/npq-headship', targets: { ratio: 0.25, p99_ms: 25 } },
      { name: 'signed-in home page', path: '/home', headers: { cookie }, targets: { ratio: 0.15 } },
      { name: 'inbox, filtered + paged', path: inboxPaths[0]!, paths: inboxPaths, headers: { cookie: adminCookie }, targets: { ratio: 0, p95_ms: 50 } },
      { name: 'applications API, 100/page', path: apiPaths[0]!, paths: apiPaths, headers: { authorization: `Bearer ${BENCH_TOKEN}` }, targets: { ratio: 0 } },
    ];
    const results = [];
    for (const s of scenarios.filter((x) => !only || x.name.includes(only))) {
      const first = await fetch(`${base}${s.path}`, { headers: s.headers });
      if (first.status !== 200) throw new Error(`${s.path} answered ${first.status}`);
      const bytes = Buffer.from(await first.arrayBuffer());
      await load(`${base}${s.path}`, s.headers, 2, s.paths); // warm up
      log(`measuring ${s.name} for ${duration} s with ${connections} connections…`);
      const platform = await load(`${base}${s.path}`, s.headers, duration, s.paths);
      const file = path.join(tmpdir(), `npq-bench-${process.pid}.html`);
      writeFileSync(file, bytes);
      const ceilingServer = fork(path.resolve('bench/ceiling-server.ts'), [file, String(CEILING_PORT)], { execArgv: ['--import', 'tsx'], stdio: 'ignore' });
      children.push(ceilingServer);
      await new Promise((resolve) => ceilingServer.once('message', resolve));
      await load(`http://127.0.0.1:${CEILING_PORT}/`, {}, 2);
      const ceiling = await load(`http://127.0.0.1:${CEILING_PORT}/`);
      ceilingServer.kill();
      const ratio = +(platform.rps / ceiling.rps).toFixed(3);
      const row = { name: s.name, rps: platform.rps, p50_ms: platform.p50_ms, p95_ms: platform.p95_ms, p99_ms: platform.p99_ms, errors: platform.errors, ceiling_rps: ceiling.rps, ratio, rss_mb: peakRssMb(app.pid!), bytes: bytes.length, requests: platform.requests };
      const misses = [
        ratio < s.targets.ratio ? `ratio ${ratio} < ${s.targets.ratio}` : null,
        s.targets.p99_ms && platform.p99_ms > s.targets.p99_ms ? `p99 ${platform.p99_ms} ms > ${s.targets.p99_ms} ms` : null,
        s.targets.p95_ms && platform.p95_ms > s.targets.p95_ms ? `p95 ${platform.p95_ms} ms > ${s.targets.p95_ms} ms` : null,
        platform.errors > 0 ? `${platform.errors} errors` : null,
      ].filter(Boolean);
      results.push({ ...row, target: s.targets, met: misses.length === 0, misses });
    }

    // The GIAS import: a 50,000-school extract through the API, first as new schools, then as updates.
    const csv = giasCsv(generatedSchools(GIAS_ROWS));
    const imports = [];
    for (const pass of only ? [] : ['first import (all new)', 'second import (all updates)']) {
      const started = performance.now();
      const res = await fetch(`${base}/api/v1/reference/schools`, { method: 'POST', headers: { authorization: `Bearer ${BENCH_TOKEN}`, 'content-type': 'text/csv' }, body: csv });
      const seconds = (performance.now() - started) / 1000;
      const body = (await res.json()) as { added?: number; updated?: number; rejected?: number; status?: string };
      if (res.status !== 200 || body.status !== 'finished') throw new Error(`GIAS import answered ${res.status}: ${JSON.stringify(body)}`);
      imports.push({ name: `GIAS ${pass}`, rows: GIAS_ROWS, seconds: +seconds.toFixed(2), rows_per_s: Math.round(GIAS_ROWS / seconds), added: body.added, updated: body.updated, rejected: body.rejected, bytes: Buffer.byteLength(csv), rss_mb: peakRssMb(app.pid!) });
    }

    const header = `\nNPQ Platform benchmark — ${usePglite ? 'PGlite (embedded)' : 'PostgreSQL'}; ${connections} connections; ${duration} s per run; dataset: ${DATASET.participants.toLocaleString('en-GB')} participants with sessions, ${DATASET.auditEvents.toLocaleString('en-GB')} audit events, ${DATASET.applications.toLocaleString('en-GB')} applications, ${DATASET.intakesPerQualification} extra intakes per NPQ\n`;
    console.log(header);
    console.log('scenario                   req/s   p50 ms  p95 ms  p99 ms  errors  ceiling req/s  ratio  peak RSS MB  target');
    for (const r of results) {
      console.log(
        `${r.name.padEnd(25)} ${String(r.rps).padStart(6)} ${r.p50_ms.toFixed(2).padStart(8)} ${r.p95_ms.toFixed(2).padStart(7)} ${r.p99_ms.toFixed(2).padStart(7)} ${String(r.errors).padStart(7)} ${String(r.ceiling_rps).padStart(14)} ${r.ratio.toFixed(3).padStart(6)} ${String(r.rss_mb).padStart(12)}  ${r.met ? 'met' : `MISSED: ${r.misses.join(', ')}`}`,
      );
    }
    console.log('\nimport                              rows   seconds   rows/s   added  updated  rejected  file MB');
    for (const i of imports) {
      console.log(`${i.name.padEnd(34)} ${String(i.rows).padStart(6)} ${i.seconds.toFixed(2).padStart(9)} ${String(i.rows_per_s).padStart(8)} ${String(i.added).padStart(7)} ${String(i.updated).padStart(8)} ${String(i.rejected).padStart(9)} ${(i.bytes / 1048576).toFixed(1).padStart(8)}`);
    }
    if (json) {
      console.log(JSON.stringify({ imports, scenarios: results.map(({ name, rps, p50_ms, p95_ms, p99_ms, errors, ceiling_rps, ratio, rss_mb }) => ({ name, rps, p50_ms, p95_ms, p99_ms, errors, ceiling_rps, ratio, rss_mb })) }));
    }
    process.exitCode = results.every((r) => r.met) ? 0 : 1;
  } finally {
    stopAll();
    await cleanup();
  }
}

await main();
