import { beforeAll, describe, expect, it } from 'vitest';
import { auditEvents } from '../../audit/audit.schema';
import { factoriesFor, } from '../../testing/factories';
import { expectMatchesDocument } from '../../testing/openapi-check';
import { aDeliveryIntake, dateFields as day, type Placed, setPlanEntry as set } from '../../testing/plan-form';
import { type Client, useTestApp } from '../../testing/test-app';

/**
 * Issue 10 items 5 and 6 around a session: participants say they will come or cannot (with a
 * reason); opening the join link during a briefing puts them on its register; a missed event offers
 * its catch-up task, which then counts; a recording's link is added afterwards; and a venue too
 * small for the intake is refused. Everyone else is refused all of it.
 */
const t = useTestApp();
const f = factoriesFor(t);

const COURSE = 'npq-leading-teaching';
const NOW = '2026-11-25T10:00:00Z';
let intakeId: string;
let partnerId: string;
let venueId: string;
let ann: Placed;
let ben: Placed;
let lead: Client;

beforeAll(async () => {
  const setup = await aDeliveryIntake(t, f, { participants: 2, remoteAddress: '10.40.0.1' });
  ({ partnerId, venueId, intakeId, lead } = setup);
  [ann, ben] = setup.placed as [Placed, Placed];
  // Event 1 face to face on 10 December; briefing 1 online on 2 December, 17:00 to 18:30 UK time.
  expect((await set(lead, intakeId, 'e1', { ...day('date', '2026-12-10'), startTime: '10:00', endTime: '16:00', venueId })).statusCode).toBe(303);
  expect((await set(lead, intakeId, 'b1', { ...day('date', '2026-12-02'), startTime: '17:00', endTime: '18:30', joinUrl: 'https://meet.example.org/b1' })).statusCode).toBe(303);
});

const sessionUrl = (who: { enrolmentId: string }, key: string) => `/programme/${who.enrolmentId}/sessions/${key}`;

