import { and, eq } from 'drizzle-orm';
import * as ical from 'node-ical';
import { beforeAll, describe, expect, it } from 'vitest';
import { auditEvents } from '../../audit/audit.schema';
import { type Factories, factoriesFor, type Person, setUp } from '../../testing/factories';
import { expectMatchesDocument } from '../../testing/openapi-check';
import { dateFields } from '../../testing/plan-form';
import { useMailHarness } from '../../testing/smtp';
import { type Client, useTestApp } from '../../testing/test-app';
import { coachingBookings, coachingSlots } from '../coaching.schema';

/**
 * Issue 11 item 1, through the pages: a coach publishes free times in their own zone; a participant
 * in Tokyo books one in theirs, moves it and cancels; the coach records it held with notes and agreed
 * actions; the participant sees the actions and their hours; a new coach sees what was agreed, never
 * the old coach's notes; each role is refused what is not theirs; two people booking the last time at
 * once: one gets it, the other is told. Mail goes over SMTP with calendar entries.
 */
const t = useTestApp();
const f: Factories = factoriesFor(t);
const mail = useMailHarness(t);

let partnerA: string;
let partnerB: string;
let coach: Person;
let coach2: Person;
let otherCoach: Person;
let lead: Client;
let leadPerson: Person;
let heldSession: string;
let ann: { person: Person; enrolmentId: string };
let ben: { person: Person; enrolmentId: string };
let cat: { person: Person; enrolmentId: string };
let ip = 0;
const nextIp = () => `10.111.0.${++ip}`;
/** Sends a form and, on success, reads the page it leads to (post/redirect/get), as a browser would. */
const send = async (c: Client, url: string, form: Record<string, string> = {}) => {
  const res = await c.post(url, form);
  return res.statusCode === 303 && res.headers.location ? c.get(String(res.headers.location)) : res;
};
const slotForm = (over: Record<string, string> = {}) => ({ ...dateFields('date', '2026-12-01'), time: '16:00', minutes: '60', weeks: '3', mode: 'online', joinUrl: 'https://meet.example/coach', location: '', ...over });
const slotsOf = async (userId: string) => (await t.database.db.select().from(coachingSlots).where(eq(coachingSlots.coachUserId, userId))).sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime());

beforeAll(async () => {
  const { partners } = await t.services.catalogue.partnersAndVenues(setUp);
  partnerA = partners[0]!.id;
  partnerB = partners[1]!.id;
  const intakeA = (await f.anIntake({ course: 'npq-headship', deliveryPartnerId: partnerA })).id;
  const intakeB = (await f.anIntake({ course: 'npq-headship', deliveryPartnerId: partnerB })).id;
  const place = async (intakeId: string, timeZone?: string) => {
    const a = await f.anAcceptedApplication({ course: 'npq-headship', intakeId, ...(timeZone ? { timeZone } : {}) });
    return { person: a.participant, enrolmentId: a.application.id };
  };
  ann = await place(intakeA, 'Asia/Tokyo');
  ben = await place(intakeA);
  cat = await place(intakeB);
  coach = await f.aStaffMember({ role: 'coach', scope: { scopeType: 'delivery_partner', scopeId: partnerA }, name: 'Cora Coach' });
  coach2 = await f.aStaffMember({ role: 'coach', scope: { scopeType: 'delivery_partner', scopeId: partnerA }, name: 'Dev Second' });
  otherCoach = await f.aStaffMember({ role: 'coach', scope: { scopeType: 'delivery_partner', scopeId: partnerB }, name: 'Olu Other' });
  leadPerson = await f.aStaffMember({ role: 'delivery_partner_lead', scope: { scopeType: 'delivery_partner', scopeId: partnerA } });
  lead = await leadPerson.signIn(nextIp());
});

