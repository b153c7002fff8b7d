import { eq, getTableColumns } from 'drizzle-orm';
import { coachingBookings, coachingSlots } from '../../coaching/coaching.schema';
import { beforeAll, describe, expect, it } from 'vitest';
import { attendance } from '../../learning/learning.schema';
import { factoriesFor, type Person, setUp } from '../../testing/factories';
import { aDeliveryIntake, dateFields, type Placed } from '../../testing/plan-form';
import { type Client, useTestApp } from '../../testing/test-app';
import { auditEvents } from '../../audit/audit.schema';
import { formReplays } from '../../platform/platform.schema';
import { feedbackResponses } from '../feedback.schema';

/**
 * Issue 11 item 5, through the pages: four participants attend Event 1, led by Fiona at the
 * partner's venue; one answers its survey (after a refusal), one skips it; Fiona sees nothing of it
 * until three have answered, the partner's lead sees it at once, another partner's lead never;
 * results per session, facilitator, venue, partner and cohort, comments and CSV; a module finished
 * gets its own survey. Responses are kept against no one.
 */
const t = useTestApp();
const f = factoriesFor(t);

let intakeId: string;
let partnerId: string;
let venueId: string;
let placed: Placed[];
let lead: Client;
let fiona: Person;
let ip = 0;
const nextIp = () => `10.115.0.${++ip}`;
const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
const surveyOf = (p: Placed, kind = 'session', key = 'e1') => `/programme/${p.enrolmentId}/feedback/${kind}/${key}`;

beforeAll(async () => {
  const setup = await aDeliveryIntake(t, f, { participants: 4, remoteAddress: '10.115.1.1' });
  ({ intakeId, partnerId, lead, placed, venueId } = setup);
  fiona = await f.aStaffMember({ role: 'facilitator', scope: { scopeType: 'delivery_partner', scopeId: partnerId }, name: 'Fiona Facilitator' });
  await t.services.learning.savePlanEntry(setUp, intakeId, 'e1', { date: '2026-11-20', startTime: '10:00', endTime: '16:00', venueId: setup.venueId, facilitatorUserId: fiona.userId });
  await t.services.learning.savePlanEntry(setUp, intakeId, 'c1m1', { releasesOn: '2026-11-01' });
  await t.database.db.insert(attendance).values(placed.map((p) => ({ intakeId, itemKey: 'e1', enrolmentId: p.enrolmentId, status: 'present', recordedAt: t.clock.now() })));
});

