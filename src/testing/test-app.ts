import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import * as OTPAuth from 'otpauth';
import { buildApp, buildServices, type Services } from '../app';
import { loadConfig } from '../config';
import type { Database } from '../db/client';
import { openTestDatabase } from '../db/test-database';
import { DEMO_PASSWORD, DEMO_TOTP_SECRET, loadDemo, loadEnrolmentDemo } from '../demo/demo-data';
import { fixedClock } from '../platform/clock';

export const FROZEN_NOW = '2026-11-25T10:00:00Z';

export interface TestApp {
  app: FastifyInstance;
  services: Services;
  database: Database;
  clock: ReturnType<typeof fixedClock>;
  close(): Promise<void>;
}

/**
 * The whole application on a fresh, migrated database with the demo provider, its clock frozen; `env`
 * adds or overrides configuration (SMTP_URL, say: nothing is sent, as no delivery loop is started).
 */
export async function createTestApp(env: Record<string, string> = {}): Promise<TestApp> {
  const database = await openTestDatabase();
  const clock = fixedClock(FROZEN_NOW);
  const config = loadConfig({ NODE_ENV: 'test', DEMO: 'true', LOG_LEVEL: 'silent', BASE_URL: 'http://npq.test', ...env } as NodeJS.ProcessEnv);
  const deps = { config, database, clock, logger: false };
  const services = buildServices(deps);
  const app = await buildApp(deps, services);
  await loadDemo(database.db, services.people);
  await loadEnrolmentDemo(services);
  await services.diagnostic.ensureSetUp();
  return {
    app,
    services,
    database,
    clock,
    close: async () => {
      await app.close();
      await database.close();
    },
  };
}

const totp = new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(DEMO_TOTP_SECRET), digits: 6, period: 30 });

/** A browser stand-in: keeps cookies, reads the CSRF token from the last page, posts forms. */
export class Client {
  private cookies = new Map<string, string>();
  csrf = '';

  constructor(private readonly t: TestApp) {}

  private remember(res: LightMyRequestResponse) {
    for (const c of res.cookies as { name: string; value: string; maxAge?: number; expires?: Date }[]) {
      if (c.value === '' || (c.expires && c.expires.getTime() < Date.now())) this.cookies.delete(c.name);
      else this.cookies.set(c.name, c.value);
    }
    const token = res.body.match(/name="_csrf" value="([^"]+)"/);
    if (token) this.csrf = token[1]!;
    return res;
  }

  private get cookieHeader() {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  async get(url: string, headers: Record<string, string> = {}) {
    return this.remember(await this.t.app.inject({ method: 'GET', url, headers: { accept: 'text/html', cookie: this.cookieHeader, ...headers } }));
  }

  /** Posts a form as a browser would, with the CSRF token unless told otherwise. */
  async post(url: string, form: Record<string, string | string[]> = {}, opts: { csrf?: boolean } = {}) {
    const params = new URLSearchParams();
    if (opts.csrf !== false) params.append('_csrf', this.csrf);
    for (const [k, v] of Object.entries(form)) for (const item of Array.isArray(v) ? v : [v]) params.append(k, item);
    return this.remember(
      await this.t.app.inject({
        method: 'POST',
        url,
        headers: { accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded', cookie: this.cookieHeader },
        payload: params.toString(),
      }),
    );
  }

  /** Signs in with the demo password; staff also give a code for the frozen clock's current step. */
  async signIn(email: string, password = DEMO_PASSWORD) {
    await this.get('/sign-in');
    const res = await this.post('/sign-in', { email, password });
    if (res.headers.location === '/sign-in/two-factor') {
      await this.get('/sign-in/two-factor');
      const code = totp.generate({ timestamp: this.t.clock.now().getTime() });
      const done = await this.post('/sign-in/two-factor', { code });
      // Codes are single-use: the next staff sign-in in the same test happens a step later.
      this.t.clock.advance(30_000);
      return done;
    }
    return res;
  }
}

export const currentCode = (t: TestApp) => totp.generate({ timestamp: t.clock.now().getTime() });