describe('allocating coaches', () => {
  it('the partner’s lead gives each participant a coach of theirs, never another partner’s coach, and never sees another partner’s participants', async () => {
    const list = await lead.get('/coaching/allocations');
    expect(list.statusCode).toBe(200);
    expect(list.body).toContain(ann.person.name);
    expect(list.body).not.toContain(cat.person.name);
    expect(list.body).not.toContain('Olu Other');
    // Another partner's coach, or another partner's participant: refused.
    const wrong = await send(lead, '/coaching/allocations', { [`coach-${ann.enrolmentId}`]: otherCoach.userId });
    expect(wrong.statusCode).toBe(422);
    expect(wrong.body).toContain('Select a coach of the provider or of');
    expect((await lead.post('/coaching/allocations', { [`coach-${cat.enrolmentId}`]: coach.userId }, { follow: false })).statusCode).toBe(404);
    expect((await lead.get(`/coaching/allocations?partner=${partnerB}`)).statusCode).toBe(404);

    const saved = await send(lead, '/coaching/allocations', { [`coach-${ann.enrolmentId}`]: coach.userId, [`tutor-${ann.enrolmentId}`]: coach2.userId, [`coach-${ben.enrolmentId}`]: coach.userId });
    expect(saved.statusCode).toBe(200);
    expect(saved.body).toContain('Saved: 3 changes.');
    const csv = await lead.get('/coaching/allocations.csv');
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.body).toContain(`${ann.person.name},${ann.person.email},npq-headship`);
    expect(csv.body).toMatch(/Cora Coach,Dev Second,180,0,0/);
  });

  it('the lead sets the capacity of their own partner’s coaches, not of the provider’s, whom every partner shares', async () => {
    const providerCoach = await f.aStaffMember({ role: 'coach', name: 'Pam Provider' });
    expect((await lead.get(`/coaching/coaches/${providerCoach.userId}`)).statusCode).toBe(404);
    expect((await lead.post(`/coaching/coaches/${providerCoach.userId}`, { capacity: '3' }, { follow: false })).statusCode).toBe(404);
    expect((await lead.get('/coaching/allocations')).body).not.toContain('Change capacity<span class="govuk-visually-hidden"> of Pam Provider');
    expect((await send(lead, `/coaching/coaches/${coach2.userId}`, { capacity: 'ten' })).body).toContain('Enter a whole number of participants from 0 (nobody new) to 500');
    expect((await send(lead, `/coaching/coaches/${coach2.userId}`, { capacity: '' })).body).toContain('The capacity is saved.');
  });

  it('is refused to a facilitator, a coach and a participant', async () => {
    const facilitator = await (await f.aStaffMember({ role: 'facilitator', scope: { scopeType: 'delivery_partner', scopeId: partnerA } })).signIn(nextIp());
    expect((await facilitator.get('/coaching/allocations')).statusCode).toBe(403);
    const c = await coach.signIn(nextIp());
    expect((await c.get('/coaching/allocations')).statusCode).toBe(403);
    const p = await ann.person.signIn(nextIp());
    expect((await p.get('/coaching/allocations')).statusCode).toBe(403);
    expect((await p.get('/coaching')).statusCode).toBe(403);
  });
});

