import { eq, sql } from 'drizzle-orm';
import { integer, pgTable, varchar } from 'drizzle-orm/pg-core';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, executeNamed, openDatabase, withConnection } from './client';
import { isConnectionLost } from './connection-lost';
import { createThrowawayDatabase, type ThrowawayDatabase } from './test-database';

const serverUrl = process.env.DATABASE_URL;

/** Ends every session on the throwaway database but the one asking: what a restart or failover does to it. */
const terminateBackendsOf = (name: string) =>
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

  it('gives back a client whose connection breaks before its transaction has begun, so the next one does not wait for ever', async () => {
    const one = await openDatabase({ kind: 'postgres', url: throwaway.url, poolSize: 1 });
    try {
      const pool = (one.db as unknown as { $client: pg.Pool }).$client;
      // A network reset the moment the client is checked out: Drizzle's BEGIN fails outside its try/finally.
      pool.once('acquire', (client) => (client as unknown as { connection: { stream: { destroy(): void } } }).connection.stream.destroy());
      const first = await one.db.transaction((tx) => tx.execute(sql`select 1`)).catch((err: unknown) => err);
      expect(isConnectionLost(first)).toBe(true);
      // With the only client lost for good, this would wait for ever.
      const second = one.db.transaction((tx) => tx.execute(sql`select 2`));
      await expect(Promise.race([second, new Promise((_, reject) => setTimeout(() => reject(new Error('waited for a client for 5 s')), 5000))])).resolves.toBeDefined();
      expect(uncaught).toEqual([]);
    } finally {
      await one.close();
    }
  });

  it('survives idle connections being ended too', async () => {
    await Promise.all([database.ping(), database.ping()]);
    await terminateBackendsOf(throwaway.name);
    await new Promise((r) => setTimeout(r, 200));
    expect(uncaught).toEqual([]);
    await database.ping();
  });
});

describe('a statement run by name (executeNamed)', () => {
  let database: Database;
  let throwawayForNamed: ThrowawayDatabase | undefined;
  beforeAll(async () => {
    if (serverUrl) throwawayForNamed = await createThrowawayDatabase(serverUrl);
    // One connection on PostgreSQL, so a test can read the session's prepared statements.
    database = throwawayForNamed ? await openDatabase({ kind: 'postgres', url: throwawayForNamed.url, poolSize: 1 }) : await openDatabase({ kind: 'pglite' });
  });
  afterAll(async () => {
    await database?.close();
    await throwawayForNamed?.drop();
  });
  const doubled = (n: number) => sql`select ${n}::int * 2 as twice`;

  it('answers as db.execute does, whatever the values', async () => {
    expect((await executeNamed<{ twice: number }>(database.db, doubled(21))).rows).toEqual([{ twice: 42 }]);
    expect((await executeNamed<{ twice: number }>(database.db, doubled(5))).rows).toEqual([{ twice: 10 }]);
    const plain = (await database.db.execute(doubled(5))) as unknown as { rows: unknown[] };
    expect((await executeNamed(database.db, doubled(5))).rows).toEqual(plain.rows);
  });

  it('runs inside a transaction too', async () => {
    const rows = await database.db.transaction(async (tx) => (await executeNamed<{ twice: number }>(tx, doubled(4))).rows);
    expect(rows).toEqual([{ twice: 8 }]);
  });

  it.skipIf(!serverUrl)('on PostgreSQL, prepares one statement per text, keeps its generic plan, and never mixes two texts under one name', async () => {
    const other = (n: number) => sql`select ${n}::int + 1 as next`;
    for (const n of [1, 2, 3]) await executeNamed(database.db, doubled(n));
    expect((await executeNamed<{ next: number }>(database.db, other(1))).rows).toEqual([{ next: 2 }]);
    // One connection in the pool: this reads the same session's statements.
    const prepared = (await database.db.execute(sql`select name, statement, generic_plans, custom_plans from pg_prepared_statements where name like 's\_%' order by statement`)) as unknown as {
      rows: { name: string; statement: string; generic_plans: string; custom_plans: string }[];
    };
    const ofDoubled = prepared.rows.filter((r) => r.statement.includes('* 2'));
    expect(ofDoubled).toHaveLength(1);
    // Planned once and kept (plan_cache_mode = force_generic_plan): no run of it was planned anew.
    expect(Number(ofDoubled[0]!.custom_plans)).toBe(0);
    expect(Number(ofDoubled[0]!.generic_plans)).toBeGreaterThanOrEqual(3);
    expect(new Set(prepared.rows.map((r) => r.name)).size).toBe(prepared.rows.length);
  });

  it.skipIf(!serverUrl)('runs a named statement again, planned afresh, after a migration changes what it returns, ours and Drizzle\'s alike', async () => {
    const probe = pgTable('replan_probe', { id: integer('id').primaryKey(), label: varchar('label', { length: 10 }) });
    await database.db.execute(sql`create table replan_probe (id int primary key, label varchar(10))`);
    await database.db.insert(probe).values({ id: 1, label: 'one' });
    const ours = () => executeNamed<{ label: string }>(database.db, sql`select label from replan_probe where id = ${1}`);
    const drizzles = database.db.select({ label: probe.label }).from(probe).where(eq(probe.id, sql.placeholder('id'))).prepare('replan_probe_by_id');
    expect((await ours()).rows).toEqual([{ label: 'one' }]);
    expect(await drizzles.execute({ id: 1 })).toEqual([{ label: 'one' }]);
    // The next release's migration, run while this process serves.
    await withConnection(throwawayForNamed!.url, (c) => c.query('alter table replan_probe alter column label type text'));
    expect((await ours()).rows).toEqual([{ label: 'one' }]);
    expect(await drizzles.execute({ id: 1 })).toEqual([{ label: 'one' }]);
    // And again: the statement was prepared anew, not refused on every run.
    expect((await ours()).rows).toEqual([{ label: 'one' }]);
  });
});
