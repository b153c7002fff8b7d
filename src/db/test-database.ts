import { randomBytes } from 'node:crypto';
import { type Database, openDatabase, withConnection } from './client';

export interface ThrowawayDatabase {
  /** The new database's own connection string. */
  url: string;
  name: string;
  /** Drops it, ending any sessions still on it. */
  drop(): Promise<void>;
}

/** Creates an empty database named `<prefix><random>` on the PostgreSQL server at `serverUrl`. */
export async function createThrowawayDatabase(serverUrl: string, prefix = 'npq_test_'): Promise<ThrowawayDatabase> {
  const name = `${prefix}${randomBytes(6).toString('hex')}`;
  await withConnection(serverUrl, (admin) => admin.query(`create database ${name}`));
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    name,
    drop: () => withConnection(serverUrl, async (admin) => void (await admin.query(`drop database if exists ${name} with (force)`))),
  };
}

/**
 * A fresh, migrated database for one test file: in-memory PGlite by default, or a throwaway database
 * on the PostgreSQL server named by DATABASE_URL, dropped again on close.
 */
export async function openTestDatabase(): Promise<Database> {
  const serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) return openDatabase({ kind: 'pglite' });
  const throwaway = await createThrowawayDatabase(serverUrl);
  const database = await openDatabase({ kind: 'postgres', url: throwaway.url, poolSize: 4 });
  return {
    ...database,
    close: async () => {
      await database.close();
      await throwaway.drop();
    },
  };
}
