import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServerProcess, type ServerProcess } from '../testing/server-process';
import { withConnection } from './client';
import { createThrowawayDatabase, type ThrowawayDatabase } from './test-database';

const serverUrl = process.env.DATABASE_URL;
const API_TOKEN = 'npq_connection_lost_test_token';

type Outcome = { kind: 'form' | 'api'; email?: string; status: number | 'refused'; body: string };

describe.skipIf(!serverUrl)('the real server while PostgreSQL ends its connections mid-transaction', () => {
  let throwaway: ThrowawayDatabase;
  let server: ServerProcess;
  beforeAll(async () => {
    throwaway = await createThrowawayDatabase(serverUrl!);
    server = await startServerProcess({ env: { DATABASE_URL: throwaway.url, DEMO: 'true', NPQ_BOOTSTRAP_API_TOKEN: API_TOKEN } });
  }, 240_000);
  afterAll(async () => {
    await server?.kill();
    await throwaway?.drop();
  });

  it('stays up, answers each request with success or a clean 503, and keeps every acknowledged write exactly once', async () => {
    expect(server.alive(), server.output()).toBe(true);
    const form = await fetch(`${server.baseUrl}/interest?npq=npq-headship`);
    const cookie = form.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
    const csrf = (await form.text()).match(/name="_csrf" value="([^"]+)"/)![1]!;
    const registerInterest = async (email: string): Promise<Outcome> => {
      const body = new URLSearchParams({ _csrf: csrf, name: 'Storm Tester', email, courseIdentifier: 'npq-headship', startPreference: 'Not sure yet', consent: 'yes' });
      try {
        const res = await fetch(`${server.baseUrl}/interest`, { method: 'POST', redirect: 'manual', headers: { accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded', cookie }, body });
        return { kind: 'form', email, status: res.status, body: await res.text() };
      } catch {
        return { kind: 'form', email, status: 'refused', body: '' };
      }
    };
    const readApi = async (): Promise<Outcome> => {
      try {
        const res = await fetch(`${server.baseUrl}/api/v1/applications`, { headers: { authorization: `Bearer ${API_TOKEN}` } });
        return { kind: 'api', status: res.status, body: await res.text() };
      } catch {
        return { kind: 'api', status: 'refused', body: '' };
      }
    };

    // Writers and readers run while every session of this test's database (and no other) is ended,
    // again and again: a restart or failover at the worst moments.
    let writing = true;
    let terminated = 0;
    const terminator = (async () => {
      while (writing) {
        const res = await withConnection(serverUrl!, (admin) =>
          admin.query('select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()', [throwaway.name]),
        );
        terminated += res.rowCount ?? 0;
        await new Promise((r) => setTimeout(r, 25));
      }
    })();
    const outcomes: Outcome[] = [];
    let next = 0;
    const TOTAL = 240;
    await Promise.all(
      Array.from({ length: 12 }, async () => {
        while (next < TOTAL) {
          const n = next++;
          outcomes.push(n % 4 === 3 ? await readApi() : await registerInterest(`storm-${n}@example.test`));
        }
      }),
    );
    writing = false;
    await terminator;

    expect(terminated).toBeGreaterThan(0);
    expect(server.alive(), server.output().slice(-3000)).toBe(true);
    const unexpected = outcomes.filter((o) => o.status !== 200 && o.status !== 503);
    expect(unexpected.map((o) => `${o.kind} ${o.status} ${o.body.slice(0, 200)}`)).toEqual([]);
    for (const o of outcomes.filter((o) => o.status === 503)) {
      if (o.kind === 'form') expect(o.body).toContain('The service is briefly unavailable. Try again in a moment: nothing was saved.');
      else expect(JSON.parse(o.body).error.code).toBe('service_unavailable');
    }
    const caught = outcomes.filter((o) => o.status === 503).length;
    console.info(`${terminated} sessions ended; ${caught} of ${TOTAL} requests answered 503`);
    // The storm did catch requests mid-transaction, or this test proves nothing.
    expect(caught).toBeGreaterThan(0);

    // Still serving, reads and writes, once the storm has passed.
    expect((await fetch(`${server.baseUrl}/health`)).status).toBe(200);
    expect((await registerInterest('after-the-storm@example.test')).status).toBe(200);
    expect((await readApi()).status).toBe(200);

    const acknowledged = outcomes.filter((o) => o.kind === 'form' && o.status === 200).map((o) => o.email!);
    acknowledged.push('after-the-storm@example.test');
    // The confirmation emails follow from events, handled by the server's jobs runner after commit:
    // wait until it has handled every job queued by then (each is retried until it succeeds).
    await withConnection(throwaway.url, async (db) => {
      const deadline = Date.now() + 60_000;
      const pending = async () => (await db.query<{ n: number }>(`select count(*)::int as n from jobs where done_at is null and name not like 'sweep:%'`)).rows[0]!.n;
      while ((await pending()) > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    });
    const counts = await withConnection(throwaway.url, async (db) => {
      const interest = await db.query<{ email: string; n: number }>('select email, count(*)::int as n from expressions_of_interest where email = any($1) group by email', [acknowledged]);
      const mail = await db.query<{ to: string; n: number }>('select "to", count(*)::int as n from outbound_emails where "to" = any($1) group by "to"', [acknowledged]);
      return { interest: new Map(interest.rows.map((r) => [r.email, r.n])), mail: new Map(mail.rows.map((r) => [r.to, r.n])) };
    });
    // Every write the server acknowledged is there, once, with its one confirmation email.
    expect(acknowledged.filter((e) => counts.interest.get(e) !== 1)).toEqual([]);
    expect(acknowledged.filter((e) => counts.mail.get(e) !== 1)).toEqual([]);
  }, 240_000);
});
