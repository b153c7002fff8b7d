import * as OTPAuth from 'otpauth';
import { parse } from 'parse5';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createThrowawayDatabase, type ThrowawayDatabase } from '../db/test-database';
import { DEMO_PASSWORD, DEMO_TOTP_SECRET } from '../demo/demo-data';
import { type ServerProcess, startServerProcess, until } from '../testing/server-process';

const serverUrl = process.env.DATABASE_URL;
const API_TOKEN = 'npq_several_processes_test_token';

/** A browser of its own: one cookie jar, whichever process it talks to (as behind a load balancer). */
class Browser {
  private cookies = new Map<string, string>();
  csrf = '';

  /** Another browser holding the same cookies: what a second tab, or a stolen cookie, sends. */
  copy(): Browser {
    const other = new Browser();
    other.cookies = new Map(this.cookies);
    return other;
  }

  async request(base: string, path: string, form?: Record<string, string>) {
    const res = await fetch(`${base}${path}`, {
      method: form ? 'POST' : 'GET',
      redirect: 'manual',
      headers: {
        accept: 'text/html',
        cookie: [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; '),
        ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
      },
      ...(form ? { body: new URLSearchParams({ _csrf: this.csrf, ...form }) } : {}),
    });
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const [name, value] = [pair!.slice(0, pair!.indexOf('=')), pair!.slice(pair!.indexOf('=') + 1)];
      if (value === '' || /max-age=0/i.test(c)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    const body = await res.text();
    const token = body.match(/name="_csrf" value="([^"]+)"/);
    if (token) this.csrf = token[1]!;
    return { status: res.status, location: res.headers.get('location'), body };
  }
}

type Node = { nodeName: string; attrs?: { name: string; value: string }[]; childNodes?: Node[]; value?: string };
const attr = (n: Node, name: string) => n.attrs?.find((a) => a.name === name)?.value;
const textOf = (n: Node): string => (n.nodeName === '#text' ? (n.value ?? '') : (n.childNodes ?? []).map(textOf).join(''));

/** The values a browser would send from the form posting to `action`, as the page shows them. */
function formValues(html: string, action: string): Record<string, string> {
  const values: Record<string, string> = {};
  const walk = (n: Node, inForm: boolean) => {
    const here = inForm || (n.nodeName === 'form' && attr(n, 'action') === action);
    if (here && attr(n, 'name')) {
      const name = attr(n, 'name')!;
      if (n.nodeName === 'input') {
        const type = attr(n, 'type') ?? 'text';
        if ((type !== 'checkbox' && type !== 'radio') || n.attrs!.some((a) => a.name === 'checked')) values[name] = attr(n, 'value') ?? '';
      } else if (n.nodeName === 'textarea') values[name] = textOf(n);
      else if (n.nodeName === 'select') {
        const options = (n.childNodes ?? []).filter((c) => c.nodeName === 'option');
        const chosen = options.find((o) => o.attrs!.some((a) => a.name === 'selected')) ?? options[0];
        if (chosen) values[name] = attr(chosen, 'value') ?? textOf(chosen);
      }
    }
    for (const c of n.childNodes ?? []) walk(c, here);
  };
  walk(parse(html) as unknown as Node, false);
  return values;
}

/**
 * "At once" means the very first request after the change's answer, whichever process it reaches: the
 * change's process answers only when every other process has dropped what it kept (the notifier waits
 * for their acknowledgements, docs/adr/0031). So each test reads once, never polls.
 */
describe.skipIf(!serverUrl)('two platform processes on one PostgreSQL database', () => {
  let throwaway: ThrowawayDatabase;
  let one: ServerProcess;
  let two: ServerProcess;
  beforeAll(async () => {
    throwaway = await createThrowawayDatabase(serverUrl!);
    // The first loads the demo; the second finds it there, as a second machine would.
    one = await startServerProcess({ env: { DATABASE_URL: throwaway.url, DEMO: 'true', NPQ_BOOTSTRAP_API_TOKEN: API_TOKEN } });
    two = await startServerProcess({ env: { DATABASE_URL: throwaway.url, DEMO: 'false' } });
  }, 300_000);
  afterAll(async () => {
    await one?.kill();
    await two?.kill();
    await throwaway?.drop();
  });

  const admin = new Browser();
  beforeAll(async () => {
    await admin.request(one.baseUrl, '/sign-in');
    const signedIn = await admin.request(one.baseUrl, '/sign-in', { email: 'admin@demo.npq.test', password: DEMO_PASSWORD });
    expect(signedIn.location, `${signedIn.status} ${signedIn.body.slice(0, 1000)}\n${one.output().slice(-2000)}`).toBe('/sign-in/two-factor');
    await admin.request(one.baseUrl, '/sign-in/two-factor');
    const code = new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(DEMO_TOTP_SECRET), digits: 6, period: 30 }).generate();
    const secondFactor = await admin.request(one.baseUrl, '/sign-in/two-factor', { code });
    expect(secondFactor.status, secondFactor.body.match(/govuk-error-summary[\s\S]{0,600}/)?.[0] ?? secondFactor.body.slice(0, 600)).toBe(303);
  }, 60_000);

