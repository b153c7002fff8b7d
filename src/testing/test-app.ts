import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import * as OTPAuth from 'otpauth';
import { afterAll, beforeAll } from 'vitest';
import { buildApp, buildServices, type Services } from '../app';
import { loadConfig } from '../config';
import type { Database } from '../db/client';
import { openTestDatabase } from '../db/test-database';
import { DEMO_PASSWORD, DEMO_TOTP_SECRET, loadDemo, loadEnrolmentDemo } from '../demo/demo-data';
import { outboundEmails } from '../mail/mail.schema';
import { fixedClock } from '../platform/clock';
import { domainEvents } from '../platform/platform.schema';
import { afterResponsesSettled } from '../platform/web';

export const FROZEN_NOW = '2026-11-25T10:00:00Z';

export interface TestApp {
  app: FastifyInstance;
  services: Services;
  database: Database;
  clock: ReturnType<typeof fixedClock>;
  /** The app's data folder (DATA_DIR, a new temporary folder): uploads are kept under uploads/. */
  dataDir: string;
  close(): Promise<void>;
}

/**
 * The whole application on a fresh, migrated database with the demo provider, its clock frozen; `env`
 * adds or overrides configuration (SMTP_URL, say: nothing is sent, as no delivery loop is started).
 */
export async function createTestApp(env: Record<string, string> = {}): Promise<TestApp> {
  const database = await openTestDatabase();
  const clock = fixedClock(FROZEN_NOW);
  // Files people send are kept in a folder of this app's own, never in the project's data folder.
  const config = loadConfig({ NODE_ENV: 'test', DEMO: 'true', LOG_LEVEL: 'silent', BASE_URL: 'http://npq.test', DATA_DIR: mkdtempSync(path.join(tmpdir(), 'npq-test-data-')), ...env } as NodeJS.ProcessEnv);
  const deps = { config, database, clock, logger: false };
  const services = buildServices(deps);
  const app = await buildApp(deps, services);
  await loadDemo(database.db, services.people);
  await loadEnrolmentDemo(services);
  await services.diagnostic.ensureSetUp();
  await services.learning.ensureProgrammes();
  return {
    app,
    services,
    database,
    clock,
    dataDir: config.DATA_DIR,
    close: async () => {
      await app.close();
      await database.close();
    },
  };
}

/**
 * The whole application (createTestApp) for the tests of one file or one `describe` block, in place of
 * the `let t; beforeAll(createTestApp); afterAll(close)` each file used to write:
 *
 *   const t = useTestApp();
 *   it('…', async () => { await t.services.… });
 *
 * Registers vitest's `beforeAll` (make the app) and `afterAll` (close it) where it is called, and
 * returns a handle that reads through to the app once that `beforeAll` has run; read before then, it
 * throws, saying so. A file's own `beforeAll` written after this line runs once the app exists, and its
 * `afterAll` before the app closes (vitest runs after-hooks in reverse order: `sequence.hooks` 'stack').
 * `env` as createTestApp's.
 */
export function useTestApp(env: Record<string, string> = {}): TestApp {
  const held = madeInHooks('useTestApp', () => createTestApp(env), (t) => t.close());
  return {
    get app() {
      return held.get().app;
    },
    get services() {
      return held.get().services;
    },
    get database() {
      return held.get().database;
    },
    get clock() {
      return held.get().clock;
    },
    get dataDir() {
      return held.get().dataDir;
    },
    close: held.end,
  };
}

/**
 * One thing per file or `describe` block, made in vitest's `beforeAll` and ended in its `afterAll`,
 * both registered where this is called: `get()` gives it (throwing, with `name`, before it is made or
 * once ended), and `end()` ends it at most once, so a test's own early end and `afterAll` do not clash.
 */
export function madeInHooks<T>(name: string, make: () => Promise<T>, end: (thing: T) => Promise<void>) {
  let current: T | undefined;
  beforeAll(async () => {
    current = await make();
  });
  const endIt = async () => {
    const ending = current;
    current = undefined;
    if (ending !== undefined) await end(ending);
  };
  afterAll(endIt);
  return {
    get(): T {
      if (current === undefined) throw new Error(`${name}: made in beforeAll and ended in afterAll, so use it inside a test or a hook`);
      return current;
    },
    end: endIt,
  };
}

