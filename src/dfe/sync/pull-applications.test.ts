import { count, eq, inArray, isNotNull, like } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applications, cohorts, participants } from '../../enrolment/enrolment.schema';
import { factoriesFor } from '../../testing/factories';
import { useTestApp } from '../../testing/test-app';
import { createDfeClient } from '../client/dfe-client';
import { dfeApiCalls, dfeSkippedRecords, dfeSyncCursors } from '../dfe.schema';
import { seedDfe, type SeededDfe } from '../stand-in/stand-in-seed';
import { createDfeStandIn, type DfeStandIn } from '../stand-in/stand-in-server';
import { applicationRecordOf, lanesOf, pullApplications } from './pull-applications';

/**
 * Issue 13 item 2, pulling applications: the platform's client against the DfE stand-in, on a real
 * database. Applications registered at DfE appear in the inbox once each, whatever DfE does on the
 * way (500, 502, 429, timeouts, records repeated across pages) and wherever the run is stopped; one
 * the platform already has is linked, not made twice. The stand-in checks every call against DfE's
 * document, and finds nothing wrong.
 */
const t = useTestApp();
const f = factoriesFor(t);
let dfe: DfeStandIn;
let seeded: SeededDfe;
let url: string;
const TOKEN = 'sync-test-token';

const client = (budget = 900) => createDfeClient({ baseUrl: url, token: TOKEN, db: t.database.db, clock: t.clock, budget, timeoutMs: 2000, sleep: async (ms) => t.clock.advance(ms) });
const pull = (opts: Parameters<typeof pullApplications>[1] = {}, c = client()) => pullApplications({ db: t.database.db, clock: t.clock, client: c, record: t.services.applications.recordDfeApplication }, { perPage: 50, ...opts });
const fault = (kind: string, times: number, amount?: number) => dfe.faults.push({ kind: kind as never, path: '/npq-applications', times, amount });
const fromDfe = async () => (await t.database.db.select({ n: count() }).from(applications).where(isNotNull(applications.dfeApplicationId)))[0]!.n;

function register(n: number, cohort = '2026b') {
  for (let i = 0; i < n; i++) {
    t.clock.advance(1000);
    const at = t.clock.now();
    const person = dfe.state.addPerson({ fullName: `Registered ${cohort} ${i}`, trn: null, email: i % 10 === 9 ? null : `reg.${cohort}.${i}.${at.getTime()}@school.test` }, at);
    dfe.state.addApplication({ personId: person.id, leadProviderId: seeded.provider.id, course: i % 2 ? 'npq-senior-leadership' : 'npq-headship', cohort }, at);
  }
}

beforeAll(async () => {
  dfe = createDfeStandIn({ now: () => t.clock.now() });
  seeded = seedDfe(dfe.state, t.clock.now(), { providerName: 'Northern Lights Leadership', token: TOKEN });
  url = await dfe.listen();
  await t.database.db.insert(cohorts).values({ identifier: '2026b', startYear: 2026, suffix: 'b', funding: 'capped' }).onConflictDoNothing();
});
afterAll(() => dfe.close());

