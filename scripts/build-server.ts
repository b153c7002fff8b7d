/**
 * Compiles the server once into one JavaScript module, dist/server/server.mjs (packages stay in
 * node_modules), so `npm start` runs it with plain Node: no TypeScript compiled at every start, and no
 * compiler held in memory while serving. Skipped when src/, the lockfile and this script are unchanged
 * since the last build (a hash stamp; `--force` builds anyway). docs/adr/0034.
 *
 * The output sits two folders deep because src/db/client.ts finds the migrations at ../../drizzle
 * from its own file, which is this file once bundled.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';
import { buildOnce, hashOf, sourceFiles } from './build-stamp.ts';

export const SERVER_BUNDLE = path.resolve('dist/server/server.mjs');

/**
 * Packages bundled into the server: ES modules of many files each, which Node resolved one by one at
 * every start (about 1.1 s of it). Every other package stays in node_modules (docs/adr/0046).
 */
const BUNDLED = ['drizzle-orm', 'zod', '@zxcvbn-ts/core', 'csv-parse'];
const dependencies = Object.keys(JSON.parse(readFileSync(path.resolve('package.json'), 'utf8')).dependencies as Record<string, string>);
const EXTERNAL = dependencies.filter((d) => !BUNDLED.includes(d)).flatMap((d) => [d, `${d}/*`]);

const started = Date.now();
mkdirSync(path.dirname(SERVER_BUNDLE), { recursive: true });
const hash = hashOf(sourceFiles([path.resolve('src'), path.resolve('package-lock.json'), path.resolve('tsconfig.json'), path.resolve('scripts/build-server.ts')]));
const built = await buildOnce(
  path.join(path.dirname(SERVER_BUNDLE), '.build-stamp'),
  hash,
  async () => {
    await build({
      // The account reader runs in a worker thread of its own (src/assessment/submissions/read-account.ts): a second module beside the server.
      entryPoints: [path.resolve('src/server.ts'), path.resolve('src/assessment/submissions/read-account.worker.ts')],
      outdir: path.dirname(SERVER_BUNDLE),
      outExtension: { '.js': '.mjs' },
      entryNames: '[name]',
      bundle: true,
      external: EXTERNAL,
      platform: 'node',
      format: 'esm',
      target: 'node24',
      jsx: 'automatic',
      jsxImportSource: 'preact',
      // For reading a stack trace against the TypeScript: NODE_OPTIONS=--enable-source-maps npm start.
      // `npm start` does not load maps: parsed, the server's and its packages' held 28 MB of every
      // process's heap (ADR 0041). The map names files and lines; the sources stay in src/.
      sourcemap: true,
      sourcesContent: false,
      logLevel: 'warning',
    });
  },
  process.argv.includes('--force'),
);
console.log(built ? `server built in ${Date.now() - started} ms` : `server up to date (checked in ${Date.now() - started} ms)`);
