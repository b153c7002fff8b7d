import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { coachAllocations } from '../../coaching/coaching.schema';
import { factoriesFor, type Person, setUp } from '../../testing/factories';
import { dateFields } from '../../testing/plan-form';
import { Client, FROZEN_NOW, useTestApp } from '../../testing/test-app';
import { scriptAllocations, scriptMarkings, submissions } from '../assessment.schema';
import { aWordAccount, headshipPlaces } from './assessment-web.testkit';

/**
 * Issue 12 item 4, through the pages: the admin allocates sent accounts by hand (refused to an
 * assessor of the participant's own delivery partner, or who coached them) and evenly (never to one
 * with a conflict); the assessor sees candidate numbers only — no name, school or partner, the file
 * named by its number — marks against the scheme's criteria and descriptors, saves a draft, is told
 * what is missing, and submits, after which the marks are fixed. Another assessor, a participant, a
 * partner's lead, the admin and an anonymous visitor are refused every script and mark.
 */
const t = useTestApp();
const f = factoriesFor(t);

let partnerId: string;
let partnerName: string;
let intakeId: string;
const places: { person: Person; eid: string }[] = [];
let admin: Client;
let ownPartner: Person;
let coach: Person;
let free: Person;
let ip = 0;
const nextIp = () => `10.122.0.${++ip}`;
const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
const submit = (eid: string) => `/programme/${eid}/assessment/submit/task-1`;
const allocationOf = async (eid: string) => {
  const [row] = await t.database.db.select({ a: scriptAllocations, s: submissions }).from(scriptAllocations).innerJoin(submissions, eq(submissions.id, scriptAllocations.submissionId)).where(eq(submissions.enrolmentId, eid));
  return row;
};
const submissionOf = async (eid: string) => (await t.database.db.select().from(submissions).where(eq(submissions.enrolmentId, eid)))[0]!;
const fullMarks = (mark: number, overall = 'A clear account.') => ({ ...Object.fromEntries(['design', 'implementation', 'evaluation', 'reflection'].flatMap((k) => [[`mark-${k}`, String(mark)], [`comment-${k}`, `Comment on ${k}.`]])), overall });

beforeAll(async () => {
  const account = aWordAccount();
  const made = await headshipPlaces(t, f, 3);
  partnerId = made.partner.id;
  partnerName = made.partner.name;
  intakeId = made.intakeId;
  places.push(...made.places);
  admin = await (await f.aStaffMember({ role: 'provider_admin' })).signIn('10.122.1.1');
  await admin.post(`/assessment/intakes/${intakeId}/task-1`, { ...dateFields('opensOn', '2026-11-01'), ...dateFields('dueOn', '2026-11-30') });
  for (const place of places) {
    const me = await place.person.signIn(nextIp());
    // The file's name is the participant's: the assessor never sees it.
    await me.upload(submit(place.eid), {}, { name: `${place.person.name} Task 1.docx`, content: account });
    await me.post(`${submit(place.eid)}/confirm`, { draft: (await submissionOf(place.eid)).id });
  }
  ownPartner = await f.aStaffMember({ role: 'assessor', name: 'Owen Partner' });
  await t.services.people.assignRole(setUp, ownPartner.userId, { role: 'facilitator', scopeType: 'delivery_partner', scopeId: partnerId });
  coach = await f.aStaffMember({ role: 'assessor', name: 'Cora Coach' });
  await t.database.db.insert(coachAllocations).values({ enrolmentId: places[0]!.eid, kind: 'coach', coachUserId: coach.userId, allocatedAt: new Date('2026-09-10T09:00:00Z'), endedAt: new Date('2026-10-01T09:00:00Z') });
  free = await f.aStaffMember({ role: 'assessor', name: 'Fay Free' });
}, 180_000);

