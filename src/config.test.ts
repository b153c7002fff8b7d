import { describe, expect, it } from 'vitest';
import { loadConfig, withArguments } from './config';

const SECRET = 'a-production-cookie-secret-of-32-characters-or-more';
const env = (vars: Record<string, string>) => vars as NodeJS.ProcessEnv;

describe('configuration', () => {
  it('loads no demo unless asked for, in production or not', () => {
    expect(loadConfig(env({ NODE_ENV: 'production', COOKIE_SECRET: SECRET })).DEMO).toBe(false);
    expect(loadConfig(env({ NODE_ENV: 'development' })).DEMO).toBe(false);
    expect(loadConfig(env({})).DEMO).toBe(false);
    expect(loadConfig(env({ DEMO: 'true' })).DEMO).toBe(true);
  });

  it('refuses the demo in production, saying why and what to do', () => {
    expect(() => loadConfig(env({ NODE_ENV: 'production', COOKIE_SECRET: SECRET, DEMO: 'true' }))).toThrow(/DEMO: the demo is refused in production.*set DEMO=false/);
  });

  it('names every problem at once', () => {
    expect(() => loadConfig(env({ NODE_ENV: 'production', DEMO: 'true' }))).toThrow(/COOKIE_SECRET: required in production[\s\S]*DEMO: the demo is refused/);
  });

  it('takes DEMO as true or false only', () => {
    expect(() => loadConfig(env({ DEMO: 'yes' }))).toThrow('DEMO: must be true or false');
  });

  it('runs one process unless told more, by WORKERS or --workers, and more only on PostgreSQL', () => {
    const pg = { DATABASE_URL: 'postgres://npq@db.example:5432/npq' };
    expect(loadConfig(env({})).WORKERS).toBe(1);
    expect(loadConfig(env({ ...pg, WORKERS: '4' })).WORKERS).toBe(4);
    expect(loadConfig(withArguments(env(pg), ['--workers', '3'])).WORKERS).toBe(3);
    expect(loadConfig(withArguments(env({ ...pg, WORKERS: '8' }), ['--workers=2'])).WORKERS).toBe(2);
    expect(() => loadConfig(withArguments(env({}), ['--workers', '2']))).toThrow(/WORKERS: 2 processes need PostgreSQL: set DATABASE_URL/);
    expect(() => loadConfig(env({ ...pg, WORKERS: 'many' }))).toThrow('WORKERS: must be a whole number from 1 to 64');
    expect(() => withArguments(env({}), ['--workers'])).toThrow('--workers: give the number of processes, like --workers 4');
  });
});
