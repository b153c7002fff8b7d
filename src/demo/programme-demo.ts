import { and, eq } from 'drizzle-orm';
import type { Services } from '../app';
import { intakes } from '../catalogue/catalogue.schema';
import type { Db } from '../db/client';
import { accountByEmail } from '../people/people.queries';
import { type Actor, system } from '../platform/auth/actor';
import { addDays, type Clock, ukDate } from '../platform/clock';
import { loadCohortDemo, recordPastSignIn } from './cohort-demo';
import { demoHandbookPdf } from './handbook-pdf';

const PARTICIPANT = 'participant@demo.npq.test';
const INTAKE = 'Autumn 2026';

/**
 * The programme demo (issue 10 item 9): an NPQH intake of the 2026a cohort that started nine weeks
 * ago at the Midlands partner's Birmingham centre, its plan dated around today, and the demo
 * participant moved into it part-way through: the first course's first two modules done and a third
 * begun, its core task sent back with feedback, the first event and two briefings attended (the second
 * with its recording), and the next event tomorrow with its pre-work due and Pat's reply that they will come;
 * Pat is in Group A — Birmingham, which the demo facilitator leads, as they lead the events. Dates are relative to `clock`, so the demo reads the same
 * whenever it is loaded. The first module holds the qualification handbook, a PDF uploaded as a course material. Does nothing when the intake exists or the demo participant has no NPQH place.
 */
