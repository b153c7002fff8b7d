import { eq } from 'drizzle-orm';
import { afterAll, beforeAll } from 'vitest';
import { applications, cohorts, schoolApprovals } from '../../enrolment/enrolment.schema';
import { type TestApp, useTestApp } from '../../testing/test-app';
import { createDfeClient } from '../client/dfe-client';
import { seedDfe, type SeededDfe } from '../stand-in/stand-in-seed';
import { createDfeStandIn, type DfeStandIn } from '../stand-in/stand-in-server';
import { pullApplications } from '../sync/pull-applications';

/**
 * A test app connected to a DfE stand-in of its own, for the sync's service tests: the stand-in listens
 * on `portBase` + this process's id mod 900 (the app's DFE_API_URL must be known before the app is
 * made, so no port 0), seeded for Northern Lights Leadership with `token`, its clock the app's; the
 * platform's cohort 2026b is capped for NPQH. Call at the top of a test file.
 */
export function useDfeTestApp(opts: { portBase: number; token: string }) {
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
  afterAll(() => dfe?.close());
  const standIn = () => dfe!;
  /** A client of the stand-in whose waits move the test's clock. */
  const client = () => createDfeClient({ baseUrl: `http://127.0.0.1:${port}`, token: opts.token, db: t.database.db, clock: t.clock, timeoutMs: 2000, sleep: async (ms) => t.clock.advance(ms) });
  /** One NPQH application for 2026b registered at DfE by a new person, pulled into the platform, with the school's approval recorded. */
  async function registeredAndPulled(over: { trainingStatus?: null } = {}) {
    t.clock.advance(1000);
    const stamp = t.clock.now().getTime();
    const person = standIn().state.addPerson({ fullName: `Dee Registered ${stamp}`, trn: null, email: `dee.${stamp}@school.test` }, t.clock.now());
    const registered = standIn().state.addApplication({ personId: person.id, leadProviderId: seeded!.provider.id, course: 'npq-headship', cohort: '2026b', ...over }, t.clock.now());
    await pullApplications({ db: t.database.db, clock: t.clock, client: client(), record: t.services.applications.recordDfeApplication });
    const [mine] = await t.database.db.select().from(applications).where(eq(applications.dfeApplicationId, registered.id));
    await t.database.db.insert(schoolApprovals).values({ applicationId: mine!.id, status: 'approved', decidedAt: t.clock.now(), comment: 'Recorded by the provider', createdAt: t.clock.now(), updatedAt: t.clock.now() });
    return { person, registered, mine: mine! };
  }
  return { t, port, standIn, seeded: () => seeded!, client, registeredAndPulled };
}
