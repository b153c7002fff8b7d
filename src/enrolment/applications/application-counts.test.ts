/**
 * The inbox's counts are kept per combination of filters by triggers (ADR 0038): after every kind of
 * change — applications sent, accepted, rejected; a school's approval asked for, given; a gateway
 * reviewed; a draft deleted; an application deleted with its approval and gateway — the kept counts
 * equal the applications counted one by one, and the repository's counts equal the rows its pages list.
 */
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { factoriesFor, setUp } from '../../testing/factories';
import { useTestApp } from '../../testing/test-app';
import { applicationIdsPage, applicationsCount, type InboxFilter } from './applications.repository';

const t = useTestApp();
const f = factoriesFor(t);

type Combination = Record<string, unknown>;
const rowsOf = async (query: ReturnType<typeof sql>) => ((await t.database.db.execute(query)) as unknown as { rows: Combination[] }).rows;
const sorted = (rows: Combination[]) => rows.map((r) => JSON.stringify(r)).sort();

/** The kept counts, without the combinations that emptied. */
const kept = () =>
  rowsOf(sql`select status, course_identifier, cohort_id, eligible_for_funding, approval_status, gateway_status, n
             from application_counts where n <> 0`);
/** The same, counted from the applications and their parts as they are. */
const counted = () =>
  rowsOf(sql`select a.status, a.course_identifier, a.cohort_id, a.eligible_for_funding,
                    coalesce(s.status, 'not_requested') approval_status, coalesce(g.status, 'not_required') gateway_status, count(*)::int n
             from applications a
             left join school_approvals s on s.application_id = a.id
             left join gateway_assessments g on g.application_id = a.id
             group by 1, 2, 3, 4, 5, 6`);

const expectExact = async () => {
  const [k, c] = await Promise.all([kept(), counted()]);
  expect(c.length).toBeGreaterThan(0);
  expect(sorted(k)).toEqual(sorted(c));
};

describe('the counts kept per combination of filters', () => {
  it('stay exact through every kind of change', async () => {
    const sent = await f.aSubmittedApplication();
    const headship = await f.aSubmittedApplication({ course: 'npq-headship' });
    await f.anAcceptedApplication();
    await expectExact();
    await t.services.applications.reject(setUp, headship.application.id, 'rejected_by_provider');
    await expectExact();
    // Changes made outside the use cases are kept too: the triggers count whatever writes.
    const { db } = t.database;
    await db.execute(sql`update school_approvals set status = 'approved' where application_id = ${sent.application.id}`);
    await db.execute(sql`update applications set eligible_for_funding = not eligible_for_funding where id = ${sent.application.id}`);
    await db.execute(sql`insert into gateway_assessments (application_id, status) values (${sent.application.id}, 'passed') on conflict (application_id) do update set status = 'passed'`);
    await expectExact();
    await db.execute(sql`delete from gateway_assessments where application_id = ${sent.application.id}`);
    await expectExact();
    // Statements changing many rows at once, some of them into the same combination.
    await db.execute(sql`update applications set eligible_for_funding = not eligible_for_funding`);
    await db.execute(sql`update school_approvals set status = 'approved' where status = 'pending'`);
    await db.execute(sql`insert into gateway_assessments (application_id, status) select id, 'submitted' from applications on conflict do nothing`);
    await expectExact();
    // A draft deleted, and an application deleted with its approval and gateway by cascade.
    const drafter = await f.aParticipantUser();
    await t.services.applications.startDraft(drafter.actor, 'npq-senior-leadership');
    await expectExact();
    await db.execute(sql`delete from applications where status = 'draft'`);
    await db.execute(sql`insert into gateway_assessments (application_id, status) values (${headship.application.id}, 'failed') on conflict (application_id) do update set status = 'failed'`);
    await db.execute(sql`delete from applications where id = ${headship.application.id}`);
    await expectExact();
  });

  // Two connections are needed to change both at once: PostgreSQL only.
  it.skipIf(!process.env.DATABASE_URL)('stay exact when an application and its school approval change at the same moment', async () => {
    const { db } = t.database;
    for (const applicationFirst of [true, false]) {
      const { application } = await f.aSubmittedApplication();
      const applicationChange = sql`update applications set status = 'rejected' where id = ${application.id}`;
      const approvalChange = sql`update school_approvals set status = 'approved' where application_id = ${application.id}`;
      // One change is held open, uncommitted, while the other is made: each trigger reads the other's table.
      let other: Promise<unknown> = Promise.resolve();
      await db.transaction(async (tx) => {
        await tx.execute(applicationFirst ? applicationChange : approvalChange);
        other = db.execute(applicationFirst ? approvalChange : applicationChange);
        other.catch(() => undefined);
        await new Promise((resolve) => setTimeout(resolve, 300));
      });
      await other;
      // Without the application's lock the first order counted it as both (pending, approved) and (rejected, pending).
      await expectExact();
    }
  });

  it('answer every inbox filter as the matching rows do', async () => {
    for (let i = 0; i < 3; i++) await f.aSubmittedApplication({ course: i === 1 ? 'npq-headship' : 'npq-senior-leadership' });
    await f.anAcceptedApplication();
    const { db } = t.database;
    const filters: InboxFilter[] = [
      {},
      { status: 'pending' },
      { status: 'accepted', course: 'npq-senior-leadership' },
      { statuses: ['rejected', 'withdrawn'] },
      { funding: 'eligible' },
      { funding: 'not_eligible' },
      { approval: 'pending' },
      { approval: 'not_requested' },
      { approval: 'approved', status: 'accepted' },
      { gateway: 'awaiting_submission' },
      { gateway: 'not_required', course: 'npq-senior-leadership' },
      { status: 'draft' },
      { cohortIdentifiers: ['2026'] },
      { cohortIdentifiers: [] },
      { deliveryPartnerIds: [] },
    ];
    for (const filter of filters) {
      const rows = await applicationIdsPage(db, filter, 1, 3000);
      expect(await applicationsCount(db, filter), JSON.stringify(filter)).toBe(rows.length);
      // A cap answers one past it, as counting that stopped there did.
      expect(await applicationsCount(db, filter, 1), JSON.stringify(filter)).toBe(Math.min(rows.length, 2));
    }
    // Each kind of filter matched something, so the comparison above was not of empty lists alone.
    expect(await applicationsCount(db, { approval: 'pending' })).toBeGreaterThan(0);
    expect(await applicationsCount(db, { gateway: 'awaiting_submission' })).toBeGreaterThan(0);
    expect(await applicationsCount(db, { status: 'accepted', course: 'npq-senior-leadership' })).toBeGreaterThan(0);
  });
});
