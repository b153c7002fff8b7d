import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, buildServices } from '../app';
import { loadConfig } from '../config';
import type { Database } from '../db/client';
import { auditEvents } from '../audit/audit.schema';
import { users } from '../people/people.schema';
import { hashPassword } from '../people/people.service';
import { openTestDatabase } from '../db/test-database';
import { fixedClock } from '../platform/clock';
import { Client, FROZEN_NOW, useTestApp } from '../testing/test-app';
import { DEMO_ACCOUNTS } from './demo-data';
import { applyDemoSetting } from './demo-setting';

const production = loadConfig({ NODE_ENV: 'production', COOKIE_SECRET: 'a-production-cookie-secret-of-32-characters', LOG_LEVEL: 'silent', BASE_URL: 'http://npq.test' } as NodeJS.ProcessEnv);

describe('production without DEMO, on a fresh database', () => {
  let database: Database;
  beforeAll(async () => {
    database = await openTestDatabase();
  });
  afterAll(() => database.close());

  it('has no demo users, and the demo admin cannot sign in', async () => {
    const clock = fixedClock(FROZEN_NOW);
    const deps = { config: production, database, clock, logger: false };
    const services = buildServices(deps);
    const app = await buildApp(deps, services);
    expect(await applyDemoSetting({ config: production, db: database.db, services, clock })).toEqual({ loaded: false, deactivated: [] });
    expect(await services.people.countUsers()).toBe(0);
    const c = new Client({ app, services, database, clock, dataDir: production.DATA_DIR, close: async () => {} });
    const res = await c.signIn('admin@demo.npq.test');
    expect(res.statusCode).toBe(401);
    expect(res.headers['set-cookie']?.toString() ?? '').not.toContain('npq_session=');
    await app.close();
  });
});

describe('production on a database an earlier demo left its accounts in', () => {
  const t = useTestApp();

  it('deactivates the accounts still on the published password, ends their sessions and audits it', async () => {
    const signedIn = new Client(t);
    await signedIn.signIn('participant@demo.npq.test');
    expect((await signedIn.get('/home')).statusCode).toBe(200);
    // Someone made the coach's account their own: it is left alone.
    await t.database.db.update(users).set({ passwordHash: await hashPassword('a-password-of-their-own') }).where(eq(users.email, 'coach@demo.npq.test'));

    const { deactivated } = await applyDemoSetting({ config: production, db: t.database.db, services: t.services, clock: t.clock });
    expect(deactivated.sort()).toEqual(DEMO_ACCOUNTS.map((a) => a.email).filter((e) => e !== 'coach@demo.npq.test').sort());
    for (const email of ['admin@demo.npq.test', 'participant@demo.npq.test']) {
      const res = await new Client(t).signIn(email);
      expect(res.headers.location, email).not.toBe('/home');
      expect(res.headers.location, email).not.toBe('/sign-in/two-factor');
    }
    t.clock.advance(11_000); // past the session cache (docs/adr/0003)
    expect((await signedIn.get('/home')).statusCode).toBe(303);
    const events = await t.database.db.select().from(auditEvents).where(eq(auditEvents.action, 'user.deactivated'));
    expect(events).toHaveLength(deactivated.length);
    // A second start finds nothing left to do.
    expect((await applyDemoSetting({ config: production, db: t.database.db, services: t.services, clock: t.clock })).deactivated).toEqual([]);
  });
});

describe('DEMO on a database, started twice', () => {
  const demo = loadConfig({ NODE_ENV: 'development', DEMO: 'true', LOG_LEVEL: 'silent', BASE_URL: 'http://npq.test' } as NodeJS.ProcessEnv);
  let database: Database;
  beforeAll(async () => {
    database = await openTestDatabase();
  });
  afterAll(() => database.close());

  it('loads the demo at the first start, and finds it loaded at the second without changing anything', async () => {
    const clock = fixedClock(FROZEN_NOW);
    const services = buildServices({ config: demo, database, clock });
    expect(await applyDemoSetting({ config: demo, db: database.db, services, clock })).toEqual({ loaded: true, deactivated: [] });
    const eventsAfterFirst = await database.db.select().from(auditEvents);
    expect(eventsAfterFirst.filter((e) => e.action === 'demo.loaded')).toHaveLength(1);

    expect(await applyDemoSetting({ config: demo, db: database.db, services, clock })).toEqual({ loaded: false, deactivated: [] });
    expect(await database.db.select().from(auditEvents)).toHaveLength(eventsAfterFirst.length);
  });
});
