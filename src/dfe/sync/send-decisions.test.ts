import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { applications, cohorts, schoolApprovals } from '../../enrolment/enrolment.schema';
import { factoriesFor } from '../../testing/factories';
import { createDfeClient } from '../client/dfe-client';
import { dfeChanges } from '../dfe.schema';
import { useDfeTestApp } from '../testing/dfe-test-app';
import { pullApplications } from './pull-applications';
import { SENDER_LEASE, takeLease } from './lease';
import { acceptBody, sendDecision, sendPendingChanges } from './send-decisions';

/**
 * Issue 13 items 2 and 4, decisions: the provider accepts or rejects, in the platform, an application
 * registered at DfE, and DfE is told once — through the platform's own events and jobs, against the
 * stand-in — even when DfE commits and the answer is lost, and DfE's refusals are kept with its words.
 */
const { t, port, standIn, seeded, client, registeredAndPulled } = useDfeTestApp({ portBase: 39_000, token: 'decisions-token' });
const f = factoriesFor(t);
const changeOf = async (applicationId: string, kind: string) => (await t.database.db.select().from(dfeChanges).where(and(eq(dfeChanges.applicationId, applicationId), eq(dfeChanges.kind, kind))))[0];
const posts = (path: string) => standIn().calls.filter((c) => c.method === 'POST' && c.url.endsWith(path)).length;

