import { describe, expect, it } from 'vitest';
import { system } from '../../platform/auth/actor';
import { domainEvents } from '../../platform/platform.schema';
import { tokenIn } from '../../testing/smtp';
import { factoriesFor } from '../../testing/factories';
import { eventsOf, outboxTo, useTestApp } from '../../testing/test-app';

const t = useTestApp();

const admin = system('test admin');
const f = factoriesFor(t);

/** Riverside Academy (140002) is on the PP50 list: every NPQ is funded there. */
async function sendApplication(email: string, lineManagerEmail: string) {
  const applicant = await f.aParticipantUser({ name: 'Ann Event', email });
  const { application } = await f.aSubmittedApplication({ applicant, course: 'npq-senco', answers: { employmentRole: 'SENCO', lineManagerName: 'Len Manager', lineManagerEmail } });
  return application;
}

describe('applications send their emails from events', () => {
  it('records one event per decision; its emails follow once its handlers have run, once, and no event carries the link’s token', async () => {
    const app = await sendApplication('ann.event@school.test', 'len.manager@school.test');
    const [submitted] = await eventsOf(t, 'application.submitted');
    expect(submitted!.payload).toMatchObject({ applicationId: app.id, course: { identifier: 'npq-senco' } });
    expect(await outboxTo(t, 'ann.event@school.test')).toEqual([]); // not before the handlers run
    expect(await outboxTo(t, 'len.manager@school.test')).toEqual([]);

    await t.services.jobs.runDue();
    await t.services.jobs.runDue();
    expect((await outboxTo(t, 'ann.event@school.test')).map((m) => m.subject)).toEqual([expect.stringContaining('We have your application')]);
    const [request] = await outboxTo(t, 'len.manager@school.test');
    const token = tokenIn(request!.body, '/school-approval');
    expect((await outboxTo(t, 'len.manager@school.test')).length).toBe(1);
    const everyPayload = JSON.stringify((await t.database.db.select().from(domainEvents)).map((e) => e.payload));
    expect(everyPayload).not.toContain(token);

    // A refused acceptance (the school has not answered) records nothing and sends nothing.
    await expect(t.services.applications.accept(admin, app.id, {})).rejects.toMatchObject({ code: 'awaiting_school_approval' });
    expect(await eventsOf(t, 'application.accepted')).toEqual([]);

    await t.services.applications.decideApproval(token, { decision: 'approve', approverName: 'Len Manager' });
    expect(await eventsOf(t, 'school_approval.decided')).toMatchObject([{ payload: { applicationId: app.id, decision: 'approved' } }]);
    await t.services.applications.accept(admin, app.id, {});
    await t.services.applications.accept(admin, app.id, {}); // the same acceptance again: no second event
    expect(await eventsOf(t, 'application.accepted')).toMatchObject([{ payload: { applicationId: app.id, onWaitingList: false } }]);
    await t.services.jobs.runDue();
    await t.services.jobs.runDue();
    const subjects = (await outboxTo(t, 'ann.event@school.test')).map((m) => m.subject);
    expect(subjects).toHaveLength(3);
    expect(subjects).toEqual(expect.arrayContaining([expect.stringContaining('We have your application'), 'Your school has approved your NPQ application', expect.stringContaining('You have a place')]));

    await t.services.applications.changeParticipant(admin, app.id, 'withdraw', { reason: 'personal-reason-moving-school' });
    expect(await eventsOf(t, 'participant.withdrawn')).toMatchObject([{ payload: { applicationId: app.id, from: 'active', to: 'withdrawn', reason: 'personal-reason-moving-school' } }]);
  });
});
