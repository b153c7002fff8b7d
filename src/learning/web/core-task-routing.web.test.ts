import { beforeAll, describe, expect, it } from 'vitest';
import { factoriesFor, type Person, setUp } from '../../testing/factories';
import { aDeliveryIntake, type Placed } from '../../testing/plan-form';
import { useMailHarness } from '../../testing/smtp';
import { type Client, deliverEvents, useTestApp } from '../../testing/test-app';

/**
 * Issue 10 items 4 and 7: a core task reaches the facilitator of the participant's group, who is told
 * by email (over SMTP, without what the participant wrote) and sees their own groups' core tasks
 * first; the partner's lead sees every group's, and anyone can choose another group or those in none.
 */
const t = useTestApp();
const f = factoriesFor(t);
const mail = useMailHarness(t);
const TASK = 'c1m3a4';

let intakeId: string;
let ann: Placed;
let ben: Placed;
let cat: Placed;
let fay: Person;
let gus: Person;
let lead: Client;
const tasksUrl = (query = '') => `/delivery/intakes/${intakeId}/core-tasks${query}`;
const rowsOf = (html: string) => [...html.matchAll(/href="\/delivery\/core-tasks\/[0-9a-f-]{36}">([^<]+)<\/a><\/td><td class="govuk-table__cell">([^<]+)</g)].map((m) => `${m[1]} (${m[2]})`);

beforeAll(async () => {
  const setup = await aDeliveryIntake(t, f, { participants: 3, remoteAddress: '10.82.0.1' });
  ({ intakeId, lead } = setup);
  [ann, ben, cat] = setup.placed as [Placed, Placed, Placed];
  const scope = { scopeType: 'delivery_partner' as const, scopeId: setup.partnerId };
  fay = await f.aStaffMember({ role: 'facilitator', scope, name: 'Fay Facilitator' });
  gus = await f.aStaffMember({ role: 'facilitator', scope, name: 'Gus Facilitator' });
  const a = await t.services.learning.saveGroup(setUp, intakeId, null, { name: 'Group A', facilitatorUserId: fay.userId });
  const b = await t.services.learning.saveGroup(setUp, intakeId, null, { name: 'Group B', facilitatorUserId: gus.userId });
  await t.services.learning.assignGroups(setUp, intakeId, { [ann.enrolmentId]: a, [ben.enrolmentId]: b });
  await t.services.learning.savePlanEntry(setUp, intakeId, 'c1m3', { releasesOn: '2026-11-01' });
  for (const who of [ann, ben, cat]) await t.services.learning.submitCoreTask(who.person.actor, who.enrolmentId, TASK, `My plan, by ${who.person.name}: a private reflection`);
  await deliverEvents(t);
});

describe('a core task sent', () => {
  it('is emailed to the facilitator of the participant’s group, naming them and the task but not what they wrote; nobody is emailed for a participant in no group', async () => {
    const toFay = (await mail.to(fay.email)).filter((m) => m.subject.startsWith('Core task to review'));
    expect(toFay.map((m) => m.subject)).toEqual([`Core task to review: ${ann.person.name}`]);
    expect(toFay[0]!.text).toContain('in Group A of');
    expect(toFay[0]!.text).toMatch(/\/delivery\/core-tasks\/[0-9a-f-]{36}/);
    expect(toFay[0]!.text).not.toContain('private reflection');
    expect((await mail.to(gus.email)).map((m) => m.subject)).toEqual([`Core task to review: ${ben.person.name}`]);
    await mail.flush();
    expect(mail.received.filter((m) => m.subject === `Core task to review: ${cat.person.name}`)).toHaveLength(0);
    expect(mail.received.filter((m) => m.subject.startsWith('Core task to review'))).toHaveLength(2);
  });

  it('is listed first for its group’s facilitator; the lead sees every group’s; either can choose a group, or those in none', async () => {
    const asFay = await fay.signIn('10.82.0.2');
    const mine = await asFay.get(tasksUrl());
    expect(mine.statusCode).toBe(200);
    expect(mine.body).toContain('Your groups (Group A)');
    expect(rowsOf(mine.body)).toEqual([`${ann.person.name} (Group A)`]);
    expect(rowsOf((await asFay.get(tasksUrl('?group=all'))).body).sort()).toEqual([`${ann.person.name} (Group A)`, `${ben.person.name} (Group B)`, `${cat.person.name} (None)`].sort());
    expect(rowsOf((await asFay.get(tasksUrl('?group=none'))).body)).toEqual([`${cat.person.name} (None)`]);
    // Nonsense in the address is read as the default, never an error.
    expect(rowsOf((await asFay.get(tasksUrl('?group=%27%3B--&status=<x>'))).body)).toEqual([`${ann.person.name} (Group A)`]);

    const asLead = await lead.get(tasksUrl());
    expect(asLead.body).not.toContain('Your groups');
    expect(rowsOf(asLead.body)).toHaveLength(3);
  });

  it('sent again after “needs more work” is emailed to the facilitator again, as the next attempt', async () => {
    const [first] = (await t.services.learning.coreTasksOfIntake(setUp, intakeId, 'submitted', 'all')).attempts.filter((a) => a.participant === ann.person.name);
    await t.services.learning.reviewCoreTask(fay.actor, first!.attempt.id, { decision: 'needs_more_work', feedback: 'Say how you will measure it.' });
    await t.services.learning.submitCoreTask(ann.person.actor, ann.enrolmentId, TASK, 'Now with measures.');
    await deliverEvents(t);
    const again = (await mail.to(fay.email)).filter((m) => m.subject.startsWith('Core task to review'));
    expect(again).toHaveLength(2);
    expect(again[1]!.text).toContain(`${ann.person.name} has sent attempt 2 of their core task`);
  });
});