describe('the participant’s surveys', () => {
  it('asks after the event they attended, refuses an answer without a rating keeping the comment, then takes it once', async () => {
    const me = await placed[0]!.person.signIn(nextIp());
    const list = text((await me.get(`/programme/${placed[0]!.enrolmentId}/feedback`)).body);
    expect(list).toContain('Event 1: Starting out Event or briefing');
    const refused = await me.post(surveyOf(placed[0]!), { action: 'send', comment: 'Useful, if long.' }, { follow: false });
    // Answered at once, not kept for post/redirect/get: a kept page would hold the comment against this place.
    expect(refused.statusCode).toBe(422);
    expect(JSON.stringify(await t.database.db.select().from(formReplays))).not.toContain('Useful, if long.');
    expect(refused.body).toContain('govuk-error-summary');
    expect(text(refused.body)).toContain('Select how good it was, or skip this survey');
    expect(refused.body).toContain('Useful, if long.</textarea>');
    const sent = await me.post(surveyOf(placed[0]!), { action: 'send', rating: '4', comment: 'Useful, if long.' }, { follow: false });
    expect(sent.statusCode).toBe(303);
    const after = text((await me.get(sent.headers.location as string)).body);
    expect(after).toContain('Thank you: your feedback is sent.');
    expect(after).toContain('Nothing to tell us about just now.');
    // Sent again (a second tab): told plainly, nothing kept twice.
    const again = await me.post(surveyOf(placed[0]!), { action: 'send', rating: '1' }, { follow: false });
    expect(again.statusCode).toBe(303);
    expect(text((await me.get(again.headers.location as string)).body)).toContain('You have already answered or skipped this survey');
    expect(await t.database.db.select().from(feedbackResponses)).toHaveLength(1);
  });

  it('lets a participant skip it, and never ask again', async () => {
    const me = await placed[1]!.person.signIn(nextIp());
    const skipped = await me.post(surveyOf(placed[1]!), { action: 'skip', rating: '' }, { follow: false });
    expect(skipped.statusCode).toBe(303);
    expect(text((await me.get(skipped.headers.location as string)).body)).toContain('Survey skipped. It will not be asked again.');
    // Opened again (a bookmark): told it is done, not "not found".
    const reopened = await me.get(surveyOf(placed[1]!));
    expect(reopened.statusCode).toBe(303);
    expect(text((await me.get(reopened.headers.location as string)).body)).toContain('You have already answered or skipped this survey');
    expect(await t.database.db.select().from(feedbackResponses)).toHaveLength(1);
  });

  it('keeps no response against anyone, nor when it came, nor an audit of who answered, and refuses another’s survey and nonsense', async () => {
    expect(Object.keys(getTableColumns(feedbackResponses))).not.toContain('enrolmentId');
    expect((await t.database.db.select().from(feedbackResponses)).map((r) => r.answeredIn)).toEqual(['2026-11']);
    expect((await t.database.db.select().from(auditEvents)).filter((e) => e.action.startsWith('feedback.'))).toEqual([]);
    const me = await placed[2]!.person.signIn(nextIp());
    expect((await me.get(surveyOf(placed[3]!))).statusCode).toBe(404);
    expect((await me.post(surveyOf(placed[3]!), { action: 'send', rating: '5' }, { follow: false })).statusCode).toBe(404);
    expect((await me.get(`/programme/${placed[2]!.enrolmentId}/feedback/nonsense/e1`)).statusCode).toBe(404);
    expect((await me.get(`/programme/${placed[2]!.enrolmentId}/feedback/session/e9`)).statusCode).toBe(404);
    expect((await me.post(surveyOf(placed[2]!), { action: 'send', rating: '7' }, { follow: false })).statusCode).toBe(422);
    expect((await me.post(surveyOf(placed[2]!), { action: 'send', rating: '5', comment: 'x'.repeat(1001) }, { follow: false })).statusCode).toBe(422);
    expect((await me.get('/feedback')).statusCode).toBe(403);
  });

  it('asks after a module they finished', async () => {
    const p = placed[3]!;
    for (const key of ['c1m1a1', 'c1m1a2']) await t.services.learning.markDone(p.person.actor, p.enrolmentId, key, true);
    await t.services.learning.writeReflection(p.person.actor, p.enrolmentId, 'c1m1a3', 'I will plan for retrieval practice.');
    const me = await p.person.signIn(nextIp());
    expect(text((await me.get(`/programme/${p.enrolmentId}/feedback`)).body)).toContain('How pupils learn Online module');
    expect((await me.post(surveyOf(p, 'module', 'c1m1'), { action: 'send', rating: '5', comment: 'Clear and practical.' }, { follow: false })).statusCode).toBe(303);
  });
});

