import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

/**
 * The lint rule of docs/adr/0029 bites: probe files with one import each are written where a
 * capability's code would be, Biome lints them with the repository's biome.json, and the imports it
 * refuses are exactly those that reach into another capability past its queries, domain and (for
 * schema files) schema, or up from the platform or the database client into any capability.
 */
const root = path.resolve(import.meta.dirname, '..');
const tag = `boundary-probe-${process.pid}`;
const probes: { file: string; from: string; refused: boolean }[] = [
  { file: 'src/diagnostic/x.ts', from: '../enrolment/enrolment.schema', refused: true },
  { file: 'src/diagnostic/x.ts', from: '../enrolment/applications.service', refused: true },
  { file: 'src/diagnostic/web/x.ts', from: '../../people/people.service', refused: true },
  { file: 'src/home/x.ts', from: '../audit/audit.routes', refused: true },
  { file: 'src/people/x.ts', from: '../mail/outbox.routes', refused: true },
  { file: 'src/platform/x.ts', from: '../people/domain/roles', refused: true },
  { file: 'src/db/x.ts', from: '../catalogue/catalogue.schema', refused: true },
  { file: 'src/diagnostic/x.ts', from: '../enrolment/enrolment.queries', refused: false },
  { file: 'src/diagnostic/x.ts', from: '../enrolment/domain/application', refused: false },
  { file: 'src/diagnostic/x.schema.ts', from: '../enrolment/enrolment.schema', refused: false },
  { file: 'src/people/x.ts', from: '../mail/outbox', refused: false },
  { file: 'src/catalogue/x.ts', from: '../audit/audit', refused: false },
  { file: 'src/coaching/x.ts', from: '../learning/learning.schema', refused: true },
  { file: 'src/engagement/x.ts', from: '../coaching/messages/messages', refused: true },
  { file: 'src/platform/x.ts', from: '../engagement/engagement.compute', refused: true },
  { file: 'src/engagement/x.ts', from: '../learning/learning.queries', refused: false },
  { file: 'src/coaching/x.ts', from: '../learning/domain/material', refused: false },
  // Exempt: tests compose whatever they need.
  { file: 'src/diagnostic/x.test.ts', from: '../enrolment/enrolment.schema', refused: false },
];
const written = probes.map((p, i) => {
  const file = p.file.replace(/x(\.[a-z]+)?\.ts$/, `${tag}-${i}$1.ts`);
  return { ...p, file: path.join(root, file) };
});

afterAll(() => {
  for (const p of written) rmSync(p.file, { force: true });
});

describe('capability boundaries (docs/adr/0029)', () => {
  it('refuses imports past another capability’s queries, domain and schema, and any from the platform into a capability', () => {
    for (const p of written) {
      mkdirSync(path.dirname(p.file), { recursive: true });
      writeFileSync(p.file, `export * from '${p.from}';\n`);
    }
    let out = '';
    try {
      out = execFileSync(path.join(root, 'node_modules/.bin/biome'), ['lint', '--reporter=github', '--max-diagnostics=none', ...written.map((p) => p.file)], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    } catch (err) {
      out = String((err as { stdout?: string }).stdout ?? '');
    }
    const refused = new Set(out.split('\n').filter((l) => l.includes('noRestrictedImports')).map((l) => /file=([^,]+)/.exec(l)?.[1]));
    expect(written.map((p) => `${path.relative(root, p.file)} ← ${p.from}: ${refused.has(p.file) ? 'refused' : 'allowed'}`)).toEqual(
      written.map((p) => `${path.relative(root, p.file)} ← ${p.from}: ${p.refused ? 'refused' : 'allowed'}`),
    );
  }, 30_000);
});