  it('shows an application accepted through one in the other’s inbox at once', async () => {
    const api = (method: string, path: string, body?: unknown) =>
      fetch(`${one.baseUrl}${path}`, { method, headers: { authorization: `Bearer ${API_TOKEN}`, 'content-type': 'application/json' }, ...(body ? { body: JSON.stringify(body) } : {}) });
    const pending = (await (await api('GET', '/api/v1/applications?filter[status]=pending&page[per_page]=1000')).json()) as { data: { id: string; attributes: { full_name: string } }[] };
    // The other process reads, and keeps, the inbox of accepted applications before the change. Applications are told
    // apart by id: two people of one name (the demo's DfE-registered Owen Price and a pending one) are two applications.
    const before = await admin.request(two.baseUrl, '/admin/applications?status=accepted');
    expect(before.status).toBe(200);
    let accepted: string | undefined;
    for (const application of pending.data) {
      for (const attributes of [{}, { funded_place: true }, { funded_place: false }]) {
        const res = await api('POST', `/api/v1/applications/${application.id}/accept`, { data: { type: 'npq-application-accept', attributes } });
        if (res.status === 200) accepted = application.id;
        if (accepted) break;
      }
      if (accepted && !before.body.includes(accepted)) break;
      accepted = undefined;
    }
    expect(accepted, 'an application the demo lets be accepted').toBeDefined();
    const after = await admin.request(two.baseUrl, '/admin/applications?status=accepted');
    expect(after.body).toContain(accepted);
  });

  it('shows a qualification edited through one on the other’s cached catalogue pages at once', async () => {
    const visitor = new Browser();
    const before = await visitor.request(two.baseUrl, '/qualifications/npq-headship');
    expect(before.status).toBe(200);
    expect(before.body).not.toContain('Headship, as edited in another process');

    const list = await admin.request(one.baseUrl, '/admin/catalogue');
    const editLink = list.body.match(/href="(\/admin\/qualifications\/[0-9a-f-]{36})">NPQH</);
    expect(editLink, 'the headship NPQ on the admin catalogue').not.toBeNull();
    const edit = await admin.request(one.baseUrl, editLink![1]!);
    const form = formValues(edit.body, editLink![1]!);
    const saved = await admin.request(one.baseUrl, editLink![1]!, { ...form, name: 'Headship, as edited in another process' });
    expect(saved.status, saved.body.slice(0, 500)).toBe(303);
    expect((await visitor.request(two.baseUrl, '/qualifications/npq-headship')).body).toContain('Headship, as edited in another process');
    expect((await visitor.request(two.baseUrl, '/qualifications')).body).toContain('Headship, as edited in another process');
  });

