import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditEvents } from '../../audit/audit.schema';
import { applications, cohorts, enrolments, participantStatusChanges } from '../../enrolment/enrolment.schema';
import { factoriesFor, setUp } from '../../testing/factories';
import { startMailHarness } from '../../testing/smtp';
import { proposeDeclarations } from '../declarations/propose-declarations';
import { dfeApiCalls, dfeDeclarations, dfeSkippedRecords } from '../dfe.schema';
import { useDfeTestApp } from '../testing/dfe-test-app';
import { pullApplications } from './pull-applications';

/**
 * Issue 13 item 2, transfers in (docs/dfe-api.md §4.4): DfE moves an accepted place from another
 * provider with no API call to tell of it — the application appears, already accepted, with its funded
 * place and schedule. The pull takes it in whole: accepted, placed in the intake on DfE's schedule,
 * active, audited, the participant emailed (over real SMTP), and nothing sent back to DfE; it is then
 * a participant like any other, whose evidence makes declarations due. Pulled again, nothing changes.
 */
const dfe = useDfeTestApp({ portBase: 50_100, token: 'transfers-token' });
const { t, standIn } = dfe;
const f = factoriesFor(t);
const pull = () => pullApplications({ db: t.database.db, clock: t.clock, client: dfe.client(), record: t.services.applications.recordDfeApplication });
let mail: Awaited<ReturnType<typeof startMailHarness>>;
let partnerId: string;

beforeAll(async () => {
  mail = await startMailHarness(t.database.db, t.clock, t.services.jobs);
  partnerId = await t.services.catalogue.savePartner(setUp, null, { name: 'Riverside Teaching School Hub', region: '', description: '' });
});
afterAll(() => mail.stop());

/** A place accepted at another provider (DfE's funded place and schedule as given), then moved to this one by DfE. */
function transferredToUs(over: { fullName: string; email: string | null; course?: string; cohort?: string; schedule?: string; fundedPlace?: boolean | null }) {
  const at = t.clock.now();
  const person = standIn().state.addPerson({ fullName: over.fullName, trn: null, email: over.email }, at);
  const other = dfe.seeded().otherProvider.id;
  const app = standIn().state.addApplication(
    { personId: person.id, leadProviderId: other, course: over.course ?? 'npq-headship', cohort: over.cohort ?? '2026b', status: 'accepted', trainingStatus: 'active', schedule: over.schedule ?? 'npq-leadership-autumn', fundedPlace: over.fundedPlace === undefined ? true : over.fundedPlace, acceptedAt: at },
    at,
  );
  t.clock.advance(1000);
  standIn().state.transferApplication(app.id, dfe.seeded().provider.id, t.clock.now());
  return { person, app };
}

