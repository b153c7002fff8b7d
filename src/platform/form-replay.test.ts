import { describe, expect, it } from 'vitest';
import { Client, useTestApp } from '../testing/test-app';

const t = useTestApp();

const badInterest = { name: 'Ivy Brook', email: 'not-an-email', courseIdentifier: 'npq-headship', startPreference: '', role: 'Head of year' };

describe('a form answered with errors is shown at a GET address (post/redirect/get)', () => {
  it('redirects to the form page, which shows the errors and what was typed, and reloading shows it again without sending it', async () => {
    const c = new Client(t);
    await c.get('/interest?npq=npq-headship');
    const res = await c.post('/interest', badInterest);
    // The Client follows the redirect as a browser does: what the person sees is the form with its errors.
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain('govuk-error-summary');
    expect(res.body).toContain('value="Ivy Brook"');

    const reload = await c.get('/interest');
    expect(reload.statusCode).toBe(422);
    expect(reload.body).toContain('value="Ivy Brook"');

    // Going elsewhere leaves it behind: coming back shows an empty form.
    await c.get('/qualifications');
    const fresh = await c.get('/interest');
    expect(fresh.statusCode).toBe(200);
    expect(fresh.body).not.toContain('govuk-error-summary');
  });

  it('answers the POST itself with 303 and no page, so the address bar never holds the POST', async () => {
    const c = new Client(t);
    await c.get('/interest?npq=npq-headship');
    const res = await c.post('/interest', badInterest, { follow: false });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/interest');
    expect(res.body).toBe('');
    expect(res.headers['cache-control']).toBe('no-store');
  });

  it('shows a form posted to an address with no page of its own again at the page it was sent from', async () => {
    const admin = new Client(t);
    await admin.signIn('admin@demo.npq.test');
    await admin.get('/admin/diagnostic');
    const res = await admin.post(
      '/admin/diagnostic/windows',
      { cohort: '2026a', kind: 'start', opensOn: 'soon', closesOn: '2026-12-09' },
      { follow: false, headers: { referer: 'http://localhost:80/admin/diagnostic', host: 'localhost:80' } },
    );
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/admin/diagnostic');
    const shown = await admin.followReplay(res);
    expect(shown.statusCode).toBe(422);
    expect(shown.body).toContain('govuk-error-summary');
  });

  it('never sends a browser to another site, and keeps a page only for the browser that sent the form', async () => {
    const c = new Client(t);
    await c.get('/interest?npq=npq-headship');
    const res = await c.post('/interest', badInterest, { follow: false, headers: { referer: 'https://elsewhere.example/phish' } });
    expect(res.headers.location).toBe('/interest');

    const stranger = new Client(t);
    const theirs = await stranger.get('/interest');
    expect(theirs.statusCode).toBe(200);
    expect(theirs.body).not.toContain('not-an-email');
  });

  it('shows a kept page only to the session it was made for: not after signing out, not to the cookie copied elsewhere', async () => {
    const admin = new Client(t);
    await admin.signIn('admin@demo.npq.test');
    await admin.get('/admin/diagnostic');
    const res = await admin.post('/admin/diagnostic/windows', { cohort: '2026a', kind: 'start', opensOn: 'soon', closesOn: '2026-12-09' }, { follow: false, headers: { referer: 'http://localhost:80/admin/diagnostic', host: 'localhost:80' } });
    const replay = (res.cookies as { name: string; value: string }[]).find((k) => k.name === 'npq_form')!;
    expect((await admin.followReplay(res)).statusCode).toBe(422);
    // The same cookie, without the session: the page is not shown (the address asks for sign-in).
    const copied = await t.app.inject({ method: 'GET', url: '/admin/diagnostic', headers: { accept: 'text/html', cookie: `npq_form=${replay.value}` } });
    expect(copied.statusCode).not.toBe(422);
    expect(copied.body).not.toContain('govuk-error-summary');
    // Another signed-in session with the copied cookie: nor there.
    const other = new Client(t);
    await other.signIn('admin@demo.npq.test');
    other.holdCookie('npq_form', replay.value);
    const elsewhere = await other.get('/admin/diagnostic');
    expect(elsewhere.statusCode).toBe(200);
  });

  it('does the same for every refusal a form’s route renders (a wrong password), whatever the client accepts, but never for JSON', async () => {
    const c = new Client(t);
    await c.get('/sign-in');
    const wrong = await c.post('/sign-in', { email: 'admin@demo.npq.test', password: 'not the password' }, { follow: false, headers: { accept: '*/*' } });
    expect(wrong.statusCode).toBe(303);
    expect(wrong.headers.location).toBe('/sign-in');
    const shown = await c.followReplay(wrong);
    expect(shown.statusCode).toBe(401);
    expect(shown.body).toContain('govuk-error-summary');

    await c.get('/sign-in');
    const json = await c.post('/sign-in', { email: 'admin@demo.npq.test', password: 'not the password' }, { follow: false, headers: { accept: 'application/json' } });
    expect(json.statusCode).not.toBe(303);
  });
});
