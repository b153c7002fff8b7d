import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { qualifications } from '../../catalogue/catalogue.schema';
import { enrolments } from '../../enrolment/enrolment.schema';
import { attendance } from '../../learning/learning.schema';
import { factoriesFor, type Person } from '../../testing/factories';
import { expectMatchesDocument } from '../../testing/openapi-check';
import { cohortIdentifiers } from '../../enrolment/enrolment.queries';
import { engagementSnapshots } from '../engagement.schema';
import { aDeliveryIntake, dateFields as day, type Placed, setPlanEntry as set } from '../../testing/plan-form';
import { type Client, useTestApp } from '../../testing/test-app';

/**
 * Issue 11 item 3, through the pages: one event held, Ann at it and Ben not; the nightly run computes
 * everyone's engagement; Ann sees hers on her programme; the partner's lead, its facilitators and a
 * coach of Ben's see lists (filters, sorting, CSV, chart) of whom they may; nobody else does.
 */
const t = useTestApp();
const f = factoriesFor(t);

let intakeId: string;
let partnerId: string;
let ann: Placed;
let ben: Placed;
let lead: Client;
let coach: Person;
let ip = 0;
const nextIp = () => `10.113.0.${++ip}`;
const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');

beforeAll(async () => {
  const setup = await aDeliveryIntake(t, f, { participants: 2, remoteAddress: '10.113.1.1' });
  ({ intakeId, partnerId, lead } = setup);
  [ann, ben] = setup.placed as [Placed, Placed];
  // Ann and Ben in Group A, led by Fiona; the first event, on 10 December, is a day (10:00 to 16:00).
  const fiona = await f.aStaffMember({ role: 'facilitator', scope: { scopeType: 'delivery_partner', scopeId: partnerId }, name: 'Fiona Facilitator' });
  const leadActor = (await f.aStaffMember({ role: 'delivery_partner_lead', scope: { scopeType: 'delivery_partner', scopeId: partnerId } })).actor;
  const group = await t.services.learning.saveGroup(leadActor, intakeId, null, { name: 'Group A', facilitatorUserId: fiona.userId });
  await t.services.learning.assignGroups(leadActor, intakeId, { [ann.enrolmentId]: group, [ben.enrolmentId]: group });
  expect((await set(lead, intakeId, 'e1', { ...day('date', '2026-12-10'), startTime: '10:00', endTime: '16:00', venueId: setup.venueId })).statusCode).toBe(303);
  t.clock.set('2026-12-11T09:00:00Z');
  // The register as Fiona took it (the register's own pages are tried in learning's tests).
  await t.database.db.insert(attendance).values([
    { intakeId, itemKey: 'e1', enrolmentId: ann.enrolmentId, status: 'present', recordedAt: t.clock.now() },
    { intakeId, itemKey: 'e1', enrolmentId: ben.enrolmentId, status: 'absent', reason: 'Ill', recordedAt: t.clock.now() },
  ]);
  coach = await f.aStaffMember({ role: 'coach', scope: { scopeType: 'delivery_partner', scopeId: partnerId }, name: 'Cora Coach' });
  lead = await (await f.aStaffMember({ role: 'delivery_partner_lead', scope: { scopeType: 'delivery_partner', scopeId: partnerId } })).signIn(nextIp());
  expect((await lead.post('/coaching/allocations', { [`tutor-${ben.enrolmentId}`]: coach.userId }, { follow: false })).statusCode).toBe(303);
  const run = await t.services.engagement.refreshEngagement();
  expect(run.participants).toBeGreaterThanOrEqual(2);
});

describe('the participant’s own engagement', () => {
  it('shows Ann the event she attended counted, on track against 90%', async () => {
    const me = await ann.person.signIn(nextIp());
    const page = await me.get(`/programme/${ann.enrolmentId}/engagement`);
    expect(page.statusCode).toBe(200);
    const words = text(page.body);
    expect(words).toContain('100% engaged: on track (your NPQ expects at least 90%).');
    expect(words).toMatch(/Events attended \d+ hours? .*\d+ hours?/);
    // Another's, or nonsense: not found.
    expect((await me.get(`/programme/${ben.enrolmentId}/engagement`)).statusCode).toBe(404);
    expect((await me.get('/programme/nonsense/engagement')).statusCode).toBe(404);
    expect((await me.get('/engagement')).statusCode).toBe(403);
  });

  it('tells Ben he is below the threshold, what he is behind on and what to do', async () => {
    const me = await ben.person.signIn(nextIp());
    const words = text((await me.get(`/programme/${ben.enrolmentId}/engagement`)).body);
    expect(words).toContain('0% engaged: below the 90% your NPQ expects of participants to pass. Behind on events attended. Catch up on these, or talk to your personal tutor or facilitator .');
  });
});

