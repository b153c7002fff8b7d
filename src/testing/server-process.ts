import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** Polls `check` every 10 ms until it holds; throws naming `what` after `ms`. */
export const until = async (check: () => boolean, what: string, ms = 90_000) => {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
};

/**
 * A TCP port on 127.0.0.1 that nothing is listening on, as the operating system hands one out. A port
 * drawn at random from a fixed range could be taken already, or be one of the ports fetch refuses
 * outright ("bad port": 3659, 4045, 6000…, in the Fetch standard's list); the system's ephemeral range
 * (32768–60999 on Linux) holds none of those.
 */
export async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve, reject) => {
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', resolve);
  });
  const address = probe.address();
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('the probe had no TCP port');
  return address.port;
}

export interface ServerProcess {
  child: ChildProcess;
  port: number;
  baseUrl: string;
  /** Everything it has written to stdout and stderr so far. */
  output(): string;
  /** Its exit code once it has exited (null when killed by a signal). */
  exited: Promise<number | null>;
  alive(): boolean;
  /** SIGKILLs its process group if anything of it is still running, and removes its data directory. */
  kill(): Promise<void>;
}

/**
 * The real platform in a process of its own, as `command` (`tsx src/server.ts` by default; `npm start`
 * to test the script) starts it, on a fresh embedded database in a temporary directory unless `env`
 * gives DATABASE_URL. Resolves once it is listening, or once it has exited when `waitForListening` is
 * false (for a start that must be refused).
 */
export async function startServerProcess(opts: { env?: Record<string, string>; command?: [string, ...string[]]; waitForListening?: boolean } = {}): Promise<ServerProcess> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'npq-server-'));
  const port = await freePort();
  const [command, ...args] = opts.command ?? [process.execPath, '--import', 'tsx', 'src/server.ts'];
  const child = spawn(command, args, {
    // Vitest sets BASE_URL to Vite's "/" and NODE_ENV to test: the server is given its own.
    env: { ...process.env, NODE_ENV: 'development', PORT: String(port), HOST: '127.0.0.1', BASE_URL: `http://127.0.0.1:${port}`, DATA_DIR: dataDir, DATABASE_URL: '', LOG_LEVEL: 'info', ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
    // Its own process group, so that kill() reaches whatever it started (npm's shell, tsx's node) too.
    detached: true,
  });
  let output = '';
  let running = true;
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const exited = new Promise<number | null>((resolve) =>
    child.on('exit', (code) => {
      running = false;
      resolve(code);
    }),
  );
  const server: ServerProcess = {
    child,
    port,
    baseUrl: `http://127.0.0.1:${port}`,
    output: () => output,
    exited,
    alive: () => running,
    kill: async () => {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // The group has already gone.
      }
      if (running) await exited;
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  if (opts.waitForListening === false) await exited;
  else await until(() => output.includes('Server listening') || !running, `the server to start:\n${output}`, 150_000);
  return server;
}