describe('telling DfE the provider’s decisions', () => {
  it('sends an acceptance with the funded place once the platform accepts, through its events and jobs', async () => {
    const { registered, mine } = await registeredAndPulled();
    const admin = await f.aStaffMember({ role: 'provider_admin' });
    await t.services.applications.accept(admin.actor, mine.id, { fundedPlace: true });
    await t.services.jobs.drain();
    expect(standIn().state.applications.get(registered.id)).toMatchObject({ status: 'accepted', fundedPlace: true });
    expect(await changeOf(mine.id, 'accept')).toMatchObject({ state: 'applied', attempts: 1 });
    expect(posts(`/npq-applications/${registered.id}/accept`)).toBe(1);
  });

  it('when DfE commits and the answer is lost, reads DfE before trying again and never sends twice', async () => {
    const { registered, mine } = await registeredAndPulled();
    const admin = await f.aStaffMember({ role: 'provider_admin' });
    standIn().faults.push({ kind: 'drop-after-commit', method: 'POST', path: '/accept', times: 1 });
    await t.services.applications.accept(admin.actor, mine.id, { fundedPlace: false });
    await t.services.jobs.drain();
    expect(await changeOf(mine.id, 'accept')).toMatchObject({ state: 'pending', attempts: 1 });
    // The job runner tries again after its backoff.
    t.clock.advance(60 * 60 * 1000);
    await t.services.jobs.drain();
    expect(await changeOf(mine.id, 'accept')).toMatchObject({ state: 'applied', attempts: 1 });
    expect(posts(`/npq-applications/${registered.id}/accept`)).toBe(1);
    expect(standIn().state.applications.get(registered.id)).toMatchObject({ status: 'accepted', fundedPlace: false });
  });

  it('sends a rejection, and keeps DfE’s refusal with its words when DfE will not have a decision', async () => {
    const rejected = await registeredAndPulled();
    const admin = await f.aStaffMember({ role: 'provider_admin' });
    await t.services.applications.reject(admin.actor, rejected.mine.id, 'Not this year.');
    await t.services.jobs.drain();
    expect(standIn().state.applications.get(rejected.registered.id)).toMatchObject({ status: 'rejected', reasonForRejection: 'rejected_by_provider' });
    expect(await changeOf(rejected.mine.id, 'reject')).toMatchObject({ state: 'applied' });
    // DfE rejected this one on its own (the person was accepted elsewhere) before the provider accepted it.
    const elsewhere = await registeredAndPulled();
    standIn().state.applications.get(elsewhere.registered.id)!.status = 'rejected';
    await t.services.applications.accept(admin.actor, elsewhere.mine.id, { fundedPlace: true });
    await t.services.jobs.drain();
    const change = await changeOf(elsewhere.mine.id, 'accept');
    expect(change?.state).toBe('refused');
    expect(JSON.stringify(change?.answer)).toContain('Once rejected an application cannot change state');
    // The admin sees it to follow up, with DfE's words.
    const page = (await (await admin.signIn('10.127.0.1')).get('/admin/dfe')).body.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
    expect(page).toMatch(/Refused by DfE \d{1,2} \w+ \d{4}[^“]*DfE said: “Once rejected an application cannot change state/);
  });

  it('a decision made before DfE’s record was linked is sent when the pull links it, and a rejected application is linked, not made again', async () => {
    const admin = await f.aStaffMember({ role: 'provider_admin' });
    const made = async () => {
      const app = (await f.aSubmittedApplication()).application;
      await t.database.db.insert(schoolApprovals).values({ applicationId: app.id, status: 'approved', decidedAt: t.clock.now(), createdAt: t.clock.now(), updatedAt: t.clock.now() }).onConflictDoUpdate({ target: schoolApprovals.applicationId, set: { status: 'approved' } });
      const [row] = await t.database.db.select({ app: applications, cohort: cohorts.identifier }).from(applications).innerJoin(cohorts, eq(cohorts.id, applications.cohortId)).where(eq(applications.id, app.id));
      return row!;
    };
    const toAccept = await made();
    const toReject = await made();
    // DfE does not fund 2026a (docs/dfe-api.md §2.2); the demo's cohort says it does: the platform is told so here.
    if (toAccept.cohort === '2026a') await t.database.db.update(cohorts).set({ funding: 'none' }).where(eq(cohorts.identifier, '2026a'));
    await t.services.applications.accept(admin.actor, toAccept.app.id, { fundedPlace: false });
    await t.services.applications.reject(admin.actor, toReject.app.id, 'Not this year.');
    await t.services.jobs.drain();
    // Not DfE's yet: nothing to send.
    expect(await changeOf(toAccept.app.id, 'accept')).toBeUndefined();
    expect(await changeOf(toReject.app.id, 'reject')).toBeUndefined();
    const dfeOf = (row: typeof toAccept) => {
      t.clock.advance(1000);
      const person = standIn().state.addPerson({ fullName: row.app.fullName, email: row.app.email, trn: null }, t.clock.now());
      return standIn().state.addApplication({ personId: person.id, leadProviderId: seeded().provider.id, course: row.app.courseIdentifier, cohort: row.cohort }, t.clock.now());
    };
    const [a, r] = [dfeOf(toAccept), dfeOf(toReject)];
    const before = (await t.database.db.select({ id: applications.id }).from(applications)).length;
    const sync = { db: t.database.db, clock: t.clock, client: client() };
    await pullApplications({ ...sync, record: t.services.applications.recordDfeApplication, decided: (id, kind) => sendDecision(sync, id, kind) });
    expect((await t.database.db.select({ id: applications.id }).from(applications)).length).toBe(before);
    expect(standIn().state.applications.get(r.id)).toMatchObject({ status: 'rejected', reasonForRejection: 'rejected_by_provider' });
    expect(standIn().state.applications.get(a.id)).toMatchObject({ status: 'accepted', fundedPlace: false });
    expect(await changeOf(toAccept.app.id, 'accept')).toMatchObject({ state: 'applied' });
  });

  it('keeps a decision pending, not refused, when DfE answers 401 (a token to put right), and the sweep sends it once DfE is back', async () => {
    const { registered, mine } = await registeredAndPulled();
    const wrong = createDfeClient({ baseUrl: `http://127.0.0.1:${port}`, token: 'rotated', db: t.database.db, clock: t.clock, sleep: async (ms) => t.clock.advance(ms) });
    await expect(sendDecision({ db: t.database.db, clock: t.clock, client: wrong }, mine.id, 'reject')).rejects.toThrow();
    expect((await changeOf(mine.id, 'reject'))?.state).toBe('pending');
    expect(await sendPendingChanges({ db: t.database.db, clock: t.clock, client: client() })).toBeGreaterThanOrEqual(1);
    expect(await changeOf(mine.id, 'reject')).toMatchObject({ state: 'applied' });
    expect(standIn().state.applications.get(registered.id)?.status).toBe('rejected');
  });

  it('sends one decision from one process at a time: two at once make one POST, and one held by another process is left to it', async () => {
    const { registered, mine } = await registeredAndPulled();
    const admin = await f.aStaffMember({ role: 'provider_admin' });
    // Accepted with DfE away, so the change waits; then two senders at once (the sweep in two processes, say).
    standIn().faults.push({ kind: '500', method: 'POST', path: '/accept', times: 1 });
    await t.services.applications.accept(admin.actor, mine.id, { fundedPlace: true });
    await t.services.jobs.drain();
    const before = posts(`/npq-applications/${registered.id}/accept`);
    const both = await Promise.all([sendDecision({ db: t.database.db, clock: t.clock, client: client() }, mine.id, 'accept'), sendDecision({ db: t.database.db, clock: t.clock, client: client() }, mine.id, 'accept')]);
    expect(both.filter((r) => r === 'applied')).toHaveLength(both.filter((r) => r !== 'in_hand').length);
    expect(posts(`/npq-applications/${registered.id}/accept`) - before).toBeLessThanOrEqual(1);
    expect(await changeOf(mine.id, 'accept')).toMatchObject({ state: 'applied' });
    // Another process holding the lease: nothing read or sent here.
    const second = await registeredAndPulled();
    standIn().faults.push({ kind: '500', method: 'POST', path: '/accept', times: 1 });
    await t.services.applications.accept(admin.actor, second.mine.id, { fundedPlace: true });
    await t.services.jobs.drain();
    const held = await takeLease(t.database.db, t.clock, `${SENDER_LEASE}decision:${second.mine.id}:accept`, 60_000);
    const calls = standIn().calls.length;
    expect(await sendDecision({ db: t.database.db, clock: t.clock, client: client() }, second.mine.id, 'accept')).toBe('in_hand');
    expect(standIn().calls.length).toBe(calls);
    await held!.release();
    expect(await sendDecision({ db: t.database.db, clock: t.clock, client: client() }, second.mine.id, 'accept')).toBe('applied');
  });

  it('asks DfE for funded_place as its cohort’s funding does', () => {
    expect(acceptBody({ cohortFunding: 'capped', fundedPlace: null, schedule: null })).toEqual({ data: { type: 'npq-application-accept', attributes: { funded_place: false } } });
    expect(acceptBody({ cohortFunding: 'none', fundedPlace: null, schedule: 'npq-leadership-spring' })).toEqual({ data: { type: 'npq-application-accept', attributes: { funded_place: false, schedule_identifier: 'npq-leadership-spring' } } });
    expect(acceptBody({ cohortFunding: 'full', fundedPlace: null, schedule: null })).toBeUndefined();
  });

  it('sent nothing DfE’s document does not allow', () => {
    expect(standIn().violations).toEqual([]);
  });
});
