import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, it } from 'vitest';

const waitForReady = async (url: string) => {
  for (let i = 0; i < 120; i++) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {}
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error('server did not become ready');
};

it('finishes the requests in flight on SIGTERM, then exits cleanly', async () => {
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
    await waitForReady(`http://127.0.0.1:${port}/ready`).catch((err) => {
      throw new Error(`${err.message}:\n${output}`);
    });
    const page = await fetch(`http://127.0.0.1:${port}/sign-in`);
    const cookie = page.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
    const csrf = (await page.text()).match(/name="_csrf" value="([^"]+)"/)![1]!;
    // Each sign-in spends tens of milliseconds in argon2 on four threads: twelve keep the server busy.
    const received = () => output.split('\n').filter((l) => l.includes('"incoming request"') && l.includes('"POST"')).length;
    const inFlight = Array.from({ length: 12 }, () =>
      fetch(`http://127.0.0.1:${port}/sign-in`, {
        method: 'POST',
        redirect: 'manual',
        headers: { 'content-type': 'application/x-www-form-urlencoded', cookie },
        body: new URLSearchParams({ _csrf: csrf, email: 'participant@demo.npq.test', password: 'demo-password-2026' }).toString(),
      }).then((r) => r.status),
    );
    // Signal only once the server has every request, so none is refused for arriving late.
    while (received() < 12) await new Promise((r) => setTimeout(r, 2));
    server.kill('SIGTERM');
    expect(await Promise.all(inFlight)).toEqual(Array(12).fill(303));
    expect(await exited).toBe(0);
    const afterSignal = output.slice(output.indexOf('shutting down'));
    expect(afterSignal).toContain('"request completed"');
    expect(afterSignal).toContain('database closed; exiting');
  } finally {
    server.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  }
}, 90_000);