export async function loadProgrammeDemo(db: Db, services: Services, clock: Clock): Promise<void> {
  const actor = system('demo');
  await services.learning.ensureProgrammes();
  const npqh = (await services.catalogue.list()).find((q) => q.identifier === 'npq-headship');
  // Looked for in the database: the catalogue lists only intakes still to start, and this one has begun.
  if (!npqh || (await db.select({ id: intakes.id }).from(intakes).where(and(eq(intakes.qualificationId, npqh.id), eq(intakes.name, INTAKE)))).length) return;
  const account = await accountByEmail(db, PARTICIPANT);
  const place = account ? (await services.applications.list(actor, { query: PARTICIPANT }, 1)).rows.find((r) => r.courseIdentifier === 'npq-headship' && r.status === 'accepted') : undefined;
  if (!account || !place) return;

  const today = ukDate(clock.now());
  const startDate = addDays(today, -63);
  const { partners, venues } = await services.catalogue.partnersAndVenues(actor);
  const partner = partners.find((p) => p.name.includes('Midlands')) ?? partners[0]!;
  const venue = venues.find((v) => v.deliveryPartnerId === partner.id);
  const intakeId = await services.catalogue.saveIntake(actor, npqh.id, null, {
    name: INTAKE,
    startDate,
    applicationDeadline: addDays(startDate, -28),
    deliveryMode: 'face_to_face',
    deliveryPartnerId: partner.id,
    venueId: venue?.id ?? null,
    timeZone: null,
    capacity: 40,
    waitingList: true,
    cohortIdentifier: '2026a',
    schedule: 'npq-leadership-spring',
  });
  await services.applications.changeParticipant(actor, place.id, 'move', { intakeId });

  // The qualification handbook, uploaded and added to the first module as a new version of the programme, which the intake then follows.
  const identifier = 'npq-headship';
  const handbook = await services.learning.uploadMaterial(actor, identifier, {
    name: 'NPQH participant handbook.pdf',
    bytes: demoHandbookPdf('NPQH participant handbook', [
      'How the NPQ runs: five events, three online courses, four briefings and coaching.',
      'Your facilitator reviews your core tasks and takes the register at each event.',
      'Your programme page shows what is next and what you have done.',
      'The final assessment: a school change project and a placement in another school.',
    ]),
  });
  const { versions } = await services.learning.programmeVersionsOf(actor, identifier);
  const newest = versions[0]!.content;
  const [material] = (await services.learning.materialsOf(actor, identifier)).filter((f) => f.material.name === handbook).map((f) => f.material);
  if (material) {
    const content = structuredClone(newest);
    content.courses[0]?.modules[0]?.activities.push({ key: 'c1m1a4', kind: 'file', title: 'Download: the qualification handbook', body: 'How the NPQ runs, what is expected of you, and how it is assessed. Read it before Event 1.', material: { id: material.id, name: material.name, type: material.type, size: material.size } });
    await services.learning.saveProgrammeVersion(actor, identifier, { content, note: 'The qualification handbook added to the first module.' });
  }

  const at = (offset: number) => addDays(today, offset);
  const session = (offset: number, start: string, end: string, where: { venueId?: string; room?: string; joinUrl?: string; recordingUrl?: string }, preWorkDueOn?: string) => ({ date: at(offset), startTime: start, endTime: end, ...where, preWorkDueOn });
  const centre = { venueId: venue?.id, room: 'Room 2' };
  const link = (key: string) => ({ joinUrl: `https://meet.example.org/npqh-autumn-2026-${key}` });
  const plan: Record<string, Parameters<Services['learning']['savePlanEntry']>[3]> = {
    e1: session(-60, '09:30', '16:00', centre, at(-62)),
    e2: session(1, '09:30', '16:00', centre, at(1)),
    e3: session(42, '09:30', '16:00', centre, at(40)),
    e4: session(98, '09:30', '16:00', centre, at(96)),
    e5: session(160, '09:30', '16:00', centre, at(158)),
    b1: session(-62, '17:00', '18:30', link('b1')),
    b2: session(-14, '17:00', '18:30', { ...link('b2'), recordingUrl: 'https://meet.example.org/recordings/npqh-autumn-2026-b2' }),
    b3: session(21, '17:00', '18:30', link('b3')),
    b4: session(150, '17:00', '18:30', link('b4')),
  };
  // Modules a fortnight apart: the first course's before today, the others after.
  const releases = [-63, -49, -35, -21, -7, 21, 49, 77, 105, 133, 161, 189];
  const version = await services.learning.intakePlan(actor, intakeId);
  // The demo facilitator leads the events and Group A, which the demo participant is in.
  const fred = version.facilitators.find((f) => f.email === 'facilitator@demo.npq.test');
  for (const key of ['e1', 'e2', 'e3', 'e4', 'e5']) plan[key] = { ...plan[key], facilitatorUserId: fred?.id };
  version.content.courses.flatMap((c) => c.modules).forEach((m, i) => {
    plan[m.key] = { releasesOn: at(releases[i] ?? 200) };
  });
  for (const [key, entry] of Object.entries(plan)) await services.learning.savePlanEntry(actor, intakeId, key, entry);

  // Pat's classmates, with the engagement their generated history gives them nine weeks in (two at risk).
  await loadCohortDemo(db, services, intakeId, startDate, 63, version.content);
  // Pat last signed in yesterday (the demo's early warning does not count them absent from the start).
  await recordPastSignIn(db, account.id, addDays(today, -1));

  const pat: Actor = { kind: 'user', userId: account.id, sessionId: 'demo', name: 'Pat Participant', email: PARTICIPANT, roles: [], fullySignedIn: true };
  for (const key of ['e1-pre-work', 'c1m1a1', 'c1m1a2', 'c1m1a4', 'c1m2a1', 'c1m2a2', 'c1m3a1']) await services.learning.markDone(pat, place.id, key, true);
  // The two modules' reflections, written: theirs alone.
  await services.learning.writeReflection(pat, place.id, 'c1m1a3', 'We change too many things at once. I will pick one priority, writing, and protect time for it for a whole year.');
  await services.learning.writeReflection(pat, place.id, 'c1m2a3', 'Our staff meetings are for notices. I will give half of each to one piece of evidence and what it means for our classrooms.');
  await services.learning.submitCoreTask(pat, place.id, 'c1m4a4', 'To improve pupils’ progress in writing, I will lead a change to how we give feedback: whole-class feedback in place of written marking, trialled in Year 5 for a term and then across the school.');
  const [attempt] = (await services.learning.coreTasksOfIntake(actor, intakeId, 'submitted')).attempts;
  if (attempt) await services.learning.reviewCoreTask(actor, attempt.attempt.id, { decision: 'needs_more_work', feedback: 'A good start. Say what evidence the change rests on, and how you will know it has worked: what will you measure, and when?' });
  for (const key of ['e1', 'b1', 'b2']) await services.learning.takeRegister(actor, intakeId, key, { marks: {}, everyonePresent: true });
  await services.learning.replyToSession(pat, place.id, 'e2', { reply: 'attending', reason: '' });
  const groupA = await services.learning.saveGroup(actor, intakeId, null, { name: 'Group A — Birmingham', facilitatorUserId: fred?.id ?? '' });
  await services.learning.assignGroups(actor, intakeId, { [place.id]: groupA });
}
