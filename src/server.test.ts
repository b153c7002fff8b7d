import http from 'node:http';
import { expect, it } from 'vitest';
import { startServerProcess, until } from './testing/server-process';

it('finishes a request in flight on SIGTERM, then exits cleanly', async () => {
  const server = await startServerProcess({ env: { DEMO: 'true' } });
  const { port } = server;
  const output = () => server.output();
  try {
    expect(server.alive()).toBe(true);
    const page = await fetch(`http://127.0.0.1:${port}/sign-in`);
    const cookie = page.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
    const csrf = (await page.text()).match(/name="_csrf" value="([^"]+)"/)![1]!;
    const body = new URLSearchParams({ _csrf: csrf, email: 'participant@demo.npq.test', password: 'demo-password-2026' }).toString();

    // Half a form is sent before the signal and the rest after it: the request is in flight throughout.
    const req = http.request({
      host: '127.0.0.1',
      port,
      method: 'POST',
      path: '/sign-in',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-length': Buffer.byteLength(body), cookie },
    });
    const status = new Promise<number>((resolve, reject) => {
      req.on('response', (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
    });
    req.write(body.slice(0, 20));
    await until(() => output().includes('"url":"/sign-in","method":"POST"') || /"method":"POST".*"url":"\/sign-in"/.test(output()), 'the server to receive the request');
    server.child.kill('SIGTERM');
    await until(() => output().includes('shutting down'), 'the server to begin shutting down');
    req.end(body.slice(20));

    expect(await status).toBe(303);
    expect(await server.exited).toBe(0);
    expect(output().slice(output().indexOf('shutting down'))).toContain('database closed; exiting');
  } finally {
    await server.kill();
  }
}, 90_000);

/** Starts the server as `opts` say and expects it to refuse: exit code 1, `says` in its output, no stack trace. */
async function expectRefusal(opts: Parameters<typeof startServerProcess>[0], says: string) {
  const server = await startServerProcess({ ...opts, waitForListening: false });
  try {
    expect(await server.exited).toBe(1);
    expect(server.output()).toContain(says);
    expect(server.output()).not.toMatch(/^\s+at /m);
  } finally {
    await server.kill();
  }
}

it('refuses to start in production with the demo asked for, saying why and without a stack trace', async () => {
  await expectRefusal({ env: { NODE_ENV: 'production', COOKIE_SECRET: 'a-production-cookie-secret-of-32-characters', DEMO: 'true' } }, 'DEMO: the demo is refused in production');
}, 60_000);

it('refuses several processes on the embedded database, saying what to do instead', async () => {
  await expectRefusal({ command: [process.execPath, '--import', 'tsx', 'src/server.ts', '--workers', '2'] }, 'WORKERS: 2 processes need PostgreSQL: set DATABASE_URL');
}, 60_000);

it('`npm start` gives the demo, and stops, server and all, when npm is sent SIGTERM', async () => {
  const server = await startServerProcess({ command: ['npm', 'start'] });
  try {
    expect(server.output()).toContain('Demo accounts (password for all: demo-password-2026)');
    expect((await fetch(`${server.baseUrl}/health`)).status).toBe(200);
    // The built bundle carries drizzle-orm, zod, zxcvbn's core and csv-parse in it (ADR 0046): a page
    // read through them, and a form checked by them, answer as from the sources.
    expect(await (await fetch(`${server.baseUrl}/qualifications?kind=nope`)).text()).toContain('Kind of NPQ: “nope” is not one of the choices');
    const form = await fetch(`${server.baseUrl}/sign-in`);
    const cookie = form.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
    const csrf = (await form.text()).match(/name="_csrf" value="([^"]+)"/)![1]!;
    const signIn = await fetch(`${server.baseUrl}/sign-in`, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded', cookie }, body: new URLSearchParams({ _csrf: csrf, email: 'participant@demo.npq.test', password: 'demo-password-2026' }).toString() });
    expect(signIn.headers.get('location')).toBe('/home');
    server.child.kill('SIGTERM');
    await server.exited;
    // npm has gone; the server it started (under tsx, under npm's shell) must not outlive it.
    await until(() => server.output().includes('database closed; exiting'), `the server to stop:\n${server.output()}`, 30_000);
    await expect(fetch(`${server.baseUrl}/health`)).rejects.toThrow();
  } finally {
    await server.kill();
  }
}, 240_000);
