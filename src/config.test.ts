import { describe, expect, it } from 'vitest';
import { loadConfig } from './config';

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
});
