import { factoriesFor } from '../../testing/factories';
import { beforeAll, describe, expect, it } from 'vitest';
import { system } from '../../platform/auth/actor';
import { expectMatchesDocument } from '../../testing/openapi-check';
import { useTestApp } from '../../testing/test-app';

const t = useTestApp();
let token: string;
const { anApiToken } = factoriesFor(t);
beforeAll(async () => {
  token = (await anApiToken()).token;
});

const get = (url: string, bearer: string | null = token) =>
  t.app.inject({ method: 'GET', url, headers: bearer ? { authorization: `Bearer ${bearer}` } : {} });

describe('qualifications API', () => {
  it('needs a valid bearer token', async () => {
    expect((await get('/api/v1/qualifications', null)).json()).toEqual({ error: { code: 'unauthenticated', message: expect.any(String), details: null }, errors: [{ title: 'Unauthorized', detail: expect.any(String) }] });
    const bad = await get('/api/v1/qualifications', 'npq_not-a-real-token');
    expect(bad.statusCode).toBe(401);
    expect(bad.json().error.code).toBe('invalid_token');
  });

  it('lists NPQs with filters and pages, in the documented shape', async () => {
    const res = await get('/api/v1/qualifications?filter[kind]=specialist&page[per_page]=2&page[page]=2');
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.meta).toEqual({ total: 6, page: 2, per_page: 2, total_pages: 3 });
    expect(body.data).toHaveLength(2);
    await expectMatchesDocument(t.app, 'get', '/api/v1/qualifications', body);
  });

  it('describes one NPQ with its components and intakes', async () => {
    const res = await get('/api/v1/qualifications/npq-headship');
    const body = res.json();
    expect(body.guided_learning_hours).toBe(112);
    expect(body.components.map((c: { title: string }) => c.title)).toContain('Events');
    expect(body.components.find((c: { kind: string }) => c.kind === 'events').items).toHaveLength(5);
    expect(body.intakes[0]).toMatchObject({ start_date: '2027-01-18', application_deadline: '2026-12-11', delivery_mode: 'face_to_face' });
    await expectMatchesDocument(t.app, 'get', '/api/v1/qualifications/{identifier}', body);
  });

  it('answers mistakes with structured errors, never a 500', async () => {
    const missing = await get('/api/v1/qualifications/npq-nothing');
    expect(missing.statusCode).toBe(404);
    expect(missing.json().error.code).toBe('not_found');
    const badQuery = await get('/api/v1/qualifications?page[per_page]=5000&filter[kind]=x');
    expect(badQuery.statusCode).toBe(422);
    expect(badQuery.json().error).toMatchObject({ code: 'validation_failed', details: { fields: expect.objectContaining({ 'page[per_page]': expect.any(String), 'filter[kind]': expect.any(String) }) } });
    const noRoute = await get('/api/v1/nothing-here');
    expect(noRoute.statusCode).toBe(404);
    expect(noRoute.json().error.code).toBe('not_found');
  });

  it('stops answering a token once it is revoked', async () => {
    const { id, token: temporary } = await anApiToken({ name: 'temporary' });
    expect((await get('/api/v1/qualifications', temporary)).statusCode).toBe(200);
    await t.services.apiTokens.revoke(system('test'), id);
    expect((await get('/api/v1/qualifications', temporary)).statusCode).toBe(401);
  });

  it('publishes an OpenAPI 3 document generated from the route schemas, and readable docs', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
    expect(doc.openapi).toBe('3.0.3');
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/v1/qualifications', '/api/v1/qualifications/{identifier}']));
    const docs = await t.app.inject({ method: 'GET', url: '/api/docs' });
    expect(docs.statusCode).toBe(200);
    expect(docs.body).toContain('/api/v1/qualifications/{identifier}');
    // Each response schema is written out for people, not left as a reference into the document.
    expect(docs.body).toContain('who_can_apply');
    expect(docs.body).not.toContain('#/components/schemas');
  });
});