describe('allocating scripts', () => {
  it('lists every account sent, not allocated first, and refuses an assessor with a conflict by hand', async () => {
    const page = await admin.get('/assessment/allocation');
    expect(page.statusCode).toBe(200);
    expect(text(page.body)).toContain('3 scripts not allocated');
    for (const place of places) expect(page.body).toContain(place.person.name);
    const sid = (await submissionOf(places[0]!.eid)).id;
    const own = await admin.post(`/assessment/allocation/${sid}`, { assessor: ownPartner.userId, back: '/assessment/allocation' });
    expect(own.statusCode).toBe(422);
    expect(text(own.body)).toContain('Owen Partner works for the delivery partner that trained this participant: choose another assessor');
    expect(own.body).toContain(`href="#assessor-${sid}"`);
    const coached = await admin.post(`/assessment/allocation/${sid}`, { assessor: coach.userId, back: '/assessment/allocation' });
    expect(text(coached.body)).toContain('Cora Coach taught or coached this participant');
    const given = await admin.post(`/assessment/allocation/${sid}`, { assessor: free.userId, back: '/assessment/allocation?show=unallocated' });
    expect(given.statusCode).toBe(303);
    expect(given.headers.location).toBe('/assessment/allocation?show=unallocated');
    const allocation = await allocationOf(places[0]!.eid);
    expect(allocation!.a.assessorUserId).toBe(free.userId);
    expect(text((await admin.get(given.headers.location as string)).body)).toContain(`Script ${allocation!.a.candidateNumber} is allocated to Fay Free.`);
    // Back only to this list: anywhere else is not followed.
    const elsewhere = await admin.post(`/assessment/allocation/${sid}`, { assessor: free.userId, back: 'https://evil.test/' });
    expect(elsewhere.headers.location).toBe('/assessment/allocation');
  });

  it('allocates the rest evenly, never to an assessor with a conflict', async () => {
    const done = await admin.post('/assessment/allocation/evenly', {});
    expect(done.statusCode).toBe(303);
    expect(text((await admin.get(done.headers.location as string)).body)).toContain('2 scripts allocated evenly.');
    for (const place of places) {
      const a = await allocationOf(place.eid);
      expect(a!.a.assessorUserId).not.toBe(ownPartner.userId);
      if (place === places[0]) expect(a!.a.assessorUserId).toBe(free.userId);
    }
    const again = await admin.post('/assessment/allocation/evenly', {});
    expect(text((await admin.get(again.headers.location as string)).body)).toContain('Every script is allocated already.');
    const csv = await admin.get('/assessment/allocation.csv');
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.body.split('\n')[0]).toContain('candidate_number');
    expect(csv.body).toContain((await allocationOf(places[1]!.eid))!.a.candidateNumber);
  });
});

