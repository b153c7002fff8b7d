import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, it } from 'vitest';

const until = async (check: () => boolean, what: string, ms = 60_000) => {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
};

it('finishes a request in flight on SIGTERM, then exits cleanly', async () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'npq-shutdown-'));
  const port = 3400 + Math.floor(Math.random() * 500);
  const server = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    // Vitest sets BASE_URL to Vite's "/": the server is given its own.
    env: { ...process.env, PORT: String(port), BASE_URL: `http://127.0.0.1:${port}`, DATA_DIR: dataDir, DATABASE_URL: '', DEMO: 'true', LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  server.stdout.on('data', (d) => (output += d));
  server.stderr.on('data', (d) => (output += d));
  const exited = new Promise<number | null>((resolve) => server.on('exit', resolve));
  try {
    await until(() => output.includes('Server listening'), `the server to start:\n${output}`);
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
    await until(() => output.includes('"url":"/sign-in","method":"POST"') || /"method":"POST".*"url":"\/sign-in"/.test(output), 'the server to receive the request');
    server.kill('SIGTERM');
    await until(() => output.includes('shutting down'), 'the server to begin shutting down');
    req.end(body.slice(20));

    expect(await status).toBe(303);
    expect(await exited).toBe(0);
    expect(output.slice(output.indexOf('shutting down'))).toContain('database closed; exiting');
  } finally {
    server.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  }
}, 90_000);