/**
 * Runs what events queued (their handlers, and what those queue) once the responses' after-work is done,
 * as the jobs runner would within a second: a test that reads `outbound_emails` calls it first. Never the
 * sweeps (`drain` would queue them). Returns the number of jobs run.
 */
export async function deliverEvents(t: Pick<TestApp, 'services'>): Promise<number> {
  await afterResponsesSettled();
  return t.services.jobs.runDue();
}

/** What the outbox holds for one address (outbound_emails), as queued: run `deliverEvents` first for what events send. */
export const outboxTo = (t: Pick<TestApp, 'database'>, address: string) => t.database.db.select().from(outboundEmails).where(eq(outboundEmails.to, address));

/** The domain events of one type recorded so far (domain_events), to read their payloads. */
export const eventsOf = (t: Pick<TestApp, 'database'>, type: string) => t.database.db.select().from(domainEvents).where(eq(domainEvents.type, type));

const totp = new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(DEMO_TOTP_SECRET), digits: 6, period: 30 });

/**
 * The table headers (`<th>`) in a page's HTML that have no text, not even visually hidden text, each
 * as its markup: a header says what its column or row holds to everyone (axe does not always flag an
 * empty one). Every page a Client reads is checked.
 */
export function emptyTableHeaders(html: string): string[] {
  const empty: string[] = [];
  for (const [whole, inner] of html.matchAll(/<th\b[^>]*>([\s\S]*?)<\/th>/g)) {
    const text = inner!.replace(/<[^>]*>/g, '').replace(/&nbsp;|&#160;/g, ' ').trim();
    if (!text) empty.push(whole);
  }
  return empty;
}

/** A browser stand-in: keeps cookies, reads the CSRF token from the last page, posts forms. */
export class Client {
  private cookies = new Map<string, string>();
  csrf = '';

  /** `remoteAddress`: the client's IP address, for tests of what is counted per address. */
  constructor(
    private readonly t: TestApp,
    readonly remoteAddress = '127.0.0.1',
  ) {}

  private remember(res: LightMyRequestResponse) {
    if (String(res.headers['content-type'] ?? '').startsWith('text/html')) {
      const empty = emptyTableHeaders(res.body);
      if (empty.length) throw new Error(`A page has a table header with no text (every column and row header says what it holds): ${empty.join(', ')}`);
    }
    for (const c of res.cookies as { name: string; value: string; maxAge?: number; expires?: Date }[]) {
      if (c.value === '' || (c.expires && c.expires.getTime() < Date.now())) this.cookies.delete(c.name);
      else this.cookies.set(c.name, c.value);
    }
    const token = res.body.match(/name="_csrf" value="([^"]+)"/);
    if (token) this.csrf = token[1]!;
    return res;
  }

  /** Holds a cookie as if the browser had it from elsewhere (a copied cookie, in tests of who a cookie serves). */
  holdCookie(name: string, value: string): void {
    this.cookies.set(name, value);
  }

  private get cookieHeader() {
    // Sent encoded, as a browser sends what the server set encoded: a flash message may hold a ";".
    return [...this.cookies].map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('; ');
  }

  async get(url: string, headers: Record<string, string> = {}) {
    return this.remember(await this.t.app.inject({ method: 'GET', url, remoteAddress: this.remoteAddress, headers: { accept: 'text/html', cookie: this.cookieHeader, ...headers } }));
  }

  /**
   * Posts a form as a browser would, with the CSRF token unless told otherwise, and follows a form's
   * post/redirect/get unless `follow` is false (to read the POST's own answer).
   */
  async post(url: string, form: Record<string, string | string[]> = {}, opts: { csrf?: boolean; follow?: boolean; headers?: Record<string, string> } = {}) {
    const params = new URLSearchParams();
    if (opts.csrf !== false) params.append('_csrf', this.csrf);
    for (const [k, v] of Object.entries(form)) for (const item of Array.isArray(v) ? v : [v]) params.append(k, item);
    const res = this.remember(
      await this.t.app.inject({
        method: 'POST',
        url,
        remoteAddress: this.remoteAddress,
        headers: { accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded', cookie: this.cookieHeader, ...opts.headers },
        payload: params.toString(),
      }),
    );
    return opts.follow === false ? res : this.followReplay(res);
  }

  /**
   * Sends a form with a file (multipart/form-data) as a browser would, with the CSRF token, and
   * follows a form's post/redirect/get as `post` does. `file.content` is the file's bytes or text.
   */
  async upload(url: string, fields: Record<string, string>, file?: { field?: string; name: string; content: string | Buffer; type?: string }) {
    const form = new FormData();
    form.append('_csrf', this.csrf);
    for (const [k, v] of Object.entries(fields)) form.append(k, v);
    if (file) form.append(file.field ?? 'file', new Blob([typeof file.content === 'string' ? file.content : new Uint8Array(file.content)], { type: file.type ?? 'application/octet-stream' }), file.name);
    const request = new Response(form);
    return this.followReplay(
      this.remember(
        await this.t.app.inject({ method: 'POST', url, remoteAddress: this.remoteAddress, headers: { accept: 'text/html', cookie: this.cookieHeader, 'content-type': request.headers.get('content-type')! }, payload: Buffer.from(await request.arrayBuffer()) }),
      ),
    );
  }

  /**
   * A form answered with errors is sent on to a GET that shows it (post/redirect/get): follow it as a
   * browser would, so a test reads the page the person sees, with its status.
   */
  async followReplay(res: LightMyRequestResponse) {
    this.remember(res);
    const replayed = res.statusCode === 303 && (res.cookies as { name: string; value: string }[]).some((c) => c.name === 'npq_form' && c.value !== '');
    if (!replayed) return res;
    // What the POST set (a session ended, a cookie replaced) still shows in the answer the test reads.
    const shown = await this.get(String(res.headers.location));
    return new Proxy(shown, { get: (target, key) => (key === 'cookies' ? [...res.cookies, ...target.cookies] : Reflect.get(target, key)) });
  }

  /** Any request, with this client's cookies: for bodies a browser would not send. */
  async inject(opts: InjectOptions) {
    return this.remember(await this.t.app.inject({ ...opts, headers: { cookie: this.cookieHeader, ...(opts.headers as Record<string, string> | undefined) } }));
  }

  /**
   * Signs in with the demo password; staff also give a code for the frozen clock's current step. Then
   * follows the redirect as a browser does, so the next form carries a token minted after sign-in (the
   * CSRF secret is replaced at sign-in: docs/adr/0019).
   */
  async signIn(email: string, password = DEMO_PASSWORD) {
    const landed = async (res: LightMyRequestResponse) => {
      if (res.statusCode === 303 && res.headers.location) await this.get(String(res.headers.location));
      return res;
    };
    await this.get('/sign-in');
    const res = await this.post('/sign-in', { email, password });
    if (res.headers.location === '/sign-in/two-factor') {
      await this.get('/sign-in/two-factor');
      const code = totp.generate({ timestamp: this.t.clock.now().getTime() });
      const done = await this.post('/sign-in/two-factor', { code });
      // Codes are single-use: the next staff sign-in in the same test happens a step later.
      this.t.clock.advance(30_000);
      return landed(done);
    }
    return landed(res);
  }
}

export const currentCode = (t: TestApp) => totp.generate({ timestamp: t.clock.now().getTime() });

/** A JSON API client on `t` with a bearer token: `call('POST', '/api/v1/…', body)`. The token is read at each call, so it may be made in beforeAll. */
export function apiCaller(t: () => Pick<TestApp, 'app'>, token: () => string) {
  return (method: 'GET' | 'POST' | 'PUT', url: string, payload?: unknown) =>
    t().app.inject({ method, url, headers: { authorization: `Bearer ${token()}`, 'content-type': 'application/json' }, payload: payload === undefined ? undefined : JSON.stringify(payload) });
}
