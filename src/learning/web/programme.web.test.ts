import * as ical from 'node-ical';
import { beforeAll, describe, expect, it } from 'vitest';
import { dateFields, setPlanEntry } from '../../testing/plan-form';
import { factoriesFor, type Person, setUp } from '../../testing/factories';
import { expectMatchesDocument } from '../../testing/openapi-check';
import { type Client, useTestApp } from '../../testing/test-app';

/**
 * Issue 10, end to end through the pages: an intake's plan set by its partner's lead (one event face
 * to face, the distance intake's event online), the participant's timetable in their own time zone,
 * modules marked done and undone, the calendar feed read by a calendar parser across the clock
 * changes, and everyone else refused.
 */
const t = useTestApp();
const f = factoriesFor(t);

const COURSE = 'npq-leading-teaching';
let faceToFace: string;
let distance: string;
let london: { person: Person; enrolmentId: string };
let dubai: { person: Person; enrolmentId: string };
let lead: Client;
let partnerId: string;
let venueId: string;

const set = setPlanEntry;
const day = dateFields;

beforeAll(async () => {
  const { partners, venues } = await t.services.catalogue.partnersAndVenues(setUp);
  partnerId = partners[0]!.id;
  venueId = venues.find((v) => v.deliveryPartnerId === partnerId)!.id;
  faceToFace = (await f.anIntake({ course: COURSE, deliveryMode: 'face_to_face', venueId, timeZone: null, deliveryPartnerId: partnerId, schedule: 'npq-specialist-spring' })).id;
  distance = (await f.anIntake({ course: COURSE, deliveryMode: 'distance', timeZone: 'Europe/London', deliveryPartnerId: partnerId, schedule: 'npq-specialist-spring' })).id;
  const a = await f.anAcceptedApplication({ course: COURSE, intakeId: faceToFace });
  london = { person: a.participant, enrolmentId: a.application.id };
  const b = await f.anAcceptedApplication({ course: COURSE, intakeId: distance, timeZone: 'Asia/Dubai' });
  dubai = { person: b.participant, enrolmentId: b.application.id };
  lead = await (await f.aStaffMember({ role: 'delivery_partner_lead', scope: { scopeType: 'delivery_partner', scopeId: partnerId } })).signIn();
});

describe('the delivery plan', () => {
  it('refuses a face-to-face event without a venue, a time that is not one and an end before the start, keeping what was typed', async () => {
    const res = await set(lead, faceToFace, 'e1', { ...day('date', '2027-03-28'), startTime: '25:00', endTime: '09:00', venueId: '', room: 'Room 4' });
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain('Enter the start time as a 24-hour time, like 09:30');
    expect(res.body).toContain('Select the venue');
    expect(res.body).toContain('value="Room 4"');
    expect(res.body).toContain('value="25:00"');
    const ends = await set(lead, faceToFace, 'e1', { ...day('date', '2027-03-28'), startTime: '10:00', endTime: '09:00', venueId });
    expect(ends.body).toContain('The end time must be after the start time');
  });

  it('refuses a time the clocks skip (01:30 on the last Sunday of March in London)', async () => {
    const res = await set(lead, faceToFace, 'e1', { ...day('date', '2027-03-28'), startTime: '01:30', endTime: '03:00', venueId });
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain('01:30 does not exist on that day in Europe/London: the clocks go forward. Choose another time');
  });

  it('saves the face-to-face event, the distance event with its join link, a briefing and module releases', async () => {
    expect((await set(lead, faceToFace, 'e1', { ...day('date', '2027-03-28'), startTime: '10:00', endTime: '16:00', venueId, room: 'Room 4', ...day('preWorkDueOn', '2027-03-21') })).statusCode).toBe(303);
    expect((await set(lead, faceToFace, 'e2', { ...day('date', '2027-10-31'), startTime: '10:00', endTime: '16:00', venueId })).statusCode).toBe(303);
    expect((await set(lead, faceToFace, 'b1', { ...day('date', '2027-03-27'), startTime: '17:00', endTime: '18:30', joinUrl: 'https://meet.example.org/b1' })).statusCode).toBe(303);
    expect((await set(lead, faceToFace, 'c1m1', day('releasesOn', '2026-11-20'))).statusCode).toBe(303);
    expect((await set(lead, faceToFace, 'c1m2', day('releasesOn', '2027-01-10'))).statusCode).toBe(303);
    const online = await set(lead, distance, 'e1', { ...day('date', '2027-03-28'), startTime: '10:00', endTime: '12:00', joinUrl: 'javascript:alert(1)' });
    expect(online.body).toContain('Enter the join link as a web address that starts with https://');
    expect((await set(lead, distance, 'e1', { ...day('date', '2027-03-28'), startTime: '10:00', endTime: '12:00', joinUrl: 'https://meet.example.org/e1' })).statusCode).toBe(303);
    const plan = await lead.get(`/delivery/intakes/${faceToFace}`);
    expect(plan.body).toContain('28 March 2027, 10:00 to 16:00');
    expect(plan.body).toContain('31 October 2027, 10:00 to 16:00');
  });
});

