/**
 * `tsx src/server.ts --workers 2` on one PostgreSQL database (ADR 0031), through real HTTP on fresh
 * connections (node:cluster hands each connection to either process): each email is sent once, a
 * signed-out session is refused in both processes, and sign-in attempts from one address are counted
 * once across both. PostgreSQL only:
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npx vitest run src/platform/workers.server.test.ts
 */
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createThrowawayDatabase, type ThrowawayDatabase } from '../db/test-database';
import { type ServerProcess, startServerProcess } from '../testing/server-process';
import { startTestSmtpServer } from '../testing/smtp';
import { DEMO_PASSWORD } from '../demo/demo-data';

const serverUrl = process.env.DATABASE_URL;
const API_TOKEN = 'npq_workers_test_token_for_tests_0123456789';
const SIGN_IN_LIMIT = 8;
/** Sign-in and sign-out rounds of the session test (each one sign-in from this address). */
const ROUNDS = 4;

/** One request on a connection of its own, so the cluster may give it to either process. */
function request(base: string, path: string, opts: { method?: string; headers?: Record<string, string>; body?: string } = {}) {
  return new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }>((resolve, reject) => {
    const req = http.request(`${base}${path}`, { method: opts.method ?? 'GET', agent: false, headers: { connection: 'close', ...opts.headers } }, (res) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end(opts.body);
  });
}

describe.skipIf(!serverUrl)('two worker processes of one server', () => {
  let throwaway: ThrowawayDatabase;
  let smtp: Awaited<ReturnType<typeof startTestSmtpServer>>;
  let server: ServerProcess;
  beforeAll(async () => {
    smtp = await startTestSmtpServer();
    throwaway = await createThrowawayDatabase(serverUrl!, 'npq_workers_');
    server = await startServerProcess({
      command: [process.execPath, '--import', 'tsx', 'src/server.ts', '--workers', '2'],
      env: { DATABASE_URL: throwaway.url, DEMO: 'true', NPQ_BOOTSTRAP_API_TOKEN: API_TOKEN, SMTP_URL: smtp.url, SIGN_IN_LIMIT_PER_MINUTE: String(SIGN_IN_LIMIT) },
    });
    // Both processes listening: the primary announces once every worker is.
    const deadline = Date.now() + 120_000;
    while (!/processes\)/.test(server.output()) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  }, 300_000);
  afterAll(async () => {
    await server?.kill();
    await smtp?.close();
    await throwaway?.drop();
  });

  it('sends each email once, whichever process enqueued it', async () => {
    const api = (method: string, path: string, body?: unknown) =>
      request(server.baseUrl, path, { method, headers: { authorization: `Bearer ${API_TOKEN}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
    const pending = JSON.parse((await api('GET', '/api/v1/applications?filter[status]=pending&page[per_page]=100')).body) as { data: { id: string; attributes: { email: string } }[] };
    const accepted: string[] = [];
    for (const application of pending.data) {
      for (const attributes of [{}, { funded_place: true }, { funded_place: false }]) {
        const res = await api('POST', `/api/v1/applications/${application.id}/accept`, { data: { attributes } });
        if (res.status === 200) {
          accepted.push(application.attributes.email);
          break;
        }
      }
    }
    expect(accepted.length).toBeGreaterThan(0);
    const deadline = Date.now() + 20_000;
    const acceptances = () => smtp.received.filter((m) => /accepted|place/i.test(m.subject) && accepted.some((a) => m.to.includes(a)));
    while (acceptances().length < accepted.length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    // Time for a second process to send any copy.
    await new Promise((r) => setTimeout(r, 5_000));
    const seen = new Map<string, number>();
    for (const m of smtp.received) seen.set(`${m.to}|${m.subject}|${m.text}`, (seen.get(`${m.to}|${m.subject}|${m.text}`) ?? 0) + 1);
    expect([...seen].filter(([, n]) => n > 1).map(([k]) => k.slice(0, 120))).toEqual([]);
    expect(acceptances().length).toBe(accepted.length);
  }, 60_000);

  it('refuses a signed-out session in both processes at the very next request, and from then on', async () => {
    const jar = new Map<string, string>();
    const send = async (path: string, form?: Record<string, string>) => {
      const res = await request(server.baseUrl, path, {
        method: form ? 'POST' : 'GET',
        headers: { accept: 'text/html', cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; '), ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}) },
        body: form ? new URLSearchParams(form).toString() : undefined,
      });
      for (const c of [res.headers['set-cookie'] ?? []].flat()) {
        const [pair] = c.split(';');
        const name = pair!.slice(0, pair!.indexOf('='));
        const value = pair!.slice(pair!.indexOf('=') + 1);
        if (value === '' || /max-age=0/i.test(c)) jar.delete(name);
        else jar.set(name, value);
      }
      return { ...res, csrf: res.body.match(/name="_csrf" value="([^"]+)"/)?.[1] ?? '' };
    };
    const answers: string[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      jar.clear();
      const page = await send('/sign-in');
      const signedIn = await send('/sign-in', { _csrf: page.csrf, email: 'participant@demo.npq.test', password: DEMO_PASSWORD });
      expect(signedIn.status).toBe(303);
      const stolen = [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
      const home = await send('/home');
      expect((await request(server.baseUrl, '/applications', { headers: { accept: 'text/html', cookie: stolen } })).status).toBe(200);
      const out = await send('/sign-out', { _csrf: home.csrf });
      expect(out.status).toBe(303);
      // The sign-out is answered only once the other process has dropped the session it kept (ADR 0031):
      // the stolen cookie is refused at the very next request, whichever process takes it.
      const statuses: number[] = [];
      for (let i = 0; i < 7; i++) statuses.push((await request(server.baseUrl, '/applications', { headers: { accept: 'text/html', cookie: stolen } })).status);
      answers.push(statuses.join(','));
    }
    expect(answers.filter((a) => a.includes('200')), answers.join(' | ')).toEqual([]);
  });
  // After the previous test's ROUNDS sign-ins from this address.
  it('counts sign-in attempts from one address once across both processes', async () => {
    const answers: number[] = [];
    for (let i = 0; i < SIGN_IN_LIMIT * 3; i++) {
      const res = await request(server.baseUrl, '/sign-in', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' }, body: 'email=nobody%40school.test&password=wrong' });
      answers.push(res.status);
    }
    expect(answers.filter((s) => s === 429).length, answers.join(',')).toBe(SIGN_IN_LIMIT * 3 - (SIGN_IN_LIMIT - ROUNDS));
  });
});
