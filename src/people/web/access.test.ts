import { describe, expect, it } from 'vitest';
import { DEMO_ACCOUNTS } from '../../demo/demo-data';
import { Client, useTestApp } from '../../testing/test-app';

const t = useTestApp();

const ADMIN_PAGES = ['/admin/users', '/admin/catalogue', '/admin/audit', '/admin/api-tokens', '/admin/outbox', '/admin/delivery-partners', '/admin/qualifications/new', '/admin/reference', '/admin/interest', '/admin/cohorts'];

/** What each role may reach: status for each admin page, in ADMIN_PAGES order. */
const EXPECTED: Record<string, number[]> = {
  provider_admin: [200, 200, 200, 200, 200, 200, 200, 200, 200, 200],
  delivery_partner_lead: [200, 403, 403, 403, 403, 403, 403, 403, 403, 403],
  facilitator: [403, 403, 403, 403, 403, 403, 403, 403, 403, 403],
  coach: [403, 403, 403, 403, 403, 403, 403, 403, 403, 403],
  assessor: [403, 403, 403, 403, 403, 403, 403, 403, 403, 403],
  moderator: [403, 403, 403, 403, 403, 403, 403, 403, 403, 403],
  participant: [403, 403, 403, 403, 403, 403, 403, 403, 403, 403],
  school_approver: [403, 403, 403, 403, 403, 403, 403, 403, 403, 403],
  finance: [403, 403, 403, 403, 403, 403, 403, 403, 403, 403],
};

describe('what each role may reach', () => {
  for (const [i, account] of DEMO_ACCOUNTS.filter((a) => a.email !== 'lead.north@demo.npq.test').entries()) {
    it(`${account.role} (${account.email})`, async () => {
      // Each from an address of its own: the second factor is limited per address, and the tests below sign in too.
      const c = new Client(t, `10.140.0.${i + 1}`);
      await c.signIn(account.email);
      expect((await c.get('/home')).statusCode).toBe(200);
      const statuses = [];
      for (const page of ADMIN_PAGES) statuses.push((await c.get(page)).statusCode);
      expect(statuses).toEqual(EXPECTED[account.role]);
    });
  }

  it('anonymous visitors are sent to sign in, and the JSON API refuses them', async () => {
    const c = new Client(t);
    for (const page of [...ADMIN_PAGES, '/home', '/account/sessions']) {
      const res = await c.get(page);
      expect(res.statusCode, page).toBe(303);
      expect(res.headers.location).toMatch(/^\/sign-in\?next=/);
    }
    const api = await t.app.inject({ method: 'GET', url: '/api/v1/qualifications' });
    expect(api.statusCode).toBe(401);
    expect(api.json().error.code).toBe('unauthenticated');
  });

  it('staff who gave only a password reach nothing but the two-factor page', async () => {
    const c = new Client(t);
    await c.get('/sign-in');
    const res = await c.post('/sign-in', { email: 'admin@demo.npq.test', password: 'demo-password-2026' });
    expect(res.headers.location).toBe('/sign-in/two-factor');
    for (const page of ['/home', '/admin/users', '/admin/catalogue']) {
      const r = await c.get(page);
      expect(r.statusCode, page).toBe(303);
      expect(r.headers.location).toBe('/sign-in/two-factor');
    }
  });
});

