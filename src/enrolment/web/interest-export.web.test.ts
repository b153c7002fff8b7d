/**
 * The interest export, streamed a page at a time (docs/adr/0044), while people register: read by key,
 * someone registering between two pages never shifts another into the next page.
 */
import { sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { onSecondPage } from '../../testing/on-second-page';
import { Client, useTestApp } from '../../testing/test-app';

const t = useTestApp();

/** The first column of each row of a CSV export, in its order. */
const firstColumn = (body: string) => body.split('\r\n').slice(1, -1).map((line) => line.split(',')[0]!);

it('lists each person once when someone registers interest during the interest export', async () => {
  await t.database.db.execute(
    sql`insert into expressions_of_interest (name, email, course_identifier, start_preference, created_at) select 'Keen ' || g, 'keen' || g || '@export.test', 'npq-headship', 'Not sure yet', timestamptz '2026-11-01T00:00:00Z' - (g || ' minutes')::interval from generate_series(1, 1500) g`,
  );
  const admin = new Client(t);
  await admin.signIn('admin@demo.npq.test');
  const before = firstColumn((await admin.get('/admin/interest.csv')).body);
  expect(before.length).toBeGreaterThan(1000);
  const spy = onSecondPage(t.services.interest, 'listAfter', () =>
    t.database.db.execute(sql`insert into expressions_of_interest (name, email, course_identifier, start_preference) values ('Newest Keen', 'newest@export.test', 'npq-headship', 'Not sure yet')`),
  );
  try {
    const csv = await admin.get('/admin/interest.csv');
    expect(spy).toHaveBeenCalledTimes(2);
    expect(firstColumn(csv.body)).toEqual(before);
  } finally {
    spy.mockRestore();
  }
});
