import { factoriesFor } from '../testing/factories';
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { system } from '../platform/auth/actor';
import { Client, useTestApp } from '../testing/test-app';
import { API_SCOPES, scopeAllows } from './domain/scopes';

const t = useTestApp();
const { anApiToken } = factoriesFor(t);

const PARAMS: Record<string, string> = { id: randomUUID(), identifier: 'npq-headship', cohort: '2026a', list: 'free_school_meals' };
const urlOf = (route: string) => route.replace(/:(\w+)/g, (_m, name: string) => PARAMS[name] ?? 'x');
const call = (method: string, url: string, token: string) =>
  t.app.inject({
    method: method as 'GET',
    url,
    headers: { authorization: `Bearer ${token}`, 'content-type': url.includes('/reference/') ? 'text/csv' : 'application/json' },
    payload: method === 'GET' ? undefined : url.includes('/reference/') ? 'not,a,real\nfile,at,all\n' : '{}',
  });

describe('API token scopes', () => {
  it('every /api/v1 route declares the scope it needs, and a token without that scope is refused', async () => {
    const routes = t.app.apiRegistry.routes;
    expect(routes.length).toBeGreaterThanOrEqual(14);
    for (const route of routes) {
      const op = t.app.apiRegistry.operationFor(route.method, route.url);
      expect(op, `${route.method} ${route.url} declares an operation`).toBeDefined();
      expect(API_SCOPES, `${route.method} ${route.url}`).toContain(op!.scope);
      const url = urlOf(route.url);

      const without = (await anApiToken({ name: `without ${op!.scope}`, scopes: API_SCOPES.filter((s) => s !== op!.scope) })).token;
      const refused = await call(route.method, url, without);
      expect(refused.statusCode, `${route.method} ${url} without ${op!.scope}`).toBe(403);
      expect(refused.json().error).toEqual({ code: 'insufficient_scope', message: expect.stringContaining(op!.scope), details: { required_scope: op!.scope } });

      const only = (await anApiToken({ name: `only ${op!.scope}`, scopes: [op!.scope] })).token;
      const allowed = await call(route.method, url, only);
      expect([401, 403], `${route.method} ${url} with only ${op!.scope}: ${allowed.body.slice(0, 200)}`).not.toContain(allowed.statusCode);
    }
  });

  it('a read-only token reads but cannot change anything', async () => {
    const reader = (await anApiToken({ name: 'reader', scopes: ['applications:read', 'qualifications:read'] })).token;
    expect((await call('GET', '/api/v1/applications', reader)).statusCode).toBe(200);
    expect((await call('GET', '/api/v1/qualifications', reader)).statusCode).toBe(200);
    const accept = await call('POST', `/api/v1/applications/${randomUUID()}/accept`, reader);
    expect(accept.statusCode).toBe(403);
    expect(accept.json().error.code).toBe('insufficient_scope');
  });

  it('an operation that names no scope is refused to every token', () => {
    expect(scopeAllows(API_SCOPES, undefined)).toBe(false);
    expect(t.app.apiRegistry.operationFor('GET', '/api/v1/not-declared')).toBeUndefined();
  });

  it('the OpenAPI document says which scope each operation needs', async () => {
    const doc = (await t.app.inject({ url: '/api/openapi.json' })).json();
    for (const methods of Object.values(doc.paths) as Record<string, { 'x-required-scope': string; responses: Record<string, unknown> }>[]) {
      for (const op of Object.values(methods)) {
        expect(API_SCOPES).toContain(op['x-required-scope']);
        expect(op.responses['403']).toBeDefined();
      }
    }
  });

  it('tokens made before scopes existed keep every scope (the migration)', async () => {
    // The bootstrap path and code that does not choose get every scope, as the migration gave old tokens.
    const { token } = await t.services.apiTokens.create(system('test'), 'legacy');
    const actor = await t.services.apiTokens.actorFor(token);
    expect(actor?.kind === 'api' && [...actor.scopes]).toEqual([...API_SCOPES]);
  });
});

describe('making a token on /admin/api-tokens', () => {
  it('asks what it may do with checkboxes, refuses none, and keeps only what was ticked', async () => {
    const admin = new Client(t);
    await admin.signIn('admin@demo.npq.test');
    const page = await admin.get('/admin/api-tokens');
    for (const scope of API_SCOPES) expect(page.body).toContain(`value="${scope}"`);

    const none = await admin.post('/admin/api-tokens', { name: 'Nothing chosen' });
    expect(none.statusCode).toBe(422);
    expect(none.body).toContain('govuk-error-summary');
    expect(none.body).toMatch(/<a href="#scopes">Select what the token may do<\/a>/);
    expect(none.body).toContain('value="Nothing chosen"');

    const made = await admin.post('/admin/api-tokens', { name: 'Finance sync', scopes: ['applications:read', 'cohorts:read'] });
    expect(made.statusCode).toBe(200);
    const token = made.body.match(/(npq_[\w-]+)/)![1]!;
    const actor = await t.services.apiTokens.actorFor(token);
    expect(actor?.kind === 'api' && [...actor.scopes]).toEqual(['cohorts:read', 'applications:read']);
    expect((await call('GET', '/api/v1/cohorts', token)).statusCode).toBe(200);
    expect((await call('GET', '/api/v1/qualifications', token)).statusCode).toBe(403);
    expect((await admin.get('/admin/api-tokens')).body).toContain('cohorts:read, applications:read');

    const forged = await admin.post('/admin/api-tokens', { name: 'Forged', scopes: ['everything:write'] });
    expect(forged.statusCode).toBe(422);
  });
});
