import { describe, expect, it } from 'vitest';
import { Client, useTestApp } from '../testing/test-app';

const t = useTestApp();

describe('the platform', () => {
  it('answers liveness and readiness, naming the database', async () => {
    expect((await t.app.inject('/health')).json()).toEqual({ status: 'ok' });
    const ready = await t.app.inject('/ready');
    expect(ready.statusCode).toBe(200);
    expect(ready.json().database).toBe(process.env.DATABASE_URL ? 'postgres' : 'pglite');
  });

  it('sends security headers on every page', async () => {
    const res = await t.app.inject({ url: '/qualifications', headers: { accept: 'text/html' } });
    expect(res.headers['content-security-policy']).toContain("script-src 'self'");
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['cache-control']).toBe('no-store');
  });

  it('answers an unknown page with a page, and an unknown API route with JSON', async () => {
    const page = await t.app.inject({ url: '/nowhere', headers: { accept: 'text/html' } });
    expect(page.statusCode).toBe(404);
    expect(page.headers['content-type']).toContain('text/html');
    expect(page.body).toContain('Page not found');
    const api = await t.app.inject({ url: '/api/nowhere' });
    expect(api.statusCode).toBe(404);
    expect(api.json().error.code).toBe('not_found');
  });

  it('turns a malformed request into a clear 4xx, never a 500', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/sign-in', headers: { 'content-type': 'application/json', accept: 'text/html' }, payload: '{not json' });
    expect(res.statusCode).toBeGreaterThanOrEqual(400);
    expect(res.statusCode).toBeLessThan(500);
    expect(res.body).not.toMatch(/at .+\.(ts|js):\d+/);
  });

  it('keeps shared public pages free of anyone’s form token', async () => {
    const first = await t.app.inject({ url: '/qualifications/npq-headship', headers: { accept: 'text/html' } });
    expect(first.headers['set-cookie']).toBeUndefined();
    expect(first.body).not.toContain('_csrf');
  });

  it('answers /favicon.ico with the provider’s logo, cached for a month, and every page links the logo as its icon', async () => {
    const icon = await t.app.inject('/favicon.ico');
    expect(icon.statusCode).toBe(200);
    expect(icon.headers['content-type']).toBe('image/svg+xml');
    expect(icon.headers['cache-control']).toBe('public, max-age=2592000');
    expect(icon.body).toContain('<svg');
    expect(icon.headers['set-cookie']).toBeUndefined();
    expect((await t.app.inject({ url: '/', headers: { accept: 'text/html' } })).body).toContain('<link rel="icon" href="/assets/provider-logo.svg"/>');
  });

  it('serves every asset a page refers to (images, style sheets, scripts), signed in or not', async () => {
    const admin = new Client(t);
    await admin.signIn('admin@demo.npq.test');
    const pages = [
      [new Client(t), ['/', '/qualifications', '/qualifications/npq-headship', '/funding', '/sign-in', '/accessibility', '/nowhere']],
      [admin, ['/home', '/admin/applications', '/admin/diagnostic']],
    ] as const;
    const assets = new Set<string>();
    for (const [client, paths] of pages) {
      for (const path of paths) {
        const html = (await client.get(path)).body;
        for (const [, url] of html.matchAll(/<(?:img|script|link)\b[^>]*?\b(?:src|href)="(\/assets\/[^"]+)"/g)) assets.add(url!);
      }
    }
    expect([...assets]).toEqual(expect.arrayContaining(['/assets/app.css', '/assets/provider-logo.svg', '/assets/init.js']));
    const missing = [];
    for (const url of assets) if ((await t.app.inject(url)).statusCode !== 200) missing.push(url);
    expect(missing).toEqual([]);
  });
});
