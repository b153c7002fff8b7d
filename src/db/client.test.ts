import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, openDatabase, withConnection } from './client';
import { isConnectionLost } from './connection-lost';
import { createThrowawayDatabase, type ThrowawayDatabase } from './test-database';

const serverUrl = process.env.DATABASE_URL;

/** Ends every session on the throwaway database but the one asking: what a restart or failover does to it. */
export const terminateBackendsOf = (name: string) =>
  withConnection(serverUrl!, (admin) => admin.query('select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()', [name]));

describe.skipIf(!serverUrl)('a PostgreSQL connection the server ends', () => {
  let throwaway: ThrowawayDatabase;
  let database: Database;
  const reported: Error[] = [];
  const uncaught: unknown[] = [];
  const onUncaught = (err: unknown) => uncaught.push(err);

  beforeAll(async () => {
    throwaway = await createThrowawayDatabase(serverUrl!);
    database = await openDatabase({ kind: 'postgres', url: throwaway.url, poolSize: 2, onConnectionError: (err) => reported.push(err) });
    process.on('uncaughtException', onUncaught);
  });
  afterAll(async () => {
    process.off('uncaughtException', onUncaught);
    await database?.close();
    await throwaway?.drop();
  });

  it('fails the transaction it was in with a connection-lost error, emits nothing unhandled, and the pool carries on', async () => {
    const outcome = await database.db
      .transaction(async (tx) => {
        await tx.execute(sql`select 1`);
        await terminateBackendsOf(throwaway.name);
        // The server's goodbye reaches the client as an 'error' event while it is checked out.
        await new Promise((r) => setTimeout(r, 200));
        await tx.execute(sql`select 2`);
        return 'committed';
      })
      .catch((err: unknown) => err);
    expect(outcome).toBeInstanceOf(Error);
    expect(isConnectionLost(outcome)).toBe(true);
    expect(reported.some(isConnectionLost)).toBe(true);
    expect(uncaught).toEqual([]);
    // The dead client was discarded, not returned to the pool: the next transaction gets a live one.
    await expect(database.db.transaction((tx) => tx.execute(sql`select 3`))).resolves.toBeDefined();
  });

  it('survives idle connections being ended too', async () => {
    await Promise.all([database.ping(), database.ping()]);
    await terminateBackendsOf(throwaway.name);
    await new Promise((r) => setTimeout(r, 200));
    expect(uncaught).toEqual([]);
    await database.ping();
  });
});
