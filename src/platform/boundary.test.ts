import { factoriesFor } from '../testing/factories';
import { Readable } from 'node:stream';
import { beforeAll, describe, expect, it } from 'vitest';
import { Client, useTestApp } from '../testing/test-app';
import { z } from 'zod';
import { parseForm } from './forms';
import { MAX_FORM_VALUE, MAX_QUERY_VALUE, paramIsPlausible, parseFormBody, parseInput, requireInput, urlProblem } from './boundary';
import { INPUT_MAXLENGTH, TEXTAREA_MAXLENGTH } from '../ui/govuk';

const t = useTestApp();
const { anApiToken } = factoriesFor(t);
let token: string;
let participant: Client;
beforeAll(async () => {
  token = (await anApiToken()).token;
  participant = new Client(t);
  await participant.signIn('participant@demo.npq.test');
}, 120_000);

const html = { accept: 'text/html' };
const headersOf = (res: { headers: Record<string, unknown> }) => expect(res.headers['content-security-policy']).toBeDefined();

describe('the parsing layer, unit by unit', () => {
  it('reads a form strictly: repeated fields as arrays, + as space, undecodable bytes refused', () => {
    expect(parseFormBody('a=1&b=x+y&a=2&c')).toEqual({ a: ['1', '2'], b: 'x y', c: '' });
    // A browser sends a textarea's line breaks as CRLF; the character count counted each as one.
    expect(parseFormBody('comment=one%0D%0Atwo%0Dthree')).toEqual({ comment: 'one\ntwo\nthree' });
    expect(() => parseFormBody('code=%ED%A0%80')).toThrow(/could not be read/);
    expect(() => parseFormBody('code=%zz')).toThrow(/could not be read/);
  });

  it('judges a form and a JSON body with the same schema in the same words', () => {
    const schema = z.object({ full_name: z.string().trim().min(1, 'Enter the full name'), note: z.string().max(5).optional() });
    const sent = { full_name: ' ', note: 'far too long' };
    const expected = { full_name: 'Enter the full name', note: 'Note must be 5 characters or fewer' };
    expect(parseInput(schema, sent)).toEqual({ ok: false, errors: expected });
    // A page keeps what was typed to show it again; the API answers 422 validation_failed.
    expect(parseForm(schema, sent)).toEqual({ ok: false, errors: expected, values: sent });
    expect(() => requireInput(schema, sent)).toThrow(expect.objectContaining({ status: 422, code: 'validation_failed', fieldErrors: expected }));
    expect(requireInput(schema, { full_name: ' Jo ' })).toEqual({ full_name: 'Jo' });
  });

  it('finds what makes a URL unreadable', () => {
    expect(urlProblem('/funding/school?q=a')).toBeUndefined();
    expect(urlProblem('/a?code=%ED%A0%80')).toMatch(/could not be read/);
    expect(urlProblem('/a%00b')).toMatch(/not allowed/);
    expect(urlProblem('/a?q=%')).toMatch(/could not be read/);
    expect(urlProblem(`/${'a'.repeat(5000)}`)).toMatch(/too long/);
  });

  it('judges a path parameter by its name', () => {
    expect(paramIsPlausible('id', 'not-a-uuid')).toBe(false);
    expect(paramIsPlausible('roleId', '3f0e9a52-6f57-4a36-9d5e-3b1d2c7a9e10')).toBe(true);
    expect(paramIsPlausible('token', 'abc_DEF-1.2')).toBe(true);
    expect(paramIsPlausible('step', 'a;b')).toBe(false);
  });
});