describe('the participant’s programme', () => {
  it('shows the timetable in UK time, with the venue and pre-work, and progress per part', async () => {
    const c = await london.person.signIn();
    const page = await c.get('/programme');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Sunday 28 March 2027, 10:00 to 16:00');
    expect(page.body).toContain('Sunday 31 October 2027, 10:00 to 16:00');
    expect(page.body).toContain('Room 4, Birmingham Regional Training Centre');
    expect(page.body).toContain('Pre-work: due 21 March 2027');
    expect(page.body).toContain('Your progress');
  });

  it('shows a participant in Dubai the distance event in Dubai’s time', async () => {
    const c = await dubai.person.signIn();
    const page = await c.get('/programme');
    // 10:00 in London on 28 March 2027 is British Summer Time (09:00 UTC): 13:00 in Dubai.
    expect(page.body).toContain('Sunday 28 March 2027, 13:00 to 15:00');
    expect(page.body).toContain('Gulf (Dubai, Abu Dhabi, Muscat)');
    const session = await c.get(`/programme/${dubai.enrolmentId}/sessions/e1`);
    expect(session.body).toContain('The button to join appears here 15 minutes before the session starts.');
    expect(session.body).toContain('Runs until');
  });

  it('lets the participant mark a released module’s activities done and undo it, never a core task or a module not yet released', async () => {
    const c = await london.person.signIn();
    const module = await c.get(`/programme/${london.enrolmentId}/modules/c1m1`);
    expect(module.statusCode).toBe(200);
    expect(module.body).toContain('<h2 class="govuk-heading-m">How pupils learn</h2>');
    const done = await c.post(`/programme/${london.enrolmentId}/done`, { item: 'c1m1a1', done: 'yes', back: `/programme/${london.enrolmentId}/modules/c1m1#c1m1a1` });
    expect(done.headers.location).toBe(`/programme/${london.enrolmentId}/modules/c1m1#c1m1a1`);
    expect((await c.get(`/programme/${london.enrolmentId}/modules/c1m1`)).body).toContain('1 of 3 activities done');
    await c.post(`/programme/${london.enrolmentId}/done`, { item: 'c1m1a1', done: 'no', back: '/programme' });
    expect((await c.get(`/programme/${london.enrolmentId}/modules/c1m1`)).body).toContain('0 of 3 activities done');
    expect((await c.get(`/programme/${london.enrolmentId}/modules/c1m2`)).statusCode).toBe(404);
    await expect(t.services.learning.markDone(london.person.actor, london.enrolmentId, 'c1m3a4', true)).rejects.toMatchObject({ code: 'cannot_mark' });
    await expect(t.services.learning.markDone(london.person.actor, london.enrolmentId, 'c1m2a1', true)).rejects.toMatchObject({ code: 'cannot_mark' });
  });
});

