/**
 * The inbox's pages on a real database: a search is found once and counted and paged from what was
 * found (ADR 0041), with the same pages, order and capped count as every other filter; the table's
 * summaries are the same applications as the full rows.
 */
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { applications } from '../enrolment.schema';
import { system } from '../../platform/auth/actor';
import { factoriesFor } from '../../testing/factories';
import { useTestApp } from '../../testing/test-app';

const t = useTestApp();
const f = factoriesFor(t);
const admin = system('test admin');

describe('inbox pages', () => {
  it('pages a search newest first, counts it, and says "more than" past the cap', async () => {
    const made: string[] = [];
    for (let i = 0; i < 5; i++) {
      made.push((await f.anApiEnteredApplication({ email: `searchable.${i}@paging.test`, trn: String(3_100_000 + i) })).id);
      t.clock.advance(60_000);
    }
    await f.anApiEnteredApplication({ email: 'someone.else@other.test', trn: '3100099' });
    const newestFirst = [...made].reverse();
    const search = { query: 'paging.test' };

    const first = await t.services.applications.listSummaries(admin, search, 1, 2, 100);
    expect(first.total).toBe(5);
    expect(first.rows.map((r) => r.id)).toEqual(newestFirst.slice(0, 2));
    expect((await t.services.applications.listSummaries(admin, search, 3, 2, 100)).rows.map((r) => r.id)).toEqual(newestFirst.slice(4));
    expect((await t.services.applications.listSummaries(admin, search, 4, 2, 100)).rows).toEqual([]);
    // Counting stops one past the cap, as a count that stopped there does, and the pages go on past it.
    expect((await t.services.applications.listSummaries(admin, search, 1, 2, 3)).total).toBe(4);
    expect(await t.services.applications.listSummaries(admin, search, 2, 2, 3)).toMatchObject({ total: 4, rows: newestFirst.slice(2, 4).map((id) => ({ id })) });
    expect(await t.services.applications.listSummaries(admin, search, 3, 2, 3)).toMatchObject({ total: 4, rows: [{ id: newestFirst[4] }] });
    expect(await t.services.applications.listSummaries(admin, search, 4, 2, 3)).toEqual({ total: 4, rows: [] });
    // The full rows' pages are the same applications, as are the pages without a cap (the CSV's).
    expect((await t.services.applications.list(admin, search, 2, 2, 100)).rows.map((r) => r.id)).toEqual(newestFirst.slice(2, 4));
    const uncapped = await t.services.applications.list(admin, search, 1, 10);
    expect(uncapped.total).toBe(5);
    expect(uncapped.rows.map((r) => r.id)).toEqual(newestFirst);
    // A TRN is found exactly.
    expect((await t.services.applications.listSummaries(admin, { query: '3100002' }, 1, 10, 100)).rows.map((r) => r.id)).toEqual([made[2]]);
    // A search reads its summaries by id, other filters in one statement: the same columns, the same values.
    const found = (await t.services.applications.listSummaries(admin, search, 1, 10, 100)).rows;
    const paged = (await t.services.applications.listSummaries(admin, { status: 'pending' }, 1, 100, 100)).rows.filter((r) => made.includes(r.id));
    expect(found).toHaveLength(5);
    expect(paged).toEqual(found);
    expect(Object.keys(found[0]!).sort()).toEqual(['approvalStatus', 'cohortId', 'courseIdentifier', 'eligibleForFunding', 'email', 'fullName', 'gatewayStatus', 'id', 'status', 'submittedAt']);
  });

  it('reads a page and its count at once, past the last page too, for kept and counted filters alike', async () => {
    const made: string[] = [];
    for (let i = 0; i < 3; i++) {
      made.push((await f.anApiEnteredApplication({ email: `kept.${i}@counted.test`, trn: String(3_100_300 + i), course: 'npq-leading-behaviour-culture' })).id);
      t.clock.advance(60_000);
    }
    const newestFirst = [...made].reverse();
    const kept = { course: 'npq-leading-behaviour-culture', status: 'pending' as const };
    expect(await t.services.applications.listSummaries(admin, kept, 1, 2, 100)).toMatchObject({ total: 3, rows: newestFirst.slice(0, 2).map((id) => ({ id })) });
    expect(await t.services.applications.listSummaries(admin, kept, 2, 2, 100)).toMatchObject({ total: 3, rows: [{ id: newestFirst[2] }] });
    expect(await t.services.applications.listSummaries(admin, kept, 9, 2, 100)).toEqual({ total: 3, rows: [] });
    // Past the cap the count says "more than", and every page is still read.
    expect(await t.services.applications.listSummaries(admin, kept, 2, 2, 1)).toMatchObject({ total: 2, rows: [{ id: newestFirst[2] }] });
    // A delivery partner's applications are counted from their rows (ADR 0038), in the same statement.
    const intake = await f.theIntake('npq-leading-behaviour-culture');
    const partnered = await t.services.applications.listSummaries(admin, { ...kept, deliveryPartnerId: intake.deliveryPartnerId! }, 1, 10, 100);
    expect(partnered).toMatchObject({ total: 3, rows: newestFirst.map((id) => ({ id })) });
    expect(await t.services.applications.listSummaries(admin, { ...kept, deliveryPartnerId: '00000000-0000-4000-8000-000000000000' }, 1, 10, 100)).toEqual({ total: 0, rows: [] });
  });

  it('summarises each application as its full row shows it', async () => {
    await f.anApiEnteredApplication({ email: 'summary.one@summaries.test', trn: '3100201' });
    await f.anAcceptedApplication();
    const full = await t.services.applications.list(admin, {}, 1, 50);
    const summaries = await t.services.applications.listSummaries(admin, {}, 1, 50);
    expect(summaries.total).toBe(full.total);
    expect(summaries.rows).toEqual(
      full.rows.map((r) => ({ id: r.id, fullName: r.fullName, email: r.email, courseIdentifier: r.courseIdentifier, cohortId: r.cohortId, status: r.status, approvalStatus: r.approvalStatus, gatewayStatus: r.gatewayStatus, eligibleForFunding: r.eligibleForFunding, submittedAt: r.submittedAt })),
    );
  });

  it('keeps pages up to 20,000 rows in all, dropping the least recently read first, however long it has been since a change', async () => {
    const made = await f.anApiEnteredApplication({ email: 'kept.bound@bounded.test', trn: '3100401' });
    const search = { query: 'kept.bound@bounded.test' };
    const nameOnPage = async (page: number) => (await t.services.applications.list(admin, search, page, 500)).rows[0]?.fullName;
    const before = await nameOnPage(1);
    // Changed behind the service's back, so nothing tells the kept pages: only a page read again sees it.
    await t.database.db.update(applications).set({ fullName: 'Renamed Behind' }).where(eq(applications.id, made.id));
    const kept = await nameOnPage(1);
    // Forty more pages of 500 asked for: 20,500 rows, more than are kept, and page 1 the least recently read.
    for (let page = 2; page <= 41; page++) await nameOnPage(page);
    const reRead = await nameOnPage(1);
    if (t.database.kind === 'pglite') expect(kept).toBe(before);
    expect(reRead).toBe('Renamed Behind');
  });

  it('refuses a page to someone with no scope over applications', async () => {
    const participant = await f.aParticipant();
    await expect(t.services.applications.listSummaries(participant.actor, {}, 1, 50)).rejects.toMatchObject({ status: 403 });
    await expect(t.services.applications.listIds(participant.actor, {}, 1, 50)).rejects.toMatchObject({ status: 403 });
  });
});
