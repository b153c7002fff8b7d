import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { type SQL, sql } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import pg from 'pg';

/** Capabilities keep their own tables (src/<capability>/<capability>.schema.ts); the client needs none of them. */
export type Db = PgDatabase<PgQueryResultHKT>;
/** A transaction or the database itself: repositories accept either. */
export type Executor = Parameters<Parameters<Db['transaction']>[0]>[0] | Db;

export interface Database {
  db: Db;
  kind: 'pglite' | 'postgres';
  ping(): Promise<void>;
  close(): Promise<void>;
}

const migrationsFolder = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../drizzle');

export type DatabaseOptions =
  | {
      kind: 'postgres';
      url: string;
      poolSize?: number;
      /** Told of every connection the server ends (restart, failover, pg_terminate_backend, idle timeout); for logging. */
      onConnectionError?: (err: Error) => void;
    }
  | { kind: 'pglite'; dataDir?: string /* undefined = in memory */ };

/**
 * Opens the database and applies the migrations. On PostgreSQL, see resilientPool for what a
 * connection the server ends does (and no longer does) to the process.
 */
export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  if (options.kind === 'postgres') {
    const pool = resilientPool(
      new pg.Pool({
        connectionString: options.url,
        max: options.poolSize ?? 10,
        // Many short queries at once, from every process: a query that starts parallel workers takes
        // cores the other connections were using, and the workers' start-up costs more than they save
        // on pages and counts that read an index. The tables are read from memory or SSD, not a
        // spinning disk (PostgreSQL's default random_page_cost of 4 assumes one): at 1.1 the planner
        // counts from an index where it would read the whole table (docs/adr/0034). A named statement
        // (executeNamed, Drizzle's prepare) is planned once per connection and its plan kept: without
        // force_generic_plan PostgreSQL plans the inbox's page anew on every run, which cost more than
        // reading it (docs/adr/0042). Unnamed statements are planned each time whatever this says.
        options: '-c max_parallel_workers_per_gather=0 -c random_page_cost=1.1 -c plan_cache_mode=force_generic_plan',
      }),
      options.onConnectionError,
    );
    const db = drizzlePg(pool) as unknown as Db;
    await migratePg(drizzlePg(pool), { migrationsFolder });
    return {
      db,
      kind: 'postgres',
      ping: async () => {
        await pool.query('select 1');
      },
      close: () => pool.end(),
    };
  }
  if (options.dataDir) mkdirSync(options.dataDir, { recursive: true });
  // pg_trgm backs the inbox's search by part of a name or email address.
  const client = new PGlite({ ...(options.dataDir ? { dataDir: options.dataDir } : {}), extensions: { pg_trgm } });
  await client.waitReady;
  const db = drizzlePglite(client) as unknown as Db;
  await migratePglite(drizzlePglite(client), { migrationsFolder });
  return {
    db,
    kind: 'pglite',
    ping: async () => {
      await db.execute(sql`select 1`);
    },
    close: () => client.close(),
  };
}

/**
 * The name `executeNamed` gave each text, at most NAMED_STATEMENTS_MAX. Each name is a statement and
 * its plan kept on every connection that runs it, for the connection's life: about 350 KB each for the
 * inbox's page. The inbox's form alone makes 288 shapes of filter, about 100 MB on one connection had
 * they all been named; the first 32 texts a process sees (the shapes staff use, in practice) keep
 * their plans, and the rest are planned on each run as before (docs/adr/0042).
 */
const namesOfTexts = new Map<string, string>();
const NAMED_STATEMENTS_MAX = 32;

/**
 * Runs `statement` as a named prepared statement, answering as `db.execute` does ({ rows } on
 * PostgreSQL, rows of column names to values). The name is a digest of the statement's text, so
 * statements built alike (the same filters, other values) share one, parsed and planned once per
 * connection (docs/adr/0042); a different text is another statement, never a clash of names. Past
 * NAMED_STATEMENTS_MAX texts in a process, a new text runs unnamed. PGlite runs it as any other
 * statement.
 */
export function executeNamed<R>(db: Executor, statement: SQL): Promise<{ rows: R[] }> {
  const query = (db as unknown as { dialect: { sqlToQuery(s: SQL): { sql: string; params: unknown[] } } }).dialect.sqlToQuery(statement);
  let name = namesOfTexts.get(query.sql);
  if (name === undefined && namesOfTexts.size < NAMED_STATEMENTS_MAX) {
    name = `s_${createHash('sha1').update(query.sql).digest('hex').slice(0, 32)}`;
    namesOfTexts.set(query.sql, name);
  }
  // Drizzle builds named statements only from its query builders (`.prepare(name)`); a statement
  // written as SQL goes through the same session method its builders use (and `db.execute`, unnamed).
  const { session } = (db as unknown as { _: { session: NamedStatementSession } })._;
  return session.prepareQuery(query, undefined, name, false).execute() as Promise<{ rows: R[] }>;
}

