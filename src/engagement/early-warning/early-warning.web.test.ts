import { and, eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { auditEvents } from '../../audit/audit.schema';
import { attendance } from '../../learning/learning.schema';
import { factoriesFor, type Person, setUp } from '../../testing/factories';
import { aDeliveryIntake, dateFields as day, type Placed, setPlanEntry as set } from '../../testing/plan-form';
import { expectMatchesDocument } from '../../testing/openapi-check';
import { cohortIdentifiers } from '../../enrolment/enrolment.queries';
import { useMailHarness } from '../../testing/smtp';
import { type Client, deliverEvents, useTestApp } from '../../testing/test-app';
import { engagementSnapshots } from '../engagement.schema';

/**
 * Issue 11 item 4, through the pages and the jobs: Ben misses the first event and a briefing and
 * does nothing, Ann comes to both; the nightly run flags Ben at risk with each signal and its weight;
 * his partner's lead and his group's facilitator see him flagged with the reasons, another partner's
 * lead never does; the lead records a follow-up (refused first for want of how, with the note kept)
 * and the flag clears until Ben misses another event; a follow-up taken back brings it back; the
 * weekly digest names him to those who support him, once a week, over SMTP.
 */
const t = useTestApp();
const f = factoriesFor(t);
const mail = useMailHarness(t);

let intakeId: string;
let partnerId: string;
let ann: Placed;
let ben: Placed;
let lead: Client;
let leadPerson: Person;
let fiona: Person;
let ip = 0;
const nextIp = () => `10.114.0.${++ip}`;
const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
const snapshotOf = async (enrolmentId: string) => (await t.database.db.select().from(engagementSnapshots).where(eq(engagementSnapshots.enrolmentId, enrolmentId)))[0]!;
const mark = (itemKey: string, enrolmentId: string, status: 'present' | 'absent') => t.database.db.insert(attendance).values({ intakeId, itemKey, enrolmentId, status, recordedAt: t.clock.now() });

beforeAll(async () => {
  const setup = await aDeliveryIntake(t, f, { participants: 2, remoteAddress: '10.114.1.1' });
  ({ intakeId, partnerId, lead } = setup);
  [ann, ben] = setup.placed as [Placed, Placed];
  fiona = await f.aStaffMember({ role: 'facilitator', scope: { scopeType: 'delivery_partner', scopeId: partnerId }, name: 'Fiona Facilitator' });
  leadPerson = await f.aStaffMember({ role: 'delivery_partner_lead', scope: { scopeType: 'delivery_partner', scopeId: partnerId }, name: 'Lee Lead' });
  const group = await t.services.learning.saveGroup(leadPerson.actor, intakeId, null, { name: 'Group A', facilitatorUserId: fiona.userId });
  await t.services.learning.assignGroups(leadPerson.actor, intakeId, { [ann.enrolmentId]: group, [ben.enrolmentId]: group });
  expect((await set(lead, intakeId, 'e1', { ...day('date', '2026-12-10'), startTime: '10:00', endTime: '16:00', venueId: setup.venueId })).statusCode).toBe(303);
  expect((await set(lead, intakeId, 'e2', { ...day('date', '2027-01-14'), startTime: '10:00', endTime: '16:00', venueId: setup.venueId })).statusCode).toBe(303);
  t.clock.set('2026-12-11T09:00:00Z');
  await mark('e1', ann.enrolmentId, 'present');
  await mark('e1', ben.enrolmentId, 'absent');
  lead = await leadPerson.signIn(nextIp());
  await t.services.engagement.refreshEngagement();
});

describe('signals, weights and the flag', () => {
  it('flags Ben, who missed the event and is far behind, with each reason and its weight; not Ann', async () => {
    const b = await snapshotOf(ben.enrolmentId);
    expect(b.atRisk).toBe(true);
    expect(b.riskSignals.map((s) => [s.signal, s.weight])).toEqual([
      ['behind_hours', 4],
      ['missed_sessions', 2],
    ]);
    expect(b.riskScore).toBe(6);
    expect(b.flaggedSince?.toISOString()).toMatch(/^2026-12-11T09:0/);
    expect((await snapshotOf(ann.enrolmentId)).atRisk).toBe(false);
  });

  it('shows the lead and the facilitator Ben flagged on their lists, with the reasons; the filter lists only him', async () => {
    for (const who of [lead, await fiona.signIn(nextIp())]) {
      const words = text((await who.get('/engagement')).body);
      expect(words).toContain('1 flagged at risk.');
      expect(words).toContain('At risk Engagement 0%, below the 90% expected (weight 4); Missed 1 session without catching up (weight 2)');
      const flagged = text((await who.get('/engagement?risk=yes')).body);
      expect(flagged).toContain('1 participant matches');
      expect(flagged).toContain(ben.person.name);
      expect(flagged).not.toContain(ann.person.name);
    }
    const csv = (await lead.get('/engagement.csv?risk=yes')).body;
    expect(csv.split('\n')[0]).toContain('At risk,Risk score,Signals,Flagged since');
    expect(csv).toMatch(/,yes,6,"Engagement 0%, below the 90% expected \(weight 4\); Missed 1 session without catching up \(weight 2\)",2026-12-11T09:0\d:\d\d\.000Z,/);
  });

  it('shows every signal, its weight and the total on his page, and how signals are weighed', async () => {
    const words = text((await lead.get(`/engagement/participants/${ben.enrolmentId}`)).body);
    expect(words).toContain('At risk: their signals weigh 6, at or above the 5 that flags a participant.');
    expect(words).toContain('Engagement 0%, below the 90% expected 4 Missed 1 session without catching up 2 Total 6 (flagged at 5)');
    expect(words).toContain('2 for each session missed without an excuse or catching up, up to 6');
  });

  it('refuses everyone else: another partner’s lead, a participant, and nonsense', async () => {
    const { partners } = await t.services.catalogue.partnersAndVenues((await f.aStaffMember({ role: 'provider_admin' })).actor);
    const other = await (await f.aStaffMember({ role: 'delivery_partner_lead', scope: { scopeType: 'delivery_partner', scopeId: partners.find((p) => p.id !== partnerId)!.id } })).signIn(nextIp());
    expect(text((await other.get('/engagement?risk=yes')).body)).not.toContain(ben.person.name);
    expect((await other.get(`/engagement/participants/${ben.enrolmentId}`)).statusCode).toBe(404);
    expect((await other.post(`/engagement/participants/${ben.enrolmentId}/follow-ups`, { kind: 'called' }, { follow: false })).statusCode).toBe(404);
    const me = await ann.person.signIn(nextIp());
    expect((await me.post(`/engagement/participants/${ben.enrolmentId}/follow-ups`, { kind: 'called' }, { follow: false })).statusCode).toBe(403);
    expect((await lead.post('/engagement/participants/nonsense/follow-ups', { kind: 'called' }, { follow: false })).statusCode).toBe(404);
    expect((await snapshotOf(ben.enrolmentId)).atRisk).toBe(true);
  });
});

describe('the API (issue 11 item 6: at-risk flags)', () => {
  const call = f.anApiClient();

  it('gives the flag, score and signals per participant and per cohort, filtered to those at risk, as the OpenAPI document says', async () => {
    const { participantId, cohortId } = await t.services.applications.mine(ben.person.actor, ben.enrolmentId);
    const one = await call('GET', `/api/v1/participants/${participantId}/engagement`);
    expect(one.statusCode).toBe(200);
    expect(one.json().places[0]).toMatchObject({ at_risk: true, risk_score: 6, risk_signals: [{ signal: 'behind_hours', weight: 4 }, { signal: 'missed_sessions', weight: 2, reason: 'Missed 1 session without catching up' }] });
    await expectMatchesDocument(t.app, 'get', '/api/v1/participants/{id}/engagement', one.json());
    const cohort = (await cohortIdentifiers(t.database.db)).get(cohortId!)!;
    const list = await call('GET', `/api/v1/cohorts/${cohort}/engagement?filter[at_risk]=true`);
    expect(list.statusCode).toBe(200);
    expect(list.json().data.map((r: { full_name: string }) => r.full_name)).toContain(ben.person.name);
    expect(list.json().data.every((r: { at_risk: boolean }) => r.at_risk)).toBe(true);
    expect(list.json().data.find((r: { full_name: string }) => r.full_name === ben.person.name).flagged_since).toMatch(/^2026-12-11T09:0/);
    await expectMatchesDocument(t.app, 'get', '/api/v1/cohorts/{identifier}/engagement', list.json());
    expect((await call('GET', `/api/v1/cohorts/${cohort}/engagement?filter[at_risk]=maybe`)).json().error.code).toBe('validation_failed');
  });
});

describe('following up', () => {
  it('refuses a follow-up without how, keeping the note, then records it and clears the flag', async () => {
    const refused = await lead.post(`/engagement/participants/${ben.enrolmentId}/follow-ups`, { note: 'Rang; he has been ill.' }, { follow: false });
    expect(refused.statusCode).toBe(422);
    expect(refused.body).toContain('govuk-error-summary');
    expect(text(refused.body)).toContain('Select how you followed them up');
    expect(refused.body).toContain('Rang; he has been ill.</textarea>');
    const done = await lead.post(`/engagement/participants/${ben.enrolmentId}/follow-ups`, { kind: 'called', note: 'Rang; he has been ill.' }, { follow: false });
    expect(done.statusCode).toBe(303);
    const page = text((await lead.get(done.headers.location as string)).body);
    expect(page).toContain('Your follow-up is recorded.');
    expect(page).toContain('Followed up: their signals weigh 6, but the last follow-up covered every one of them.');
    expect(page).toMatch(/Called them — Lee Lead, .* Rang; he has been ill\./);
    const b = await snapshotOf(ben.enrolmentId);
    expect([b.atRisk, b.flaggedSince]).toEqual([false, null]);
    const list = text((await lead.get('/engagement')).body);
    expect(list).toContain('0 flagged at risk.');
    expect(list).toContain(`${ben.person.name} NPQLT, Midlands Teaching School Hub Followed up`);
    const [audited] = await t.database.db.select().from(auditEvents).where(and(eq(auditEvents.action, 'engagement.followed_up'), eq(auditEvents.entityId, ben.enrolmentId)));
    expect(audited).toBeDefined();
  });

  it('keeps it cleared through the nightly run, and flags him again when he misses another event', async () => {
    t.clock.set('2026-12-12T09:00:00Z');
    await t.services.engagement.refreshEngagement();
    expect((await snapshotOf(ben.enrolmentId)).atRisk).toBe(false);
    t.clock.set('2027-01-15T09:00:00Z');
    await mark('e2', ann.enrolmentId, 'present');
    await mark('e2', ben.enrolmentId, 'absent');
    await t.services.engagement.refreshEngagement();
    const b = await snapshotOf(ben.enrolmentId);
    expect(b.atRisk).toBe(true);
    expect(b.riskSignals.find((s) => s.signal === 'missed_sessions')?.reason).toBe('Missed 2 sessions without catching up');
    expect(b.flaggedSince?.toISOString()).toMatch(/^2027-01-15T09:0/);
  });

  it('lets its recorder take a follow-up back within 30 minutes, which brings the flag back; not after', async () => {
    // A month on: signed in afresh.
    lead = await leadPerson.signIn(nextIp());
    expect((await lead.post(`/engagement/participants/${ben.enrolmentId}/follow-ups`, { kind: 'met' }, { follow: false })).statusCode).toBe(303);
    const [latest] = await t.services.engagement.followUpsOf(leadPerson.actor, ben.enrolmentId);
    expect(latest).toMatchObject({ kind: 'met', mayUndo: true });
    // Fiona may not take back Lee's.
    const fionaClient = await fiona.signIn(nextIp());
    const notHers = await fionaClient.post(`/engagement/participants/${ben.enrolmentId}/follow-ups/${latest!.id}/undo`, {}, { follow: false });
    expect(notHers.statusCode).toBe(422);
    expect(text(notHers.body)).toContain('Only the person who recorded a follow-up can take it back');
    const undone = await lead.post(`/engagement/participants/${ben.enrolmentId}/follow-ups/${latest!.id}/undo`, {}, { follow: false });
    expect(undone.statusCode).toBe(303);
    expect((await snapshotOf(ben.enrolmentId)).atRisk).toBe(true);
    await lead.post(`/engagement/participants/${ben.enrolmentId}/follow-ups`, { kind: 'emailed' }, { follow: false });
    const [again] = await t.services.engagement.followUpsOf(leadPerson.actor, ben.enrolmentId);
    t.clock.set(new Date(again!.recordedAt.getTime() + 31 * 60_000).toISOString());
    const late = await lead.post(`/engagement/participants/${ben.enrolmentId}/follow-ups/${again!.id}/undo`, {}, { follow: false });
    expect(late.statusCode).toBe(422);
    expect(text(late.body)).toContain('A follow-up can be taken back only within 30 minutes of recording it');
    expect((await snapshotOf(ben.enrolmentId)).atRisk).toBe(false);
  });
});

describe('the weekly digest', () => {
  it('names those newly flagged to their lead and facilitator, once a week, with no reasons in the email', async () => {
    // Flagged again from Ben missing a briefing: a new signal after the last follow-up.
    t.clock.set('2027-01-18T09:00:00Z');
    await set(lead, intakeId, 'b1', { ...day('date', '2027-01-16'), startTime: '10:00', endTime: '11:00', joinUrl: 'https://meet.example.org/b1' });
    await mark('b1', ben.enrolmentId, 'absent');
    await t.services.engagement.refreshEngagement();
    expect((await snapshotOf(ben.enrolmentId)).atRisk).toBe(true);
    const site = { baseUrl: 'http://npq.test', providerName: 'Test Provider' };
    expect(await t.services.engagement.sendRiskDigests(site)).toBeGreaterThanOrEqual(2);
    expect(await t.services.engagement.sendRiskDigests(site)).toBe(0);
    await mail.flush();
    for (const who of [leadPerson, fiona]) {
      const digests = (await mail.to(who.email)).filter((m) => m.subject.includes('newly flagged at risk'));
      expect(digests.map((m) => m.subject)).toEqual(['1 participant newly flagged at risk']);
      expect(digests[0]!.text).toContain(`- ${ben.person.name}: 2 signals, weighing 10`);
      expect(digests[0]!.text).toContain(`/engagement/participants/${ben.enrolmentId}`);
      expect(digests[0]!.text).not.toContain('Missed');
    }
  });
});

describe('from trying it from outside', () => {
  it('refuses a follow-up acknowledging signals its recorder never saw, saying so at the form and keeping the note', async () => {
    lead = await leadPerson.signIn(nextIp());
    const refused = await lead.post(`/engagement/participants/${ben.enrolmentId}/follow-ups`, { kind: 'called', note: 'Left a message.', seen: 'stale' });
    expect(refused.statusCode).toBe(422);
    expect(text(refused.body)).toContain('Something has changed since you opened this page: read the signals again, then record your follow-up');
    expect(refused.body).toContain('href="#follow-up"');
    expect(refused.body).toContain('Left a message.</textarea>');
    // With what the page shows, it goes through.
    const page = (await lead.get(`/engagement/participants/${ben.enrolmentId}`)).body;
    const seen = page.match(/name="seen" value="([^"]+)"/)![1]!;
    expect((await lead.post(`/engagement/participants/${ben.enrolmentId}/follow-ups`, { kind: 'called', note: 'Left a message.', seen }, { follow: false })).statusCode).toBe(303);
  });

  it('flags nobody deferred, tells why on their page, and refuses a follow-up at the form, keeping the note; a withdrawn participant leaves the lists at once', async () => {
    await t.services.applications.changeParticipant(setUp, ben.enrolmentId, 'defer', { reason: 'long-term-sickness' });
    await deliverEvents(t);
    expect((await snapshotOf(ben.enrolmentId)).atRisk).toBe(false);
    const page = text((await lead.get(`/engagement/participants/${ben.enrolmentId}`)).body);
    expect(page).toContain('Not flagged: their training is deferred, and only participants in training are flagged.');
    const refused = await lead.post(`/engagement/participants/${ben.enrolmentId}/follow-ups`, { kind: 'called', note: 'Rang about his return.' });
    expect(refused.statusCode).toBe(422);
    expect(refused.body).toContain('href="#follow-up"');
    expect(refused.body).toContain('Rang about his return.</textarea>');
    await t.services.applications.changeParticipant(setUp, ben.enrolmentId, 'resume', {});
    await t.services.applications.changeParticipant(setUp, ben.enrolmentId, 'withdraw', { reason: 'other' });
    await deliverEvents(t);
    expect(await t.database.db.select().from(engagementSnapshots).where(eq(engagementSnapshots.enrolmentId, ben.enrolmentId))).toEqual([]);
    expect(text((await lead.get('/engagement.csv')).body)).not.toContain(ben.person.name);
  });

  it('sends the digest once a week, on the first run from 07:00 on Monday, to a lead for the groups they facilitate in another partner too', async () => {
    const { partners } = await t.services.catalogue.partnersAndVenues(setUp);
    const north = partners.find((p) => p.id !== partnerId)!.id;
    const dana = { email: 'dana.both@school.test', userId: '' };
    dana.userId = await t.services.people.createUserDirectly({ name: 'Dana Both', email: dana.email, password: 'Correct-Horse-Battery-2026!', roles: [{ role: 'delivery_partner_lead', scopeType: 'delivery_partner', scopeId: north }, { role: 'facilitator', scopeType: 'delivery_partner', scopeId: partnerId }] });
    const group = await t.services.learning.saveGroup(leadPerson.actor, intakeId, null, { name: 'Group D', facilitatorUserId: dana.userId });
    await t.services.learning.assignGroups(leadPerson.actor, intakeId, { [ann.enrolmentId]: group });
    const site = { baseUrl: 'http://npq.test', providerName: 'Test Provider' };
    // Monday 25 January 2027, 06:30 UK: too early. 07:30: the week's digests, though nobody is new.
    t.clock.set('2027-01-25T06:30:00Z');
    expect(await t.services.engagement.sendRiskDigests(site)).toBe(0);
    t.clock.set('2027-01-25T07:30:00Z');
    await t.services.engagement.sendRiskDigests(site);
    // Thursday: Ann misses a session and is flagged; the week's digests are done, so she waits for Monday's.
    t.clock.set('2027-01-28T09:00:00Z');
    await set(await leadPerson.signIn(nextIp()), intakeId, 'b2', { ...day('date', '2027-01-27'), startTime: '10:00', endTime: '11:00', joinUrl: 'https://meet.example.org/b2' });
    for (const key of ['b1', 'b2']) await mark(key, ann.enrolmentId, 'absent');
    await t.services.engagement.refreshEngagement();
    expect((await snapshotOf(ann.enrolmentId)).atRisk).toBe(true);
    expect(await t.services.engagement.sendRiskDigests(site)).toBe(0);
    t.clock.set('2027-02-01T08:00:00Z');
    expect(await t.services.engagement.sendRiskDigests(site)).toBeGreaterThanOrEqual(1);
    await mail.flush();
    const toDana = (await mail.to(dana.email)).filter((m) => m.subject.includes('newly flagged at risk'));
    expect(toDana.map((m) => m.subject)).toEqual(['1 participant newly flagged at risk']);
    expect(toDana[0]!.text).toContain(`- ${ann.person.name}:`);
  });
});
