import { and, eq } from 'drizzle-orm';
import type { Services } from '../app';
import { intakes } from '../catalogue/catalogue.schema';
import type { Db } from '../db/client';
import { saveContract } from '../dfe/finance/finance.service';
import { DEMO_FUNDED_AT_DFE } from '../dfe/stand-in/demo-registrations';
import { schoolApprovals } from '../enrolment/enrolment.schema';
import { system } from '../platform/auth/actor';
import type { Clock } from '../platform/clock';

const INTAKE = 'Spring 2025';

/**
 * Declarations in the demo (issue 13 item 3): an NPQLT intake of DfE's cohort 2025a (specialist spring schedule)
 * that began in March 2025, with its first sessions held, and the three teachers DfE's stand-in holds as
 * registered for it (DEMO_FUNDED_AT_DFE) taken in from DfE as the pull would, approved by their school
 * and accepted with funded places — DfE is told by the sync once it runs — and marked at the sessions
 * they came to. The declarations page then shows started and retained declarations due from the
 * registers; and the provider's contract for cohort 2025a, which the finance pages price by. Does
 * nothing when the intake exists.
 */
export async function loadDfeDemo(db: Db, services: Services, clock: Clock): Promise<void> {
  const actor = system('demo');
  await services.learning.ensureProgrammes();
  const npqlt = (await services.catalogue.list()).find((q) => q.identifier === 'npq-leading-teaching');
  if (!npqlt || (await db.select({ id: intakes.id }).from(intakes).where(and(eq(intakes.qualificationId, npqlt.id), eq(intakes.name, INTAKE)))).length) return;
  const { partners } = await services.catalogue.partnersAndVenues(actor);
  const partner = partners.find((p) => p.name.includes('Midlands')) ?? partners[0]!;
  const intakeId = await services.catalogue.saveIntake(actor, npqlt.id, null, {
    name: INTAKE,
    startDate: '2025-03-03',
    applicationDeadline: '2025-02-14',
    deliveryMode: 'distance',
    deliveryPartnerId: partner.id,
    venueId: null,
    timeZone: 'Europe/London',
    capacity: 40,
    waitingList: false,
    cohortIdentifier: '2025a',
    schedule: 'npq-specialist-spring',
  });
  const online = (key: string) => ({ joinUrl: `https://meet.example.org/npqlt-spring-2025-${key}` });
  const sessions: Record<string, Parameters<Services['learning']['savePlanEntry']>[3]> = {
    b1: { date: '2025-03-04', startTime: '17:00', endTime: '18:30', ...online('b1') },
    e1: { date: '2025-03-10', startTime: '09:30', endTime: '16:00', ...online('e1') },
    e2: { date: '2025-06-09', startTime: '09:30', endTime: '16:00', ...online('e2') },
  };
  for (const [key, entry] of Object.entries(sessions)) await services.learning.savePlanEntry(actor, intakeId, key, entry);

  const enrolments: Record<string, string> = {};
  for (const p of DEMO_FUNDED_AT_DFE) {
    const recorded = await services.applications.recordDfeApplication({
      dfeApplicationId: p.dfeApplicationId,
      dfeParticipantId: p.dfeParticipantId,
      fullName: p.fullName,
      email: p.email,
      trn: p.trn,
      courseIdentifier: 'npq-leading-teaching',
      cohort: '2025a',
      schoolUrn: '140002',
      employerName: null,
      employmentRole: 'Assistant headteacher',
      fundingChoice: null,
      eligibleForFunding: true,
      status: 'pending',
      updatedAt: clock.now(),
    });
    if (recorded.kind === 'skipped') continue;
    await db.insert(schoolApprovals).values({ applicationId: recorded.applicationId, status: 'approved', decidedAt: clock.now(), comment: 'Recorded by the provider', createdAt: clock.now(), updatedAt: clock.now() }).onConflictDoNothing();
    await services.applications.accept(actor, recorded.applicationId, { fundedPlace: true, intakeId });
    enrolments[p.fullName] = recorded.applicationId;
  }
  // The provider's contract for the cohort's NPQs, so the finance pages price what DfE holds (illustrative figures).
  for (const [courseIdentifier, perParticipant, recruitmentTarget] of [
    ['npq-leading-teaching', '1200.00', 60],
    ['npq-senior-leadership', '2100.00', 80],
    ['npq-headship', '3800.00', 50],
  ] as const) {
    await saveContract({ db, clock }, actor, { cohort: '2025a', courseIdentifier, perParticipant, recruitmentTarget: String(recruitmentTarget), outputPaymentPercent: '60', serviceFeePercent: '40', serviceFeeInstalments: '18' }, ['2025a']);
  }
  for (const key of Object.keys(sessions)) {
    const marks = Object.fromEntries(DEMO_FUNDED_AT_DFE.filter((p) => enrolments[p.fullName] && (p.attended as readonly string[]).includes(key)).map((p) => [enrolments[p.fullName]!, { status: 'present', reason: '' }]));
    if (Object.keys(marks).length) await services.learning.takeRegister(actor, intakeId, key, { marks });
  }
}
