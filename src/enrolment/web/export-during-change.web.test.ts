/**
 * GET /admin/applications.csv streamed a page at a time (ADR 0044) while the inbox changes. Pages are
 * read as the download proceeds; read by offset, an application that arrived (or left the filter)
 * between two pages shifted every later row by one, so one was written twice (or not at all). They
 * are read by key.
 */
import { sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { factoriesFor } from '../../testing/factories';
import { onSecondPage } from '../../testing/on-second-page';
import { Client, useTestApp } from '../../testing/test-app';

const t = useTestApp();
const f = factoriesFor(t);

/** `n` sent applications, a minute apart, all older than the frozen clock's now, their addresses at `domain`. */
async function seed(n: number, domain: string) {
  await t.database.db.execute(sql`
    with c as (select array_agg(id order by identifier) ids from cohorts),
         q as (select array_agg(identifier order by position) ids from qualifications where kind <> 'coaching')
    insert into applications (full_name, email, teacher_reference_number, course_identifier, cohort_id, delivery_mode,
      status, eligible_for_funding, funding_status_code, work_setting, works_in_england,
      school_urn, employment_role, line_manager_name, line_manager_email, submitted_at, created_at, updated_at)
    select 'Applicant ' || g, 'applicant' || g || '@' || ${domain}, (3000000 + g)::text, q.ids[1 + g % array_length(q.ids, 1)], c.ids[1 + g % array_length(c.ids, 1)],
      'face_to_face', 'pending', true, 'funded', 'a_school', true, '140001', 'Teacher', 'Line Manager', 'lm' || g || '@' || ${domain},
      timestamptz '2026-11-20T00:00:00Z' - (g || ' minutes')::interval, timestamptz '2026-11-20T00:00:00Z' - (g || ' minutes')::interval, timestamptz '2026-11-20T00:00:00Z' - (g || ' minutes')::interval
    from generate_series(1, ${n}) g, c, q`);
}

/** The application ids of a CSV export, in its order. */
const idsOf = (body: string) => body.split('\r\n').slice(1, -1).map((line) => line.split(',')[0]!.replace(/^\uFEFF/, ''));

it('lists each application once when one arrives while the export is being downloaded', async () => {
  await seed(1500, 'arrivals.test');
  const admin = new Client(t);
  await admin.signIn('admin@demo.npq.test');
  const before = idsOf((await admin.get('/admin/applications.csv')).body);
  // Someone applies while the download is between its first and second page (1,000 rows a page).
  const spy = onSecondPage(t.services.applications, 'listAfter', async () => {
    t.clock.advance(60_000);
    await f.anApiEnteredApplication({ email: 'arrived.mid.export@school.test', trn: '3999999' });
  });
  try {
    const csv = await admin.get('/admin/applications.csv');
    expect(csv.statusCode).toBe(200);
    expect(spy).toHaveBeenCalledTimes(2);
    // Every application there when the download began, once each and in order; the newcomer, newest, comes with the next export.
    expect(idsOf(csv.body)).toEqual(before);
  } finally {
    spy.mockRestore();
  }
});

it('misses none when one on a page already written leaves the filter before the next page is read', async () => {
  await seed(1500, 'leavers.test');
  const admin = new Client(t);
  await admin.signIn('admin@demo.npq.test');
  const pending = idsOf((await admin.get('/admin/applications.csv?status=pending')).body);
  expect(pending.length).toBeGreaterThan(1000);
  const spy = onSecondPage(t.services.applications, 'listAfter', async () => {
    // The newest pending application, on page 1, is withdrawn behind the export's back.
    await t.database.db.execute(sql`update applications set status = 'withdrawn' where id = ${pending[0]!}`);
  });
  try {
    const csv = await admin.get('/admin/applications.csv?status=pending');
    expect(spy).toHaveBeenCalledTimes(Math.ceil((pending.length + 1) / 1000));
    expect(idsOf(csv.body)).toEqual(pending);
  } finally {
    spy.mockRestore();
  }
});
