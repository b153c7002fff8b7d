import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * The files under each of `roots` (a file or a folder, walked), sorted by path, for hashing. Test files
 * are left out: they are never part of what is built.
 */
export function sourceFiles(roots: string[]): string[] {
  const found: string[] = [];
  const walk = (p: string) => {
    if (!existsSync(p)) return;
    if (statSync(p).isDirectory()) for (const entry of readdirSync(p)) walk(path.join(p, entry));
    else if (!/\.test\.tsx?$/.test(p)) found.push(p);
  };
  for (const root of roots) walk(root);
  return found.sort();
}

/** A SHA-256 of the given files' paths and contents and of `extra` (settings that change the output), hex. */
export function hashOf(files: string[], extra = ''): string {
  const hash = createHash('sha256').update(extra);
  for (const file of files) hash.update(`\0${file}\0`).update(readFileSync(file));
  return hash.digest('hex');
}

/**
 * Builds only when the sources changed: `build` runs when the stamp file beside the output holds
 * another hash than `hash` (or `force` is set), and the stamp is written after it succeeds, so a
 * build that failed half-way runs again. Returns whether it built. (docs/adr/0034)
 */
export async function buildOnce(stampFile: string, hash: string, build: () => Promise<void> | void, force = false): Promise<boolean> {
  if (!force && existsSync(stampFile) && readFileSync(stampFile, 'utf8') === hash) return false;
  await build();
  writeFileSync(stampFile, hash);
  return true;
}
