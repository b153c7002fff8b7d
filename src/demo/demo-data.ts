import { eq } from 'drizzle-orm';
import type { Db } from '../db/client';
import { deliveryPartners, intakes, programmeComponents, qualifications, venues } from '../catalogue/catalogue.schema';
import type { PeopleService } from '../people/people.service';
import type { ApplicationsService } from '../enrolment/applications.service';
import type { DiagnosticService } from '../diagnostic/diagnostic.service';
import { addDays, type Clock, ukDate } from '../platform/clock';
import type { CohortsService } from '../enrolment/cohorts.service';
import { giasCsv } from '../enrolment/gias-csv';
import type { ReferenceService } from '../enrolment/reference.service';
import { type Actor, system } from '../platform/auth/actor';
import type { Role, ScopeType } from '../people/domain/roles';
import { SEED_QUALIFICATIONS } from '../catalogue/seed-data';

export const DEMO_PASSWORD = 'demo-password-2026';
/** Every demo staff account shares this authenticator secret so a person can add it to an app once. */
export const DEMO_TOTP_SECRET = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';

export interface DemoAccount {
  email: string;
  name: string;
  role: Role;
  scope: 'provider' | 'midlands' | 'north';
}

export const DEMO_ACCOUNTS: DemoAccount[] = [
  { email: 'admin@demo.npq.test', name: 'Ada Admin', role: 'provider_admin', scope: 'provider' },
  { email: 'lead.midlands@demo.npq.test', name: 'Mina Lead', role: 'delivery_partner_lead', scope: 'midlands' },
  { email: 'lead.north@demo.npq.test', name: 'Nora Lead', role: 'delivery_partner_lead', scope: 'north' },
  { email: 'facilitator@demo.npq.test', name: 'Fred Facilitator', role: 'facilitator', scope: 'midlands' },
  { email: 'coach@demo.npq.test', name: 'Cora Coach', role: 'coach', scope: 'provider' },
  { email: 'assessor@demo.npq.test', name: 'Asa Assessor', role: 'assessor', scope: 'provider' },
  { email: 'moderator@demo.npq.test', name: 'Moe Moderator', role: 'moderator', scope: 'provider' },
  { email: 'participant@demo.npq.test', name: 'Pat Participant', role: 'participant', scope: 'provider' },
  { email: 'approver@demo.npq.test', name: 'Sam Approver', role: 'school_approver', scope: 'provider' },
  { email: 'finance@demo.npq.test', name: 'Fiona Finance', role: 'finance', scope: 'provider' },
];

/** Loads the catalogue from the seeds, two delivery partners with venues and intakes. Idempotent. */
export async function loadCatalogue(db: Db): Promise<{ midlands: string; north: string }> {
  const existing = await db.select({ id: deliveryPartners.id, name: deliveryPartners.name }).from(deliveryPartners);
  if (existing.length > 0) {
    return { midlands: existing.find((p) => p.name.includes('Midlands'))?.id ?? existing[0]!.id, north: existing.find((p) => p.name.includes('North'))?.id ?? existing[0]!.id };
  }
  return db.transaction(async (tx) => {
    const [midlands] = await tx
      .insert(deliveryPartners)
      .values({ name: 'Midlands Teaching School Hub', region: 'West Midlands', description: 'Serving and former school leaders across the Midlands.' })
      .returning();
    const [north] = await tx
      .insert(deliveryPartners)
      .values({ name: 'North East Leadership Trust', region: 'North East', description: 'A school-led partnership of trusts in the North East.' })
      .returning();
    const [birmingham] = await tx
      .insert(venues)
      .values({ deliveryPartnerId: midlands!.id, name: 'Birmingham Regional Training Centre', addressLine: '1 Colmore Row', town: 'Birmingham', postcode: 'B3 2BJ', capacity: 60 })
      .returning();
    const [newcastle] = await tx
      .insert(venues)
      .values({ deliveryPartnerId: north!.id, name: 'Newcastle Regional Training Centre', addressLine: '10 Grey Street', town: 'Newcastle upon Tyne', postcode: 'NE1 6AE', capacity: 40 })
      .returning();
    let position = 0;
    for (const { components, ...q } of SEED_QUALIFICATIONS) {
      const [row] = await tx.insert(qualifications).values({ ...q, position: position++ }).returning();
      if (components?.length) {
        await tx.insert(programmeComponents).values(
          components.map((c, i) => ({
            qualificationId: row!.id,
            position: i + 1,
            kind: c.kind,
            title: c.title,
            description: c.description,
            guidedLearningMinutes: Math.round(c.guidedLearningHours * 60),
            items: c.items ?? [],
          })),
        );
      }
      if (q.kind === 'coaching') continue;
      const family = q.kind === 'leadership' ? 'leadership' : 'specialist';
      const spring = { cohortIdentifier: '2026a', schedule: `npq-${family}-spring` };
      await tx.insert(intakes).values([
        { qualificationId: row!.id, name: 'January 2027', startDate: '2027-01-18', applicationDeadline: '2026-12-11', deliveryMode: 'face_to_face', deliveryPartnerId: midlands!.id, venueId: birmingham!.id, capacity: 40, ...spring },
        { qualificationId: row!.id, name: 'January 2027 (distance)', startDate: '2027-01-25', applicationDeadline: '2026-12-18', deliveryMode: 'distance', deliveryPartnerId: north!.id, timeZone: 'Europe/London', capacity: 60, ...spring },
        { qualificationId: row!.id, name: 'September 2027', startDate: '2027-09-20', applicationDeadline: '2027-07-16', deliveryMode: 'face_to_face', deliveryPartnerId: north!.id, venueId: newcastle!.id, capacity: 40, cohortIdentifier: '2027a', schedule: `npq-${family}-autumn` },
      ]);
    }
    return { midlands: midlands!.id, north: north!.id };
  });
}

