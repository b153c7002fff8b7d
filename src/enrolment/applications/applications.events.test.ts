import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outboundEmails } from '../../mail/mail.schema';
import { type Actor, system } from '../../platform/auth/actor';
import { domainEvents } from '../../platform/platform.schema';
import { tokenIn } from '../../testing/smtp';
import { createTestApp, type TestApp } from '../../testing/test-app';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const admin = system('test admin');
const mailTo = (to: string) => t.database.db.select().from(outboundEmails).where(eq(outboundEmails.to, to));
const eventsOf = (type: string) => t.database.db.select().from(domainEvents).where(eq(domainEvents.type, type));

/** Riverside Academy (140002) is on the PP50 list: every NPQ is funded there. */
async function sendApplication(email: string, lineManagerEmail: string) {
  const userId = await t.services.people.createUserDirectly({ name: 'Ann Event', email, password: 'a long enough password', roles: [] });
  const actor: Actor = { kind: 'user', userId, sessionId: 'test', name: 'Ann Event', email, roles: [], fullySignedIn: true };
  const intake = (await t.services.catalogue.list()).find((c) => c.identifier === 'npq-senco')!.intakes.find((i) => i.name === 'January 2027')!;
  await t.services.applications.startDraft(actor, 'npq-senco');
  await t.services.applications.saveAnswers(actor, {
    fullName: 'Ann Event',
    trn: '3456789',
    course: 'npq-senco',
    worksInEngland: true,
    workSetting: 'a_school',
    schoolUrn: '140002',
    employmentRole: 'SENCO',
    lineManagerName: 'Len Manager',
    lineManagerEmail,
    intakeId: intake.id,
    fundingSeen: true,
    consent: true,
  });
  return t.services.applications.submit(actor);
}

describe('applications send their emails from events', () => {
  it('records one event per decision; its emails follow once its handlers have run, once, and no event carries the link’s token', async () => {
    const app = await sendApplication('ann.event@school.test', 'len.manager@school.test');
    const [submitted] = await eventsOf('application.submitted');
    expect(submitted!.payload).toMatchObject({ applicationId: app.id, course: { identifier: 'npq-senco' } });
    expect(await mailTo('ann.event@school.test')).toEqual([]); // not before the handlers run
    expect(await mailTo('len.manager@school.test')).toEqual([]);

    await t.services.jobs.runDue();
    await t.services.jobs.runDue();
    expect((await mailTo('ann.event@school.test')).map((m) => m.subject)).toEqual([expect.stringContaining('We have your application')]);
    const [request] = await mailTo('len.manager@school.test');
    const token = tokenIn(request!.body, '/school-approval');
    expect((await mailTo('len.manager@school.test')).length).toBe(1);
    const everyPayload = JSON.stringify((await t.database.db.select().from(domainEvents)).map((e) => e.payload));
    expect(everyPayload).not.toContain(token);

    // A refused acceptance (the school has not answered) records nothing and sends nothing.
    await expect(t.services.applications.accept(admin, app.id, {})).rejects.toMatchObject({ code: 'awaiting_school_approval' });
    expect(await eventsOf('application.accepted')).toEqual([]);

    await t.services.applications.decideApproval(token, { decision: 'approve', approverName: 'Len Manager' });
    expect(await eventsOf('school_approval.decided')).toMatchObject([{ payload: { applicationId: app.id, decision: 'approved' } }]);
    await t.services.applications.accept(admin, app.id, {});
    await t.services.applications.accept(admin, app.id, {}); // the same acceptance again: no second event
    expect(await eventsOf('application.accepted')).toMatchObject([{ payload: { applicationId: app.id, onWaitingList: false } }]);
    await t.services.jobs.runDue();
    await t.services.jobs.runDue();
    const subjects = (await mailTo('ann.event@school.test')).map((m) => m.subject);
    expect(subjects).toHaveLength(3);
    expect(subjects).toEqual(expect.arrayContaining([expect.stringContaining('We have your application'), 'Your school has approved your NPQ application', expect.stringContaining('You have a place')]));

    await t.services.applications.changeParticipant(admin, app.id, 'withdraw', { reason: 'personal-reason-moving-school' });
    expect(await eventsOf('participant.withdrawn')).toMatchObject([{ payload: { applicationId: app.id, from: 'active', to: 'withdrawn', reason: 'personal-reason-moving-school' } }]);
  });
});