describe('a value longer than the boundary takes', () => {
  it('cannot be typed: text inputs and textareas carry the boundary’s limits unless their field says less', async () => {
    expect(INPUT_MAXLENGTH).toBe(MAX_QUERY_VALUE);
    expect(TEXTAREA_MAXLENGTH).toBe(MAX_FORM_VALUE);
    const search = await t.app.inject({ url: '/funding/school', headers: html });
    expect(search.body).toMatch(/<input[^>]*name="q"[^>]*maxlength="2000"/);
  });

  it('sent anyway, is a 400 page with a way back: to the same-site page it came from, else home', async () => {
    const long = 'a'.repeat(3000);
    const from = await t.app.inject({ url: `/funding/school?q=${long}`, headers: { ...html, host: 'npq.test', referer: 'https://npq.test/funding/school?q=oak' } });
    expect(from.statusCode).toBe(400);
    expect(from.body).toContain('Something you entered is far longer than any answer here can be');
    expect(from.body).toContain('<a class="govuk-link" href="/funding/school?q=oak">Go back to the page you were on</a>');
    for (const referer of [undefined, 'https://elsewhere.test/funding', 'not a url']) {
      const res = await t.app.inject({ url: `/funding/school?q=${long}`, headers: { ...html, host: 'npq.test', ...(referer ? { referer } : {}) } });
      expect(res.body).toContain('<a class="govuk-link" href="/">Go to the home page</a>');
    }
    // A Referer that is itself too long to send again keeps only its path.
    const longer = await t.app.inject({ url: `/funding/school?q=${long}`, headers: { ...html, host: 'npq.test', referer: `https://npq.test/funding/school?q=${long}` } });
    expect(longer.body).toContain('href="/funding/school"');
  });
});

describe('the examples from the testers', () => {
  it('a field sent twice: GET /funding/school?q=a&q=b is a 400 page naming the field', async () => {
    const res = await t.app.inject({ url: '/funding/school?q=a&q=b', headers: html });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('There is a problem');
    expect(res.body).toContain('sent the field &quot;q&quot; more than once');
    headersOf(res);
  });

  it('a JSON body with an object where a form field is expected: POST /rate/{token}', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/rate/abcdef', headers: { 'content-type': 'application/json', accept: 'application/json' }, payload: { comment: { a: 1 } } });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('unreadable_form');
  });

  it('a NUL in any text: a rater comment with %00 is refused before it reaches the database', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/rate/abcdef', headers: { 'content-type': 'application/x-www-form-urlencoded', ...html }, payload: 'comment=a%00b' });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('contains a character that is not allowed');
  });

  it('an id that is not a UUID: POST /applications/not-a-uuid/approval as a participant is a 404', async () => {
    const res = await participant.post('/applications/not-a-uuid/approval', { decision: 'approve' });
    expect(res.statusCode).toBe(404);
    expect(res.body).toContain('Page not found');
  });

  it('bytes that are not UTF-8 in a code on /sign-in/two-factor', async () => {
    const res = await participant.inject({ method: 'POST', url: '/sign-in/two-factor', headers: { 'content-type': 'application/x-www-form-urlencoded', ...html }, payload: `_csrf=${participant.csrf}&code=%ED%A0%80` });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('could not be read');
  });

  it('a broken multipart body, anonymous, to /admin/reference/schools: sent to sign in without reading it', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/admin/reference/schools', headers: { 'content-type': 'multipart/form-data', ...html }, payload: 'abc' });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toMatch(/^\/sign-in/);
  });

  it('a CSV with an unclosed quote: PUT /api/v1/reference/lists/childminders is a 422 naming the line', async () => {
    const res = await t.app.inject({ method: 'PUT', url: '/api/v1/reference/lists/childminders', headers: { authorization: `Bearer ${token}`, 'content-type': 'text/csv' }, payload: 'URN\n"600001,x\n' });
    expect(res.statusCode).toBe(422);
    expect(res.json().error.code).toBe('validation_failed');
    expect(res.json().error.details.fields.file).toMatch(/line 2: a quoted value is never closed/);
  });

  it('a CSV with a NUL is refused with its line, not sent to the database', async () => {
    const res = await t.app.inject({ method: 'PUT', url: '/api/v1/reference/lists/childminders', headers: { authorization: `Bearer ${token}`, 'content-type': 'text/csv' }, payload: 'URN\n600001\n6000\u000002\n' });
    expect(res.statusCode).toBe(422);
    expect(res.json().error.details.fields.file).toMatch(/NUL character on line 3/);
  });

  it('a malformed URL is answered by the platform, with its headers, as a page or as JSON', async () => {
    const page = await t.app.inject({ url: '/qualifications/%E0%A4%A', headers: html });
    expect(page.statusCode).toBe(400);
    expect(page.body).toContain('There is a problem');
    expect(page.body).not.toContain('FST_');
    headersOf(page);
    const api = await t.app.inject({ url: '/api/v1/applications/%zz' });
    expect(api.statusCode).toBe(400);
    expect(api.json()).toEqual({ error: { code: 'bad_url', message: 'The web address contains characters that could not be read', details: null }, errors: [{ title: 'Bad request', detail: 'The web address contains characters that could not be read' }] });
    headersOf(api);
  });
});