/** Demo schools (fictional, with GIAS-shaped data) and the yearly lists, so the funding checker has answers. */
export const DEMO_SCHOOLS = [
  { urn: 140001, name: 'Oakfield Primary School', typeCode: 1, town: 'Birmingham', postcode: 'B12 9QA', ukprn: '10040001' },
  { urn: 140002, name: 'Riverside Academy', typeCode: 28, town: 'Leeds', postcode: 'LS9 8AB', ukprn: '10040002' },
  { urn: 140003, name: 'Hillside Sixth Form College', typeCode: 18, town: 'Derby', postcode: 'DE1 2AB', ukprn: '10040003' },
  { urn: 140004, name: 'Greenway Independent School', typeCode: 11, town: 'Bristol', postcode: 'BS8 1AA', ukprn: '10040004' },
  { urn: 140005, name: 'St Mary Church of England Primary', typeCode: 3, town: 'Norwich', postcode: 'NR2 4AB', ukprn: '10040005' },
  { urn: 140006, name: 'Tyneside Nursery School', typeCode: 15, town: 'Newcastle upon Tyne', postcode: 'NE4 5AB', ukprn: '10040006' },
  { urn: 140007, name: 'Moorland Free School', typeCode: 35, town: 'Carlisle', postcode: 'CA1 1AB', ukprn: '10040007' },
  { urn: 140008, name: 'Harbour View Academy', typeCode: 34, town: 'Plymouth', postcode: 'PL1 2AB', ukprn: '10040008' },
];
export const DEMO_LISTS = {
  'pp50-schools': ['140002', '140008'],
  'pp50-further-education': ['10040003'],
  'rise-schools': ['140007'],
  childminders: ['600001'],
  'approved-itt-providers': ['Northern Lights Teacher Training'],
} as const;

/** NPQH's gateway (seed 001): readiness for headship, scored by a reviewer before a place is offered. */
export const DEMO_NPQH_GATEWAY = {
  questions: [
    { id: 'q1', prompt: 'Why is now the right time for you to prepare for headship?', hint: 'Say what you have done to get ready, and what you want from the course.', wordLimit: 400 },
    { id: 'q2', prompt: 'Describe a change you led across your school, and its effect on pupils.', hint: 'What you did, who you brought with you, and how you know it worked.', wordLimit: 600 },
    { id: 'q3', prompt: 'Supporting statement from you about the school where you would do your placement', hint: 'Optional at this stage: a sentence is enough.', wordLimit: 300 },
  ],
  criteria: [
    { id: 'c1', name: 'Readiness for headship', maxScore: 4 },
    { id: 'c2', name: 'Evidence of leading change beyond their own team', maxScore: 4 },
    { id: 'c3', name: 'Impact on pupils', maxScore: 4 },
  ],
  passMark: 7,
};

export async function loadEnrolmentDemo(services: { cohorts: CohortsService; reference: ReferenceService; applications?: ApplicationsService }): Promise<void> {
  const actor = system('demo');
  if (services.applications && !(await services.applications.gatewayConfig('npq-headship'))) await services.applications.saveGatewayConfig(actor, 'npq-headship', DEMO_NPQH_GATEWAY);
  if (!(await services.cohorts.byIdentifier('2026a'))) {
    await services.cohorts.create(actor, { startYear: 2025, suffix: 'a', funding: 'capped', fundedPlaceLimits: { 'npq-headship': 40, 'npq-senior-leadership': 60, 'npq-leading-teaching': 30 } });
    await services.cohorts.create(actor, { startYear: 2026, suffix: 'a', funding: 'full', fundedPlaceLimits: {} });
    await services.cohorts.create(actor, { startYear: 2027, suffix: 'a', funding: 'none', fundedPlaceLimits: {} });
  }
  if (!(await services.reference.school(140001))) {
    const { run } = await services.reference.beginSchoolImport(actor, 'demo schools', Buffer.from(giasCsv(DEMO_SCHOOLS)));
    await run();
    for (const [list, values] of Object.entries(DEMO_LISTS)) {
      const header = list === 'approved-itt-providers' ? 'Legal name' : list === 'pp50-further-education' ? 'UKPRN' : 'URN';
      await services.reference.replaceList(actor, list as keyof typeof DEMO_LISTS, `demo ${list}`, Buffer.from(`${header}\n${values.join('\n')}\n`));
    }
  }
}

