/**
 * Query values at the edge of what the API's validation lets through (issue 9, ADR 0033): dates
 * PostgreSQL cannot hold and pages whose offset passes a safe bound are refused with DfE's 422 naming
 * the field (src/api/domain/paging.ts), never a 500 from the database.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestApp } from '../testing/test-app';
import { factoriesFor } from '../testing/factories';

const t = useTestApp();
const f = factoriesFor(t);
let token: string;
beforeAll(async () => {
  token = (await f.anApiToken()).token;
  await f.anAcceptedApplication();
});
const get = (url: string) => t.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token}` } });

describe('GET /api/v1/applications with edge values', () => {
  it('answers filter[updated_since] in year 0000 (a valid ISO 8601 date-time) without a 500', async () => {
    const res = await get('/api/v1/applications?filter[updated_since]=0000-01-01T00:00:00Z');
    // Was: 500 internal_error (the database refused the timestamp; the zod check passed it).
    expect(res.statusCode, res.body).toBe(422);
    expect(res.json().error.details.fields).toHaveProperty(['filter[updated_since]']);
    expect((await get('/api/v1/applications?filter[updated_since]=0001-01-01T00:00:00Z')).statusCode).toBe(200);
  });

  it('answers the largest page number zod accepts without a 500', async () => {
    const res = await get('/api/v1/applications?page[page]=9007199254740991&page[per_page]=3000');
    expect(res.statusCode, res.body).toBe(422);
    expect(res.json().error.details.fields).toHaveProperty(['page[page]']);
    // A page past the last but within the bound is empty, as DfE answers it.
    const far = await get('/api/v1/applications?page[page]=3002399751580&page[per_page]=3000');
    expect(far.statusCode, far.body).toBe(200);
    expect(far.json().data).toEqual([]);
  });

  it('refuses a page number past the bound in the qualifications list too', async () => {
    const res = await get('/api/v1/qualifications?page[page]=9007199254740991');
    expect(res.statusCode, res.body).toBe(422);
    expect(res.json().error.details.fields).toHaveProperty(['page[page]']);
  });
});