describe('authentication is decided on the route matched, not on how its path is spelt', () => {
  it.each([
    '/api/%76%31/qualifications',
    '/api/v1/qualifications/',
    '/api/v1%2fqualifications',
    '//api/v1/qualifications',
    '/API/v1/qualifications',
    '/api/v1/qualifications;x',
    '/api/v1/applications/%36%64%30%65%36%33%65%35-248e-4264-a53b-bb4d2f168639',
  ])('%s without a token is never answered with data', async (url) => {
    const res = await t.app.inject({ url });
    expect([401, 404]).toContain(res.statusCode);
    expect(res.json().error).toBeDefined();
    headersOf(res);
  });

  it('the API reached through an encoded path asks for its token', async () => {
    const res = await t.app.inject({ url: '/api/%76%31/qualifications' });
    expect(res.statusCode).toBe(401);
    const ok = await t.app.inject({ url: '/api/%76%31/qualifications', headers: { authorization: `Bearer ${token}` } });
    expect(ok.statusCode).toBe(200);
  });
});

describe('uploads are authorised before their body is read', () => {
  /** A 100 MB body, made as it is read, counting what the server took of it. */
  const bigBody = () => {
    let read = 0;
    const chunk = Buffer.alloc(64 * 1024, 'a');
    const stream = new Readable({
      read() {
        read += chunk.length;
        this.push(read > 100 * 1024 * 1024 ? null : chunk);
      },
    });
    return { stream, read: () => read };
  };

  it('every route that takes more than a form refuses someone without permission having read almost none of it', async () => {
    const uploads = t.app.routeList.filter((r) => (r.bodyLimit ?? 0) > 1024 * 1024);
    expect(uploads.map((r) => `${r.method} ${r.url}`).sort()).toEqual(['POST /admin/programmes/:identifier/files', 'POST /admin/reference/lists', 'POST /admin/reference/schools', 'POST /api/v1/reference/schools', 'POST /messages/:eid', 'POST /programme/:eid/assessment/board', 'POST /programme/:eid/assessment/project-log', 'POST /programme/:eid/assessment/submit/:task', 'POST /programme/:eid/core-tasks/:key', 'POST /programme/:eid/messages', 'PUT /api/v1/reference/lists/:list']);
    const coachToken = (await anApiToken({ name: 'coach', role: 'coach' })).token;
    for (const r of uploads) {
      const url = r.url.replace(':list', 'childminders').replace(':eid', '11111111-1111-4111-8111-111111111111').replace(':key', 'c1m3a4').replace(':task', 'task-1').replace(':identifier', 'npq-headship');
      const api = url.startsWith('/api/');
      const who = api ? [{}, { authorization: `Bearer ${coachToken}` }] : [{}, { cookie: '' }];
      for (const headers of who) {
        const body = bigBody();
        const res = await t.app.inject({ method: r.method as 'POST', url, headers: { ...headers, 'content-type': api ? 'text/csv' : 'multipart/form-data; boundary=x', 'content-length': String(100 * 1024 * 1024) }, payload: body.stream });
        expect(res.statusCode, `${r.method} ${url}`).toBeGreaterThanOrEqual(300);
        expect(res.statusCode).toBeLessThan(500);
        expect(body.read(), `${r.method} ${url} read`).toBeLessThan(1024 * 1024);
      }
    }
    // A participant is signed in but may not upload: refused before reading too.
    const body = bigBody();
    const res = await participant.inject({ method: 'POST', url: '/admin/reference/schools', headers: { 'content-type': 'multipart/form-data; boundary=x', 'content-length': String(100 * 1024 * 1024) }, payload: body.stream });
    expect(res.statusCode).toBe(403);
    expect(body.read()).toBeLessThan(1024 * 1024);
  });

  it('every page route that takes a file checks the form’s text as any form’s: a NUL in a field or a file’s name is a 400, never a server error', async () => {
    const admin = new Client(t, '10.120.0.1');
    await admin.signIn('admin@demo.npq.test');
    await admin.get('/home');
    const pages = t.app.routeList.filter((r) => (r.bodyLimit ?? 0) > 1024 * 1024 && !r.url.startsWith('/api/'));
    expect(pages.length).toBeGreaterThan(3);
    for (const r of pages) {
      const url = r.url.replace(':eid', '11111111-1111-4111-8111-111111111111').replace(':key', 'c1m3a4').replace(':task', 'task-1').replace(':identifier', 'npq-headship');
      const field = await admin.upload(url, { body: 'a\u0000b', text: 'a\u0000b' });
      expect(field.statusCode, `${r.method} ${url}`).toBe(400);
      // The reference imports read a file's bytes only, never its name.
      if (r.url.startsWith('/admin/reference/')) continue;
      const named = await admin.upload(url, {}, { name: 'a\u0000b.pdf', content: 'x' });
      expect(named.statusCode, `${r.method} ${url} file name`).toBe(400);
    }
  });

  it('a form larger than a form needs is refused as too large', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/sign-in', headers: { 'content-type': 'application/x-www-form-urlencoded', ...html }, payload: `email=${'a'.repeat(300 * 1024)}` });
    expect(res.statusCode).toBe(413);
    headersOf(res);
  });
});