describe('the lists', () => {
  it('the lead sees both, Ben flagged below, with a chart, filters, sorting and pages', async () => {
    const page = await lead.get('/engagement');
    expect(page.statusCode).toBe(200);
    const words = text(page.body);
    expect(words).toContain('2 participants; 1 below their NPQ’s threshold; 1 flagged at risk.');
    expect(page.body).toContain('Participants by engagement: 0–9%: 1,');
    expect(page.body).toContain('90–100%: 1');
    expect(page.body).toContain(`<strong class="govuk-tag govuk-tag--red">0%</strong>`);
    const below = text((await lead.get('/engagement?below=yes')).body);
    expect(below).toContain(ben.person.name);
    expect(below).not.toContain(ann.person.name);
    const lowest = await lead.get('/engagement?sort=lowest');
    expect(lowest.body.indexOf(ben.person.name)).toBeLessThan(lowest.body.indexOf(ann.person.name));
    const group = /<option value="([0-9a-f-]{36})">Group A<\/option>/.exec((await lead.get(`/engagement?intake=${intakeId}`)).body)?.[1];
    expect(group).toBeDefined();
    expect(text((await lead.get(`/engagement?intake=${intakeId}&group=${group}`)).body)).toContain('2 participants match');
    expect(text((await lead.get(`/engagement?intake=${intakeId}&group=none`)).body)).toContain('Nobody matches these filters.');
    // Nonsense in the address is left out, never an error.
    expect((await lead.get('/engagement?sort=evil&page=-3&cohort=x&below=maybe')).statusCode).toBe(200);
  });

  it('downloads the filtered list as CSV, with each component’s minutes', async () => {
    const csv = await lead.get('/engagement.csv?below=yes');
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    const lines = csv.body.replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(lines[0]).toContain('Participant,NPQ,Cohort,Delivery partner,Group,Events attended: expected minutes');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain(`${ben.person.name},NPQLT`);
    expect(lines[1]).toContain(',0,90,yes,');
  });

  it('a coach sees only whom they coach or tutor; another partner’s lead sees nobody; the detail page follows the same rule', async () => {
    const cora = await coach.signIn(nextIp());
    const words = text((await cora.get('/engagement')).body);
    expect(words).toContain(ben.person.name);
    expect(words).not.toContain(ann.person.name);
    expect((await cora.get(`/engagement/participants/${ben.enrolmentId}`)).statusCode).toBe(200);
    expect((await cora.get(`/engagement/participants/${ann.enrolmentId}`)).statusCode).toBe(404);
    const { partners } = await t.services.catalogue.partnersAndVenues({ kind: 'system', name: 'test' });
    const elsewhere = partners.find((p) => p.id !== partnerId)!.id;
    const otherLead = await (await f.aStaffMember({ role: 'delivery_partner_lead', scope: { scopeType: 'delivery_partner', scopeId: elsewhere } })).signIn(nextIp());
    expect(text((await otherLead.get('/engagement')).body)).toContain('0 participants; 0 below');
    expect((await otherLead.get(`/engagement/participants/${ann.enrolmentId}`)).statusCode).toBe(404);
    expect((await otherLead.get('/engagement.csv')).body.trim().split('\r\n')).toHaveLength(1);
    const facilitator = await (await f.aStaffMember({ role: 'facilitator', scope: { scopeType: 'delivery_partner', scopeId: partnerId } })).signIn(nextIp());
    expect(text((await facilitator.get('/engagement')).body)).toContain('2 participants');
  });

  it('the admin sees anyone’s, measured against the NPQ’s own threshold as the admin sets it', async () => {
    await t.database.db.update(qualifications).set({ engagementThresholdPercent: 100 }).where(eq(qualifications.identifier, 'npq-leading-teaching'));
    const admin = await (await f.aStaffMember({})).signIn(nextIp());
    const detail = text((await admin.get(`/engagement/participants/${ann.enrolmentId}`)).body);
    expect(detail).toContain('100% engaged: on track (their NPQ expects at least 100%).');
    expect(detail).toContain('Group A');
    expect(detail).not.toContain('Coaching held');
  });
});

