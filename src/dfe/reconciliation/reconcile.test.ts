import { and, desc, eq, isNull } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { factoriesFor, setUp } from '../../testing/factories';
import { approveDeclarations } from '../declarations/declarations.service';
import { proposeDeclarations } from '../declarations/propose-declarations';
import { pullDeliveryPartners } from '../declarations/pull-declarations';
import { dfeApiCalls, dfeChanges, dfeDeclarations, dfeReconciliationDifferences, dfeReconciliationRuns } from '../dfe.schema';
import { takeLease } from '../sync/lease';
import { pullApplications } from '../sync/pull-applications';
import { auditEvents } from '../../audit/audit.schema';
import { applications } from '../../enrolment/enrolment.schema';
import { placesAtDfe, TRANSFERRED_AWAY } from '../../enrolment/enrolment.queries';
import { useDfeTestApp } from '../testing/dfe-test-app';
import { NOT_FINISHED, RECONCILE_LEASE, RUNS_KEPT, runReconciliation, type StoredSides } from './reconcile';

/**
 * Issue 13 item 6, the run: DfE read whole through the client against the stand-in, the platform read,
 * every difference stored with the action that fixes it — a participant transferred away or in, merged,
 * accepted where the platform rejected; a training status, schedule or funded place apart; a declaration
 * DfE lacks, holds alone or holds in another state — nothing when both agree, pending changes on their
 * way; one run at a time, a killed run marked, old runs pruned; and DfE's document never broken.
 */
const dfe = useDfeTestApp({ portBase: 47_100, token: 'reconcile-token' });
const { t, standIn, client } = dfe;
const f = factoriesFor(t);
const run = () => runReconciliation({ db: t.database.db, clock: t.clock, client: client(), transferredAway: t.services.applications.recordDfeTransfersAway }, { perPage: 2 });
/** The differences (and changes on their way) the run found about one of the platform's applications, or one of DfE's records. */
async function found(runId: string, about: { applicationId?: string; dfeId?: string }) {
  const rows = await t.database.db.select().from(dfeReconciliationDifferences).where(and(eq(dfeReconciliationDifferences.runId, runId), about.applicationId ? eq(dfeReconciliationDifferences.applicationId, about.applicationId) : eq(dfeReconciliationDifferences.dfeId, about.dfeId!)));
  return rows.map((r) => ({ kind: r.kind, dfeId: r.dfeId, action: r.action, platform: (r.platform as StoredSides['platform']).holds, dfe: (r.dfe as StoredSides['dfe']).holds, onItsWay: (r.platform as StoredSides['platform']).onItsWay }));
}
const finished = async () => {
  const r = await run();
  if (r.state !== 'finished') throw new Error('The run did not finish');
  return r;
};
let partnerId: string;

beforeAll(async () => {
  partnerId = await t.services.catalogue.savePartner(setUp, null, { name: 'Riverside Teaching School Hub', region: '', description: '' });
  await pullDeliveryPartners({ client: client() }, (records) => t.services.catalogue.linkPartnersToDfe(setUp, records));
});
afterAll(() => {
  // Every request the run made and every answer the stand-in gave held to DfE's document.
  expect(standIn().violations).toEqual([]);
});