describe('pulling applications registered at DfE', () => {
  it('brings every one into the inbox once, through 500s, a 502, a 429, a timeout and repeated records, stopped twice and resumed', async () => {
    register(230);
    // The first run starts an hour after they registered: the next run's overlap reaches none of them.
    t.clock.advance(60 * 60 * 1000);
    fault('500', 2);
    fault('502', 1);
    fault('429', 1, 3);
    fault('timeout', 1, 10);
    const first = await pull({ maxPages: 2 });
    expect(first).toMatchObject({ pages: 2, finished: false });
    // Stopped (as a killed process would be) with the cursor on page 3; overlapping pages on the way.
    fault('page-overlap', 3, 7);
    const second = await pull({ maxPages: 1 });
    expect(second.finished).toBe(false);
    const rest = await pull();
    expect(rest.finished).toBe(true);
    expect(await fromDfe()).toBe(230);
    // Nothing made twice: each DfE id once, each person once.
    const ids = await t.database.db.select({ id: applications.dfeApplicationId }).from(applications).where(isNotNull(applications.dfeApplicationId));
    expect(new Set(ids.map((r) => r.id)).size).toBe(230);
    // DfE holds no email for some: they are one participant each, with an address that can never be sent to.
    expect((await t.database.db.select({ n: count() }).from(participants).where(like(participants.email, '%@no-email.dfe.invalid')))[0]!.n).toBe(23);
    const [cursor] = await t.database.db.select().from(dfeSyncCursors);
    expect(cursor).toMatchObject({ runStartedAt: null, nextPage: 1 });
    expect(cursor!.since).not.toBeNull();
  });

  it('reads only what changed since the last run (less the overlap) on the next', async () => {
    t.clock.advance(60 * 60 * 1000);
    register(3);
    const next = await pull();
    expect(next).toMatchObject({ finished: true, created: 3, read: 3 });
    const [last] = await t.database.db.select().from(dfeApiCalls).orderBy(dfeApiCalls.at).limit(1).offset((await t.database.db.select({ n: count() }).from(dfeApiCalls))[0]!.n - 1);
    expect(last!.path).toMatch(/filter\[updated_since\]=\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ&/);
  });

  it('links an application the platform already has for the same person, NPQ and cohort, instead of making another', async () => {
    const mine = await f.aSubmittedApplication();
    const [row] = await t.database.db.select({ app: applications, cohort: cohorts.identifier }).from(applications).innerJoin(cohorts, eq(cohorts.id, applications.cohortId)).where(eq(applications.id, mine.application.id));
    const before = (await t.database.db.select({ n: count() }).from(applications))[0]!.n;
    t.clock.advance(1000);
    const person = dfe.state.addPerson({ fullName: row!.app.fullName, email: row!.app.email.toUpperCase(), trn: null }, t.clock.now());
    const registered = dfe.state.addApplication({ personId: person.id, leadProviderId: seeded.provider.id, course: row!.app.courseIdentifier, cohort: row!.cohort }, t.clock.now());
    const run = await pull();
    expect(run).toMatchObject({ linked: 1, created: 0 });
    expect((await t.database.db.select({ n: count() }).from(applications))[0]!.n).toBe(before);
    const [linked] = await t.database.db.select().from(applications).where(eq(applications.id, mine.application.id));
    expect(linked).toMatchObject({ dfeApplicationId: registered.id, dfeStatus: 'pending' });
    const [p] = await t.database.db.select().from(participants).where(eq(participants.id, linked!.participantId!));
    expect(p!.dfeParticipantId).toBe(person.id);
  });

  it('keeps every call it made, with DfE’s answers and never the token', async () => {
    const calls = await t.database.db.select().from(dfeApiCalls);
    expect(calls.some((c) => c.status === 500)).toBe(true);
    expect(calls.some((c) => c.status === 429)).toBe(true);
    expect(calls.some((c) => c.status === null && c.error)).toBe(true);
    expect(JSON.stringify(calls)).not.toContain(TOKEN);
  });

  it('stays within its budget of calls a window, waiting for the next, so no call is refused for the rate', async () => {
    dfe.stats.rateLimited = 0;
    dfe.limits.perWindow = 3;
    t.clock.advance(10 * 60 * 1000);
    await t.database.db.update(dfeSyncCursors).set({ since: null });
    const run = await pull({ perPage: 25 }, client(3));
    dfe.limits.perWindow = 1000;
    expect(run.finished).toBe(true);
    expect(run.pages).toBeGreaterThan(9);
    expect(dfe.stats.rateLimited).toBe(0);
    expect(dfe.stats.maxInWindow).toBeLessThanOrEqual(1000);
  });

  it('never links or reuses a person the platform holds under another DfE id, and one such record does not stop the pull', async () => {
    const mine = await f.aSubmittedApplication();
    const [row] = await t.database.db.select({ app: applications, cohort: cohorts.identifier }).from(applications).innerJoin(cohorts, eq(cohorts.id, applications.cohortId)).where(eq(applications.id, mine.application.id));
    t.clock.advance(1000);
    // DfE knows this person (Y) first by another address, on another NPQ; then by the platform's address on the platform's NPQ.
    const y = dfe.state.addPerson({ fullName: 'Y Person', email: 'y.elsewhere@school.test', trn: null }, t.clock.now());
    dfe.state.addApplication({ personId: y.id, leadProviderId: seeded.provider.id, course: 'npq-leading-literacy', cohort: row!.cohort }, t.clock.now());
    t.clock.advance(1000);
    const second = dfe.state.addApplication({ personId: y.id, leadProviderId: seeded.provider.id, course: row!.app.courseIdentifier, cohort: row!.cohort }, t.clock.now());
    dfe.state.people.get(y.id)!.email = row!.app.email;
    // And someone else (Z) with the platform's address too, in the same NPQ and cohort.
    t.clock.advance(1000);
    const z = dfe.state.addPerson({ fullName: 'Z Person', email: row!.app.email, trn: null }, t.clock.now());
    const third = dfe.state.addApplication({ personId: z.id, leadProviderId: seeded.provider.id, course: row!.app.courseIdentifier, cohort: row!.cohort }, t.clock.now());
    register(2);
    const run = await pull();
    expect(run.finished).toBe(true);
    const [left] = await t.database.db.select().from(applications).where(eq(applications.id, mine.application.id));
    // The platform's application went to one DfE record, the one DfE's person Y holds by the address: never to two.
    const taken = await t.database.db.select({ id: applications.dfeApplicationId }).from(applications).where(inArray(applications.dfeApplicationId, [second.id, third.id]));
    expect(taken.length).toBeLessThanOrEqual(1);
    expect([null, second.id, third.id]).toContain(left!.dfeApplicationId);
    const skipped = await t.database.db.select().from(dfeSkippedRecords);
    expect(skipped.map((s) => s.reason)).toContain('person_conflict');
    const admin = await (await f.aStaffMember({ role: 'provider_admin' })).signIn('10.128.0.1');
    expect((await admin.get('/admin/dfe')).body).toContain('The platform holds this person under another DfE participant id');
  });

  it('runs one pull at a time: a second while the first holds the cursor does nothing', async () => {
    await t.database.db.update(dfeSyncCursors).set({ leaseUntil: new Date(t.clock.now().getTime() + 60_000) });
    expect(await pull()).toMatchObject({ pages: 0, finished: false });
    t.clock.advance(2 * 60_000);
    expect((await pull()).finished).toBe(true);
  });

  it('reads everything again once a week, and when the admin asks', async () => {
    t.clock.advance(8 * 24 * 60 * 60 * 1000);
    const full = await pull();
    expect(full.read).toBeGreaterThan(200);
    expect((await pull()).read).toBeLessThan(10);
    const admin = await (await f.aStaffMember({ role: 'provider_admin' })).signIn('10.128.0.2');
    expect((await admin.post('/admin/dfe/full-pull', {})).statusCode).toBe(303);
    expect((await pull()).read).toBeGreaterThan(200);
  });

  it('records one person’s two applications on one page in DfE’s order in one lane, both made, for one participant', async () => {
    t.clock.advance(60 * 60 * 1000);
    register(3);
    t.clock.advance(1000);
    const person = dfe.state.addPerson({ fullName: 'Two Applications', email: `two.${t.clock.now().getTime()}@school.test`, trn: null }, t.clock.now());
    const first = dfe.state.addApplication({ personId: person.id, leadProviderId: seeded.provider.id, course: 'npq-headship', cohort: '2026b' }, t.clock.now());
    register(2);
    t.clock.advance(1000);
    const second = dfe.state.addApplication({ personId: person.id, leadProviderId: seeded.provider.id, course: 'npq-senior-leadership', cohort: '2026b' }, t.clock.now());
    register(3);
    const run = await pull({ lanes: 4 });
    expect(run).toMatchObject({ finished: true, created: 10 });
    const made = await t.database.db.select().from(applications).where(inArray(applications.dfeApplicationId, [first.id, second.id]));
    expect(made).toHaveLength(2);
    expect(new Set(made.map((a) => a.participantId)).size).toBe(1);
    const held = await t.database.db.select().from(participants).where(eq(participants.dfeParticipantId, person.id));
    expect(held.map((p) => p.id)).toEqual([made[0]!.participantId]);
  });

  it('fails the pull when one record fails, in any lane, and leaves the cursor on its page for the next run to resume', async () => {
    t.clock.advance(60 * 60 * 1000);
    register(7);
    const failing = [...dfe.state.applications.values()].at(-3)!;
    const record = t.services.applications.recordDfeApplication;
    const pulling = pullApplications(
      {
        db: t.database.db,
        clock: t.clock,
        client: client(),
        record: async (r) => {
          if (r.dfeApplicationId === failing.id) throw new Error('the database went away');
          return record(r);
        },
      },
      { perPage: 50, lanes: 4 },
    );
    await expect(pulling).rejects.toThrow('the database went away');
    const [cursor] = await t.database.db.select().from(dfeSyncCursors).where(eq(dfeSyncCursors.name, 'applications'));
    expect(cursor).toMatchObject({ nextPage: 1 });
    expect(cursor!.runStartedAt).not.toBeNull();
    expect(await t.database.db.select().from(applications).where(eq(applications.dfeApplicationId, failing.id))).toEqual([]);
    const resumed = await pull({ lanes: 4 });
    expect(resumed.finished).toBe(true);
    expect(await t.database.db.select().from(applications).where(eq(applications.dfeApplicationId, failing.id))).toHaveLength(1);
  });

  it('made no call DfE’s document does not allow, and got no answer it does not describe', () => {
    expect(dfe.violations).toEqual([]);
  });
});