describe('every CSV export', () => {
  it('opens in Excel as UTF-8, is never stored, and cannot run a formula', async () => {
    await t.services.interest.register({ name: '=HYPERLINK("http://evil")', email: 'sian@school.test', courseIdentifier: 'npq-headship', startPreference: 'Not sure yet', role: '@role', schoolName: '+school', consent: 'yes' });
    const admin = new Client(t);
    await admin.signIn('admin@demo.npq.test');
    const exports = t.app.routeList.filter((r) => r.method === 'GET' && r.url.endsWith('.csv'));
    expect(exports.length).toBeGreaterThanOrEqual(5);
    // An intake's exports need one that exists and has a programme: the demo's NPQH intake.
    const intake = (await t.services.catalogue.list()).find((q) => q.identifier === 'npq-headship')!.intakes[0]!.id;
    const unanswered: string[] = [];
    for (const r of exports) {
      const res = await admin.get(r.url.replace(':cohort', '2026a').replace('/intakes/:id', `/intakes/${intake}`).replace(':id', '00000000-0000-4000-8000-000000000000'));
      if (res.statusCode !== 200) {
        unanswered.push(r.url);
        continue;
      }
      expect(res.body.startsWith('\uFEFF'), r.url).toBe(true);
      expect(res.headers['content-type'], r.url).toBe('text/csv; charset=utf-8');
      expect(res.headers['cache-control'], r.url).toBe('no-store');
      expect(res.headers['content-disposition'], r.url).toMatch(/^attachment; filename="[A-Za-z0-9._-]+\.csv"$/);
      expect(res.body, r.url).not.toMatch(/(^|,)[=+@]/m);
    }
    // All answer the admin but the participant's own 360° report (tested with its round) and a DfE statement's lines, of which this
    // app holds none (tested with the finance pages, src/dfe/web/finance.web.test.ts).
    expect(unanswered.map((u) => u.replace(/:[a-zA-Z]+/g, ':x')).sort()).toEqual(['/admin/dfe/finance/statements/:x/lines.csv', expect.stringMatching(/diagnostic|360|report/)].sort());
  });
});

describe('API answers', () => {
  it.each(['/api/v1/applications', '/api/v1/cohorts', '/api/v1/qualifications', '/api/v1/nowhere', '/api/v1/applications/not-a-uuid'])('%s is never stored', async (url) => {
    const res = await t.app.inject({ url, headers: { authorization: `Bearer ${token}` } });
    expect(res.headers['cache-control']).toBe('no-store');
  });
});

describe('every free-text field has a limit, and says so', () => {
  it('a 10,000-character line manager name is refused as too long, not as missing, and not cut short', async () => {
    const c = new Client(t);
    await c.signIn('participant@demo.npq.test');
    await c.get('/apply?npq=npq-headship');
    await c.get('/apply/line-manager');
    const res = await c.post('/apply/line-manager', { lineManagerName: 'x'.repeat(10_000), lineManagerEmail: 'head@school.test' });
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain('Your line manager’s name must be 200 characters or fewer');
  });
});