describe('a delivery partner lead manages only their own partner', () => {
  it('lists only people of their partner and cannot open anyone else', async () => {
    const admin = new Client(t);
    await admin.signIn('admin@demo.npq.test');
    const all = (await admin.get('/admin/users?q=demo.npq.test')).body;
    const northLeadId = all.match(/href="\/admin\/users\/([0-9a-f-]{36})">Nora Lead/)![1]!;
    const facilitatorId = all.match(/href="\/admin\/users\/([0-9a-f-]{36})">Fred Facilitator/)![1]!;

    const lead = new Client(t);
    await lead.signIn('lead.midlands@demo.npq.test');
    const list = (await lead.get('/admin/users')).body;
    expect(list).toContain('Fred Facilitator');
    expect(list).not.toContain('Nora Lead');
    expect(list).not.toContain('Ada Admin');
    expect((await lead.get(`/admin/users/${facilitatorId}`)).statusCode).toBe(200);
    expect((await lead.get(`/admin/users/${northLeadId}`)).statusCode).toBe(404);
    const csv = (await lead.get('/admin/users.csv')).body;
    expect(csv).toContain('facilitator@demo.npq.test');
    expect(csv).not.toContain('lead.north@demo.npq.test');
  });

  it('cannot invite into another partner or give a provider-wide role', async () => {
    const admin = new Client(t);
    await admin.signIn('admin@demo.npq.test');
    const { partners } = await t.services.catalogue.partnersAndVenues({ kind: 'system', name: 'test' });
    const north = partners.find((p) => p.name.includes('North'))!;
    const midlands = partners.find((p) => p.name.includes('Midlands'))!;

    const lead = new Client(t);
    await lead.signIn('lead.midlands@demo.npq.test');
    await lead.get('/admin/users/new');
    const other = await lead.post('/admin/users/new', { name: 'X', email: 'x@school.test', role: 'facilitator', partner: north.id });
    expect(other.statusCode).toBe(403);
    const admin2 = await lead.post('/admin/users/new', { name: 'Y', email: 'y@school.test', role: 'provider_admin', partner: midlands.id });
    expect([403, 422]).toContain(admin2.statusCode);
    const ok = await lead.post('/admin/users/new', { name: 'Zed Facilitator', email: 'zed@school.test', role: 'facilitator', partner: midlands.id });
    expect(ok.statusCode).toBe(303);
  });
});

describe('sessions and sign-in limits', () => {
  it('keep a session across a restart, until it is revoked', async () => {
    const c = new Client(t);
    await c.signIn('participant@demo.npq.test');
    // A second application on the same database stands for the platform after a restart.
    const { buildApp, buildServices } = await import('../../app');
    const { loadConfig } = await import('../../config');
    const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', BASE_URL: 'http://npq.test' } as NodeJS.ProcessEnv);
    const deps = { config, database: t.database, clock: t.clock, logger: false };
    const restarted = await buildApp(deps, buildServices(deps));
    const cookie = (c as unknown as { cookieHeader: string }).cookieHeader;
    const home = await restarted.inject({ url: '/home', headers: { accept: 'text/html', cookie } });
    expect(home.statusCode).toBe(200);
    expect(home.body).toContain('Hello, Pat Participant');
    await c.get('/home');
    await c.post('/sign-out');
    // The other process may trust its cached copy for at most ten seconds (docs/adr/0003).
    t.clock.advance(11_000);
    expect((await restarted.inject({ url: '/home', headers: { accept: 'text/html', cookie } })).statusCode).toBe(303);
    await restarted.close();
  });

});

describe('forms', () => {
  it('refuse a post without the CSRF token and keep nothing', async () => {
    const c = new Client(t);
    await c.get('/sign-in');
    const res = await c.post('/sign-in', { email: 'admin@demo.npq.test', password: 'demo-password-2026' }, { csrf: false });
    expect(res.statusCode).toBe(403);
    expect(res.body).toContain('This form has expired');
    expect(res.body).not.toMatch(/at .*\.ts:\d+/);
  });

  it('show the error next to the field, keep what was typed, and never reveal whether an account exists', async () => {
    const c = new Client(t);
    await c.get('/sign-in');
    const empty = await c.post('/sign-in', { email: '', password: '' });
    expect(empty.statusCode).toBe(422);
    expect(empty.body).toContain('govuk-error-summary');
    expect(empty.body).toContain('Enter your email address');
    const unknown = await c.post('/sign-in', { email: 'ghost@school.test', password: 'x' });
    const wrong = await c.post('/sign-in', { email: 'facilitator@demo.npq.test', password: 'x' });
    const message = (body: string) => body.match(/<a href="#email">([^<]+)<\/a>/)?.[1];
    expect(message(unknown.body)).toBe('Enter a correct email address and password');
    expect(message(wrong.body)).toBe(message(unknown.body));
    expect(wrong.body).toContain('value="facilitator@demo.npq.test"');
  });
});