describe('the lanes a page is recorded in', () => {
  const item = (id: string, participantId: string, email: string | null) => ({ item: { id, attributes: {} }, record: applicationRecordOf({ id, attributes: { participant_id: participantId, email, course_identifier: 'npq-headship', cohort: '2026', updated_at: '2026-01-01T00:00:00Z' } }) });

  it('keeps one DfE participant’s records, and records sharing an email, in one lane in DfE’s order, and spreads the rest', () => {
    const page = [item('a1', 'p1', 'one@school.test'), item('b1', 'p2', 'two@school.test'), item('c1', 'p3', null), item('a2', 'p1', 'ONE@school.test '), item('d1', 'p4', 'two@school.test'), item('e1', 'p5', 'five@school.test'), item('a3', 'p1', null)];
    const lanes = lanesOf(page, 4).map((lane) => lane.map((r) => r.item.id));
    expect(lanes).toHaveLength(4);
    expect(lanes).toContainEqual(['a1', 'a2', 'a3']);
    expect(lanes).toContainEqual(['b1', 'd1']);
    expect(lanes.flat().sort()).toEqual(page.map((r) => r.item.id).sort());
    expect(lanesOf(page, 1)).toEqual([page]);
    expect(lanesOf([], 4)).toEqual([[]]);
  });
});
