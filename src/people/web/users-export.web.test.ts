/**
 * The users export, streamed a page at a time (docs/adr/0044), while accounts are added: read by key,
 * an account added between two pages never shifts another into the next page.
 */
import { sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { onSecondPage } from '../../testing/on-second-page';
import { Client, useTestApp } from '../../testing/test-app';

const t = useTestApp();

/** The first column of each row of a CSV export, in its order. */
const firstColumn = (body: string) => body.split('\r\n').slice(1, -1).map((line) => line.split(',')[0]!);

it('lists each account once when one whose name sorts first is added during the users export', async () => {
  await t.database.db.execute(sql`insert into users (email, name) select 'person' || g || '@export.test', 'Person ' || lpad(g::text, 4, '0') from generate_series(1, 1200) g`);
  const admin = new Client(t);
  await admin.signIn('admin@demo.npq.test');
  const before = firstColumn((await admin.get('/admin/users.csv')).body);
  expect(before.length).toBeGreaterThan(1000);
  const spy = onSecondPage(t.services.people, 'listUsersAfter', () => t.database.db.execute(sql`insert into users (email, name) values ('aaron@export.test', 'Aaron Early')`));
  try {
    const csv = await admin.get('/admin/users.csv');
    expect(spy).toHaveBeenCalledTimes(3);
    expect(firstColumn(csv.body)).toEqual(before);
  } finally {
    spy.mockRestore();
  }
});

