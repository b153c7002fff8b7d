import { beforeAll, describe, expect, it } from 'vitest';
import { factoriesFor, type Person, setUp } from '../../testing/factories';
import { dateFields as day, setPlanEntry as set } from '../../testing/plan-form';
import { type Client, useTestApp } from '../../testing/test-app';
import { learningProgress } from '../learning.schema';

/**
 * The participant's programme page and a register are kept per person (docs/adr/0050). Each change
 * that either page shows must reach it at once: a plan moved, a register taken, work done, a reply, a
 * place withdrawn, a new participant placed, and the time passing a session's start.
 */
const t = useTestApp();
const f = factoriesFor(t);

const COURSE = 'npq-leading-teaching';
const NOW = '2026-11-25T10:00:00Z';
let intakeId: string;
let partnerId: string;
let ann: { person: Person; enrolmentId: string };
let lead: Client;

beforeAll(async () => {
  const { partners } = await t.services.catalogue.partnersAndVenues(setUp);
  partnerId = partners[0]!.id;
  intakeId = (await f.anIntake({ course: COURSE, deliveryMode: 'distance', timeZone: 'Europe/London', deliveryPartnerId: partnerId, schedule: 'npq-specialist-spring' })).id;
  const a = await f.anAcceptedApplication({ course: COURSE, intakeId });
  ann = { person: a.participant, enrolmentId: a.application.id };
  lead = await (await f.aStaffMember({ role: 'delivery_partner_lead', scope: { scopeType: 'delivery_partner', scopeId: partnerId } })).signIn('10.60.0.1');
  expect((await set(lead, intakeId, 'b1', { ...day('date', '2026-11-25'), startTime: '17:00', endTime: '18:00', joinUrl: 'https://meet.example.org/b1' })).statusCode).toBe(303);
  expect((await set(lead, intakeId, 'c1m1', day('releasesOn', '2026-11-01'))).statusCode).toBe(303);
});

const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');

describe('kept pages', () => {
  it('show the participant’s programme afresh after every change that it shows, and as time passes', async () => {
    const me = await ann.person.signIn('10.60.0.2');
    const first = text((await me.get('/programme')).body);
    expect(first).toContain('Wednesday 25 November 2026, 17:00 to 18:00');
    expect(text((await me.get('/programme')).body)).toBe(first);
    // It is kept: a row written behind the platform's back (no change told) does not show until a change is told.
    await t.database.db.insert(learningProgress).values({ enrolmentId: ann.enrolmentId, itemKey: 'c1m1a2', doneAt: new Date(NOW) });
    expect(text((await me.get('/programme')).body)).toBe(first);

    // The plan moves the briefing an hour later.
    expect((await set(lead, intakeId, 'b1', { ...day('date', '2026-11-25'), startTime: '18:00', endTime: '19:00', joinUrl: 'https://meet.example.org/b1' })).statusCode).toBe(303);
    expect(text((await me.get('/programme')).body)).toContain('Wednesday 25 November 2026, 18:00 to 19:00');

    // Work done, through the service rather than the page (as another tab or process would).
    await t.services.learning.markDone(ann.person.actor, ann.enrolmentId, 'c1m1a1', true);
    expect(text((await me.get('/programme')).body)).toMatch(/Online course modules 0 of 3 2 hours 40 minutes/);

    // The time passes the briefing's start: it is happening now, with no change written at all.
    t.clock.set('2026-11-25T18:00:30Z');
    try {
      const later = await ann.person.signIn('10.60.0.3');
      expect(text((await later.get('/programme')).body)).toContain('Happening now');
      // A register mark (the participant joins online) shows at once.
      await later.post(`/programme/${ann.enrolmentId}/sessions/b1/join`, {}, { follow: false });
      expect(text((await later.get('/programme')).body)).toMatch(/Online briefing: Qualification information.*Present/);

      // The place is deferred by the provider (enrolment's change, on its own channel).
      await t.services.applications.changeParticipant(setUp, ann.enrolmentId, 'defer', { reason: 'parental-leave' });
      expect(text((await later.get('/programme')).body)).toContain('Your place is deferred');
    } finally {
      t.clock.set(NOW);
    }
  });

  it('show a register afresh after a reply, a mark and a participant placed', async () => {
    const b = await f.anAcceptedApplication({ course: COURSE, intakeId });
    const facilitator = await (await f.aStaffMember({ role: 'facilitator', scope: { scopeType: 'delivery_partner', scopeId: partnerId } })).signIn('10.60.0.4');
    const url = `/delivery/intakes/${intakeId}/register/b1`;
    const before = text((await facilitator.get(url)).body);
    expect(before).toContain('0 said they will attend');
    expect(text((await facilitator.get(url)).body)).toBe(before);
    const ben = await b.participant.signIn('10.60.0.5');
    expect((await ben.post(`/programme/${b.application.id}/sessions/b1/reply`, { reply: 'cannot_attend', reason: 'Parents’ evening' })).statusCode).toBe(303);
    expect(text((await facilitator.get(url)).body)).toContain('Said they cannot attend: Parents’ evening');
    // Another register of the same person is its own page.
    expect((await set(lead, intakeId, 'b2', { ...day('date', '2026-12-01'), startTime: '17:00', endTime: '18:00', joinUrl: 'https://meet.example.org/b2' })).statusCode).toBe(303);
    expect(text((await facilitator.get(`/delivery/intakes/${intakeId}/register/b2`)).body)).toContain('Register: Support and guidance');
    // A participant placed in the intake appears.
    const c = await f.anAcceptedApplication({ course: COURSE, intakeId });
    expect((await facilitator.get(url)).body).toContain(c.participant.name);
  });
});
