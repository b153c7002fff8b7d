import { z } from 'zod';

const hexColour = z.string().regex(/^#[0-9a-fA-F]{6}$/, 'must be a hex colour like #1d70b8');

const configSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  HOST: z.string().default('127.0.0.1'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  BASE_URL: z.string().url().optional(),
  DATABASE_URL: z.string().url().optional(),
  DATA_DIR: z.string().default('data'),
  /** "off" reads every inbox and API page from the database, as staff see it after a decision; for measuring (docs/adr/0034). */
  INBOX_CACHE: z.enum(['on', 'off']).default('on'),
  /** "off" renders every participant's programme page and every register afresh instead of keeping it per person; for measuring (docs/adr/0050). */
  KEPT_PAGES: z.enum(['on', 'off']).default('on'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  COOKIE_SECRET: z.string().min(32).optional(),
  PROVIDER_NAME: z.string().min(1).default('Northern Lights Leadership'),
  PROVIDER_COLOUR: hexColour.default('#0b5d55'),
  PROVIDER_LOGO_URL: z.string().default('/assets/provider-logo.svg'),
  /** The university a pass earns master's credits with, named on the transcript (seed 001: "in collaboration with Chester University"). */
  PARTNER_UNIVERSITY: z.string().min(1).default('University of Chester'),
  /** The award those credits count towards (seed 001). */
  PARTNER_AWARD: z.string().min(1).default('MA in Educational Leadership'),
  /** Sign-in attempts allowed from one address a minute; schools behind one NAT may need more. */
  SIGN_IN_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).max(100_000).default(20),
  SMTP_URL: z.string().url().optional(),
  MAIL_FROM: z.string().default('NPQ Platform <no-reply@npq.example>'),
  /** DfE's Lead Provider API v3 base URL (no `/api/v3`), e.g. https://sandbox.register-npq.education.gov.uk (docs/dfe-api.md §1). Unset: the demo starts the stand-in; otherwise nothing is synchronised. */
  DFE_API_URL: z.string().url().optional(),
  /** The provider's bearer token for DfE's API (issued by DfE, one per environment). Never logged. */
  DFE_API_TOKEN: z.string().min(1).optional(),
  /** Where the demo's DfE stand-in listens when DFE_API_URL is unset (127.0.0.1). */
  DFE_STAND_IN_PORT: z.coerce.number().int().min(1).max(65535).default(3900),
  /** The Chromium that prints 360° reports to PDF; without one, people print from their browser. */
  CHROMIUM_PATH: z.string().default('/usr/bin/chromium'),
  /**
   * Loads the demo provider, whose accounts share a published password and two-factor key: only when
   * asked for (`npm start` asks), and never in production (docs/adr/0017).
   */
  /**
   * Platform processes to run, sharing the port (`--workers N` sets it too). More than one needs
   * PostgreSQL: the embedded database belongs to one process (docs/adr/0031).
   */
  WORKERS: z.coerce.number({ error: 'must be a whole number from 1 to 64' }).int('must be a whole number from 1 to 64').min(1, 'must be a whole number from 1 to 64').max(64, 'must be a whole number from 1 to 64').default(1),
  DEMO: z
    .enum(['true', 'false'], { error: 'must be true or false' })
    .default('false')
    .transform((v) => v === 'true'),
});

export type Config = z.infer<typeof configSchema> & {
  baseUrl: string;
  cookieSecret: string;
  branding: { name: string; colour: string; logoUrl: string };
};

/**
 * The environment with what the command line says: `--workers N` (or `--workers=N`) as WORKERS.
 * Throws an Error for a `--workers` without a number.
 */
export function withArguments(env: NodeJS.ProcessEnv, argv: readonly string[]): NodeJS.ProcessEnv {
  const at = argv.findIndex((a) => a === '--workers' || a.startsWith('--workers='));
  if (at === -1) return env;
  const value = argv[at]!.includes('=') ? argv[at]!.split('=')[1] : argv[at + 1];
  if (!value || value.startsWith('-')) throw new Error('Configuration is not valid:\n  --workers: give the number of processes, like --workers 4');
  return { ...env, WORKERS: value };
}

/**
 * The environment, parsed and checked once at start. Throws an Error listing every problem (one line
 * each, `NAME: what is wrong`) so the process stops before it serves: in production a cookie secret is
 * required and the demo is refused.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // An empty variable (DATABASE_URL= ) means "not set", as shells and CI files write it.
  const given = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = configSchema.safeParse(given);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n');
    throw new Error(`Configuration is not valid:\n${problems}`);
  }
  const c = parsed.data;
  const refusals = [
    c.NODE_ENV === 'production' && !c.COOKIE_SECRET && '  COOKIE_SECRET: required in production (32+ characters)',
    c.NODE_ENV === 'production' &&
      c.DEMO &&
      '  DEMO: the demo is refused in production: its accounts share a password and two-factor key published in the README. Unset DEMO or set DEMO=false (`npm start` turns the demo on unless DEMO is set).',
    c.WORKERS > 1 &&
      !c.DATABASE_URL &&
      `  WORKERS: ${c.WORKERS} processes need PostgreSQL: set DATABASE_URL (for example postgres://user@host:5432/npq). The embedded database (PGlite, used when DATABASE_URL is not set) belongs to one process, so run one, or move to PostgreSQL.`,
  ].filter(Boolean);
  if (refusals.length) throw new Error(`Configuration is not valid:\n${refusals.join('\n')}`);
  return {
    ...c,
    baseUrl: c.BASE_URL ?? `http://${c.HOST}:${c.PORT}`,
    // Outside production a fixed development secret keeps sessions valid across restarts.
    cookieSecret: c.COOKIE_SECRET ?? 'development-only-cookie-secret-change-me-in-production',
    branding: { name: c.PROVIDER_NAME, colour: c.PROVIDER_COLOUR, logoUrl: c.PROVIDER_LOGO_URL },
  };
}