describe('the API (issue 11 item 6)', () => {
  const call = f.anApiClient();
  const narrow = f.anApiClient({ scopes: ['applications:read'] });
  const coachToken = f.anApiClient({ role: 'coach' });

  it('gives a participant’s engagement, computed now, as the OpenAPI document says', async () => {
    const participantId = (await t.services.applications.mine(ben.person.actor, ben.enrolmentId)).participantId;
    const res = await call('GET', `/api/v1/participants/${participantId}/engagement`);
    expect(res.statusCode).toBe(200);
    expect(res.json().places[0]).toMatchObject({ application_id: ben.enrolmentId, percent: 0, below_threshold: true, components: expect.arrayContaining([expect.objectContaining({ component: 'events', evidenced_minutes: 0 })]) });
    await expectMatchesDocument(t.app, 'get', '/api/v1/participants/{id}/engagement', res.json());
    expect((await narrow('GET', `/api/v1/participants/${participantId}/engagement`)).statusCode).toBe(403);
    expect((await coachToken('GET', `/api/v1/participants/${participantId}/engagement`)).statusCode).toBe(404);
    expect((await call('GET', '/api/v1/participants/11111111-1111-4111-8111-111111111111/engagement')).statusCode).toBe(404);
  });

  it('gives a cohort’s engagement a page at a time, filtered to those below their threshold', async () => {
    const [snapshot] = await t.database.db.select().from(engagementSnapshots).where(eq(engagementSnapshots.enrolmentId, ben.enrolmentId));
    const cohort = (await cohortIdentifiers(t.database.db)).get(snapshot!.cohortId!)!;
    const res = await call('GET', `/api/v1/cohorts/${cohort}/engagement?filter[below_threshold]=true&page[per_page]=10`);
    expect(res.statusCode).toBe(200);
    expect(res.json().data.map((r: { application_id: string }) => r.application_id)).toContain(ben.enrolmentId);
    expect(res.json().data.every((r: { below_threshold: boolean }) => r.below_threshold)).toBe(true);
    await expectMatchesDocument(t.app, 'get', '/api/v1/cohorts/{identifier}/engagement', res.json());
    expect((await coachToken('GET', `/api/v1/cohorts/${cohort}/engagement`)).json().data).toEqual([]);
    expect((await call('GET', '/api/v1/cohorts/nope/engagement')).statusCode).toBe(404);
    expect((await call('GET', `/api/v1/cohorts/${cohort}/engagement?page[per_page]=500`)).json().error.code).toBe('validation_failed');
  });
});

describe('what trying to break it found', () => {
  const call = f.anApiClient();

  it('the API answers no rows past the last page, so a client paging until none come stops', async () => {
    const [snapshot] = await t.database.db.select().from(engagementSnapshots).where(eq(engagementSnapshots.enrolmentId, ben.enrolmentId));
    const cohort = (await cohortIdentifiers(t.database.db)).get(snapshot!.cohortId!)!;
    const res = await call('GET', `/api/v1/cohorts/${cohort}/engagement?page[per_page]=1&page[page]=99`);
    expect(res.json()).toMatchObject({ data: [], meta: { page: 99, per_page: 1 } });
  });

  it('a participant moved to another partner leaves the old partner’s list at once', async () => {
    const { partners } = await t.services.catalogue.partnersAndVenues({ kind: 'system', name: 'test' });
    const elsewhere = partners.find((p) => p.id !== partnerId)!.id;
    await t.database.db.update(enrolments).set({ deliveryPartnerId: elsewhere }).where(eq(enrolments.applicationId, ann.enrolmentId));
    const words = text((await lead.get('/engagement?q=Person')).body);
    expect(words).not.toContain(ann.person.name);
    await t.database.db.update(enrolments).set({ deliveryPartnerId: partnerId }).where(eq(enrolments.applicationId, ann.enrolmentId));
  });

  it('a withdrawn participant sees their own figures but is not put back on the lists', async () => {
    await t.database.db.update(enrolments).set({ trainingStatus: 'withdrawn' }).where(eq(enrolments.applicationId, ben.enrolmentId));
    const me = await ben.person.signIn(nextIp());
    expect((await me.get(`/programme/${ben.enrolmentId}/engagement`)).statusCode).toBe(200);
    expect(await t.database.db.select().from(engagementSnapshots).where(eq(engagementSnapshots.enrolmentId, ben.enrolmentId))).toEqual([]);
  });
});
