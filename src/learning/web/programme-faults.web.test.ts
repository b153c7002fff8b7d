import { beforeAll, describe, expect, it } from 'vitest';
import { dateFields, setPlanEntry } from '../../testing/plan-form';
import { factoriesFor, type Person, setUp } from '../../testing/factories';
import { type Client, useTestApp } from '../../testing/test-app';

/**
 * Faults a break-it trial of issue 10 found, each as its example and the kind it stands for: calendar
 * times that depended on the server's own zone, two first asks for a calendar link at once, a time the
 * clocks repeat refused as if skipped, plan dates with no bounds, a mark that followed a participant to
 * another intake, dates taken off sessions whose register was taken, and smaller ones.
 */
const t = useTestApp();
const f = factoriesFor(t);
const COURSE = 'npq-leading-teaching';
let partnerId: string;
let distance: string;
let london: string;
let ny: { person: Person; enrolmentId: string };
let lead: Client;
const set = setPlanEntry;
const day = dateFields;

beforeAll(async () => {
  partnerId = (await t.services.catalogue.partnersAndVenues(setUp)).partners[0]!.id;
  distance = (await f.anIntake({ course: COURSE, deliveryMode: 'distance', timeZone: 'Europe/London', deliveryPartnerId: partnerId, schedule: 'npq-specialist-spring' })).id;
  london = (await f.anIntake({ course: COURSE, deliveryMode: 'distance', timeZone: 'Europe/London', deliveryPartnerId: partnerId, schedule: 'npq-specialist-spring' })).id;
  const a = await f.anAcceptedApplication({ course: COURSE, intakeId: distance, timeZone: 'America/New_York' });
  ny = { person: a.participant, enrolmentId: a.application.id };
  lead = await (await f.aStaffMember({ role: 'delivery_partner_lead', scope: { scopeType: 'delivery_partner', scopeId: partnerId } })).signIn();
  expect((await set(lead, distance, 'e1', { ...day('date', '2027-03-28'), startTime: '10:00', endTime: '12:00', joinUrl: 'https://meet.example.org/e1', ...day('preWorkDueOn', '2027-03-21') })).statusCode).toBe(303);
});

describe('calendars', () => {
  it('write sessions as UTC instants whatever zone the server or the participant is in', async () => {
    const c = await ny.person.signIn();
    const link = /value="http:\/\/npq\.test(\/calendar\/[^"]+\.ics)"/.exec((await c.get('/programme/calendar')).body)![1]!;
    const was = process.env.TZ;
    for (const zone of ['Europe/London', 'UTC', 'America/New_York', 'Asia/Tokyo']) {
      process.env.TZ = zone;
      try {
        for (const body of [(await t.app.inject({ method: 'GET', url: link })).body, (await c.get(`/programme/${ny.enrolmentId}/sessions/e1/calendar.ics`)).body]) {
          expect(body, `server in ${zone}`).toContain('DTSTART:20270328T090000Z');
          expect(body).toContain('DTEND:20270328T110000Z');
          expect(body).toContain('DTSTART;VALUE=DATE:20270321');
          // No floating times: every DTSTART, DTEND and DTSTAMP with a time says Z.
          expect(body).not.toMatch(/^(DTSTART|DTEND|DTSTAMP):\d{8}T\d{6}\r?$/m);
        }
      } finally {
        process.env.TZ = was;
      }
    }
  });

  it('give two first asks at once the same working link', async () => {
    const { participant } = await f.anAcceptedApplication({ course: COURSE, intakeId: distance });
    const [a, b] = await Promise.all([t.services.learning.calendarFeedLink(participant.actor), t.services.learning.calendarFeedLink(participant.actor)]);
    expect(a).toBe(b);
    expect((await t.app.inject({ method: 'GET', url: new URL(a!).pathname })).statusCode).toBe(200);
  });

  it('are not made for someone with no programme', async () => {
    const approver = await (await f.aParticipantUser()).signIn();
    const page = await approver.get('/programme/calendar');
    expect(page.body).toContain('Your calendar link appears here once you have a place on a programme.');
    expect(page.body).not.toContain('/calendar/');
    expect((await approver.post('/programme/calendar/reset', {}, { follow: false })).statusCode).toBe(404);
  });
});

