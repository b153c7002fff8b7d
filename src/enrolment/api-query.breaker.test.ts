/**
 * Breaker (issue 9, ADR 0033): query values the applications API's own validation lets through
 * end in a 500 instead of an answer or DfE's 422.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../testing/test-app';
import { factoriesFor } from '../testing/factories';

let t: TestApp;
const f = factoriesFor(() => t);
let token: string;
beforeAll(async () => {
  t = await createTestApp();
  token = (await f.anApiToken()).token;
  await f.anAcceptedApplication();
});
afterAll(async () => {
  await t.close();
});
const get = (url: string) => t.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token}` } });

describe('GET /api/v1/applications with edge values', () => {
  it('answers filter[updated_since] in year 0000 (a valid ISO 8601 date-time) without a 500', async () => {
    const res = await get('/api/v1/applications?filter[updated_since]=0000-01-01T00:00:00Z');
    // Actual: 500 internal_error (the database refuses the timestamp; the zod check passed it).
    expect(res.statusCode).toBeLessThan(500);
  });

  it('answers the largest page number zod accepts without a 500', async () => {
    const res = await get('/api/v1/applications?page[page]=9007199254740991&page[per_page]=3000');
    expect(res.statusCode).toBeLessThan(500);
  });
});