/**
 * A few applications at different stages, so the inbox has something to decide: one waiting for its
 * school, one ready to accept, and the demo participant's own, accepted. Creating again finds them.
 */
export async function loadDemoApplications(applications: ApplicationsService) {
  const actor = system('demo');
  const intakeOf = async (course: string) => (await applications.openIntakes(course))[0];
  const base = { works_in_england: true, work_setting: 'a_school' as const, line_manager_name: 'Sam Approver', line_manager_email: 'approver@demo.npq.test', funding_choice: 'school' as const };
  const people = [
    { full_name: 'Priya Shah', email: 'priya.shah@demo-school.test', teacher_reference_number: '4100001', course_identifier: 'npq-senior-leadership', school_urn: '140001', employment_role: 'Head of English', school_approved: false },
    { full_name: 'Owen Price', email: 'owen.price@demo-school.test', teacher_reference_number: '4100002', course_identifier: 'npq-senco', school_urn: '140005', employment_role: 'SENCO', school_approved: true },
    { full_name: 'Pat Participant', email: 'participant@demo.npq.test', teacher_reference_number: '4100003', course_identifier: 'npq-headship', school_urn: '140002', employment_role: 'Deputy headteacher', school_approved: true },
  ];
  for (const person of people) {
    const intake = await intakeOf(person.course_identifier);
    if (!intake) continue;
    const { application } = await applications.create(actor, { ...base, ...person, intake_id: intake.id });
    if (person.email !== 'participant@demo.npq.test' || application.status !== 'pending') continue;
    // NPQH begins with its gateway (seed 001): Pat answers it, the provider passes it, then accepts.
    if (application.userId && (await applications.gatewayConfig('npq-headship'))) {
      const pat: Actor = { kind: 'user', userId: application.userId, sessionId: 'demo', name: person.full_name, email: person.email, roles: [], fullySignedIn: true };
      await applications.saveGatewayAnswers(pat, application.id, { q1: 'I have led my school’s curriculum review as deputy for two years and want to lead a school of my own.', q2: 'I led a change to how we teach reading across the school; reading ages rose by a year on average.', q3: 'A contrasting school in Walsall, with a larger share of pupils new to English.' }, true);
      await applications.reviewGateway(actor, application.id, { scores: { c1: '3', c2: '3', c3: '3' }, result: 'passed', feedback: 'Ready for headship: strong evidence of leading change across the school.' });
    }
    await applications.accept(actor, application.id, {});
  }
}

/**
 * The catalogue and one account of every role (DEMO_ACCOUNTS), on a database with no users yet; returns
 * whether it created them. `password` is DEMO_PASSWORD unless given (the benchmark, which runs as
 * production, gives its own: production deactivates accounts with the published one).
 */
export async function loadDemo(db: Db, people: PeopleService, password = DEMO_PASSWORD): Promise<boolean> {
  const partners = await loadCatalogue(db);
  if ((await people.countUsers()) > 0) return false;
  for (const account of DEMO_ACCOUNTS) {
    const scopeType: ScopeType = account.scope === 'provider' ? 'provider' : 'delivery_partner';
    const scopeId = account.scope === 'provider' ? null : partners[account.scope];
    const staff = !['participant', 'school_approver'].includes(account.role);
    await people.createUserDirectly({
      name: account.name,
      email: account.email,
      password,
      roles: [{ role: account.role, scopeType, scopeId }],
      ...(staff ? { totpSecret: DEMO_TOTP_SECRET } : {}),
    });
  }
  return true;
}

export async function hasCatalogue(db: Db): Promise<boolean> {
  const rows = await db.select({ id: qualifications.id }).from(qualifications).where(eq(qualifications.identifier, 'npq-headship')).limit(1);
  return rows.length > 0;
}

/** The 2026a cohort's start round, open for three weeks from today, so the demo participant can begin. */
export async function loadDiagnosticDemo(diagnostic: DiagnosticService, clock: Clock) {
  const actor = system('demo');
  if ((await diagnostic.windows(actor)).length) return;
  const opensOn = ukDate(clock.now());
  await diagnostic.setWindow(actor, { cohort: '2026a', kind: 'start', opensOn, closesOn: addDays(opensOn, 21) });
}