describe('the calendar feed', () => {
  it('is read by a calendar parser with each session at its instant on both sides of the clock changes', async () => {
    const c = await london.person.signIn();
    const page = await c.get('/programme/calendar');
    const link = /value="(http:\/\/npq\.test\/calendar\/[^"]+\.ics)"/.exec(page.body)?.[1];
    expect(link).toBeDefined();
    const feed = await t.app.inject({ method: 'GET', url: new URL(link!).pathname });
    expect(feed.statusCode).toBe(200);
    expect(feed.headers['content-type']).toContain('text/calendar');
    const events = Object.values(ical.sync.parseICS(feed.body)).filter((e): e is ical.VEvent => e?.type === 'VEVENT');
    const byTitle = (s: string): ical.VEvent => {
      const found = events.find((e) => String(e.summary).startsWith(s));
      if (!found) throw new Error(`No entry “${s}” in the feed`);
      return found;
    };
    // 10:00 London on the last Sunday of March (BST, UTC+1) and of October (GMT again).
    expect(byTitle('Event 1').start.toISOString()).toBe('2027-03-28T09:00:00.000Z');
    expect(byTitle('Event 1').end?.toISOString()).toBe('2027-03-28T15:00:00.000Z');
    expect(byTitle('Event 2').start.toISOString()).toBe('2027-10-31T10:00:00.000Z');
    // The day before the clocks go forward is still GMT.
    expect(byTitle('Briefing').start.toISOString()).toBe('2027-03-27T17:00:00.000Z');
    expect(String(byTitle('Event 1').location)).toContain('Birmingham Regional Training Centre');
    expect(byTitle('Pre-work due')).toMatchObject({ datetype: 'date' });
    expect(byTitle('Module released: How pupils learn')).toBeDefined();
    // Each entry keeps its UID, so a changed date moves the entry a calendar already holds.
    expect(byTitle('Event 1').uid).toBe(`${london.enrolmentId}.e1@npq.test`);
  });

  it('stops working at the old address once reset, and is never found from a made-up one', async () => {
    const c = await london.person.signIn();
    const before = /value="http:\/\/npq\.test(\/calendar\/[^"]+\.ics)"/.exec((await c.get('/programme/calendar')).body)![1]!;
    await c.post('/programme/calendar/reset');
    const after = /value="http:\/\/npq\.test(\/calendar\/[^"]+\.ics)"/.exec((await c.get('/programme/calendar')).body)![1]!;
    expect(after).not.toBe(before);
    expect((await t.app.inject({ method: 'GET', url: before })).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'GET', url: after })).statusCode).toBe(200);
    for (const url of ['/calendar/nope.ics', `/calendar/${'a'.repeat(43)}.ics`, '/calendar/x', `${after}x`]) expect((await t.app.inject({ method: 'GET', url })).statusCode).toBe(404);
  });

  it('gives an event’s own .ics file to its participant', async () => {
    const c = await london.person.signIn();
    const file = await c.get(`/programme/${london.enrolmentId}/sessions/e1/calendar.ics`);
    expect(file.statusCode).toBe(200);
    const events = Object.values(ical.sync.parseICS(file.body)).filter((e) => e?.type === 'VEVENT');
    expect(events.map((e) => String((e as ical.VEvent).summary))).toEqual(['Event 1: Starting out', 'Pre-work due: Before Event 1']);
  });
});

describe('who sees what', () => {
  it('refuses another participant, a facilitator and a lead of another partner, and anyone not signed in', async () => {
    const other = await (await f.aParticipant({ course: COURSE, intakeId: faceToFace })).signIn();
    for (const url of [`/programme/${london.enrolmentId}/modules/c1m1`, `/programme/${london.enrolmentId}/sessions/e1`, `/programme/${london.enrolmentId}/sessions/e1/calendar.ics`]) expect((await other.get(url)).statusCode).toBe(404);
    expect((await other.post(`/programme/${london.enrolmentId}/done`, { item: 'c1m1a1', done: 'yes' }, { follow: false })).statusCode).toBe(404);
    const elsewhere = (await t.services.catalogue.partnersAndVenues(setUp)).partners.find((p) => p.id !== partnerId)!.id;
    const otherLead = await (await f.aStaffMember({ role: 'delivery_partner_lead', scope: { scopeType: 'delivery_partner', scopeId: elsewhere } })).signIn();
    const otherFacilitator = await (await f.aStaffMember({ role: 'facilitator', scope: { scopeType: 'delivery_partner', scopeId: elsewhere } })).signIn();
    for (const c of [otherLead, otherFacilitator]) {
      expect((await c.get(`/delivery/intakes/${faceToFace}`)).statusCode).toBe(404);
      expect((await c.get(`/delivery/intakes/${faceToFace}/plan/e1`)).statusCode).toBe(404);
      expect((await c.get('/delivery')).body).not.toContain(faceToFace);
    }
    expect((await set(otherLead, faceToFace, 'e1', { ...day('date', '2027-03-28'), startTime: '10:00', endTime: '11:00', venueId })).statusCode).toBe(404);
    // Their own partner's facilitator sees the plan but does not change it.
    const facilitator = await (await f.aStaffMember({ role: 'facilitator', scope: { scopeType: 'delivery_partner', scopeId: partnerId } })).signIn();
    expect((await facilitator.get(`/delivery/intakes/${faceToFace}`)).statusCode).toBe(200);
    expect((await facilitator.get(`/delivery/intakes/${faceToFace}/plan/e1`)).statusCode).toBe(404);
    expect((await set(facilitator, faceToFace, 'e1', { ...day('date', '2027-03-28'), startTime: '10:00', endTime: '11:00', venueId })).statusCode).toBe(403);
    // A participant is not staff.
    expect((await other.get(`/delivery/intakes/${faceToFace}`)).statusCode).toBe(403);
    const anonymous = await t.app.inject({ method: 'GET', url: '/programme', headers: { accept: 'text/html' } });
    expect(anonymous.statusCode).toBe(303);
    expect((await t.app.inject({ method: 'GET', url: `/programme/${london.enrolmentId}/modules/c1m1`, headers: { accept: 'text/html' } })).statusCode).toBe(303);
  });

  it('records every change of the plan and of progress in the audit log', async () => {
    const { auditEvents } = await import('../../audit/audit.schema');
    const rows = await t.database.db.select({ action: auditEvents.action }).from(auditEvents);
    const actions = new Set(rows.map((r) => r.action));
    for (const a of ['plan.dated', 'learning.done', 'learning.undone', 'calendar_feed.reset']) expect(actions).toContain(a);
  });
});