describe('replies to a session (issue 10 item 5)', () => {
  it('takes “I will attend” and “I cannot attend, because…”, says what is missing while keeping what was typed, and shows replies on the register', async () => {
    const me = await ann.person.signIn('10.40.0.2');
    const page = await me.get(sessionUrl(ann, 'e1'));
    expect(page.body).toContain('Will you attend?');
    const none = await me.post(`${sessionUrl(ann, 'e1')}/reply`, {});
    expect(none.statusCode).toBe(422);
    expect(none.body).toContain('Select whether you will attend');
    const noReason = await me.post(`${sessionUrl(ann, 'e1')}/reply`, { reply: 'cannot_attend', reason: '  ' });
    expect(noReason.statusCode).toBe(422);
    expect(noReason.body).toContain('Enter why you cannot attend');
    expect(noReason.body).toMatch(/value="cannot_attend"[^>]*checked|checked[^>]*value="cannot_attend"/);
    const strange = await me.post(`${sessionUrl(ann, 'e1')}/reply`, { reply: 'maybe' });
    expect(strange.body).toContain('Select whether you will attend');
    expect((await me.post(`${sessionUrl(ann, 'e1')}/reply`, { reply: 'cannot_attend', reason: 'Ofsted <visit>' })).statusCode).toBe(303);
    const after = await me.get(sessionUrl(ann, 'e1'));
    expect(after.body).toMatch(/You cannot attend: Ofsted &lt;visit(&gt;|>)/);
    expect(after.body).toContain('Change your reply');
    expect((await me.get('/programme')).body).toContain('You cannot attend');
    const ben1 = await ben.person.signIn('10.40.0.3');
    // A note from someone who will attend is kept and shown to both, never dropped.
    expect((await ben1.post(`${sessionUrl(ben, 'e1')}/reply`, { reply: 'attending', reason: 'I will be 10 minutes late' })).statusCode).toBe(303);
    expect((await ben1.get(sessionUrl(ben, 'e1'))).body).toContain('You will attend. You told your facilitator: I will be 10 minutes late');
    const register = await lead.get(`/delivery/intakes/${intakeId}/register/e1`);
    expect(register.body).toContain('1 said they will attend; 1 said they cannot');
    expect(register.body).toMatch(/Said they cannot attend: Ofsted &lt;visit(&gt;|>)/);
    expect(register.body).toContain('Said they will attend: I will be 10 minutes late');
    const audited = (await t.database.db.select({ action: auditEvents.action }).from(auditEvents)).map((r) => r.action);
    expect(audited).toContain('session.replied');
  });

  it('refuses replies to someone else’s place, from anyone not signed in, to a session without a date, and once it has started', async () => {
    const benClient = await ben.person.signIn('10.40.0.4');
    expect((await benClient.post(`${sessionUrl(ann, 'e1')}/reply`, { reply: 'attending' }, { follow: false })).statusCode).toBe(404);
    expect((await benClient.get(sessionUrl(ann, 'e1'))).statusCode).toBe(404);
    const anonymous = await t.app.inject({ method: 'POST', url: `${sessionUrl(ann, 'e1')}/reply`, headers: { accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' }, payload: 'reply=attending' });
    expect([303, 403]).toContain(anonymous.statusCode);
    expect(anonymous.headers.location ?? '').not.toContain('meet.example.org');
    const anonymousJoin = await t.app.inject({ method: 'POST', url: `${sessionUrl(ann, 'b1')}/join`, headers: { accept: 'text/html' } });
    expect(anonymousJoin.headers.location ?? '').not.toContain('meet.example.org');
    const me = await ann.person.signIn('10.40.0.6');
    expect((await me.get(sessionUrl(ann, 'e2'))).body).not.toContain('Will you attend?');
    const undated = await me.post(`${sessionUrl(ann, 'e2')}/reply`, { reply: 'attending' });
    expect((await me.get(String(undated.headers.location))).body).toContain('This session has no date yet');
    t.clock.set('2026-12-02T17:01:00Z');
    try {
      const late = await ann.person.signIn('10.40.0.7');
      expect((await late.get(sessionUrl(ann, 'b1'))).body).not.toContain('Will you attend?');
      const closed = await late.post(`${sessionUrl(ann, 'b1')}/reply`, { reply: 'attending' });
      expect(closed.statusCode).toBe(303);
      expect((await late.get(String(closed.headers.location))).body).toContain('This session has started, so replies are closed');
    } finally {
      t.clock.set(NOW);
    }
  });
});

describe('joining a briefing online (issue 10 item 6)', () => {
  it('sends the participant to the join link and, during the session, puts them on the register: present, then late; a facilitator’s mark stands', async () => {
    const early = await ann.person.signIn('10.40.0.8');
    const before = await early.post(`${sessionUrl(ann, 'b1')}/join`, {}, { follow: false });
    expect(before.statusCode).toBe(303);
    // A form may lead only back to this site (CSP form-action 'self'): a page of ours opens the meeting.
    expect(before.headers.location).toBe(`${sessionUrl(ann, 'b1')}/joining`);
    const joining = await early.get(String(before.headers.location));
    expect(joining.body).toContain('<meta http-equiv="refresh" content="0;url=https://meet.example.org/b1"/>');
    expect(joining.body).toContain('href="https://meet.example.org/b1"');
    expect(joining.body).not.toContain('You are on the register');
    try {
      t.clock.set('2026-12-02T16:50:00Z');
      const me = await ann.person.signIn('10.40.0.9');
      const joined = await me.post(`${sessionUrl(ann, 'b1')}/join`, {}, { follow: false });
      expect((await me.get(String(joined.headers.location))).body).toContain('You are on the register.');
      t.clock.set('2026-12-02T17:20:00Z');
      const him = await ben.person.signIn('10.40.0.10');
      const facilitator = await (await f.aStaffMember({ role: 'facilitator', scope: { scopeType: 'delivery_partner', scopeId: partnerId } })).signIn('10.40.0.11');
      // Ben is marked absent by the facilitator first: joining late does not overwrite it.
      expect((await facilitator.post(`/delivery/intakes/${intakeId}/register/b1`, { [`status-${ben.enrolmentId}`]: 'absent', [`reason-${ben.enrolmentId}`]: 'Not there at the start' })).statusCode).toBe(303);
      expect((await him.post(`${sessionUrl(ben, 'b1')}/join`, {}, { follow: false })).statusCode).toBe(303);
      const register = await facilitator.get(`/delivery/intakes/${intakeId}/register/b1`);
      expect(register.body).toContain('Joined online at 16:50');
      expect(register.body).toContain('value="Not there at the start"');
      const { attendance } = await import('../learning.schema');
      const marks = await t.database.db.select().from(attendance);
      expect(marks.find((m) => m.enrolmentId === ann.enrolmentId && m.itemKey === 'b1')).toMatchObject({ status: 'present', reason: '', recordedBy: ann.person.actor.userId });
      expect(marks.find((m) => m.enrolmentId === ben.enrolmentId && m.itemKey === 'b1')).toMatchObject({ status: 'absent' });
      // Another participant's place is not theirs to join; an event with no join link has none to give.
      expect((await him.post(`${sessionUrl(ann, 'b1')}/join`, {}, { follow: false })).statusCode).toBe(404);
      expect((await him.post(`${sessionUrl(ben, 'e1')}/join`, {}, { follow: false })).statusCode).toBe(404);
    } finally {
      t.clock.set(NOW);
    }
  });

  it('marks a participant who joins more than ten minutes after the start as late', async () => {
    const c = await f.anAcceptedApplication({ course: COURSE, intakeId });
    const b2 = await set(lead, intakeId, 'b2', { ...day('date', '2026-12-03'), startTime: '17:00', endTime: '18:00', joinUrl: 'https://meet.example.org/b2' });
    expect(b2.statusCode).toBe(303);
    t.clock.set('2026-12-03T17:11:00Z');
    try {
      const me = await c.participant.signIn('10.40.0.12');
      expect((await me.post(`/programme/${c.application.id}/sessions/b2/join`, {}, { follow: false })).statusCode).toBe(303);
      const { attendance } = await import('../learning.schema');
      const [mark] = (await t.database.db.select().from(attendance)).filter((m) => m.enrolmentId === c.application.id);
      expect(mark).toMatchObject({ itemKey: 'b2', status: 'late' });
    } finally {
      t.clock.set(NOW);
    }
  });
});

describe('a missed event’s catch-up task', () => {
  it('is offered once the register says the participant missed the event, is marked done, and counts as the event', async () => {
    const me = await ann.person.signIn('10.40.0.13');
    const tooSoon = await me.post(`/programme/${ann.enrolmentId}/done`, { item: 'e1-catch-up', back: sessionUrl(ann, 'e1') });
    expect(tooSoon.statusCode).toBe(303);
    expect((await me.get(String(tooSoon.headers.location))).body).toContain('This cannot be marked done');
    t.clock.set('2026-12-10T17:00:00Z');
    try {
      const facilitator = await (await f.aStaffMember({ role: 'facilitator', scope: { scopeType: 'delivery_partner', scopeId: partnerId } })).signIn('10.40.0.14');
      expect((await facilitator.post(`/delivery/intakes/${intakeId}/register/e1`, { [`status-${ann.enrolmentId}`]: 'excused', [`reason-${ann.enrolmentId}`]: 'Ofsted visit' })).statusCode).toBe(303);
      const her = await ann.person.signIn('10.40.0.15');
      const programme = await her.get('/programme');
      expect(programme.body).toContain('Catch-up task: to do');
      const page = await her.get(sessionUrl(ann, 'e1'));
      expect(page.body).toContain('Catch-up: If you missed Event 1');
      expect(page.body).toContain('Mark the catch-up task as done');
      const done = await her.post(`/programme/${ann.enrolmentId}/done`, { item: 'e1-catch-up', back: `${sessionUrl(ann, 'e1')}#catch-up` });
      expect(done.headers.location).toBe(`${sessionUrl(ann, 'e1')}#catch-up`);
      expect((await her.get(sessionUrl(ann, 'e1'))).body).toContain('Marked as done.');
      const { participantId } = await t.services.applications.mine(ann.person.actor, ann.enrolmentId);
      const [place] = await t.services.learning.progressOfParticipant(ann.person.actor, participantId!);
      expect(place!.programme!.progress.find((c) => c.component === 'events')).toMatchObject({ evidencedMinutes: 360, itemsDone: 1 });
      expect((await her.get('/programme')).body).toContain('Catch-up task: done');
      // Ben attended: no catch-up for him.
      const him = await ben.person.signIn('10.40.0.16');
      expect((await him.get(sessionUrl(ben, 'e1'))).body).not.toContain('Catch-up:');
    } finally {
      t.clock.set(NOW);
    }
  });
});

describe('a session’s recording', () => {
  it('is added to the plan afterwards, checked as a link, shown to participants and given by the API', async () => {
    const bad = await set(lead, intakeId, 'b1', { ...day('date', '2026-12-02'), startTime: '17:00', endTime: '18:30', joinUrl: 'https://meet.example.org/b1', recordingUrl: 'javascript:alert(1)' });
    expect(bad.statusCode).toBe(422);
    expect(bad.body).toContain('Enter the recording’s link as a web address that starts with https://');
    expect(bad.body).toContain('value="javascript:alert(1)"');
    expect((await set(lead, intakeId, 'b1', { ...day('date', '2026-12-02'), startTime: '17:00', endTime: '18:30', joinUrl: 'https://meet.example.org/b1', recordingUrl: 'https://video.example.org/b1' })).statusCode).toBe(303);
    // Not before the session: a recording of what has not happened yet would only confuse.
    const me = await ann.person.signIn('10.40.0.17');
    expect((await me.get(sessionUrl(ann, 'b1'))).body).not.toContain('Watch the recording');
    t.clock.set('2026-12-02T18:31:00Z');
    try {
      const after = await ann.person.signIn('10.40.0.27');
      expect((await after.get(sessionUrl(ann, 'b1'))).body).toContain('<a class="govuk-link" href="https://video.example.org/b1" rel="noopener noreferrer">Watch the recording</a>');
    } finally {
      t.clock.set(NOW);
    }
    const res = await f.anApiClient()('GET', `/api/v1/intakes/${intakeId}/plan`);
    expect(res.statusCode).toBe(200);
    expect(res.json().briefings.find((b: { key: string }) => b.key === 'b1').recording_url).toBe('https://video.example.org/b1');
    await expectMatchesDocument(t.app, 'get', '/api/v1/intakes/{id}/plan', res.json());
  });
});

describe('venue capacity', () => {
  it('is set on the venue, and a venue too small for everyone placed in the intake is refused for its events and warned of on the plan', async () => {
    const admin = await (await f.aStaffMember()).signIn('10.40.0.18');
    const form = await admin.get(`/admin/venues/${venueId}`);
    const field = (name: string) => form.body.match(new RegExp(`name="${name}"[^>]*value="([^"]*)"`))?.[1] ?? '';
    const venue = { deliveryPartnerId: partnerId, name: field('name'), addressLine: field('addressLine'), town: field('town'), postcode: field('postcode') };
    const zero = await admin.post(`/admin/venues/${venueId}`, { ...venue, capacity: '0' });
    expect(zero.statusCode).toBe(422);
    expect(zero.body).toContain('Capacity must be 1 or more');
    expect((await admin.post(`/admin/venues/${venueId}`, { ...venue, capacity: '2' })).statusCode).toBe(303);
    // Three are placed now (the late joiner above): the plan says the venue is too small, and saving there is refused.
    const plan = await lead.get(`/delivery/intakes/${intakeId}`);
    expect(plan.body).toContain('holds 2 people and 3 participants are placed in this intake. Choose a larger venue.');
    const refused = await set(lead, intakeId, 'e2', { ...day('date', '2027-01-20'), startTime: '10:00', endTime: '16:00', venueId, room: 'Hall' });
    expect(refused.statusCode).toBe(422);
    expect(refused.body).toContain('holds 2 people and this intake has 3 participants: choose a larger venue');
    expect(refused.body).toContain('value="Hall"');
    // An event already placed there is not refused on a later save (a recording added after it was held).
    expect((await set(lead, intakeId, 'e1', { ...day('date', '2026-12-10'), startTime: '10:00', endTime: '16:00', venueId, recordingUrl: 'https://video.example.org/e1' })).statusCode).toBe(303);
    expect((await admin.post(`/admin/venues/${venueId}`, { ...venue, capacity: '' })).statusCode).toBe(303);
    expect((await set(lead, intakeId, 'e2', { ...day('date', '2027-01-20'), startTime: '10:00', endTime: '16:00', venueId, room: 'Hall' })).statusCode).toBe(303);
  });
});

describe('what trying to break it found', () => {
  it('counts a reason by characters, never cutting one in half, and refuses one too long while keeping it', async () => {
    const me = await ann.person.signIn('10.40.0.30');
    const edge = `${'a'.repeat(499)}😀`;
    expect((await me.post(`${sessionUrl(ann, 'e1')}/reply`, { reply: 'cannot_attend', reason: edge })).statusCode).toBe(303);
    const long = `${'a'.repeat(500)}😀`;
    const refused = await me.post(`${sessionUrl(ann, 'e1')}/reply`, { reply: 'cannot_attend', reason: long });
    expect(refused.statusCode).toBe(422);
    expect(refused.body).toContain('Your reason must be 500 characters or fewer: it is 501');
    expect(refused.body).toContain(long);
    const invisible = await me.post(`${sessionUrl(ann, 'e1')}/reply`, { reply: 'cannot_attend', reason: '\u200b\u200d\u2060' });
    expect(invisible.body).toContain('Enter why you cannot attend');
  });

  it('keeps a mark made by joining online when the facilitator saves the register with it unchanged', async () => {
    // Briefing 2 is on 3 December, 17:00 to 18:00 (set above).
    const c = await f.anAcceptedApplication({ course: COURSE, intakeId });
    t.clock.set('2026-12-03T16:55:00Z');
    try {
      const joiner = await c.participant.signIn('10.40.0.31');
      await joiner.post(`/programme/${c.application.id}/sessions/b2/join`, {}, { follow: false });
      const facilitator = await (await f.aStaffMember({ role: 'facilitator', scope: { scopeType: 'delivery_partner', scopeId: partnerId } })).signIn('10.40.0.32');
      const url = `/delivery/intakes/${intakeId}/register/b2`;
      // The form as the browser sends it: the joiner's mark as shown, and Ben marked present.
      const saved = await facilitator.post(url, { [`status-${c.application.id}`]: 'present', [`reason-${c.application.id}`]: '', [`status-${ben.enrolmentId}`]: 'present', [`reason-${ben.enrolmentId}`]: '' });
      expect(saved.statusCode).toBe(303);
      const page = await facilitator.get(url);
      expect(page.body).toContain('The register is saved: 1 mark recorded.');
      expect(page.body).toContain('Joined online at 16:55');
    } finally {
      t.clock.set(NOW);
    }
  });

  it('says at the top, not beside a form that is not there, that replies have closed', async () => {
    t.clock.set('2026-12-02T17:30:00Z');
    try {
      const me = await ann.person.signIn('10.40.0.33');
      const closed = await me.post(`${sessionUrl(ann, 'b1')}/reply`, { reply: 'attending' });
      expect(closed.statusCode).toBe(303);
      const page = await me.get(String(closed.headers.location));
      expect(page.body).toContain('This session has started, so replies are closed');
      expect(page.body).not.toContain('href="#reply"');
    } finally {
      t.clock.set(NOW);
    }
  });

  it('asks again when a session moves to another time: replies to the old time are cleared', async () => {
    const me = await ann.person.signIn('10.40.0.34');
    // Event 2 is on 20 January 2027 in the Hall (set above).
    expect((await me.post(`${sessionUrl(ann, 'e2')}/reply`, { reply: 'cannot_attend', reason: 'Parents’ evening on 20 January' })).statusCode).toBe(303);
    // Another room is not another time: the reply stands.
    expect((await set(lead, intakeId, 'e2', { ...day('date', '2027-01-20'), startTime: '10:00', endTime: '16:00', venueId, room: 'Library' })).statusCode).toBe(303);
    expect((await me.get(sessionUrl(ann, 'e2'))).body).toContain('You cannot attend: Parents’ evening on 20 January');
    expect((await set(lead, intakeId, 'e2', { ...day('date', '2027-01-27'), startTime: '10:00', endTime: '16:00', venueId, room: 'Library' })).statusCode).toBe(303);
    const after = await me.get(sessionUrl(ann, 'e2'));
    expect(after.body).not.toContain('Parents’ evening on 20 January');
    expect(after.body).toContain('Will you attend?');
  });

  it('refuses a join or recording link that is not https, and a room too long, keeping what was typed', async () => {
    const res = await set(lead, intakeId, 'b1', { ...day('date', '2026-12-02'), startTime: '17:00', endTime: '18:30', joinUrl: 'http://meet.example.org/b1', recordingUrl: 'http://video.example.org/b1' });
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain('Enter the join link as a web address that starts with https://');
    expect(res.body).toContain('Enter the recording’s link as a web address that starts with https://');
    const room = '🏫'.repeat(201);
    const long = await set(lead, intakeId, 'e2', { ...day('date', '2027-01-20'), startTime: '10:00', endTime: '16:00', venueId, room });
    expect(long.body).toContain('Where it is held must be 200 characters or fewer: it is 201');
    expect(long.body).toContain(room);
  });
});