/** The part of Drizzle's PgSession executeNamed uses. */
interface NamedStatementSession {
  prepareQuery(query: { sql: string; params: unknown[] }, fields: undefined, name: string | undefined, arrayMode: false): { execute(): Promise<unknown> };
}

/**
 * Makes `pool` survive connections the server ends (restart, failover, pg_terminate_backend, an idle
 * timeout) while they are checked out, and returns it.
 *
 * - node-postgres emits 'error' on the client, and Node throws an 'error' event nobody listens to,
 *   ending the process. The pool listens only while a client is idle, so every client gets a listener
 *   for its whole life from the moment it connects.
 * - Drizzle's transaction() checks a client out and sends BEGIN before its try/finally: when BEGIN
 *   fails on a dead connection the client is never released, the pool counts it for ever, and once
 *   all are lost so every request waits for ever. So a checked-out client that errors is released at
 *   once, as broken (the pool discards it and serves the next waiter), and the release its borrower
 *   makes later does nothing.
 *
 * The query in flight still rejects, and the web layer answers 503 (see isConnectionLost).
 * `onConnectionError` hears of each lost connection once, for the log.
 */
export function resilientPool(pool: pg.Pool, onConnectionError: (err: Error) => void = () => {}): pg.Pool {
  const checkedOut = new WeakSet<pg.PoolClient>();
  pool.on('acquire', (client) => checkedOut.add(client));
  pool.on('release', (_err, client) => checkedOut.delete(client));
  // The pool re-emits an idle client's error here; the client's own listener below has reported it.
  pool.on('error', () => {});
  pool.on('connect', (client) => {
    replanOutdatedStatements(client);
    client.on('error', (err) => {
      onConnectionError(err);
      if (!checkedOut.has(client)) return;
      const release = client.release.bind(client);
      client.release = () => {};
      release(err);
    });
  });
  return pool;
}

/** PostgreSQL's refusal to run a kept plan whose result no longer fits the tables (SQLSTATE 0A000). */
const isPlanOutdated = (err: unknown) => (err as { code?: unknown } | null)?.code === '0A000' && /cached plan must not change result type/.test(String((err as Error).message));

/**
 * Makes `client` run a named statement again, parsed afresh, when PostgreSQL refuses its kept plan
 * because a migration changed a column it returns: during a rolling deploy the new release migrates
 * while older processes still serve, and every named statement (executeNamed, Drizzle's prepares)
 * would otherwise fail once per connection. The statement is deallocated on this connection and run
 * once more; inside a transaction the refusal has already aborted it, so the error stands. Wraps
 * node-postgres's `query` in both its forms (a promise; a callback, which the pool uses).
 */
function replanOutdatedStatements(client: pg.PoolClient): void {
  type Query = (config: unknown, values?: unknown, callback?: unknown) => unknown;
  const query = client.query.bind(client) as Query;
  const { connection } = client as unknown as { connection: { parsedStatements: Record<string, string> } };
  const replanning: Query = (config, values, callback) => {
    const name = typeof config === 'object' && config !== null && !('submit' in config) ? (config as { name?: unknown }).name : undefined;
    if (typeof name !== 'string') return query(config, values, callback);
    const [args, done] = typeof values === 'function' ? [undefined, values] : [values, callback];
    const run = () => query(config, args) as Promise<unknown>;
    const answered = run().catch(async (err: unknown) => {
      if (!isPlanOutdated(err)) throw err;
      try {
        await query(`deallocate "${name.replace(/"/g, '""')}"`);
      } catch {
        throw err;
      }
      delete connection.parsedStatements[name];
      return run();
    });
    if (typeof done !== 'function') return answered;
    answered.then(
      (result) => done(null, result),
      (err: unknown) => done(err),
    );
    return undefined;
  };
  (client as unknown as { query: Query }).query = replanning;
}

/**
 * Runs `fn` on one connection of its own to the server at `url` (to create or drop a database, or to
 * end other sessions), and closes it after, whatever happens. The connection listens for 'error' so a
 * server that goes away fails the query in flight instead of crashing the process.
 */
export async function withConnection<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  // The query in flight rejects with the same failure; the event itself only needs a listener.
  client.on('error', () => {});
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end().catch(() => {});
  }
}