describe('marking blind', () => {
  it('shows the assessor candidate numbers only: no name, school, partner or file name', async () => {
    const me = await free.signIn(nextIp());
    const cn = (await allocationOf(places[0]!.eid))!.a.candidateNumber;
    const list = await me.get('/marking');
    expect(list.statusCode).toBe(200);
    expect(list.body).toContain(cn);
    const page = await me.get(`/marking/${cn}`);
    expect(page.statusCode).toBe(200);
    expect(text(page.body)).toContain('Designing the change');
    expect(text(page.body)).toContain('Not evidenced');
    // The script's text, to read beside the marks: as read from the file.
    expect(text(page.body)).toContain('We changed how reading is taught in every class');
    for (const body of [list.body, page.body]) {
      for (const place of places) expect(body).not.toContain(place.person.name);
      expect(body).not.toContain(partnerName);
      expect(body).not.toContain(places[0]!.eid);
    }
    const file = await me.get(`/marking/${cn}/script`);
    expect(file.statusCode).toBe(200);
    expect(file.headers['content-disposition']).toContain(`${cn}.docx`);
    expect(file.headers['content-disposition']).not.toContain(places[0]!.person.name.split(' ')[0]!);
  });

  it('saves a draft, keeps what was typed when a mark is out of range, and says what is missing to submit', async () => {
    const me = await free.signIn(nextIp());
    const cn = (await allocationOf(places[0]!.eid))!.a.candidateNumber;
    const draft = await me.post(`/marking/${cn}`, { action: 'save', 'mark-design': '7', 'comment-design': 'A sharp diagnosis.' });
    expect(draft.statusCode).toBe(303);
    const back = text((await me.get(draft.headers.location as string)).body);
    expect(back).toContain(`Your draft marks for ${cn} are saved.`);
    expect(back).toContain('A sharp diagnosis.');
    expect(back).toContain('Draft: 7 of 40 so far');
    const wrong = await me.post(`/marking/${cn}`, { action: 'save', 'mark-design': '11', 'comment-design': 'Typed and kept.' });
    expect(wrong.statusCode).toBe(422);
    expect(text(wrong.body)).toContain('The mark for “Designing the change” must be a whole number from 0 to 10');
    expect(wrong.body).toContain('Typed and kept.');
    const short = await me.post(`/marking/${cn}`, { action: 'submit', 'mark-design': '7', 'comment-design': 'A sharp diagnosis.' });
    expect(short.statusCode).toBe(422);
    expect(text(short.body)).toContain('Enter a mark for “Leading the change”, from 0 to 10');
    expect(text(short.body)).toContain('Enter an overall comment');
    const [kept] = await t.database.db.select().from(scriptMarkings).where(eq(scriptMarkings.submissionId, (await submissionOf(places[0]!.eid)).id));
    expect(kept).toMatchObject({ status: 'draft', total: 7, result: null });
  });

  it('submits the marks, gives the scheme’s result, and fixes them', async () => {
    const me = await free.signIn(nextIp());
    const cn = (await allocationOf(places[0]!.eid))!.a.candidateNumber;
    const done = await me.post(`/marking/${cn}`, { action: 'submit', ...fullMarks(6) });
    expect(done.statusCode).toBe(303);
    expect(text((await me.get(done.headers.location as string)).body)).toContain(`Your marks for ${cn} are submitted: a pass, 24 marks.`);
    const page = text((await me.get(`/marking/${cn}`)).body);
    expect(page).toContain('Your marks, submitted');
    expect(page).toContain('Submitted: pass (24 of 40)');
    const again = await me.post(`/marking/${cn}`, { action: 'save', ...fullMarks(1) });
    expect(text((await me.get(again.headers.location as string)).body)).toContain('You have submitted your marks for this script: they cannot be changed.');
    const [row] = await t.database.db.select().from(scriptMarkings).where(eq(scriptMarkings.submissionId, (await submissionOf(places[0]!.eid)).id));
    expect(row).toMatchObject({ status: 'submitted', total: 24, result: 'pass' });
    // Marked: it can no longer go to another assessor.
    const moved = await admin.post(`/assessment/allocation/${row!.submissionId}`, { assessor: coach.userId, back: '/assessment/allocation' });
    expect(text((await admin.get(moved.headers.location as string)).body)).toContain('This script is marked already');
  });

  it('moves a script not yet marked to another assessor, letting the first one’s draft go', async () => {
    const a = (await allocationOf(places[1]!.eid))!;
    const first = [ownPartner, coach, free].find((p) => p.userId === a.a.assessorUserId);
    if (first) {
      const me = await first.signIn(nextIp());
      await me.post(`/marking/${a.a.candidateNumber}`, { action: 'save', 'mark-design': '3' });
    } else await t.database.db.insert(scriptMarkings).values({ submissionId: a.s.id, round: 'first', markerUserId: a.a.assessorUserId, schemeVersion: '2017', marks: {}, total: 3 });
    const to = [coach, free].find((p) => p.userId !== a.a.assessorUserId)!;
    const moved = await admin.post(`/assessment/allocation/${a.s.id}`, { assessor: to.userId, back: '/assessment/allocation' });
    expect(text((await admin.get(moved.headers.location as string)).body)).toContain(`Script ${a.a.candidateNumber} is allocated to ${to.name}. The draft marks of its previous assessor are let go.`);
    expect(await t.database.db.select().from(scriptMarkings).where(eq(scriptMarkings.submissionId, a.s.id))).toEqual([]);
    expect((await allocationOf(places[1]!.eid))!.a.candidateNumber).toBe(a.a.candidateNumber);
  });

  it('refuses every script and mark to another assessor, a participant, a partner’s lead, the admin and an anonymous visitor', async () => {
    const a = (await allocationOf(places[0]!.eid))!;
    const cn = a.a.candidateNumber;
    const other = await coach.signIn(nextIp());
    expect((await other.get(`/marking/${cn}`)).statusCode).toBe(404);
    expect((await other.get(`/marking/${cn}/script`)).statusCode).toBe(404);
    // Posted to, it is refused as a script no longer theirs: back to their own list, nothing written.
    const posted = await other.post(`/marking/${cn}`, { action: 'save', 'mark-design': '1' });
    expect(posted.headers.location).toBe('/marking');
    expect((await other.get('/marking')).body).not.toContain(cn);
    const lead = await (await f.aStaffMember({ role: 'delivery_partner_lead', scope: { scopeType: 'delivery_partner', scopeId: partnerId } })).signIn(nextIp());
    for (const who of [await places[0]!.person.signIn(nextIp()), await places[2]!.person.signIn(nextIp()), lead, admin]) {
      for (const url of ['/marking', `/marking/${cn}`, `/marking/${cn}/script`]) expect((await who.get(url)).statusCode).toBe(403);
      expect((await who.post(`/marking/${cn}`, { action: 'save', 'mark-design': '1' })).statusCode).toBe(403);
    }
    for (const who of [await places[0]!.person.signIn(nextIp()), lead, await free.signIn(nextIp())]) {
      expect((await who.get('/assessment/allocation')).statusCode).toBe(403);
      expect((await who.post(`/assessment/allocation/${a.s.id}`, { assessor: free.userId })).statusCode).toBe(403);
      expect((await who.post('/assessment/allocation/evenly', {})).statusCode).toBe(403);
    }
    const anonymous = new Client(t);
    for (const url of ['/marking', `/marking/${cn}`, `/marking/${cn}/script`, '/assessment/allocation']) expect((await anonymous.get(url)).statusCode).toBe(303);
    expect((await free.signIn(nextIp()).then((c) => c.get('/marking/C-0000000'))).statusCode).toBe(404);
    // The marks are as the assessor submitted them.
    const [row] = await t.database.db.select().from(scriptMarkings).where(eq(scriptMarkings.submissionId, a.s.id));
    expect(row!.total).toBe(24);
  });
});

