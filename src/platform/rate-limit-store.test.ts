import rateLimit from '@fastify/rate-limit';
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../db/client';
import { openTestDatabase } from '../db/test-database';
import { fixedClock } from './clock';
import { postgresRateLimitStore, pruneRateLimits } from './rate-limit-store';

let database: Database;
beforeAll(async () => {
  database = await openTestDatabase();
});
afterAll(() => database.close());

/** A process's server with one limited route and one other, counting in the database. */
async function processWithLimits() {
  const app = Fastify();
  await app.register(rateLimit, { global: false, store: postgresRateLimitStore(database.db) });
  app.post('/sign-in', { config: { rateLimit: { max: 3, timeWindow: '1 minute' } } }, async () => 'ok');
  app.post('/password-reset', { config: { rateLimit: { max: 3, timeWindow: '1 minute' } } }, async () => 'ok');
  await app.ready();
  return app;
}

describe('rate limits counted in the database', () => {
  it('are one limit across processes, per route and address, and tell how long to wait', async () => {
    const [one, two] = [await processWithLimits(), await processWithLimits()];
    const hit = (app: typeof one, url: string, remoteAddress = '203.0.113.7') => app.inject({ method: 'POST', url, remoteAddress });
    const codes = [];
    for (const app of [one, two, one, two]) codes.push((await hit(app, '/sign-in')).statusCode);
    expect(codes).toEqual([200, 200, 200, 429]);
    const refused = await hit(one, '/sign-in');
    expect(refused.statusCode).toBe(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(50);
    // Another route, and another address, count apart.
    expect((await hit(two, '/password-reset')).statusCode).toBe(200);
    expect((await hit(two, '/sign-in', '198.51.100.1')).statusCode).toBe(200);
    await Promise.all([one.close(), two.close()]);
  });

  it('are pruned once their window has ended', async () => {
    const clock = fixedClock(new Date(Date.now() + 61_000));
    expect(await pruneRateLimits(database.db, clock)).toBeGreaterThan(0);
  });
});