  it('shows on the other’s kept home page at once a draft started through one', async () => {
    const pat = new Browser();
    await pat.request(one.baseUrl, '/sign-in');
    const signedIn = await pat.request(one.baseUrl, '/sign-in', { email: 'participant@demo.npq.test', password: DEMO_PASSWORD });
    expect(signedIn.location).toBe('/home');
    // The other process renders the participant's home and keeps it (docs/adr/0037).
    for (let i = 0; i < 2; i++) {
      const home = await pat.request(two.baseUrl, '/home');
      expect(home.status).toBe(200);
      expect(home.body).not.toContain('Not sent yet');
    }
    const started = await pat.request(one.baseUrl, '/apply?npq=npq-headship');
    expect(started.status).toBe(303);
    const seen = await pat.request(two.baseUrl, '/home');
    expect(seen.body).toMatch(/Headship[^<]*: Not sent yet/);
    // The kept page's form token is this browser's own, minted by the other process: signing out there works.
    const signedOut = await pat.request(two.baseUrl, '/sign-out', {});
    expect(signedOut.status).toBe(303);
  });

  it('refuses in the other at once a session signed out in one', async () => {
    // The other process knows (and keeps) the session before it ends.
    expect((await admin.request(two.baseUrl, '/admin/applications')).status).toBe(200);
    const sameCookie = admin.copy();
    await admin.request(one.baseUrl, '/account');
    const signedOut = await admin.request(one.baseUrl, '/sign-out', {});
    expect(signedOut.status, signedOut.body.slice(0, 2000)).toBe(303);
    const refused = await sameCookie.request(two.baseUrl, '/admin/applications');
    expect(refused.status).toBe(303);
    expect(refused.location).toMatch(/^\/sign-in/);
  });

  it('refuses at once, every time, a session signed out in the other process (five sign-ins and sign-outs)', async () => {
    for (let round = 1; round <= 5; round++) {
      const participant = new Browser();
      await participant.request(one.baseUrl, '/sign-in');
      const signedIn = await participant.request(one.baseUrl, '/sign-in', { email: 'participant@demo.npq.test', password: DEMO_PASSWORD });
      expect(signedIn.status, `round ${round}: ${signedIn.body.slice(0, 300)}`).toBe(303);
      // The other process reads the session, and keeps it.
      expect((await participant.request(two.baseUrl, '/home')).status, `round ${round}`).toBe(200);
      const stolen = participant.copy();
      await participant.request(one.baseUrl, '/account');
      expect((await participant.request(one.baseUrl, '/sign-out', {})).status).toBe(303);
      const refused = await stolen.request(two.baseUrl, '/home');
      expect({ round, status: refused.status, location: refused.location?.replace(/\?.*/, '') }).toEqual({ round, status: 303, location: '/sign-in' });
    }
  });
});

describe.skipIf(!serverUrl)('--workers N on PostgreSQL', () => {
  it('runs N processes on one port, prepared once, and stops them all on SIGTERM', async () => {
    const throwaway = await createThrowawayDatabase(serverUrl!);
    const server = await startServerProcess({ command: [process.execPath, '--import', 'tsx', 'src/server.ts', '--workers', '2'], env: { DATABASE_URL: throwaway.url, DEMO: 'true' } });
    try {
      // The primary announces on cluster's 'listening', which can come before a worker's own log line
      // has reached the shared output: wait for both.
      const count = (pattern: RegExp) => server.output().match(pattern)?.length ?? 0;
      await until(() => (server.output().includes('2 processes)') && count(/Server listening/g) >= 2) || !server.alive(), 'both processes to listen', 120_000);
      expect(server.output().match(/Server listening/g)).toHaveLength(2);
      expect(server.output().match(/demo provider loaded/g)).toHaveLength(1);
      const answers = await Promise.all(Array.from({ length: 20 }, () => fetch(`${server.baseUrl}/ready`).then((r) => r.status)));
      expect(answers.every((s) => s === 200)).toBe(true);
      server.child.kill('SIGTERM');
      expect(await server.exited).toBe(0);
      // 'exit' can come before the last of the workers' output has been read.
      await until(() => count(/database closed; exiting/g) >= 2, 'both processes to say they closed', 20_000).catch(() => {});
      expect(server.output().match(/database closed; exiting/g)).toHaveLength(2);
    } finally {
      await server.kill();
      await throwaway.drop();
    }
  }, 240_000);
});