describe('comparing the platform with DfE', () => {
  it('finds nothing when both agree, reading every page of DfE’s three lists with GETs in the call log', async () => {
    await dfe.acceptedAtDfe();
    await dfe.acceptedAtDfe();
    await dfe.acceptedAtDfe();
    const since = t.clock.now();
    const r = await finished();
    expect(r.counts.differences).toEqual({ participant: 0, status: 0, schedule: 0, funded_place: 0, declaration: 0 });
    expect(r.counts.onItsWay).toEqual({ participant: 0, status: 0, schedule: 0, funded_place: 0, declaration: 0 });
    expect(r.counts.compared).toMatchObject({ participants: 3, platformApplications: 3 });
    expect(await t.database.db.select().from(dfeReconciliationDifferences).where(eq(dfeReconciliationDifferences.runId, r.runId))).toEqual([]);
    const calls = (await t.database.db.select().from(dfeApiCalls)).filter((c) => c.purpose.startsWith('reconcile') && c.at >= since);
    expect(calls.every((c) => c.method === 'GET')).toBe(true);
    // Two a page: the three participants over two pages, DfE's lists read to a short page.
    expect(calls.filter((c) => c.path.startsWith('/api/v3/participants/npq?')).map((c) => c.path)).toEqual(['/api/v3/participants/npq?page[page]=1&page[per_page]=2', '/api/v3/participants/npq?page[page]=2&page[per_page]=2']);
    const [row] = await t.database.db.select().from(dfeReconciliationRuns).where(eq(dfeReconciliationRuns.id, r.runId));
    expect(row).toMatchObject({ error: null });
    expect(row!.finishedAt).not.toBeNull();
  });

  it('finds a participant transferred to another provider, and one transferred in that the platform never had', async () => {
    const away = await dfe.aParticipantWhoCame(partnerId);
    await proposeDeclarations({ db: t.database.db, clock: t.clock }, [away.mine.id]);
    expect(await t.database.db.select({ state: dfeDeclarations.state }).from(dfeDeclarations).where(eq(dfeDeclarations.applicationId, away.mine.id))).toEqual([{ state: 'proposed' }]);
    standIn().state.transferApplication(away.registered.id, dfe.seeded().otherProvider.id, t.clock.now());
    const person = standIn().state.addPerson({ fullName: 'Tess Transferred', trn: null, email: null }, t.clock.now());
    const incoming = standIn().state.addApplication({ personId: person.id, leadProviderId: dfe.seeded().otherProvider.id, course: 'npq-headship', cohort: '2026b', status: 'accepted', trainingStatus: 'active', schedule: 'npq-leadership-autumn', fundedPlace: true, acceptedAt: t.clock.now() }, t.clock.now());
    standIn().state.transferApplication(incoming.id, dfe.seeded().provider.id, t.clock.now());
    const r = await finished();
    expect(await found(r.runId, { applicationId: away.mine.id })).toEqual([expect.objectContaining({ kind: 'participant', dfe: null, onItsWay: false, action: expect.stringContaining('DfE no longer shows this participant to you: they transferred to another provider (docs/dfe-api.md §4.4)') })]);
    expect(await found(r.runId, { dfeId: incoming.id })).toEqual([expect.objectContaining({ kind: 'participant', platform: null, dfe: { status: 'accepted', course: 'npq-headship', cohort: '2026b', trainingStatus: 'active' }, action: expect.stringContaining('Tess Transferred accepted with you') })]);
    expect(r.counts.differences.participant).toBeGreaterThanOrEqual(2);
    // The place transferred away is marked so (DfE answered 404), audited, and nothing more is declared for it; DfE moving it back undoes that.
    const [awayNow] = await t.database.db.select().from(applications).where(eq(applications.id, away.mine.id));
    expect(awayNow).toMatchObject({ status: 'accepted', dfeStatus: TRANSFERRED_AWAY });
    expect(await t.database.db.select({ action: auditEvents.action }).from(auditEvents).where(and(eq(auditEvents.entityId, away.mine.id), eq(auditEvents.action, 'application.transferred_away')))).toHaveLength(1);
    expect(await placesAtDfe(t.database.db, { enrolmentIds: [away.mine.id] })).toEqual([]);
    // Its proposal taken back: DfE would refuse it.
    expect(await t.database.db.select().from(dfeDeclarations).where(eq(dfeDeclarations.applicationId, away.mine.id))).toEqual([]);
    await finished();
    expect(await t.database.db.select({ action: auditEvents.action }).from(auditEvents).where(and(eq(auditEvents.entityId, away.mine.id), eq(auditEvents.action, 'application.transferred_away')))).toHaveLength(1);
    t.clock.advance(60_000);
    standIn().state.transferApplication(away.registered.id, dfe.seeded().provider.id, t.clock.now());
    await pullApplications({ db: t.database.db, clock: t.clock, client: client(), record: t.services.applications.recordDfeApplication });
    expect(await placesAtDfe(t.database.db, { enrolmentIds: [away.mine.id] })).toHaveLength(1);
  });

  it('finds a training status, schedule and funded place DfE holds otherwise, each with its fix', async () => {
    const deferred = await dfe.acceptedAtDfe();
    standIn().state.applications.get(deferred.registered.id)!.trainingStatus = 'deferred';
    const intake = await f.anIntake({ course: 'npq-headship', cohortIdentifier: '2026b', schedule: 'npq-leadership-autumn', deliveryPartnerId: partnerId });
    const moved = await dfe.acceptedAtDfe({ fundedPlace: true, intakeId: intake.id });
    standIn().state.applications.get(moved.registered.id)!.schedule = 'npq-leadership-spring';
    const unfunded = await dfe.acceptedAtDfe();
    standIn().state.applications.get(unfunded.registered.id)!.fundedPlace = false;
    const r = await finished();
    expect(await found(r.runId, { applicationId: deferred.mine.id })).toEqual([expect.objectContaining({ kind: 'status', platform: { trainingStatus: 'active' }, dfe: { trainingStatus: 'deferred' }, action: expect.stringMatching(/^DfE shows them deferred; the platform active: if they are training, resume them at DfE/) })]);
    expect(await found(r.runId, { applicationId: moved.mine.id })).toEqual([expect.objectContaining({ kind: 'schedule', platform: { schedule: 'npq-leadership-autumn' }, dfe: { schedule: 'npq-leadership-spring' }, action: expect.stringContaining('void those first (docs/dfe-api.md §4.3)') })]);
    expect(await found(r.runId, { applicationId: unfunded.mine.id })).toEqual([expect.objectContaining({ kind: 'funded_place', platform: { fundedPlace: 'yes' }, dfe: { fundedPlace: 'no' }, action: expect.stringContaining('change it on their application page, which tells DfE') })]);
  });

  it('finds a merge DfE made, and an application DfE shows accepted that the platform rejected', async () => {
    const merged = await dfe.acceptedAtDfe();
    const kept = standIn().state.addPerson({ fullName: 'Kept Identity', trn: null, email: null }, t.clock.now());
    t.clock.advance(1000);
    standIn().state.mergeParticipants(merged.person.id, kept.id, t.clock.now());
    const rejected = await dfe.registeredAndPulled();
    const admin = await f.aStaffMember({ role: 'provider_admin' });
    await t.services.applications.reject(admin.actor, rejected.mine.id, 'Not this year.');
    await t.services.jobs.drain();
    Object.assign(standIn().state.applications.get(rejected.registered.id)!, { status: 'accepted', reasonForRejection: null, trainingStatus: 'active', acceptedAt: t.clock.now(), schedule: 'npq-leadership-autumn' });
    const r = await finished();
    expect(await found(r.runId, { applicationId: merged.mine.id })).toEqual([expect.objectContaining({ kind: 'participant', dfe: { participantId: kept.id }, action: expect.stringContaining('DfE merged two identities (docs/dfe-api.md §4.5)') })]);
    expect(await found(r.runId, { applicationId: rejected.mine.id })).toEqual([expect.objectContaining({ kind: 'participant', platform: { status: 'rejected' }, dfe: { status: 'accepted', trainingStatus: 'active' }, action: expect.stringContaining('DfE shows the application accepted; the platform rejected it') })]);
  });

  it('finds a declaration DfE holds that the platform did not make, one sent that DfE lacks, and states apart', async () => {
    const unmade = await dfe.acceptedAtDfe();
    // Made at DfE, not by the platform (by hand, say), under an id of DfE's shape.
    const madeId = dfe.declareStarted(unmade.registered).id;
    const lost = await dfe.aParticipantWhoCame(partnerId);
    const voided = await dfe.aParticipantWhoCame(partnerId);
    await proposeDeclarations({ db: t.database.db, clock: t.clock }, [lost.mine.id, voided.mine.id]);
    const admin = await f.aStaffMember({ role: 'provider_admin' });
    const rows = await t.database.db.select().from(dfeDeclarations).where(isNull(dfeDeclarations.dfeDeclarationId));
    await approveDeclarations({ db: t.database.db, clock: t.clock }, admin.actor, rows.map((d) => d.id));
    await t.services.jobs.drain();
    const [lostRow] = await t.database.db.select().from(dfeDeclarations).where(eq(dfeDeclarations.applicationId, lost.mine.id));
    const [voidedRow] = await t.database.db.select().from(dfeDeclarations).where(eq(dfeDeclarations.applicationId, voided.mine.id));
    expect(lostRow).toMatchObject({ state: 'sent' });
    standIn().state.declarations.delete(lostRow!.dfeDeclarationId!);
    standIn().state.declarations.get(voidedRow!.dfeDeclarationId!)!.state = 'voided';
    const r = await finished();
    expect(await found(r.runId, { applicationId: unmade.mine.id })).toEqual([expect.objectContaining({ kind: 'declaration', dfeId: madeId, platform: null, action: expect.stringContaining('DfE holds a started declaration (submitted, made by Northern Lights Leadership) that the platform did not make') })]);
    expect(await found(r.runId, { applicationId: lost.mine.id })).toEqual([expect.objectContaining({ kind: 'declaration', dfe: null, action: expect.stringContaining('but DfE does not list it to you') })]);
    expect(await found(r.runId, { applicationId: voided.mine.id })).toEqual([expect.objectContaining({ kind: 'declaration', platform: { declaration: 'started', state: 'eligible' }, dfe: { declaration: 'started', state: 'voided' }, action: expect.stringContaining('DfE voided it') })]);
  });

  it('counts a change still being sent to DfE as on its way, not as a difference', async () => {
    const { mine, admin } = await dfe.acceptedAtDfe();
    // DfE fails the change once: the platform has it recorded, pending, for the sweep.
    standIn().faults.push({ kind: '500', method: 'PUT', path: '/change-funded-place', times: 1 });
    await t.services.applications.changeFundedPlace(admin.actor, mine.id, { fundedPlace: false });
    await t.services.jobs.drain();
    const [pending] = await t.database.db.select().from(dfeChanges).where(and(eq(dfeChanges.applicationId, mine.id), eq(dfeChanges.kind, 'change_funded_place')));
    expect(pending).toMatchObject({ state: 'pending' });
    const r = await finished();
    const [onItsWay, ...others] = await found(r.runId, { applicationId: mine.id });
    expect(others.filter((d) => d.kind !== 'declaration')).toEqual([]);
    expect(onItsWay).toMatchObject({ kind: 'funded_place', onItsWay: true, platform: { fundedPlace: 'no' }, dfe: { fundedPlace: 'yes' }, action: expect.stringMatching(/^On its way: the platform’s change of funded place is being sent to DfE/) });
    expect(r.counts.onItsWay.funded_place).toBe(1);
    // A change whose job has not run yet (nothing in dfe_changes): on its way too.
    const queued = await dfe.acceptedAtDfe();
    await t.services.applications.changeParticipant(queued.admin.actor, queued.mine.id, 'defer', { reason: 'career-break' });
    const again = await finished();
    expect(await found(again.runId, { applicationId: queued.mine.id })).toEqual([expect.objectContaining({ kind: 'status', onItsWay: true, platform: { trainingStatus: 'deferred' }, dfe: { trainingStatus: 'active' }, action: expect.stringMatching(/^On its way: the platform’s deferral/) })]);
    await t.services.jobs.drain();
  });

  it('runs one at a time, marks a run that did not finish, and keeps only the last runs', async () => {
    const held = await takeLease(t.database.db, t.clock, RECONCILE_LEASE, 60_000);
    expect(await run()).toEqual({ state: 'busy' });
    await held!.release();
    // A run killed part way: begun, never finished, no error.
    const [killed] = await t.database.db.insert(dfeReconciliationRuns).values({ startedAt: t.clock.now() }).returning();
    t.clock.advance(1000);
    await finished();
    const [marked] = await t.database.db.select().from(dfeReconciliationRuns).where(eq(dfeReconciliationRuns.id, killed!.id));
    expect(marked?.error).toBe(NOT_FINISHED);
    for (let i = 0; i < RUNS_KEPT; i++) {
      t.clock.advance(1000);
      await finished();
    }
    expect(await t.database.db.select().from(dfeReconciliationRuns)).toHaveLength(RUNS_KEPT);
    // DfE away: the run keeps why, and the error reaches the job runner.
    standIn().faults.push({ kind: '500', method: 'GET', path: '/npq-applications', times: 100 });
    await expect(run()).rejects.toThrow();
    standIn().faults.length = 0;
    const [last] = await t.database.db.select().from(dfeReconciliationRuns).orderBy(desc(dfeReconciliationRuns.startedAt)).limit(1);
    expect(last?.error).toMatch(/DfE/);
  });
});