describe('the API (issue 10 item 8)', () => {
  const call = f.anApiClient();
  const narrow = f.anApiClient({ scopes: ['applications:read'] });

  it('gives an intake’s plan and a participant’s progress, as the OpenAPI document says', async () => {
    const plan = await call('GET', `/api/v1/intakes/${faceToFace}/plan`);
    expect(plan.statusCode).toBe(200);
    const body = plan.json();
    expect(body.events[0]).toMatchObject({ key: 'e1', starts_at: '2027-03-28T09:00:00.000Z', room: 'Room 4', pre_work: { title: 'Before Event 1', due_on: '2027-03-21' } });
    expect(body.modules[0]).toMatchObject({ key: 'c1m1', releases_on: '2026-11-20', guided_learning_minutes: 240 });
    await expectMatchesDocument(t.app, 'get', '/api/v1/intakes/{id}/plan', body);

    await t.services.learning.markDone(london.person.actor, london.enrolmentId, 'c1m1a2', true);
    const participantId = (await t.services.applications.mine(london.person.actor, london.enrolmentId)).participantId;
    const progress = await call('GET', `/api/v1/participants/${participantId}/progress`);
    expect(progress.statusCode).toBe(200);
    expect(progress.json().places[0].components).toContainEqual({ component: 'online_courses', expected_minutes: 0, evidenced_minutes: 80, items_done: 0, items_total: 3 });
    await expectMatchesDocument(t.app, 'get', '/api/v1/participants/{id}/progress', progress.json());
  });

  it('refuses a token without the scope, and answers 404 for what does not exist', async () => {
    expect((await narrow('GET', `/api/v1/intakes/${faceToFace}/plan`)).statusCode).toBe(403);
    expect((await call('GET', '/api/v1/intakes/11111111-1111-4111-8111-111111111111/plan')).statusCode).toBe(404);
    expect((await call('GET', '/api/v1/participants/11111111-1111-4111-8111-111111111111/progress')).statusCode).toBe(404);
    expect((await call('GET', '/api/v1/intakes/not-a-uuid/plan')).statusCode).toBe(404);
  });
});