describe('what the break-it review found', () => {
  // Applications are taken before the intake's deadline in July; the clock then goes on from where it was, never back (two-factor codes are single-use).
  const inJuly = async <T>(fn: () => Promise<T>): Promise<T> => {
    const resume = t.clock.now().getTime();
    t.clock.set('2026-07-20T10:00:00Z');
    try {
      return await fn();
    } finally {
      t.clock.set(new Date(resume + 60_000).toISOString());
    }
  };
  const copyOf = async (eid: string) => {
    const base = await submissionOf(places[2]!.eid);
    const [row] = await t.database.db
      .insert(submissions)
      .values({ ...base, id: undefined as unknown as string, enrolmentId: eid, status: 'submitted', submittedAt: new Date(FROZEN_NOW) })
      .returning();
    return row!;
  };

  it('refuses to withdraw an account once it is with an assessor, and says so', async () => {
    const me = await places[2]!.person.signIn(nextIp());
    expect(text((await me.get(submit(places[2]!.eid))).body)).toContain('It is with an assessor, so it can no longer be withdrawn.');
    const refused = await me.post(`${submit(places[2]!.eid)}/withdraw`, {});
    expect(text((await me.get(refused.headers.location as string)).body)).toContain('Your account is with an assessor already, so it can no longer be withdrawn.');
    expect((await submissionOf(places[2]!.eid)).status).toBe('submitted');
  });

  it('never offers a provider admin as an assessor, nor gives a participant who also assesses their own script', async () => {
    const adminAssessor = await f.aStaffMember({ role: 'provider_admin', name: 'Ada Both' });
    await t.services.people.assignRole(setUp, adminAssessor.userId, { role: 'assessor', scopeType: 'provider', scopeId: null });
    const writer = await inJuly(() => f.anAcceptedApplication({ course: 'npq-headship', intakeId }));
    await t.services.people.assignRole(setUp, writer.participant.userId, { role: 'assessor', scopeType: 'provider', scopeId: null });
    const own = await copyOf(writer.application.id);
    const page = await admin.get('/assessment/allocation');
    expect(page.body).not.toContain(`value="${adminAssessor.userId}"`);
    expect((await admin.post(`/assessment/allocation/${own.id}`, { assessor: adminAssessor.userId })).statusCode).toBe(422);
    const mine = await admin.post(`/assessment/allocation/${own.id}`, { assessor: writer.participant.userId });
    expect(text(mine.body)).toContain(`${writer.participant.name} wrote this script: choose another assessor`);
    // Allocating evenly never gives it to them either.
    await admin.post('/assessment/allocation/evenly', {});
    const [a] = await t.database.db.select().from(scriptAllocations).where(eq(scriptAllocations.submissionId, own.id));
    expect(a!.assessorUserId).not.toBe(writer.participant.userId);
    expect(a!.assessorUserId).not.toBe(adminAssessor.userId);
  });

  it('counts the facilitators and partner of an intake a participant moved from as having taught them', async () => {
    const partners = (await t.services.catalogue.partnersAndVenues(setUp)).partners;
    const other = partners.find((x) => x.id !== partnerId)!;
    const { intakeB, mover } = await inJuly(async () => ({ intakeB: (await f.anIntake({ course: 'npq-headship', startDate: '2026-09-07', applicationDeadline: '2026-08-01', deliveryPartnerId: other.id, name: 'Moved to' })).id, mover: await f.anAcceptedApplication({ course: 'npq-headship', intakeId }) }));
    await t.services.applications.changeParticipant(setUp, mover.application.id, 'move', { intakeId: intakeB });
    const script = await copyOf(mover.application.id);
    // Owen works for the partner of the intake the participant moved from.
    const refused = await admin.post(`/assessment/allocation/${script.id}`, { assessor: ownPartner.userId });
    expect(refused.statusCode).toBe(422);
    expect(text(refused.body)).toContain('Owen Partner works for the delivery partner that trained this participant');
  });

  it('tells an assessor whose script moved away that it is no longer theirs, and never hands their draft to the next', async () => {
    const a = (await allocationOf(places[2]!.eid))!;
    const holder = [ownPartner, coach, free].find((x) => x.userId === a.a.assessorUserId);
    const next = [coach, free].find((x) => x.userId !== a.a.assessorUserId && x !== holder)!;
    const me = holder ? await holder.signIn(nextIp()) : undefined;
    await admin.post(`/assessment/allocation/${a.s.id}`, { assessor: next.userId });
    if (me) {
      const late = await me.post(`/marking/${a.a.candidateNumber}`, { action: 'save', 'mark-design': '5' });
      expect(late.headers.location).toBe('/marking');
      expect(text((await me.get('/marking')).body)).toContain('That script is no longer yours to mark');
    }
    expect(await t.database.db.select().from(scriptMarkings).where(eq(scriptMarkings.submissionId, a.s.id))).toEqual([]);
  });

  it('a move and a submit at once: never both, and submitted marks are never lost', async () => {
    for (let i = 0; i < 4; i++) {
      const someone = await inJuly(() => f.anAcceptedApplication({ course: 'npq-headship', intakeId }));
      const script = await copyOf(someone.application.id);
      await admin.post(`/assessment/allocation/${script.id}`, { assessor: free.userId });
      const [alloc] = await t.database.db.select().from(scriptAllocations).where(eq(scriptAllocations.submissionId, script.id));
      const results = await Promise.allSettled([t.services.assessment.saveMarking(free.actor, alloc!.candidateNumber, fullMarks(6), true), t.services.assessment.allocateScript(setUp, script.id, { assessor: coach.userId })]);
      const [after] = await t.database.db.select().from(scriptAllocations).where(eq(scriptAllocations.submissionId, script.id));
      const marks = await t.database.db.select().from(scriptMarkings).where(eq(scriptMarkings.submissionId, script.id));
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      if (after!.assessorUserId === free.userId) expect(marks.map((m) => m.status)).toEqual(['submitted']);
      else expect(marks).toEqual([]);
    }
  });
});
