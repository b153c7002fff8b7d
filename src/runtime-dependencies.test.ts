import { readFileSync } from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

/**
 * What the server imports at run time must be a runtime dependency: the server bundle keeps every
 * dependency in node_modules and bundles the rest (scripts/build-server.ts), and a development
 * package bundled by mistake can break `npm start` (yaml, pulled in by the DfE stand-in, did) or be
 * missing where only dependencies are installed. esbuild follows the server's imports as the build
 * does and lists every package reached.
 */
describe('the server’s packages', () => {
  it('are all runtime dependencies', async () => {
    const root = path.resolve(import.meta.dirname, '..');
    const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    const result = await build({
      entryPoints: [path.join(root, 'src/server.ts'), path.join(root, 'src/assessment/submissions/read-account.worker.ts')],
      bundle: true,
      write: false,
      packages: 'external',
      platform: 'node',
      format: 'esm',
      jsx: 'automatic',
      jsxImportSource: 'preact',
      outdir: path.join(root, 'dist/dependency-check'),
      metafile: true,
      logLevel: 'silent',
    });
    const packages = new Set<string>();
    for (const input of Object.values(result.metafile.inputs)) {
      for (const imported of input.imports) {
        if (!imported.external || imported.path.startsWith('node:')) continue;
        const parts = imported.path.split('/');
        packages.add(imported.path.startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0]!);
      }
    }
    expect(packages.size).toBeGreaterThan(10);
    expect([...packages].filter((p) => !(p in pkg.dependencies)).sort()).toEqual([]);
  });
});
