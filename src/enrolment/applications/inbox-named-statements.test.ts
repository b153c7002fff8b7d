/**
 * The inbox's page as a named statement (executeNamed, ADR 0042) on PostgreSQL: every filter shape is
 * a statement of its own, kept on each connection for the connection's life, so how many are named is
 * bounded; and a kept plan a migration made outdated is planned afresh. Run with DATABASE_URL (skipped
 * on PGlite, which runs the statement unnamed).
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, openDatabase, withConnection } from '../../db/client';
import { createThrowawayDatabase, type ThrowawayDatabase } from '../../db/test-database';
import { type InboxFilter, summariesPageWithCount } from './applications.repository';

const serverUrl = process.env.DATABASE_URL;

/** Every filter the inbox's form can send (status, NPQ, cohort, partner, funding, gateway, school approval), one value each. */
function everyFormShape(): InboxFilter[] {
  const some = '00000000-0000-4000-8000-000000000000';
  const filters: InboxFilter[] = [];
  for (const status of [undefined, 'pending'] as const)
    for (const course of [undefined, 'npq-senco'])
      for (const cohortId of [undefined, some])
        for (const deliveryPartnerId of [undefined, some])
          for (const funding of [undefined, 'eligible'] as const)
            // "No gateway needed" and "not requested" are each a shape of their own (partIn's not exists).
            for (const gateway of [undefined, 'not_required', 'passed'] as const)
              for (const approval of [undefined, 'not_requested', 'approved'] as const) filters.push({ status, course, cohortId, deliveryPartnerId, funding, gateway, approval });
  return filters;
}

describe.skipIf(!serverUrl)('the inbox page as a named statement, on one PostgreSQL connection', () => {
  let throwaway: ThrowawayDatabase;
  let database: Database;
  beforeAll(async () => {
    throwaway = await createThrowawayDatabase(serverUrl!);
    database = await openDatabase({ kind: 'postgres', url: throwaway.url, poolSize: 1 });
  });
  afterAll(async () => {
    await database?.close();
    await throwaway?.drop();
  });

  it('keeps what the connection holds bounded as an admin walks every filter the form offers', async () => {
    // A transaction pins one connection, whose own prepared statements and memory are then readable.
    const { statements, cachedPlanBytes } = await database.db.transaction(async (tx) => {
      for (const filter of everyFormShape()) await summariesPageWithCount(tx, filter, 1, 50, 10_000);
      const [counted] = ((await tx.execute(sql`select count(*)::int as n from pg_prepared_statements`)) as unknown as { rows: { n: number }[] }).rows;
      const [memory] = (
        (await tx.execute(sql`select coalesce(sum(total_bytes), 0)::bigint as bytes from pg_backend_memory_contexts where name in ('CachedPlan', 'CachedPlanQuery', 'CachedPlanSource')`)) as unknown as {
          rows: { bytes: string }[];
        }
      ).rows;
      return { statements: counted!.n, cachedPlanBytes: Number(memory!.bytes) };
    });
    // Were all 288 named: about 100 MB of plans on this one connection, held until it closes (never,
    // under steady load), on every connection of every process's pool.
    expect({ statements, cachedPlanMB: Math.round(cachedPlanBytes / 1e6) }).toEqual({ statements: expect.any(Number), cachedPlanMB: expect.toSatisfy((mb: number) => mb <= 16) });
  });

  it('still answers the next page after a migration changes the type of a column the page reads', async () => {
    await summariesPageWithCount(database.db, {}, 1, 50, 10_000);
    // A migration run by the next release while this process still serves (a rolling deploy).
    await withConnection(throwaway.url, (c) => c.query('alter table applications alter column full_name type varchar(500)'));
    // Without replanning: "cached plan must not change result type", once per statement per
    // connection (a 500 for the person asking).
    await expect(summariesPageWithCount(database.db, {}, 1, 50, 10_000)).resolves.toEqual({ rows: [], total: 0 });
  });
});