describe('a place DfE transferred in from another provider', () => {
  it('is taken in accepted, in the earliest intake on DfE’s schedule, funded as DfE holds it, active, audited and the participant told — nothing sent to DfE', async () => {
    const later = await f.anIntake({ course: 'npq-headship', cohortIdentifier: '2026b', schedule: 'npq-leadership-autumn', deliveryPartnerId: partnerId, startDate: '2026-12-01' });
    const autumn = await f.anIntake({ course: 'npq-headship', cohortIdentifier: '2026b', schedule: 'npq-leadership-autumn', deliveryPartnerId: partnerId, startDate: '2026-10-01' });
    const { app } = transferredToUs({ fullName: 'Tess Transferred', email: 'tess.transferred@school.test' });
    const since = t.clock.now();
    const run = await pull();
    expect(run.transferred_in).toBe(1);
    const [mine] = await t.database.db.select().from(applications).where(eq(applications.dfeApplicationId, app.id));
    expect(mine).toMatchObject({ status: 'accepted', fullName: 'Tess Transferred', email: 'tess.transferred@school.test', courseIdentifier: 'npq-headship', intakeId: autumn.id });
    expect(later.id).not.toBe(mine!.intakeId);
    const [place] = await t.database.db.select().from(enrolments).where(eq(enrolments.applicationId, mine!.id));
    expect(place).toMatchObject({ intakeId: autumn.id, deliveryPartnerId: partnerId, fundedPlace: true, trainingStatus: 'active', onWaitingList: false });
    expect(await t.database.db.select({ from: participantStatusChanges.fromStatus, to: participantStatusChanges.toStatus, by: participantStatusChanges.changedBy }).from(participantStatusChanges).where(eq(participantStatusChanges.enrolmentId, place!.id))).toEqual([{ from: null, to: 'active', by: expect.stringContaining('DfE sync') }]);
    const [audited] = await t.database.db.select().from(auditEvents).where(and(eq(auditEvents.entityId, mine!.id), eq(auditEvents.action, 'application.transferred_in')));
    expect(audited!.after).toMatchObject({ dfeApplicationId: app.id, schedule: 'npq-leadership-autumn', intakeId: autumn.id, fundedPlace: true });
    // Not "records not taken in": it was.
    expect(await t.database.db.select().from(dfeSkippedRecords).where(eq(dfeSkippedRecords.dfeApplicationId, app.id))).toEqual([]);
    const [told] = await mail.to('tess.transferred@school.test');
    expect(told!.subject).toBe('Your NPQH has moved to us');
    expect(told!.text).toContain('DfE has moved your place on the');
    expect(told!.text).toContain(`You are in ${autumn.name}`);
    // DfE made the change: no decision goes back (jobs drained above, with the mail).
    await t.services.jobs.drain();
    const calls = (await t.database.db.select().from(dfeApiCalls)).filter((c) => c.at >= since && c.method !== 'GET');
    expect(calls).toEqual([]);
  });

  it('is a participant like any other: their evidence makes a started declaration due, and the applications pull again changes nothing', async () => {
    const intake = await dfe.anIntakeWithEvent1Held(partnerId);
    const { app } = transferredToUs({ fullName: 'Uma Moved', email: 'uma.moved@school.test' });
    await pull();
    const [mine] = await t.database.db.select().from(applications).where(eq(applications.dfeApplicationId, app.id));
    // The earliest intake on DfE's schedule: the admin moves them if another fits better.
    const [place] = await t.database.db.select().from(enrolments).where(eq(enrolments.applicationId, mine!.id));
    await t.database.db.update(enrolments).set({ intakeId: intake.id }).where(eq(enrolments.id, place!.id));
    await t.services.learning.takeRegister(setUp, intake.id, 'e1', { marks: { [mine!.id]: { status: 'present', reason: '' } } });
    await proposeDeclarations({ db: t.database.db, clock: t.clock }, [mine!.id]);
    expect(await t.database.db.select({ type: dfeDeclarations.declarationType, state: dfeDeclarations.state }).from(dfeDeclarations).where(eq(dfeDeclarations.applicationId, mine!.id))).toEqual([{ type: 'started', state: 'proposed' }]);
    t.clock.advance(60_000);
    standIn().state.applications.get(app.id)!.updatedAt = t.clock.now();
    const again = await pull();
    expect(again.transferred_in).toBe(0);
    expect(await t.database.db.select().from(enrolments).where(eq(enrolments.applicationId, mine!.id))).toHaveLength(1);
    expect(await t.database.db.select().from(applications).where(eq(applications.dfeApplicationId, app.id))).toHaveLength(1);
  });

  it('with no intake on DfE’s schedule, is accepted in none for the admin to place; in a cohort DfE funds whole, holds no funded-place answer', async () => {
    await t.database.db.insert(cohorts).values({ identifier: '2025b', startYear: 2025, suffix: 'b', funding: 'full' }).onConflictDoNothing();
    // No NPQSL intake in 2026b at all.
    const unplaced = transferredToUs({ fullName: 'Vic Unplaced', email: 'vic.unplaced@school.test', course: 'npq-senior-leadership', schedule: 'npq-leadership-autumn' });
    const whole = transferredToUs({ fullName: 'Wyn Whole', email: null, cohort: '2025b', schedule: 'npq-leadership-autumn', fundedPlace: null });
    await pull();
    const placeOf = async (dfeId: string) => {
      const [mine] = await t.database.db.select().from(applications).where(eq(applications.dfeApplicationId, dfeId));
      const [place] = await t.database.db.select().from(enrolments).where(eq(enrolments.applicationId, mine!.id));
      return { status: mine!.status, intakeId: place!.intakeId, fundedPlace: place!.fundedPlace };
    };
    expect(await placeOf(unplaced.app.id)).toEqual({ status: 'accepted', intakeId: null, fundedPlace: true });
    expect(await placeOf(whole.app.id)).toEqual({ status: 'accepted', intakeId: null, fundedPlace: null });
    const [told] = await mail.to('vic.unplaced@school.test');
    expect(told!.subject).toBe('Your NPQSL has moved to us');
    expect(told!.text).toContain('We will place you in one of our intakes and email you when we have.');
  });

  it('is never joined to a person the platform holds under another DfE id: kept for the admin, and the pull goes on', async () => {
    const held = await dfe.acceptedAtDfe();
    // The platform's person for this email already has a DfE id; DfE transfers in a place under another identity with that email.
    const { app } = transferredToUs({ fullName: 'Dee Twice', email: held.person.email, course: 'npq-senior-leadership' });
    const run = await pull();
    expect(run.skipped).toBeGreaterThanOrEqual(1);
    const [kept] = await t.database.db.select().from(dfeSkippedRecords).where(eq(dfeSkippedRecords.dfeApplicationId, app.id));
    expect(kept).toMatchObject({ reason: 'person_conflict' });
    expect(await t.database.db.select().from(applications).where(eq(applications.dfeApplicationId, app.id))).toEqual([]);
  });
});
