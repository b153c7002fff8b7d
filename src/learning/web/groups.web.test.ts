import { beforeAll, describe, expect, it } from 'vitest';
import { auditEvents } from '../../audit/audit.schema';
import { factoriesFor, type Person, setUp } from '../../testing/factories';
import { aDeliveryIntake, dateFields as day, type Placed, setPlanEntry as set } from '../../testing/plan-form';
import { type Client, useTestApp } from '../../testing/test-app';

/**
 * Issue 10 item 2: an intake split into groups, each with its own facilitator, register and module
 * discussion; a facilitator assigned to lead each session. Item 7: participants read only their own
 * group's discussion and the whole intake's.
 */
const t = useTestApp();
const f = factoriesFor(t);

const _COURSE = 'npq-leading-teaching';
let intakeId: string;
let partnerId: string;
let venueId: string;
let ann: Placed;
let ben: Placed;
let lead: Client;
let fiona: Person;
let gary: Person;
let groupA: string;
let groupB: string;

const groupsUrl = () => `/delivery/intakes/${intakeId}/groups`;
const idsOf = (html: string, name: string) => new RegExp(`href="/delivery/intakes/[0-9a-f-]{36}/groups/([0-9a-f-]{36})">Change<span class="govuk-visually-hidden"> ${name}<`).exec(html)?.[1];

beforeAll(async () => {
  const setup = await aDeliveryIntake(t, f, { participants: 2, remoteAddress: '10.70.0.1' });
  ({ partnerId, venueId, intakeId, lead } = setup);
  [ann, ben] = setup.placed as [Placed, Placed];
  fiona = await f.aStaffMember({ role: 'facilitator', scope: { scopeType: 'delivery_partner', scopeId: partnerId } });
  gary = await f.aStaffMember({ role: 'facilitator', scope: { scopeType: 'delivery_partner', scopeId: partnerId } });
  expect((await set(lead, intakeId, 'c1m1', day('releasesOn', '2026-11-01'))).statusCode).toBe(303);
});

