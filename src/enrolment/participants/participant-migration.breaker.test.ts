import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { sql } from 'drizzle-orm';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../db/client';
import { createThrowawayDatabase, type ThrowawayDatabase } from '../../db/test-database';

/**
 * Breaker (issue 9, ADR 0026: one person, one participant id). The participants migration groups
 * existing applications by `coalesce(user_id, lower(email))`, so a person with an account who also has
 * an application the provider entered before the account existed (user_id null, the same address)
 * becomes two participants; at run time participantFor would have made them one (the account takes the
 * entered participant over). Harness as in participants.migration.test.ts.
 */
const drizzleFolder = path.resolve(import.meta.dirname, '../../../drizzle');
const journal = JSON.parse(readFileSync(path.join(drizzleFolder, 'meta/_journal.json'), 'utf8')) as { entries: { tag: string }[] };
const at = journal.entries.findIndex((e) => e.tag.endsWith('_participants'));

let before: string;
let db: Db;
let migrateWith: (folder: string) => Promise<void>;
let close: () => Promise<void>;
let throwaway: ThrowawayDatabase | undefined;

beforeAll(async () => {
  // The migrations up to (not including) the participants one, as their own folder.
  before = mkdtempSync(path.join(tmpdir(), 'npq-migrations-'));
  cpSync(drizzleFolder, before, { recursive: true });
  writeFileSync(path.join(before, 'meta/_journal.json'), JSON.stringify({ ...journal, entries: journal.entries.slice(0, at) }));
  for (const file of readdirSync(before)) if (file.endsWith('.sql') && !journal.entries.slice(0, at).some((e) => `${e.tag}.sql` === file)) rmSync(path.join(before, file));
  if (process.env.DATABASE_URL) {
    throwaway = await createThrowawayDatabase(process.env.DATABASE_URL);
    const pool = new pg.Pool({ connectionString: throwaway.url, max: 2 });
    db = drizzlePg(pool) as unknown as Db;
    migrateWith = (folder) => migratePg(drizzlePg(pool), { migrationsFolder: folder });
    close = async () => {
      await pool.end();
      await throwaway!.drop();
    };
  } else {
    const client = new PGlite({ extensions: { pg_trgm } });
    await client.waitReady;
    db = drizzlePglite(client) as unknown as Db;
    migrateWith = (folder) => migratePglite(drizzlePglite(client), { migrationsFolder: folder });
    close = () => client.close();
  }
});
afterAll(async () => {
  await close?.();
  rmSync(before, { recursive: true, force: true });
});

/** The rows of a raw query: node-postgres and PGlite both answer `{ rows }`. */
const all = async <T>(query: ReturnType<typeof sql>): Promise<T[]> => ((await db.execute(query)) as unknown as { rows: T[] }).rows;

describe('the participants migration, one person with and without an account', () => {
  it('gives the person one participant id', async () => {
    await migrateWith(before);
    const user = '22222222-2222-4222-8222-222222222222';
    const [own, entered] = ['c1', 'c2'].map((s) => `00000000-0000-4000-8000-0000000000${s}`) as [string, string];
    await db.execute(sql`insert into users (id, name, email, password_hash, created_at, updated_at) values (${user}, 'Bea', 'bea@school.test', 'x', now(), now())`);
    await db.execute(sql`
      insert into applications (id, user_id, full_name, email, course_identifier, status, training_status, created_at, updated_at, decided_at) values
        (${entered}, null, 'Bea', 'Bea@school.test', 'npq-senco', 'accepted', 'active', '2026-01-01T10:00:00Z', '2026-01-01T10:00:00Z', '2026-01-02T10:00:00Z'),
        (${own}, ${user}, 'Bea', 'bea@school.test', 'npq-headship', 'pending', null, '2026-03-01T10:00:00Z', '2026-03-01T10:00:00Z', null)`);

    await migrateWith(drizzleFolder);

    const rows = await all<{ id: string; participant_id: string }>(sql`select id, participant_id from applications where id in (${own}, ${entered})`);
    // Actual: two participant ids (the user id for one, the entered application's id for the other).
    expect(new Set(rows.map((r) => r.participant_id)).size).toBe(1);
  });
});