describe('a coaching session from publishing to its record', () => {
  let coachPage: Client;
  let annPage: Client;

  it('the coach publishes a weekly free time in their own zone; a refused form keeps what was typed', async () => {
    coachPage = await coach.signIn(nextIp());
    const bad = await send(coachPage, '/coaching/slots', slotForm({ joinUrl: 'http://meet.example/x', minutes: '5' }));
    expect(bad.statusCode).toBe(422);
    expect(bad.body).toContain('Enter the join link as a web address that starts with https://');
    expect(bad.body).toContain('Enter the length in minutes, from 15 to 180');
    expect(bad.body).toContain('value="http://meet.example/x"');
    const ok = await send(coachPage, '/coaching/slots', slotForm());
    expect(ok.statusCode).toBe(200);
    expect(ok.body).toContain('3 free times published.');
    expect(ok.body).toContain('Tuesday 1 December 2026, 16:00 to 17:00');
    expect(ok.body).toContain('Tuesday 15 December 2026, 16:00 to 17:00');
    // The same time again overlaps: nothing twice.
    const again = await send(coachPage, '/coaching/slots', slotForm({ weeks: '1' }));
    expect(again.statusCode).toBe(422);
    expect(again.body).toContain('Nothing was published: this time overlaps a time you already have.');
    expect(await slotsOf(coach.userId)).toHaveLength(3);
  });

  it('the participant sees them in her own zone, books one, and both are emailed a calendar entry at the right instant', async () => {
    annPage = await ann.person.signIn(nextIp());
    const page = await annPage.get(`/programme/${ann.enrolmentId}/coaching`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Cora Coach');
    expect(page.body).toContain('Dev Second');
    expect(page.body).toContain('0 hours used of 3 hours');
    expect(page.body).toContain('Japan and Korea (Tokyo, Seoul)');
    expect(page.body).toContain('Wednesday 2 December 2026, 01:00 to 02:00');
    const [first] = await slotsOf(coach.userId);
    const booked = await send(annPage, `/programme/${ann.enrolmentId}/coaching/book`, { slotId: first!.id });
    expect(booked.statusCode).toBe(200);
    expect(booked.body).toContain('Your session is booked.');
    expect(booked.body).toContain('1 hour booked');
    const [toAnn] = await mail.to(ann.person.email);
    expect(toAnn!.subject).toBe('Coaching session booked: Wednesday 2 December 2026, 01:00 to 02:00, Japan and Korea (Tokyo, Seoul)');
    const [event] = Object.values(ical.sync.parseICS(toAnn!.calendars[0]!)).filter((e) => e?.type === 'VEVENT') as ical.VEvent[];
    expect(event!.start.toISOString()).toBe('2026-12-01T16:00:00.000Z');
    expect(event!.end?.toISOString()).toBe('2026-12-01T17:00:00.000Z');
    const [toCoach] = await mail.to(coach.email);
    expect(toCoach!.subject).toBe(`Coaching session booked: ${ann.person.name}, Tuesday 1 December 2026, 16:00 to 17:00, UK time (London)`);
  });

  it('of two people booking the last time at once, one gets it and the other is told plainly', async () => {
    const benPage = await ben.person.signIn(nextIp());
    const [, second] = await slotsOf(coach.userId);
    await benPage.get(`/programme/${ben.enrolmentId}/coaching`);
    await annPage.get(`/programme/${ann.enrolmentId}/coaching`);
    const [a, b] = await Promise.all([send(annPage, `/programme/${ann.enrolmentId}/coaching/book`, { slotId: second!.id }), send(benPage, `/programme/${ben.enrolmentId}/coaching/book`, { slotId: second!.id })]);
    const bodies = [a.body, b.body];
    expect(bodies.filter((x) => x.includes('Your session is booked.'))).toHaveLength(1);
    expect(bodies.filter((x) => x.includes('Someone else booked this time a moment before you. Choose another time.'))).toHaveLength(1);
    // Whoever got it gives it back, in good time, so the rest of the story starts from one booking.
    const winner = a.body.includes('Your session is booked.') ? { c: annPage, p: ann } : { c: benPage, p: ben };
    const [held] = await t.database.db.select().from(coachingBookings).where(and(eq(coachingBookings.slotId, second!.id), eq(coachingBookings.status, 'booked')));
    expect(held!.enrolmentId).toBe(winner.p.enrolmentId);
    expect((await send(winner.c, `/programme/${winner.p.enrolmentId}/coaching/${held!.id}/cancel`)).body).toContain('It does not count against your coaching hours.');
  });

  it('she moves it to another week: the calendar entry keeps its id and moves', async () => {
    const page = await annPage.get(`/programme/${ann.enrolmentId}/coaching`);
    const bookingId = /data-booking="([0-9a-f-]{36})"/.exec(page.body)![1]!;
    const move = await annPage.get(`/programme/${ann.enrolmentId}/coaching/${bookingId}/move`);
    expect(move.statusCode).toBe(200);
    expect(move.body).toContain('Wednesday 9 December 2026, 01:00 to 02:00');
    const third = (await slotsOf(coach.userId))[1]!;
    const moved = await send(annPage, `/programme/${ann.enrolmentId}/coaching/${bookingId}/move`, { slotId: third.id });
    expect(moved.body).toContain('Your session has moved.');
    expect(moved.body).toContain('Wednesday 9 December 2026, 01:00 to 02:00');
    const sent = await mail.to(ann.person.email);
    const [booked, movedMail] = [sent.find((m) => m.subject.startsWith('Coaching session booked'))!, sent.find((m) => m.subject.startsWith('Coaching session moved'))!];
    const uid = (m: typeof booked) => (Object.values(ical.sync.parseICS(m.calendars[0]!)).find((e) => e?.type === 'VEVENT') as ical.VEvent).uid;
    expect(uid(movedMail)).toBe(uid(booked));
    expect(movedMail.calendars[0]).toContain('DTSTART:20261208T160000Z');
    expect(movedMail.calendars[0]).toMatch(/SEQUENCE:[1-9]/);
  });

  it('the coach cannot record it before it starts (notes kept); afterwards records it held with notes and actions', async () => {
    const overview = await coachPage.get('/coaching');
    expect(overview.body).toContain(ann.person.name);
    const sessionId = /\/coaching\/sessions\/([0-9a-f-]{36})/.exec(overview.body)![1]!;
    heldSession = sessionId;
    const early = await send(coachPage, `/coaching/sessions/${sessionId}`, { outcome: 'held', heldMinutes: '50', privateNotes: 'Seems tired', agreedActions: 'Read chapter 2' });
    expect(early.statusCode).toBe(422);
    expect(early.body).toContain('This session has not started yet.');
    // Before it starts, the coach may only move it or say it cannot happen.
    expect(early.body).toContain('Move it to another of your times');
    t.clock.set('2026-12-08T17:05:00Z');
    // Two weeks on, everyone signs in again.
    coachPage = await coach.signIn(nextIp());
    annPage = await ann.person.signIn(nextIp());
    lead = await leadPerson.signIn(nextIp());
    const done = await send(coachPage, `/coaching/sessions/${sessionId}`, { outcome: 'held', heldMinutes: '50', privateNotes: 'Seems tired', agreedActions: 'Read chapter 2\nPlan the staff meeting' });
    expect(done.body).toContain('The session is recorded.');
    expect(done.body).toContain('Held, 50 minutes');
    const mine = await annPage.get(`/programme/${ann.enrolmentId}/coaching`);
    expect(mine.body).toContain('50 minutes used of 3 hours');
    expect(mine.body).toContain('Read chapter 2\nPlan the staff meeting');
    expect(mine.body).not.toContain('Seems tired');
    const audited = await t.database.db.select().from(auditEvents).where(eq(auditEvents.action, 'coaching.recorded'));
    expect(JSON.stringify(audited)).not.toContain('Seems tired');
  });

  it('a new coach sees the actions agreed before but never the old coach’s notes or sessions', async () => {
    expect((await send(lead, '/coaching/allocations', { [`coach-${ann.enrolmentId}`]: coach2.userId })).body).toContain('Saved: 1 change.');
    const c2 = await coach2.signIn(nextIp());
    const oldSession = heldSession;
    expect((await c2.get(`/coaching/sessions/${oldSession}`)).statusCode).toBe(404);
    await send(c2, '/coaching/slots', slotForm({ ...dateFields('date', '2026-12-10'), weeks: '1', time: '09:00' }));
    const annPage2 = await ann.person.signIn(nextIp());
    const [slot] = await slotsOf(coach2.userId);
    expect((await send(annPage2, `/programme/${ann.enrolmentId}/coaching/book`, { slotId: slot!.id })).body).toContain('Your session is booked.');
    const sessionId = /\/coaching\/sessions\/([0-9a-f-]{36})/.exec((await c2.get('/coaching')).body)![1]!;
    const page = await c2.get(`/coaching/sessions/${sessionId}`);
    expect(page.body).toContain('Actions agreed before');
    expect(page.body).toContain('Read chapter 2');
    expect(page.body).not.toContain('Seems tired');
    // Cora still reads her own notes; Olu, another partner's coach, reads nothing of it.
    expect((await coachPage.get(`/coaching/sessions/${oldSession}`)).body).toContain('Seems tired</textarea>');
    const olu = await otherCoach.signIn(nextIp());
    expect((await olu.get(`/coaching/sessions/${oldSession}`)).statusCode).toBe(404);
    expect((await olu.get('/coaching')).body).not.toContain(ann.person.name);
  });

  it('a participant never reads another’s coaching, and a late cancellation counts as used', async () => {
    t.clock.set('2026-12-10T06:00:00Z');
    const benPage = await ben.person.signIn(nextIp());
    expect((await benPage.get(`/programme/${ann.enrolmentId}/coaching`)).statusCode).toBe(404);
    const annPage3 = await ann.person.signIn(nextIp());
    const bookingId = /data-booking="([0-9a-f-]{36})"/.exec((await annPage3.get(`/programme/${ann.enrolmentId}/coaching`)).body)![1]!;
    expect((await benPage.post(`/programme/${ann.enrolmentId}/coaching/${bookingId}/cancel`, {}, { follow: false })).statusCode).toBe(404);
    const terms = await annPage3.get(`/programme/${ann.enrolmentId}/coaching/${bookingId}/cancel`);
    expect(terms.body).toContain('counts against your coaching hours');
    expect((await annPage3.get(`/programme/${ann.enrolmentId}/coaching/${bookingId}/move`)).body).toContain('so it can no longer be moved');
    const cancelled = await send(annPage3, `/programme/${ann.enrolmentId}/coaching/${bookingId}/cancel`);
    expect(cancelled.body).toContain('It was within the notice period, so it counts against your coaching hours.');
    expect(cancelled.body).toContain('1 hour 50 minutes used of 3 hours');
  });
});

describe('the API (issue 11 item 6)', () => {
  const call = f.anApiClient();
  const narrow = f.anApiClient({ scopes: ['applications:read'] });

  it('gives a participant’s coaching as the OpenAPI document says, without notes or agreed actions, to a token with the scope', async () => {
    const participantId = (await t.services.applications.mine(ann.person.actor, ann.enrolmentId)).participantId;
    const res = await call('GET', `/api/v1/participants/${participantId}/coaching`);
    expect(res.statusCode).toBe(200);
    const [place] = res.json().places;
    expect(place).toMatchObject({ application_id: ann.enrolmentId, course_identifier: 'npq-headship', coach: { id: coach2.userId, name: 'Dev Second' }, personal_tutor: { id: coach2.userId }, entitled_minutes: 180, used_minutes: 110, booked_minutes: 0 });
    expect(place.sessions.map((x: { status: string }) => x.status)).toEqual(expect.arrayContaining(['rescheduled', 'held', 'late_cancelled']));
    expect(res.body).not.toContain('Seems tired');
    expect(res.body).not.toContain('Read chapter 2');
    await expectMatchesDocument(t.app, 'get', '/api/v1/participants/{id}/coaching', res.json());
    expect((await narrow('GET', `/api/v1/participants/${participantId}/coaching`)).statusCode).toBe(403);
    expect((await call('GET', '/api/v1/participants/11111111-1111-4111-8111-111111111111/coaching')).statusCode).toBe(404);
    expect((await call('GET', '/api/v1/participants/not-a-uuid/coaching')).statusCode).toBe(404);
  });
});

describe('spreading participants evenly', () => {
  it('gives each unallocated participant the coach with fewest, never past a capacity', async () => {
    const intake = (await f.anIntake({ course: 'npq-headship', deliveryPartnerId: partnerB })).id;
    for (let i = 0; i < 6; i++) await f.anAcceptedApplication({ course: 'npq-headship', intakeId: intake });
    const a = await f.aStaffMember({ role: 'coach', scope: { scopeType: 'delivery_partner', scopeId: partnerB }, name: 'Ash Spread' });
    await f.aStaffMember({ role: 'coach', scope: { scopeType: 'delivery_partner', scopeId: partnerB }, name: 'Bo Spread' });
    const admin = await (await f.aStaffMember()).signIn(nextIp());
    expect((await send(admin, `/coaching/coaches/${a.userId}`, { capacity: '1' })).body).toContain('The capacity is saved.');
    // Cat and six more of partner B's participants, across its coaches (Ash has room for one) and the provider's.
    const spread = await send(admin, '/coaching/allocations/spread', { partner: partnerB, kind: 'coach' });
    expect(spread.body).toContain('7 participants were given a coach.');
    expect((await admin.get(`/coaching/allocations?partner=${partnerB}&without=coach`)).body).toContain('Nobody matches these filters.');
    const loads = await t.services.coaching.allocationsList(setUp, { partner: partnerB }, { limit: 50, offset: 0 });
    const count = (userId: string) => loads.rows.filter((r) => r.coachUserId === userId).length;
    const others = [...new Set(loads.rows.map((r) => r.coachUserId!))].filter((id) => id !== a.userId).map(count);
    expect(count(a.userId)).toBe(1);
    expect(Math.max(...others) - Math.min(...others)).toBeLessThanOrEqual(1);
    expect(count(a.userId) + others.reduce((x, y) => x + y, 0)).toBe(7);
    // A capacity below what they coach now is refused, with the reason.
    const busiest = loads.coaches.find((c) => c.coaching === Math.max(...others))!;
    const low = await send(admin, `/coaching/coaches/${busiest.id}`, { capacity: '1' });
    expect(low.statusCode).toBe(422);
    expect(low.body).toContain(`${busiest.name} coaches ${busiest.coaching} participants now`);
    // Nobody new to spread: nothing changes.
    expect((await send(admin, '/coaching/allocations/spread', { partner: partnerB, kind: 'coach' })).body).toContain('0 participants were given a coach.');
  });
});