describe('the results', () => {
  it('hides what Fiona led from her until three have answered; her lead sees it at once', async () => {
    const asFiona = await fiona.signIn(nextIp());
    const hidden = text((await asFiona.get('/feedback')).body);
    expect(hidden).toContain('You see what you led, once at least 3 people have answered.');
    expect(hidden).toContain('Fewer than 3 responses: not shown');
    expect(hidden).not.toContain('Useful, if long.');
    expect((await asFiona.get('/feedback.csv')).body.trim().split('\n')).toHaveLength(1);
    const leads = text((await lead.get('/feedback')).body);
    expect(leads).toMatch(/Event 1: Starting out, [^|]*? Event or briefing 1 4\.0 out of 5 Very good 0, Good 1, Neither good nor poor 0, Poor 0, Very poor 0 1/);
    expect(leads).toContain('How pupils learn');
  });

  it('shows Fiona the figures and comments, in no telling order, once three have answered', async () => {
    for (const [i, rating, comment] of [
      [2, '2', 'Too much talk, too little practice.'],
      [3, '5', ''],
    ] as const) {
      const me = await placed[i]!.person.signIn(nextIp());
      expect((await me.post(surveyOf(placed[i]!), { action: 'send', rating, comment }, { follow: false })).statusCode).toBe(303);
    }
    const asFiona = await fiona.signIn(nextIp());
    const page = text((await asFiona.get('/feedback')).body);
    expect(page).toMatch(/Event 1: Starting out, [^|]*? Event or briefing 3 3\.7 out of 5 Very good 1, Good 1, Neither good nor poor 0, Poor 1, Very poor 0 2/);
    // The module had no facilitator: not Fiona's to see.
    expect(page).not.toContain('How pupils learn');
    const link = (await asFiona.get('/feedback')).body.match(/href="(\/feedback\/comments\?[^"]+)"/)![1]!.replace(/&amp;/g, '&');
    const comments = text((await asFiona.get(link)).body);
    expect(comments).toContain('3 responses, average 3.7 out of 5; 2 with a comment.');
    expect(comments.indexOf('Useful, if long.')).toBeLessThan(comments.indexOf('Too much talk'));
    const csv = (await asFiona.get('/feedback.csv')).body;
    expect(csv.trim().split('\n')).toHaveLength(4);
    expect(csv).toContain('Event or briefing,Event 1: Starting out');
    expect(csv).toContain('Fiona Facilitator,2,"Too much talk, too little practice."');
  });

  it('groups per facilitator, venue, partner and cohort, and filters by kind', async () => {
    expect(text((await lead.get('/feedback?by=facilitator')).body)).toMatch(/Fiona Facilitator 3 3\.7 out of 5.*No facilitator named 1 5\.0 out of 5/);
    expect(text((await lead.get('/feedback?by=venue')).body)).toContain('Online or no venue 1 5.0 out of 5');
    expect(text((await lead.get('/feedback?by=partner')).body)).toMatch(/Midlands Teaching School Hub 4 4\.0 out of 5/);
    expect(text((await lead.get('/feedback?by=cohort')).body)).toMatch(/2026a 4 4\.0 out of 5/);
    expect(text((await lead.get('/feedback?kind=module')).body)).toContain('1 response matches.');
    // Nonsense in the address is left out, never an error.
    expect((await lead.get('/feedback?by=nope&kind=nope&cohort=1')).statusCode).toBe(200);
    expect((await lead.get('/feedback/comments?by=subject&value=%27%3B--')).statusCode).toBe(404);
  });

  it('never lets Fiona subtract one view from another: a session of hers with one response is in no figure of hers, and no filter splits a session', async () => {
    await t.services.learning.savePlanEntry(setUp, intakeId, 'e2', { date: '2026-11-24', startTime: '10:00', endTime: '16:00', venueId, facilitatorUserId: fiona.userId });
    await t.database.db.insert(attendance).values({ intakeId, itemKey: 'e2', enrolmentId: placed[3]!.enrolmentId, status: 'present', recordedAt: t.clock.now() });
    const me = await placed[3]!.person.signIn(nextIp());
    expect((await me.post(surveyOf(placed[3]!, 'session', 'e2'), { action: 'send', rating: '1', comment: 'E2: only I was there.' }, { follow: false })).statusCode).toBe(303);
    const asFiona = await fiona.signIn(nextIp());
    const bySubject = text((await asFiona.get('/feedback')).body);
    expect(bySubject).toMatch(/Event 2: Leading the change, [^|]*? Event or briefing – – Fewer than 3 responses: not shown –/);
    expect(bySubject).toContain('3 responses shown.');
    // Per facilitator: Event 1's three alone, not four.
    expect(text((await asFiona.get('/feedback?by=facilitator')).body)).toMatch(/Fiona Facilitator 3 3\.7 out of 5/);
    // Groupings and filters that could split a session are not offered, and are ignored if asked for.
    expect(text((await asFiona.get('/feedback?by=venue&cohort=00000000-0000-4000-8000-000000000000')).body)).toMatch(/Event 1: Starting out, [^|]*? Event or briefing 3 3\.7 out of 5/);
    const csv = (await asFiona.get('/feedback.csv')).body;
    expect(csv).not.toContain('E2: only I was there.');
    expect(csv.split('\n')[0]).not.toMatch(/Cohort|Answered in|Delivery partner/);
    const value = encodeURIComponent(`${intakeId}|session|e2`);
    expect(text((await asFiona.get(`/feedback/comments?by=subject&value=${value}`)).body)).not.toContain('E2: only I was there.');
    // Her lead sees it, as the provider does.
    expect(text((await lead.get(`/feedback/comments?by=subject&value=${value}`)).body)).toContain('E2: only I was there.');
  });

  it('asks a withdrawn participant nothing more', async () => {
    await t.services.learning.savePlanEntry(setUp, intakeId, 'b1', { date: '2026-11-24', startTime: '17:00', endTime: '18:00', joinUrl: 'https://meet.example.org/b1' });
    await t.database.db.insert(attendance).values({ intakeId, itemKey: 'b1', enrolmentId: placed[1]!.enrolmentId, status: 'present', recordedAt: t.clock.now() });
    const me = await placed[1]!.person.signIn(nextIp());
    expect((await me.get(surveyOf(placed[1]!, 'session', 'b1'))).statusCode).toBe(200);
    await t.services.applications.changeParticipant(setUp, placed[1]!.enrolmentId, 'withdraw', { reason: 'other' });
    expect((await me.get(surveyOf(placed[1]!, 'session', 'b1'))).statusCode).toBe(404);
    expect((await me.post(surveyOf(placed[1]!, 'session', 'b1'), { action: 'send', rating: '3' }, { follow: false })).statusCode).toBe(404);
  });

  it('shows another partner’s lead nothing of it', async () => {
    const { partners } = await t.services.catalogue.partnersAndVenues(setUp);
    const other = await (await f.aStaffMember({ role: 'delivery_partner_lead', scope: { scopeType: 'delivery_partner', scopeId: partners.find((p) => p.id !== partnerId)!.id } })).signIn(nextIp());
    const page = text((await other.get('/feedback')).body);
    expect(page).toContain('0 responses.');
    expect((await other.get('/feedback.csv')).body.trim().split('\n')).toHaveLength(1);
  });
});

