import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll } from 'vitest';
import { applications, cohorts, schoolApprovals } from '../../enrolment/enrolment.schema';
import { factoriesFor, setUp } from '../../testing/factories';
import { type TestApp, useTestApp } from '../../testing/test-app';
import { createDfeClient } from '../client/dfe-client';
import { seedDfe, type SeededDfe } from '../stand-in/stand-in-seed';
import type { ContractViolation } from '../stand-in/contract';
import { createDfeStandIn, type DfeStandIn } from '../stand-in/stand-in-server';
import { pullApplications } from '../sync/pull-applications';

/**
 * A test app connected to a DfE stand-in of its own, for the sync's service tests: the stand-in listens
 * on `portBase` + this process's id mod 900 (the app's DFE_API_URL must be known before the app is
 * made, so no port 0), seeded for Northern Lights Leadership with `token`, its clock the app's; the
 * platform's cohort 2026b is capped for NPQH. Call at the top of a test file. After the file's tests, any
 * request or response that broke DfE's OpenAPI document fails the file, unless `allowViolation` says the
 * file made it on purpose.
 */
export function useDfeTestApp(opts: { portBase: number; token: string; allowViolation?: (v: ContractViolation) => boolean }) {
  const port = opts.portBase + (process.pid % 900);
  const t: TestApp = useTestApp({ DFE_API_URL: `http://127.0.0.1:${port}`, DFE_API_TOKEN: opts.token });
  let dfe: DfeStandIn | undefined;
  let seeded: SeededDfe | undefined;
  beforeAll(async () => {
    dfe = createDfeStandIn({ now: () => t.clock.now() });
    seeded = seedDfe(dfe.state, t.clock.now(), { providerName: 'Northern Lights Leadership', token: opts.token });
    await dfe.listen(port);
    await t.database.db.insert(cohorts).values({ identifier: '2026b', startYear: 2026, suffix: 'b', funding: 'capped', fundedPlaceLimits: { 'npq-headship': 50 } }).onConflictDoNothing();
  });
  afterAll(async () => {
    // Issue 13: every request the client sent and every response the stand-in gave, in every test of the file, held to DfE's document.
    const unexpected = (dfe?.violations ?? []).filter((v) => !opts.allowViolation?.(v));
    await dfe?.close();
    if (unexpected.length) throw new Error(`DfE's OpenAPI document was not kept: ${JSON.stringify(unexpected, null, 2)}`);
  });
  const standIn = () => dfe!;
  /** A client of the stand-in whose waits move the test's clock. */
  const client = () => createDfeClient({ baseUrl: `http://127.0.0.1:${port}`, token: opts.token, db: t.database.db, clock: t.clock, timeoutMs: 2000, sleep: async (ms) => t.clock.advance(ms) });
  /** One NPQH application for 2026b registered at DfE by a new person, pulled into the platform, with the school's approval recorded. */
  async function registeredAndPulled(over: { trainingStatus?: null; course?: string } = {}) {
    t.clock.advance(1000);
    const stamp = t.clock.now().getTime();
    const person = standIn().state.addPerson({ fullName: `Dee Registered ${stamp}`, trn: null, email: `dee.${stamp}@school.test` }, t.clock.now());
    const registered = standIn().state.addApplication({ personId: person.id, leadProviderId: seeded!.provider.id, course: 'npq-headship', cohort: '2026b', ...over }, t.clock.now());
    await pullApplications({ db: t.database.db, clock: t.clock, client: client(), record: t.services.applications.recordDfeApplication });
    const [mine] = await t.database.db.select().from(applications).where(eq(applications.dfeApplicationId, registered.id));
    await t.database.db.insert(schoolApprovals).values({ applicationId: mine!.id, status: 'approved', decidedAt: t.clock.now(), comment: 'Recorded by the provider', createdAt: t.clock.now(), updatedAt: t.clock.now() });
    return { person, registered, mine: mine! };
  }
  /** As registeredAndPulled (for `course`, NPQH by default), then accepted by a new provider admin (with `fundedPlace`, into `intakeId` if given) and DfE told (the jobs drained). */
  async function acceptedAtDfe(opts: { fundedPlace: boolean; course?: string; intakeId?: string } = { fundedPlace: true }) {
    const pulled = await registeredAndPulled(opts.course ? { course: opts.course } : {});
    const admin = await factoriesFor(t).aStaffMember({ role: 'provider_admin' });
    await t.services.applications.accept(admin.actor, pulled.mine.id, { fundedPlace: opts.fundedPlace, intakeId: opts.intakeId });
    await t.services.jobs.drain();
    return { ...pulled, admin };
  }
  /** Puts a `started` declaration at DfE on a registered application (as if sent), which DfE's deferral, withdrawal and funded-place rules look for; gives it. */
  function declareStarted(registered: { id: string; personId: string }) {
    const at = t.clock.now();
    // An id of DfE's shape: a later list of declarations must keep DfE's document.
    const id = randomUUID();
    standIn().state.declarations.set(id, {
      id,
      applicationId: registered.id,
      leadProviderId: seeded!.provider.id,
      personId: standIn().state.applications.get(registered.id)?.personId ?? registered.personId,
      type: 'started',
      date: at.toISOString(),
      course: 'npq-headship',
      cohort: '2026b',
      state: 'submitted',
      deliveryPartnerId: null,
      secondaryDeliveryPartnerId: null,
      statementId: null,
      clawbackStatementId: null,
      ineligibleForFundingReason: null,
      createdAt: at,
      updatedAt: at,
    });
    return standIn().state.declarations.get(id)!;
  }
  /** An NPQH intake of cohort 2026b with delivery partner `partnerId`, its first event held on 10 November 2026 (09:30–16:00). */
  async function anIntakeWithEvent1Held(partnerId: string) {
    const intake = await factoriesFor(t).anIntake({ course: 'npq-headship', cohortIdentifier: '2026b', schedule: 'npq-leadership-autumn', deliveryPartnerId: partnerId });
    await t.services.learning.savePlanEntry(setUp, intake.id, 'e1', { date: '2026-11-10', startTime: '09:30', endTime: '16:00', joinUrl: 'https://meet.example.org/e1' });
    return intake;
  }
  /** A participant accepted at DfE (funded) into such an intake, marked present at its first event: evidence of starting. */
  async function aParticipantWhoCame(partnerId: string) {
    const intake = await anIntakeWithEvent1Held(partnerId);
    const accepted = await acceptedAtDfe({ fundedPlace: true, intakeId: intake.id });
    await t.services.learning.takeRegister(setUp, intake.id, 'e1', { marks: { [accepted.mine.id]: { status: 'present', reason: '' } } });
    return { ...accepted, intake };
  }
  return { t, port, standIn, seeded: () => seeded!, client, registeredAndPulled, acceptedAtDfe, declareStarted, anIntakeWithEvent1Held, aParticipantWhoCame };
}