describe('the plan’s dates', () => {
  it('take a time the clocks repeat (01:30 on the last Sunday of October) as its first happening, and refuse one they skip', async () => {
    expect((await set(lead, london, 'e2', { ...day('date', '2027-10-31'), startTime: '01:30', endTime: '03:00', joinUrl: 'https://meet.example.org/e2' })).statusCode).toBe(303);
    const plan = await t.services.learning.intakePlan(setUp, london);
    // 01:30 British Summer Time (00:30 UTC), the first of the two; 03:00 is after the change (GMT).
    expect(plan.entries.get('e2')?.startsAt?.toISOString()).toBe('2027-10-31T00:30:00.000Z');
    expect(plan.entries.get('e2')?.endsAt?.toISOString()).toBe('2027-10-31T03:00:00.000Z');
    const skipped = await set(lead, london, 'e2', { ...day('date', '2027-03-28'), startTime: '01:30', endTime: '03:00', joinUrl: 'https://meet.example.org/e2' });
    expect(skipped.body).toContain('01:30 does not exist on that day in Europe/London: the clocks go forward. Choose another time');
  });

  it('must fall between a year before the intake starts and four years after', async () => {
    for (const [field, date] of [['date', '9999-12-31'], ['date', '1900-01-01'], ['preWorkDueOn', '1900-01-01']] as const) {
      const res = await set(lead, london, 'e1', { ...day('date', '2027-03-10'), startTime: '10:00', endTime: '12:00', joinUrl: 'https://meet.example.org/e1', ...day(field, date) });
      expect(res.statusCode).toBe(422);
      expect(res.body).toContain('must be between 1 February 2026 and 1 February 2031: this intake starts on 1 February 2027');
    }
    const module = await set(lead, london, 'c1m1', day('releasesOn', '2099-01-01'));
    expect(module.body).toContain('The release date must be between 1 February 2026 and 1 February 2031');
  });

  it('are not taken off a session whose register was taken; a piece the programme lacks is not found', async () => {
    t.clock.set('2027-03-28T12:00:00Z');
    try {
      const c = await (await f.aStaffMember({ role: 'delivery_partner_lead', scope: { scopeType: 'delivery_partner', scopeId: partnerId } })).signIn();
      expect((await c.post(`/delivery/intakes/${distance}/register/e1`, { everyonePresent: 'yes' })).statusCode).toBe(303);
      const cleared = await c.post(`/delivery/intakes/${distance}/plan/e1/clear`);
      expect(cleared.headers.location).toBe(`/delivery/intakes/${distance}/plan/e1`);
      expect((await c.get(`/delivery/intakes/${distance}/plan/e1`)).body).toContain('Its register has been taken, so its date cannot be taken off. Change the date instead if it was wrong.');
      expect((await t.services.learning.intakePlan(setUp, distance)).entries.has('e1')).toBe(true);
      expect((await c.post(`/delivery/intakes/${distance}/plan/nope/clear`, {}, { follow: false })).statusCode).toBe(404);
      expect((await c.post(`/delivery/intakes/${distance}/plan/c1m1/clear`)).headers.location).toBe(`/delivery/intakes/${distance}`);
    } finally {
      t.clock.set('2026-11-25T10:00:00Z');
    }
  });
});

describe('a participant moved to another intake', () => {
  it('keeps the work they did, not the other intake’s register marks', async () => {
    await t.services.learning.savePlanEntry(setUp, distance, 'c1m1', { releasesOn: '2026-11-20' });
    await t.services.learning.savePlanEntry(setUp, london, 'c1m1', { releasesOn: '2026-11-20' });
    const { application, participant } = await f.anAcceptedApplication({ course: COURSE, intakeId: distance });
    await t.services.learning.markDone(participant.actor, application.id, 'c1m1a1', true);
    t.clock.set('2027-03-28T12:00:00Z');
    try {
      await t.services.learning.takeRegister(setUp, distance, 'e1', { marks: { [application.id]: { status: 'present', reason: '' } } });
    } finally {
      t.clock.set('2026-11-25T10:00:00Z');
    }
    expect((await t.services.learning.myProgramme(participant.actor, application.id)).record.attendance.get('e1')).toBe('present');
    await t.services.applications.changeParticipant(setUp, application.id, 'move', { intakeId: london });
    const moved = await t.services.learning.myProgramme(participant.actor, application.id);
    expect(moved.intake.id).toBe(london);
    expect(moved.record.done.has('c1m1a1')).toBe(true);
    expect(moved.record.attendance.has('e1')).toBe(false);
  });
});

describe('smaller things', () => {
  it('a core task address naming a reading is not found; an intake whose NPQ has no programme is listed without a link', async () => {
    const { application, participant } = await f.anAcceptedApplication({ course: COURSE, intakeId: distance });
    const c = await participant.signIn();
    expect((await c.post(`/programme/${application.id}/core-tasks/c1m1a1`, { text: 'x' }, { follow: false })).statusCode).toBe(404);
    const none = await f.anIntake({ course: 'npq-senco', deliveryPartnerId: partnerId, schedule: 'npq-specialist-spring' });
    const list = await lead.get('/delivery');
    expect(list.body).toContain(`${none.name}<br><span class="govuk-hint govuk-!-margin-bottom-0">No programme yet for this NPQ</span>`);
    expect(list.body).not.toContain(`/delivery/intakes/${none.id}"`);
    // Those under way first (latest start first), then those to come (soonest first), then those without a programme.
    const later = await f.anIntake({ course: COURSE, deliveryPartnerId: partnerId, schedule: 'npq-specialist-spring', startDate: '2027-09-01', applicationDeadline: '2027-08-01' });
    const sooner = await f.anIntake({ course: COURSE, deliveryPartnerId: partnerId, schedule: 'npq-specialist-spring', startDate: '2027-01-10', applicationDeadline: '2027-01-01' });
    const begun = await f.anIntake({ course: COURSE, deliveryPartnerId: partnerId, schedule: 'npq-specialist-spring', startDate: '2026-10-01', applicationDeadline: '2026-09-01' });
    const order = (await lead.get('/delivery')).body;
    const at = (id: string) => order.indexOf(`/delivery/intakes/${id}"`);
    expect(at(begun.id)).toBeGreaterThan(-1);
    expect(at(begun.id)).toBeLessThan(at(sooner.id));
    expect(at(sooner.id)).toBeLessThan(at(later.id));
    expect(at(later.id)).toBeLessThan(order.indexOf(none.name));
    expect(order).toContain('Started 1 October 2026');
    expect(order).toContain('National Professional Qualification in Leading Teaching (NPQLT)');
  });

  it('a session ending on the next day where the participant is says that day', async () => {
    const { whenText } = await import('../session-text');
    const entry = { itemKey: 'e1', startsAt: new Date('2027-03-14T13:00:00Z'), endsAt: new Date('2027-03-14T15:00:00Z'), runsUntil: null, releasesOn: null, preWorkDueOn: null, venueId: null, room: '', joinUrl: null };
    expect(whenText(entry, 'Asia/Tokyo')).toBe('Sunday 14 March 2027, 22:00 to Monday 15 March 2027, 00:00');
    expect(whenText(entry, 'Europe/London')).toBe('Sunday 14 March 2027, 13:00 to 15:00');
  });
});