describe('the register (issue 10 item 5)', () => {
  it('opens on the session’s day, marks everyone present, records an absence with its reason, and shows on the participant’s progress', async () => {
    const person = await f.aStaffMember({ role: 'facilitator', scope: { scopeType: 'delivery_partner', scopeId: partnerId } });
    const early = await person.signIn();
    const url = `/delivery/intakes/${faceToFace}/register/e1`;
    expect((await early.get(url)).body).toContain('The register opens on the day of the session.');
    expect((await early.post(url, { everyonePresent: 'yes' })).body).toContain('The register opens on the day of the session');
    t.clock.set('2027-03-28T08:30:00Z');
    try {
      // Signed in on the day (a session does not last four months).
      let facilitator = await person.signIn();
      const page = await facilitator.get(url);
      expect(page.statusCode).toBe(200);
      expect(page.body).toContain('0 of 2 marked');
      const absent = await facilitator.post(url, { [`status-${london.enrolmentId}`]: 'absent', [`reason-${london.enrolmentId}`]: '' });
      expect(absent.statusCode).toBe(422);
      expect(absent.body).toContain(`Enter why ${london.person.name} was absent`);
      expect((await facilitator.post(url, { [`status-${london.enrolmentId}`]: 'nonsense' })).body).toContain(`Select how ${london.person.name} attended`);
      expect((await facilitator.post(url, { [`status-${london.enrolmentId}`]: 'late', [`reason-${london.enrolmentId}`]: 'Train delayed' })).statusCode).toBe(303);
      const all = await facilitator.post(url, { everyonePresent: 'yes' });
      expect(all.statusCode).toBe(303);
      const after = await facilitator.get(url);
      expect(after.body).toContain('2 of 2 marked');
      expect(after.body).toContain('value="Train delayed"');
      t.clock.set('2027-03-29T09:00:00Z');
      facilitator = await person.signIn();
      const progress = await (await london.person.signIn()).get('/programme');
      expect(progress.body).toContain('>Late<');
      const events = (await t.services.learning.progressOfParticipant(london.person.actor, (await t.services.applications.mine(london.person.actor, london.enrolmentId)).participantId!))[0]!.programme!.progress.find((c) => c.component === 'events');
      expect(events).toMatchObject({ expectedMinutes: 360, evidencedMinutes: 360, itemsDone: 1 });
      // A change after the session is recorded as such.
      expect((await facilitator.post(url, { [`status-${london.enrolmentId}`]: 'left_early', [`reason-${london.enrolmentId}`]: 'Unwell' })).statusCode).toBe(303);
      const { auditEvents } = await import('../../audit/audit.schema');
      const actions = (await t.database.db.select({ action: auditEvents.action }).from(auditEvents)).map((r) => r.action);
      expect(actions).toContain('register.changed_after_session');
      // A lead of another partner cannot see it; a participant is not staff.
      const elsewhere = (await t.services.catalogue.partnersAndVenues(setUp)).partners.find((p) => p.id !== partnerId)!.id;
      const otherFacilitator = await (await f.aStaffMember({ role: 'facilitator', scope: { scopeType: 'delivery_partner', scopeId: elsewhere } })).signIn();
      expect((await otherFacilitator.get(url)).statusCode).toBe(404);
      expect((await otherFacilitator.post(url, { everyonePresent: 'yes' }, { follow: false })).statusCode).toBe(404);
    } finally {
      t.clock.set('2026-11-25T10:00:00Z');
    }
  });
});