describe('a coaching session’s survey', () => {
  it('asks after a session held, and gives it to the coach as theirs, with the threshold', async () => {
    const intake = (await f.anIntake({ course: 'npq-headship', deliveryPartnerId: partnerId })).id;
    const a = await f.anAcceptedApplication({ course: 'npq-headship', intakeId: intake });
    const kit = await f.aStaffMember({ role: 'coach', scope: { scopeType: 'delivery_partner', scopeId: partnerId }, name: 'Kit Coach' });
    await t.services.coaching.saveAllocations(setUp, [{ enrolmentId: a.application.id, kind: 'coach', coachUserId: kit.userId }]);
    const asKit = await kit.signIn(nextIp());
    await asKit.post('/coaching/slots', { ...dateFields('date', '2026-11-25'), time: '11:00', minutes: '60', weeks: '1', mode: 'online', joinUrl: 'https://meet.example/k', location: '' });
    const [slot] = await t.database.db.select().from(coachingSlots).where(eq(coachingSlots.coachUserId, kit.userId));
    await t.services.coaching.bookSlot(a.participant.actor, a.application.id, slot!.id);
    const [booking] = await t.database.db.select().from(coachingBookings).where(eq(coachingBookings.enrolmentId, a.application.id));
    t.clock.set('2026-11-25T12:30:00Z');
    await t.services.coaching.recordSession(kit.actor, booking!.id, { outcome: 'held', heldMinutes: '60', privateNotes: '', agreedActions: '' });
    const me = await a.participant.signIn(nextIp());
    expect(text((await me.get(`/programme/${a.application.id}/feedback`)).body)).toContain('Coaching with Kit Coach Coaching session');
    expect((await me.post(`/programme/${a.application.id}/feedback/coaching/${booking!.id}`, { action: 'send', rating: '5', comment: 'Just what I needed.' }, { follow: false })).statusCode).toBe(303);
    expect(text((await lead.get('/feedback?kind=coaching&by=facilitator')).body)).toContain('Kit Coach 1 5.0 out of 5');
    const kitsOwn = text((await (await kit.signIn(nextIp())).get('/feedback')).body);
    expect(kitsOwn).toContain('Fewer than 3 responses: not shown');
    expect(kitsOwn).not.toContain('Fiona');
  });
});
