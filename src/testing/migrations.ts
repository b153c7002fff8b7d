import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import type { sql } from 'drizzle-orm';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import pg from 'pg';
import type { Db } from '../db/client';
import { createThrowawayDatabase } from '../db/test-database';

const drizzleFolder = path.resolve(import.meta.dirname, '../../drizzle');

/** A database for testing what a migration does to data already stored (PostgreSQL at DATABASE_URL, else PGlite). */
export interface MigrationHarness {
  db: Db;
  /** Whether the journal holds the migration the harness was asked for. */
  found: boolean;
  /** Applies every migration before the one asked for. */
  migrateToJustBefore(): Promise<void>;
  /**
   * Applies the migrations up to and including the first whose tag ends in `tagSuffix`, and no later:
   * a test of an earlier migration reads its result before later migrations reshape it, then may
   * migrate on to see the same rows come out of the later ones.
   */
  migrateThrough(tagSuffix: string): Promise<void>;
  /** Applies the rest. */
  migrateOn(): Promise<void>;
  /** The rows of a raw query: node-postgres and PGlite both answer `{ rows }`. */
  all<T>(query: ReturnType<typeof sql>): Promise<T[]>;
  close(): Promise<void>;
}

/**
 * A fresh database and the migrations up to (not including) the first whose tag ends in `tagSuffix`
 * (numbers change when branches merge; the name does not), as a folder of their own. Raises nothing
 * when the tag is missing: `found` says so, for the test to assert.
 */
export async function migrationHarness(tagSuffix: string): Promise<MigrationHarness> {
  const journal = JSON.parse(readFileSync(path.join(drizzleFolder, 'meta/_journal.json'), 'utf8')) as { entries: { tag: string }[] };
  const indexOf = (suffix: string) => journal.entries.findIndex((e) => e.tag.endsWith(suffix));
  const at = indexOf(tagSuffix);
  const folders: string[] = [];
  /** A copy of the migrations folder holding only the first `count` migrations of the journal. */
  const firstMigrations = (count: number) => {
    const kept = journal.entries.slice(0, Math.max(count, 0));
    const folder = mkdtempSync(path.join(tmpdir(), 'npq-migrations-'));
    folders.push(folder);
    cpSync(drizzleFolder, folder, { recursive: true });
    writeFileSync(path.join(folder, 'meta/_journal.json'), JSON.stringify({ ...journal, entries: kept }));
    for (const file of readdirSync(folder)) if (file.endsWith('.sql') && !kept.some((e) => `${e.tag}.sql` === file)) rmSync(path.join(folder, file));
    return folder;
  };
  const before = firstMigrations(at);

  let db: Db;
  let migrateWith: (folder: string) => Promise<void>;
  let closeDatabase: () => Promise<void>;
  if (process.env.DATABASE_URL) {
    const throwaway = await createThrowawayDatabase(process.env.DATABASE_URL);
    const pool = new pg.Pool({ connectionString: throwaway.url, max: 2 });
    db = drizzlePg(pool) as unknown as Db;
    migrateWith = (folder) => migratePg(drizzlePg(pool), { migrationsFolder: folder });
    closeDatabase = async () => {
      await pool.end();
      await throwaway.drop();
    };
  } else {
    const client = new PGlite({ extensions: { pg_trgm } });
    await client.waitReady;
    db = drizzlePglite(client) as unknown as Db;
    migrateWith = (folder) => migratePglite(drizzlePglite(client), { migrationsFolder: folder });
    closeDatabase = () => client.close();
  }
  return {
    db,
    found: at > 0,
    migrateToJustBefore: () => migrateWith(before),
    migrateThrough: async (suffix) => {
      const through = indexOf(suffix);
      if (through < 0) throw new Error(`No migration whose tag ends in ${suffix}`);
      await migrateWith(firstMigrations(through + 1));
    },
    migrateOn: () => migrateWith(drizzleFolder),
    all: async <T>(query: ReturnType<typeof sql>) => ((await db.execute(query)) as unknown as { rows: T[] }).rows,
    close: async () => {
      await closeDatabase();
      for (const folder of folders) rmSync(folder, { recursive: true, force: true });
    },
  };
}