describe('core tasks (issue 10 item 4)', () => {
  it('are sent, sent back with feedback, sent again and accepted, with every attempt kept', async () => {
    expect((await set(lead, faceToFace, 'c1m3', day('releasesOn', '2026-11-24'))).statusCode).toBe(303);
    const pat = await london.person.signIn();
    const module = `/programme/${london.enrolmentId}/modules/c1m3`;
    const send = `/programme/${london.enrolmentId}/core-tasks/c1m3a4`;
    expect((await pat.get(module)).body).toContain('Send your core task');
    const empty = await pat.post(send, { text: '   ' });
    expect(empty.statusCode).toBe(422);
    expect(empty.body).toContain('Enter your core task');
    expect((await pat.post(send, { text: 'My first plan for developing teachers.' })).statusCode).toBe(303);
    const twice = await pat.post(send, { text: 'Again' });
    expect(twice.body).toContain('Your core task is waiting for review');

    const facilitator = await (await f.aStaffMember({ role: 'facilitator', scope: { scopeType: 'delivery_partner', scopeId: partnerId } })).signIn();
    const list = await facilitator.get(`/delivery/intakes/${faceToFace}/core-tasks`);
    const review = /href="(\/delivery\/core-tasks\/[0-9a-f-]{36})"/.exec(list.body)![1]!;
    expect((await facilitator.get(review)).body).toContain('My first plan for developing teachers.');
    const noFeedback = await facilitator.post(review, { decision: 'needs_more_work', feedback: '' });
    expect(noFeedback.statusCode).toBe(422);
    expect(noFeedback.body).toContain('Enter feedback: say what more the participant needs to do');
    expect((await facilitator.post(review, { decision: 'needs_more_work', feedback: 'Say how you will evaluate it.' })).statusCode).toBe(303);
    expect((await facilitator.post(review, { decision: 'complete', feedback: '' }, { follow: false })).statusCode).toBe(409);

    const again = await pat.get(module);
    expect(again.body).toContain('Say how you will evaluate it.');
    expect(again.body).toContain('Your core task, improved');
    expect(again.body).toContain('My first plan for developing teachers.</textarea>');
    expect((await pat.post(send, { text: 'My plan, with how I will evaluate it.' })).statusCode).toBe(303);
    const second = /href="(\/delivery\/core-tasks\/[0-9a-f-]{36})"/.exec((await facilitator.get(`/delivery/intakes/${faceToFace}/core-tasks`)).body)![1]!;
    expect(second).not.toBe(review);
    expect((await facilitator.post(second, { decision: 'complete', feedback: 'Well done.' })).statusCode).toBe(303);
    const done = await pat.get(module);
    expect(done.body).toContain('Your facilitator marked this core task complete.');
    expect(done.body).not.toContain('Send your core task');
    // Both attempts are kept.
    expect((await facilitator.get(second)).body).toContain('2 of 2');

    // Nobody else reviews or reads it.
    const elsewhere = (await t.services.catalogue.partnersAndVenues(setUp)).partners.find((p) => p.id !== partnerId)!.id;
    const other = await (await f.aStaffMember({ role: 'facilitator', scope: { scopeType: 'delivery_partner', scopeId: elsewhere } })).signIn();
    expect((await other.get(second)).statusCode).toBe(404);
    expect((await other.get(`/delivery/intakes/${faceToFace}/core-tasks`)).statusCode).toBe(404);
    const someoneElse = await (await f.aParticipant({ course: COURSE, intakeId: faceToFace })).signIn();
    expect((await someoneElse.post(send, { text: 'Not mine' }, { follow: false })).statusCode).toBe(404);
  });
});

describe('an intake’s progress (for its staff)', () => {
  it('lists each participant’s progress per part, searches, and exports it all as CSV; no one else sees it', async () => {
    const facilitator = await (await f.aStaffMember({ role: 'facilitator', scope: { scopeType: 'delivery_partner', scopeId: partnerId } })).signIn('10.9.0.1');
    const page = await facilitator.get(`/delivery/intakes/${faceToFace}/progress`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(london.person.name);
    const searched = await facilitator.get(`/delivery/intakes/${faceToFace}/progress?q=${encodeURIComponent(london.person.email)}`);
    expect(searched.body).toContain('1 participant.');
    const csv = await facilitator.get(`/delivery/intakes/${faceToFace}/progress.csv`);
    expect(csv.headers['content-type']).toContain('text/csv');
    const line = csv.body.split('\n').find((l) => l.startsWith(london.person.name))!;
    // Events: the register's "left early" counts; modules: c1m3 (its core task accepted) and the activities done.
    expect(line).toContain(london.person.email);
    expect(csv.body.split('\n')[0]).toContain('Online course modules: minutes recorded');
    const elsewhere = (await t.services.catalogue.partnersAndVenues(setUp)).partners.find((p) => p.id !== partnerId)!.id;
    const other = await (await f.aStaffMember({ role: 'facilitator', scope: { scopeType: 'delivery_partner', scopeId: elsewhere } })).signIn('10.9.0.2');
    expect((await other.get(`/delivery/intakes/${faceToFace}/progress`)).statusCode).toBe(404);
    expect((await other.get(`/delivery/intakes/${faceToFace}/progress.csv`)).statusCode).toBe(404);
  });

  it('computes the same figures for everyone at once as for each participant alone', async () => {
    const all = await t.services.learning.progressOfIntake(setUp, faceToFace);
    for (const { place, progress } of all.participants) {
      const alone = (await t.services.learning.progressOfParticipant(setUp, place.participantId)).find((x) => x.place.enrolmentId === place.enrolmentId)!;
      expect(progress).toEqual(alone.programme!.progress);
    }
  });
});
