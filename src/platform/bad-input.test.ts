import { factoriesFor } from '../testing/factories';
import type { InjectOptions } from 'fastify';
import { beforeAll, describe, expect, it } from 'vitest';
import { applications } from '../enrolment/enrolment.schema';
import { diagnosticRounds } from '../diagnostic/diagnostic.schema';
import { Client, useTestApp } from '../testing/test-app';

/**
 * Generated from the routes the application registers: every kind of malformed input, sent to every
 * route, anonymously and signed in (with a valid form token, so requests reach the handlers), must
 * be answered below 500, with no internal error text and with the security headers.
 */

const t = useTestApp();
const { anApiToken } = factoriesFor(t);
let admin: Client;
let participant: Client;
let anonymous: Client;
let apiClient: Client;
let apiToken: string;
let fields: string[];
let realIds: Record<string, string>;
/** Every form the pages show with a group of checkboxes: where it goes and the groups' names. */
const checkboxForms: { method: string; action: string; names: string[] }[] = [];

/** zod's own English, which must never reach a person or an API client. */
const ZOD_DEFAULTS = /Invalid input|Too big:|Too small:|expected (string|number|boolean|array|object|record|nonoptional)|Invalid (string|option|email|UUID)/;
const INTERNALS = /TypeError|RangeError|SyntaxError|URIError|ReferenceError|FST_|invalid byte sequence|syntax error|violates|\n\s+at \S+ \(|node_modules|\bat async\b/;

beforeAll(async () => {
  admin = new Client(t);
  await admin.signIn('admin@demo.npq.test');
  participant = new Client(t);
  await participant.signIn('participant@demo.npq.test');
  anonymous = new Client(t);
  await anonymous.get('/sign-in');
  apiClient = new Client(t);
  apiToken = (await anApiToken({ name: 'bad input' })).token;
  // The field names every page's forms use: sent, malformed, to every route.
  const names = new Set<string>(['q', 'page', 'next', 'code', 'comment', 'name', 'email', 'status', 'cohort', 'npq', 'file', 'list']);
  for (const r of t.app.routeList.filter((r) => r.method === 'GET' && !r.url.includes(':') && !r.url.includes('*'))) {
    const res = await admin.get(r.url);
    for (const m of res.body.matchAll(/name="([^"]+)"/g)) if (m[1] !== '_csrf') names.add(m[1]!);
    for (const f of res.body.matchAll(/<form([^>]*)>([\s\S]*?)<\/form>/g)) {
      const all = [...f[2]!.matchAll(/type="checkbox"[^>]*name="([^"]+)"|name="([^"]+)"[^>]*type="checkbox"/g)].map((m) => (m[1] ?? m[2])!);
      // A lone checkbox sends one value; a group of them with one name can send several.
      const boxes = [...new Set(all.filter((n, i) => all.indexOf(n) !== i))];
      if (boxes.length) checkboxForms.push({ method: /method="post"/i.test(f[1]!) ? 'POST' : 'GET', action: f[1]!.match(/action="([^"]*)"/)?.[1] ?? r.url, names: boxes });
    }
  }
  fields = [...names];
  const [application] = await t.database.db.select({ id: applications.id }).from(applications).limit(1);
  const [round] = await t.database.db.select({ id: diagnosticRounds.id }).from(diagnosticRounds).limit(1);
  realIds = { application: application?.id ?? crypto.randomUUID(), round: round?.id ?? crypto.randomUUID() };
}, 300_000);

type Kind = { name: string; url?: (url: string) => string; request?: () => Partial<InjectOptions> };

const each = (value: (f: string) => string) => () => fields.map((f) => `${encodeURIComponent(f)}=${value(f)}`).join('&');
const form = (body: string): Partial<InjectOptions> => ({ headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: body });
const json = (body: string): Partial<InjectOptions> => ({ headers: { 'content-type': 'application/json' }, payload: body });
const jsonEach = (v: unknown) => () => json(JSON.stringify(Object.fromEntries(fields.map((f) => [f, v]))));

/** Kinds that travel in the query string: sent to every route, whatever its method. */
const queryKinds: Kind[] = [
  { name: 'a query field sent twice', url: (u) => `${u}?${each(() => 'a')()}&${each(() => 'b')()}` },
  { name: 'NUL in the query', url: (u) => `${u}?${each(() => 'a%00b')()}` },
  { name: 'bytes that are not UTF-8 in the query', url: (u) => `${u}?${each(() => '%ED%A0%80')()}` },
  { name: 'a stray % in the query', url: (u) => `${u}?q=%&code=%zz` },
  { name: 'a huge query value', url: (u) => `${u}?q=${'x'.repeat(3000)}` },
  { name: 'bracketed query keys', url: (u) => `${u}?q[a]=b&page[page]=x&filter[cohort][]=1` },
];

/** Kinds that travel in a body: sent to every route that takes one. */
const bodyKinds: Kind[] = [
  { name: 'a form field sent twice', request: () => form(`${each(() => 'a')()}&${each(() => 'b')()}`) },
  { name: 'a JSON body with objects', request: jsonEach({ a: 1 }) },
  { name: 'a JSON body with arrays', request: jsonEach([1, 'x']) },
  { name: 'a JSON body with numbers', request: jsonEach(1e300) },
  { name: 'a JSON body with nulls', request: jsonEach(null) },
  { name: 'a JSON body with booleans', request: jsonEach(true) },
  { name: 'a JSON body that is an array', request: () => json('[1,2,3]') },
  { name: 'a JSON body that is null', request: () => json('null') },
  { name: 'broken JSON', request: () => json('{"comment": ') },
  { name: 'NUL in JSON text', request: jsonEach('a\u0000b') },
  { name: 'a lone surrogate in JSON text', request: () => json(`{${fields.map((f) => `${JSON.stringify(f)}:"\\ud800"`).join(',')}}`) },
  { name: 'NUL in a form', request: () => form(each(() => 'a%00b')()) },
  { name: 'bytes that are not UTF-8 in a form', request: () => form(each(() => '%ED%A0%80')()) },
  { name: 'a stray % in a form', request: () => form('comment=%&code=%zz&name=100%') },
  { name: 'huge form fields', request: () => form(each(() => 'x'.repeat(2500))()) },
  { name: 'an empty form', request: () => form('') },
  { name: 'a broken multipart body', request: () => ({ headers: { 'content-type': 'multipart/form-data' }, payload: 'abc' }) },
  { name: 'a broken multipart body with a boundary', request: () => ({ headers: { 'content-type': 'multipart/form-data; boundary=xyz' }, payload: '--xyz\r\nContent-Disposition: form-data; name="file"; filename="a.csv"\r\n\r\nabc' }) },
  { name: 'a CSV with an unclosed quote', request: () => ({ headers: { 'content-type': 'text/csv' }, payload: 'URN\n"600001,x\n' }) },
  { name: 'a CSV with NUL', request: () => ({ headers: { 'content-type': 'text/csv' }, payload: 'URN,EstablishmentName\n600001,a\u0000b\n' }) },
  { name: 'an unknown content type', request: () => ({ headers: { 'content-type': 'application/xml' }, payload: '<a/>' }) },
];

/** Values for each path parameter: ones that look right and ones that cannot be right. */
const paramValues = (name: string, url: string): string[] => {
  const bad = ['not-a-uuid', '%00', '%ED%A0%80', 'a;b', '%2f..%2f', 'x'.repeat(1200)];
  if (name === 'id' || name.endsWith('Id') || name === 'cid' || name === 'iid') {
    const real = url.includes('diagnostic') ? realIds.round! : realIds.application!;
    return [real, '00000000-0000-4000-8000-000000000000', ...bad];
  }
  const good: Record<string, string[]> = {
    identifier: ['npq-headship', '2026a'],
    cohort: ['2026a'],
    step: ['check', 'school', 'start-date', 'result', 'work-setting'],
    change: ['withdraw', 'defer', 'move'],
    list: ['childminders'],
    token: ['abc'],
  };
  return [...(good[name] ?? ['x']), ...bad];
};

function urlsFor(pattern: string): string[] {
  const params = [...pattern.matchAll(/:(\w+)/g)].map((m) => m[1]!);
  if (params.length === 0) return [pattern];
  let urls = [pattern];
  for (const p of params) urls = urls.flatMap((u) => paramValues(p, pattern).map((v) => u.replace(`:${p}`, v)));
  return urls;
}

type Failure = { actor: string; method: string; url: string; kind: string; status: number; body: string };

async function send(client: Client, actor: string, method: string, url: string, kind: string, extra: Partial<InjectOptions>, failures: Failure[]) {
  if ((actor === 'api token') !== url.startsWith('/api/v1/')) return;
  const headers: Record<string, string> = { accept: 'text/html', ...((extra.headers as Record<string, string>) ?? {}), ...(actor === 'api token' ? { authorization: `Bearer ${apiToken}` } : {}) };
  let payload = extra.payload;
  // Signed in, the form token goes with the body so the request reaches the handler.
  if (actor !== 'anonymous' && actor !== 'api token' && typeof payload === 'string' && headers['content-type'] === 'application/x-www-form-urlencoded') payload = `_csrf=${encodeURIComponent(client.csrf)}&${payload}`;
  if (actor !== 'anonymous' && actor !== 'api token' && typeof payload === 'string' && headers['content-type'] === 'application/json' && payload.startsWith('{"')) payload = `{"_csrf":${JSON.stringify(client.csrf)},${payload.slice(1)}`;
  const res = await client.inject({ method: method as 'GET', url, headers, payload: payload as string, remoteAddress: `10.0.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}` });
  const bad = res.statusCode >= 500 || INTERNALS.test(res.body) || ZOD_DEFAULTS.test(res.body) || (res.statusCode >= 400 && (!res.headers['x-content-type-options'] || !res.headers['content-security-policy']));
  if (bad) failures.push({ actor, method, url: url.length > 120 ? `${url.slice(0, 120)}…` : url, kind, status: res.statusCode, body: res.body.slice(0, 200) });
}

const report = (failures: Failure[]) => failures.map((f) => `${f.status} ${f.actor} ${f.method} ${f.url} [${f.kind}] ${f.body.replace(/\s+/g, ' ').slice(0, 160)}`);

const actors = () =>
  [
    ['anonymous', anonymous],
    ['participant', participant],
    ['admin', admin],
    ['api token', apiClient],
  ] as const;

const routesOf = (methods: string[]) => t.app.routeList.filter((r) => methods.includes(r.method) && r.url !== '/sign-out');

describe('fields a form sends more than once', () => {
  it('every checkbox a page shows is accepted more than once by the route its form goes to', async () => {
    expect(checkboxForms.length).toBeGreaterThan(0);
    for (const f of checkboxForms) {
      const query = f.names.map((n) => `${n}=a&${n}=b`).join('&');
      const res =
        f.method === 'GET'
          ? await admin.get(`${f.action}?${query}`)
          : await admin.inject({ method: 'POST', url: f.action, headers: { accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' }, payload: `_csrf=${encodeURIComponent(admin.csrf)}&${query}` });
      expect(res.body, `${f.method} ${f.action}`).not.toContain('more than once');
      expect(res.statusCode, `${f.method} ${f.action}`).not.toBe(400);
    }
  });
});

describe('no input, however malformed, gets a 500', () => {
  it('every path parameter that cannot name anything, on every route', async () => {
    const failures: Failure[] = [];
    for (const [actor, client] of actors()) {
      for (const r of routesOf(['GET', 'POST', 'PUT', 'DELETE'])) {
        for (const url of urlsFor(r.url)) await send(client, actor, r.method, url, 'path parameter', r.method === 'GET' ? {} : form(''), failures);
      }
    }
    expect(report(failures)).toEqual([]);
  }, 300_000);

  it.each(queryKinds.map((k) => [k.name, k] as const))('%s, on every route', async (_name, kind) => {
    const failures: Failure[] = [];
    for (const [actor, client] of actors()) {
      for (const r of routesOf(['GET', 'POST', 'PUT', 'DELETE'])) {
        const url = urlsFor(r.url)[0]!;
        await send(client, actor, r.method, kind.url!(url), kind.name, r.method === 'GET' ? {} : form(''), failures);
      }
    }
    expect(report(failures)).toEqual([]);
  }, 300_000);

  it.each(bodyKinds.map((k) => [k.name, k] as const))('%s, on every route that takes a body', async (_name, kind) => {
    const failures: Failure[] = [];
    for (const [actor, client] of actors()) {
      for (const r of routesOf(['POST', 'PUT', 'DELETE'])) {
        for (const url of urlsFor(r.url).slice(0, 2)) await send(client, actor, r.method, url, kind.name, kind.request!(), failures);
      }
    }
    expect(report(failures)).toEqual([]);
  }, 300_000);

  it.each([
    ['a path that is not percent-encoded properly', '/qualifications/%'],
    ['bytes that are not UTF-8 in the path', '/qualifications/%ED%A0%80'],
    ['NUL in the path', '/qualifications/a%00b'],
    ['a path too long for the router', `/qualifications/${'x'.repeat(5000)}`],
    ['an API path that is not percent-encoded properly', '/api/v1/applications/%zz'],
  ])('%s is answered by the platform with its headers', async (_name, url) => {
    for (const accept of ['text/html', 'application/json']) {
      const res = await t.app.inject({ url, headers: { accept } });
      expect(res.statusCode).toBe(url.startsWith('/qualifications/x') ? 400 : 400);
      expect(res.body).not.toMatch(INTERNALS);
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['content-security-policy']).toBeDefined();
      if (url.startsWith('/api/')) expect(res.json().error.code).toBe('bad_url');
      else if (accept === 'text/html') expect(res.body).toContain('There is a problem');
    }
  });
});
