import { and, asc, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { factoriesFor } from '../../testing/factories';
import { dfeChanges } from '../dfe.schema';
import { useDfeTestApp } from '../testing/dfe-test-app';
import { jobs } from '../../platform/platform.schema';
import { createDfeClient } from '../client/dfe-client';
import { sendPendingChanges } from './send-decisions';
import { LeaseLostError, takeLease } from './lease';
import { sendStatusChanges } from './send-status-changes';

/**
 * Issue 13 items 2 and 4, status changes: the provider defers, resumes or withdraws a participant DfE
 * holds, in the platform, and DfE is told once each, in the order made — through the platform's own
 * events and jobs, against the stand-in — even when DfE commits and the answer is lost, or DfE does not
 * have the acceptance yet; DfE's refusals are kept with its words for the admin.
 */
const { t, port, standIn, client, registeredAndPulled, acceptedAtDfe: acceptedWith, declareStarted } = useDfeTestApp({ portBase: 39_900, token: 'status-token' });
const f = factoriesFor(t);
const changesOf = (applicationId: string) =>
  t.database.db
    .select({ kind: dfeChanges.kind, state: dfeChanges.state, attempts: dfeChanges.attempts, answer: dfeChanges.answer })
    .from(dfeChanges)
    .where(and(eq(dfeChanges.applicationId, applicationId)))
    .orderBy(asc(dfeChanges.createdAt));
const puts = (path: string) => standIn().calls.filter((c) => c.method === 'PUT' && c.url.endsWith(path)).length;

/** A participant registered at DfE, pulled, and accepted by the provider (DfE has the acceptance); `started` gives them a started declaration at DfE. */
async function acceptedAtDfe(opts: { started: boolean }) {
  const accepted = await acceptedWith();
  if (opts.started) declareStarted(accepted.registered);
  return accepted;
}

describe('telling DfE of deferrals, resumptions and withdrawals', () => {
  it('sends a deferral, a resumption and a withdrawal once each, in the order the provider made them', async () => {
    const { admin, registered, person, mine } = await acceptedAtDfe({ started: true });
    await t.services.applications.changeParticipant(admin.actor, mine.id, 'defer', { reason: 'parental-leave' });
    t.clock.advance(1000);
    await t.services.applications.changeParticipant(admin.actor, mine.id, 'resume', {});
    t.clock.advance(1000);
    await t.services.applications.changeParticipant(admin.actor, mine.id, 'withdraw', { reason: 'personal-reason-moving-school' });
    await t.services.jobs.drain();
    expect((await changesOf(mine.id)).map((c) => [c.kind, c.state])).toEqual([
      ['accept', 'applied'],
      ['defer', 'applied'],
      ['resume', 'applied'],
      ['withdraw', 'applied'],
    ]);
    // DfE's history: the acceptance, then the three changes.
    expect(standIn().state.states.filter((s) => s.applicationId === registered.id).map((s) => [s.state, s.reason])).toEqual([
      ['active', null],
      ['deferred', 'parental-leave'],
      ['active', null],
      ['withdrawn', 'personal-reason-moving-school'],
    ]);
    for (const kind of ['defer', 'resume', 'withdraw']) expect(puts(`/participants/npq/${person.id}/${kind}`)).toBe(1);
  });

  it('when DfE commits a deferral and the answer is lost, reads DfE before trying again and never sends it twice', async () => {
    const { admin, registered, person, mine } = await acceptedAtDfe({ started: true });
    const before = puts(`/participants/npq/${person.id}/defer`);
    standIn().faults.push({ kind: 'drop-after-commit', method: 'PUT', path: '/defer', times: 1 });
    await t.services.applications.changeParticipant(admin.actor, mine.id, 'defer', { reason: 'career-break' });
    await t.services.jobs.drain();
    expect((await changesOf(mine.id)).find((c) => c.kind === 'defer')).toMatchObject({ state: 'pending', attempts: 1 });
    t.clock.advance(60 * 60 * 1000);
    await t.services.jobs.drain();
    expect((await changesOf(mine.id)).find((c) => c.kind === 'defer')).toMatchObject({ state: 'applied', attempts: 1 });
    expect(puts(`/participants/npq/${person.id}/defer`) - before).toBe(1);
    expect(standIn().state.applications.get(registered.id)?.trainingStatus).toBe('deferred');
  });

  it('keeps DfE’s refusal with its words — no deferral before any declaration — and the admin sees it to follow up', async () => {
    const { admin, registered, mine } = await acceptedAtDfe({ started: false });
    await t.services.applications.changeParticipant(admin.actor, mine.id, 'defer', { reason: 'long-term-sickness' });
    await t.services.jobs.drain();
    const deferral = (await changesOf(mine.id)).find((c) => c.kind === 'defer');
    expect(deferral?.state).toBe('refused');
    expect(JSON.stringify(deferral?.answer)).toContain('You cannot defer an NPQ participant that has no declarations');
    expect(standIn().state.applications.get(registered.id)?.trainingStatus).toBe('active');
    const page = (await (await admin.signIn('10.127.0.2')).get('/admin/dfe')).body.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
    expect(page).toMatch(/Deferred Refused by DfE \d{1,2} \w+ \d{4}[^“]*DfE said: “You cannot defer an NPQ participant that has no declarations/);
  });

  it('holds a status change while DfE does not have the acceptance, and the sweep sends both in order once DfE is back', async () => {
    const { person, registered, mine } = await registeredAndPulled();
    const admin = await f.aStaffMember({ role: 'provider_admin' });
    // DfE is down for every try the job runner makes.
    standIn().faults.push({ kind: '500', method: 'POST', path: '/accept', times: 100 }, { kind: '500', method: 'PUT', path: '/withdraw', times: 100 });
    await t.services.applications.accept(admin.actor, mine.id, { fundedPlace: true });
    t.clock.advance(1000);
    await t.services.applications.changeParticipant(admin.actor, mine.id, 'withdraw', { reason: 'other' });
    for (let i = 0; i < 8; i++) {
      await t.services.jobs.drain();
      t.clock.advance(60 * 60 * 1000);
    }
    expect(Object.fromEntries((await changesOf(mine.id)).map((c) => [c.kind, c.state]))).toEqual({ accept: 'pending', withdraw: 'pending' });
    expect(puts(`/participants/npq/${person.id}/withdraw`)).toBe(0);
    standIn().faults.length = 0;
    // Sent after the acceptance, and refused in DfE's words: no started declaration yet.
    await sendPendingChanges({ db: t.database.db, clock: t.clock, client: client() });
    expect(standIn().state.applications.get(registered.id)?.status).toBe('accepted');
    expect(Object.fromEntries((await changesOf(mine.id)).map((c) => [c.kind, c.state]))).toEqual({ accept: 'applied', withdraw: 'refused' });
    expect(JSON.stringify((await changesOf(mine.id)).find((c) => c.kind === 'withdraw')?.answer)).toContain('An NPQ participant who has not got a started declaration cannot be withdrawn');
  });

  it('waits out a 429 at most a window at a time, a few times, and leaves the change pending rather than waiting for ever', async () => {
    const { admin, person, mine } = await acceptedAtDfe({ started: true });
    const waits: number[] = [];
    const patient = createDfeClient({ baseUrl: `http://127.0.0.1:${port}`, token: 'status-token', db: t.database.db, clock: t.clock, sleep: async (ms) => {
        waits.push(ms);
        t.clock.advance(ms);
      },
    });
    standIn().faults.push({ kind: '429', method: 'PUT', path: '/defer', times: 100, amount: 86_400 });
    await t.database.db.delete(jobs);
    await t.services.applications.changeParticipant(admin.actor, mine.id, 'defer', { reason: 'other' });
    await t.database.db.delete(jobs);
    await expect(sendStatusChanges({ db: t.database.db, clock: t.clock, client: patient }, mine.id)).rejects.toThrow(/did not answer the defer/);
    expect(waits.length).toBeGreaterThan(0);
    expect(Math.max(...waits)).toBeLessThanOrEqual(5 * 60 * 1000);
    expect(puts(`/participants/npq/${person.id}/defer`)).toBe(waits.length + 1);
    expect((await changesOf(mine.id)).find((c) => c.kind === 'defer')?.state).toBe('pending');
    standIn().faults.length = 0;
    await sendStatusChanges({ db: t.database.db, clock: t.clock, client: client() }, mine.id);
    expect((await changesOf(mine.id)).find((c) => c.kind === 'defer')?.state).toBe('applied');
  });

  it('sends changes made in the same millisecond in the order made, following one status to the next', async () => {
    for (let i = 0; i < 4; i++) {
      const { admin, registered, mine } = await acceptedAtDfe({ started: true });
      await t.services.applications.changeParticipant(admin.actor, mine.id, 'defer', { reason: 'parental-leave' });
      await t.services.applications.changeParticipant(admin.actor, mine.id, 'resume', {});
      await t.services.jobs.drain();
      expect(standIn().state.states.filter((s) => s.applicationId === registered.id).map((s) => s.state)).toEqual(['active', 'deferred', 'active']);
    }
  });

  it('does not send a change of a participant whose acceptance DfE refused, and says why', async () => {
    const { registered, mine } = await registeredAndPulled();
    const admin = await f.aStaffMember({ role: 'provider_admin' });
    standIn().state.applications.get(registered.id)!.status = 'rejected';
    await t.services.applications.accept(admin.actor, mine.id, { fundedPlace: true });
    await t.services.applications.changeParticipant(admin.actor, mine.id, 'defer', { reason: 'other' });
    await t.services.jobs.drain();
    // The deferral's job may have run before DfE's refusal of the acceptance was known: it waited, and runs again.
    t.clock.advance(60 * 60 * 1000);
    await t.services.jobs.drain();
    expect(Object.fromEntries((await changesOf(mine.id)).map((c) => [c.kind, c.state]))).toEqual({ accept: 'refused', defer: 'refused' });
    expect(standIn().calls.some((c) => c.method === 'PUT' && c.url.includes(registered.personId))).toBe(false);
    const page = (await (await admin.signIn('10.127.0.4')).get('/admin/dfe')).body.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
    expect(page).toMatch(/Deferred Not sent \d{1,2} \w+ \d{4}[^.]*DfE refused the acceptance, so it holds no participant to change/);
  });

  it('a sender whose lease ran out and was taken over can neither renew it nor free it', async () => {
    const first = await takeLease(t.database.db, t.clock, 'status:lease-test', 1000);
    t.clock.advance(2000);
    const second = await takeLease(t.database.db, t.clock, 'status:lease-test', 60_000);
    expect(second).toBeDefined();
    await expect(first!.renew()).rejects.toBeInstanceOf(LeaseLostError);
    await first!.release();
    expect(await takeLease(t.database.db, t.clock, 'status:lease-test', 60_000)).toBeUndefined();
    await second!.release();
    expect(await takeLease(t.database.db, t.clock, 'status:lease-test', 60_000)).toBeDefined();
  });

  it('sent nothing DfE’s document does not allow', () => {
    expect(standIn().violations).toEqual([]);
  });
});