describe('an intake’s groups', () => {
  it('are added with a facilitator, saying what is wrong and keeping what was typed', async () => {
    const empty = await lead.post(groupsUrl(), { name: ' \u200b ', facilitatorUserId: '' });
    expect(empty.statusCode).toBe(422);
    expect(empty.body).toContain('Enter the group’s name, like Group A — Birmingham');
    const stranger = await lead.post(groupsUrl(), { name: 'Group A — Birmingham', facilitatorUserId: ann.person.actor.userId });
    expect(stranger.body).toContain('Select one of the delivery partner’s facilitators');
    expect(stranger.body).toContain('value="Group A — Birmingham"');
    expect((await lead.post(groupsUrl(), { name: 'Group A — Birmingham', facilitatorUserId: fiona.actor.userId })).statusCode).toBe(303);
    expect((await lead.post(groupsUrl(), { name: 'group a — birmingham', facilitatorUserId: '' })).body).toContain('This intake already has a group called group a — birmingham');
    expect((await lead.post(groupsUrl(), { name: 'Group B — Online', facilitatorUserId: gary.actor.userId })).statusCode).toBe(303);
    const page = await lead.get(groupsUrl());
    groupA = idsOf(page.body, 'Group A — Birmingham')!;
    groupB = idsOf(page.body, 'Group B — Online')!;
    expect(groupA && groupB).toBeTruthy();
    expect(page.body).toContain(fiona.name);
  });

  it('take participants, refusing a group that is not the intake’s', async () => {
    const wrong = await lead.post(`${groupsUrl()}/members`, { [`group-${ann.enrolmentId}`]: groupA, [`group-${ben.enrolmentId}`]: '11111111-1111-4111-8111-111111111111' });
    expect(wrong.statusCode).toBe(422);
    expect(wrong.body).toContain('Select one of this intake’s groups');
    const saved = await lead.post(`${groupsUrl()}/members`, { [`group-${ann.enrolmentId}`]: groupA, [`group-${ben.enrolmentId}`]: groupB });
    expect(saved.statusCode).toBe(303);
    expect((await lead.get(groupsUrl())).body).toContain('Groups saved: 2 participants moved.');
    const me = await ann.person.signIn('10.70.0.2');
    expect((await me.get('/programme')).body).toContain(`Group A — Birmingham (your facilitator: ${fiona.name})`);
  });

  it('each have their own register, and “mark everyone present” marks only the group', async () => {
    expect((await set(lead, intakeId, 'e1', { ...day('date', '2026-12-10'), startTime: '10:00', endTime: '16:00', venueId, facilitatorUserId: fiona.actor.userId })).statusCode).toBe(303);
    t.clock.set('2026-12-10T09:00:00Z');
    try {
      const her = await fiona.signIn('10.70.0.3');
      const url = `/delivery/intakes/${intakeId}/register/e1?group=${groupA}`;
      const page = await her.get(url);
      expect(page.body).toContain(ann.person.name);
      expect(page.body).not.toContain(ben.person.name);
      expect(page.body).toContain(`Showing Group A — Birmingham, led by ${fiona.name}`);
      const all = await her.post(url, { everyonePresent: 'yes' });
      expect(all.headers.location).toBe(url);
      const whole = await her.get(`/delivery/intakes/${intakeId}/register/e1`);
      expect(whole.body).toContain('1 of 2 marked');
      expect((await her.get(`/delivery/intakes/${intakeId}/register/e1?group=11111111-1111-4111-8111-111111111111`)).statusCode).toBe(404);
      expect((await her.get(`/delivery/intakes/${intakeId}/register/e1?group=nonsense`)).statusCode).toBe(404);
      // The participant sees who leads the event.
      const me = await ann.person.signIn('10.70.0.4');
      expect((await me.get(`/programme/${ann.enrolmentId}/sessions/e1`)).body).toContain(`<dt class="govuk-summary-list__key">Led by</dt><dd class="govuk-summary-list__value">${fiona.name}</dd>`);
    } finally {
      t.clock.set('2026-11-25T10:00:00Z');
    }
    const wrongLeader = await set(lead, intakeId, 'e2', { ...day('date', '2027-01-20'), startTime: '10:00', endTime: '16:00', venueId, facilitatorUserId: ann.person.actor.userId });
    expect(wrongLeader.body).toContain('Select one of the delivery partner’s facilitators');
  });

  it('each have their own discussion: a participant reads their group’s and the whole intake’s, never another group’s', async () => {
    const a = await ann.person.signIn('10.70.0.5');
    const b = await ben.person.signIn('10.70.0.6');
    expect((await a.get(`/programme/${ann.enrolmentId}/modules/c1m1`)).body).toContain('Everyone in Group A — Birmingham and the intake’s facilitators can read it.');
    expect((await a.post(`/programme/${ann.enrolmentId}/modules/c1m1/discussion`, { body: 'Group A question' })).statusCode).toBe(303);
    const staffUrl = `/delivery/intakes/${intakeId}/discussions/c1m1`;
    const facilitator = await gary.signIn('10.70.0.7');
    expect((await facilitator.post(staffUrl, { body: 'To everyone', groupId: '' })).statusCode).toBe(303);
    expect((await facilitator.post(staffUrl, { body: 'To Group B only', groupId: groupB })).statusCode).toBe(303);
    expect((await facilitator.post(staffUrl, { body: 'To nobody', groupId: '11111111-1111-4111-8111-111111111111' })).body).toContain('Select one of this intake’s groups, or everyone');
    const annSees = (await a.get(`/programme/${ann.enrolmentId}/modules/c1m1`)).body;
    const benSees = (await b.get(`/programme/${ben.enrolmentId}/modules/c1m1`)).body;
    expect(annSees).toContain('Group A question');
    expect(annSees).toContain('To everyone');
    expect(annSees).not.toContain('To Group B only');
    expect(benSees).not.toContain('Group A question');
    expect(benSees).toContain('To everyone');
    expect(benSees).toContain('To Group B only');
    // Ben cannot reply into Group A's thread, even by naming it.
    const staffPage = (await facilitator.get(staffUrl)).body;
    expect(staffPage).toContain('Group A question');
    const thread = /data-post="([0-9a-f-]{36})"/.exec(staffPage)![1]!;
    expect((await b.post(`/programme/${ben.enrolmentId}/modules/c1m1/discussion`, { replyTo: thread, body: 'Peeking' }, { follow: false })).statusCode).toBe(404);
    // Moved to Group B, Ann still reads the thread she started in Group A (her words do not vanish), but may no longer reply in it; Group B's posts appear.
    expect((await lead.post(`${groupsUrl()}/members`, { [`group-${ann.enrolmentId}`]: groupB })).statusCode).toBe(303);
    const moved = (await a.get(`/programme/${ann.enrolmentId}/modules/c1m1`)).body;
    expect(moved).toContain('Group A question');
    expect(moved).toContain('To Group B only');
    expect(moved).not.toContain(`name="replyTo" value="${thread}"`);
    expect((await a.post(`/programme/${ann.enrolmentId}/modules/c1m1/discussion`, { replyTo: thread, body: 'Back in A?' }, { follow: false })).statusCode).toBe(404);
    expect((await lead.post(`${groupsUrl()}/members`, { [`group-${ann.enrolmentId}`]: groupA })).statusCode).toBe(303);
  });

  it('are read by the partner’s facilitators, changed by its lead and the admin only, and hidden from everyone else', async () => {
    // Another of the partner's facilitators (Fiona's second factor was last used on a later day of the frozen clock).
    const facilitator = await (await f.aStaffMember({ role: 'facilitator', scope: { scopeType: 'delivery_partner', scopeId: partnerId } })).signIn('10.70.0.8');
    const read = await facilitator.get(groupsUrl());
    expect(read.statusCode).toBe(200);
    expect(read.body).not.toContain('Add the group');
    expect((await facilitator.post(groupsUrl(), { name: 'Mine' }, { follow: false })).statusCode).toBe(403);
    expect((await facilitator.post(`${groupsUrl()}/members`, { [`group-${ben.enrolmentId}`]: groupA }, { follow: false })).statusCode).toBe(403);
    const elsewhere = (await t.services.catalogue.partnersAndVenues(setUp)).partners.find((p) => p.id !== partnerId)!.id;
    const stranger = await (await f.aStaffMember({ role: 'delivery_partner_lead', scope: { scopeType: 'delivery_partner', scopeId: elsewhere } })).signIn('10.70.0.9');
    expect((await stranger.get(groupsUrl())).statusCode).toBe(404);
    expect((await stranger.post(`${groupsUrl()}/${groupA}/remove`, {}, { follow: false })).statusCode).toBe(404);
    const participant = await ann.person.signIn('10.70.0.10');
    expect([403, 404]).toContain((await participant.get(groupsUrl())).statusCode);
  });

  it('are renamed and removed, leaving their participants in no group, with every change audited', async () => {
    const rename = await lead.post(`${groupsUrl()}/${groupB}`, { name: '', facilitatorUserId: gary.actor.userId });
    expect(rename.statusCode).toBe(422);
    expect((await lead.post(`${groupsUrl()}/${groupB}`, { name: 'Group B — Online evenings', facilitatorUserId: gary.actor.userId })).statusCode).toBe(303);
    expect((await lead.post(`${groupsUrl()}/${groupB}/remove`, {})).statusCode).toBe(303);
    const page = await lead.get(groupsUrl());
    expect(page.body).toContain('The group is removed.');
    expect(page.body).not.toContain('Group B — Online evenings');
    const him = await ben.person.signIn('10.70.0.11');
    expect((await him.get('/programme')).body).not.toContain('Group B');
    // The delivery list puts the intakes with a programme to plan before those of NPQs without one.
    const list = (await lead.get('/delivery')).body;
    expect(list.indexOf(`href="/delivery/intakes/${intakeId}"`)).toBeGreaterThan(-1);
    expect(list.indexOf(`href="/delivery/intakes/${intakeId}"`)).toBeLessThan(list.indexOf('No programme yet for this NPQ'));
    const actions = (await t.database.db.select({ action: auditEvents.action }).from(auditEvents)).map((r) => r.action);
    expect(actions).toEqual(expect.arrayContaining(['group.added', 'group.members_changed', 'group.changed', 'group.removed']));
  });
});
