/**
 * The inbox's page statement counts its filter once. Its count was a scalar subquery that PostgreSQL
 * copied into each place the statement used it (the page's "worth reading" test twice, the answer
 * once): three counts a page, which for a count of the rows themselves (a delivery partner's inbox)
 * tripled the cost of the page. Read from the plan PostgreSQL makes, on PGlite and on PostgreSQL.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../db/client';
import { openTestDatabase } from '../../db/test-database';
import { planReadsOf } from '../../testing/plan-reads';
import { type InboxFilter, summariesPageStatement } from './applications.repository';

describe('the inbox page statement', () => {
  let database: Database;
  beforeAll(async () => {
    database = await openTestDatabase();
  });
  afterAll(async () => {
    await database?.close();
  });

  /** How many times the plan of the page for `filter` reads `table`. */
  const readsOf = (filter: InboxFilter, table: string, page = 3, countUpTo: number | undefined = 10_000) => planReadsOf(database.db, summariesPageStatement(database.db, filter, page, 50, countUpTo), table);

  const some = '00000000-0000-4000-8000-000000000000';

  it.each([
    ['no filter', {}],
    ['status and NPQ', { status: 'pending', course: 'npq-senco' }],
    ['funding, gateway and school approval', { funding: 'eligible', gateway: 'passed', approval: 'approved' }],
  ] as const)('reads the kept counts once for %s', async (_name, filter: InboxFilter) => {
    expect(await readsOf(filter, 'application_counts')).toBe(1);
    expect(await readsOf(filter, 'application_counts', 1, undefined)).toBe(1);
  });

  it('reads the applications twice for a partner: once to count them, once for the page', async () => {
    // A partner's count is not kept: it counts the applications themselves (countIsKept).
    expect(await readsOf({ deliveryPartnerId: some }, 'applications')).toBe(3);
    expect(await readsOf({ deliveryPartnerId: some }, 'applications', 1, undefined)).toBe(3);
  });
});
