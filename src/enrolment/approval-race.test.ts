/**
 * Issue 9 (ADR 0027), found by a breaker: the school's approval was written with a guard on the approval's status
 * only. decideSchoolApproval checks the application is still pending before its transaction, then
 * updates without re-checking (the gateway's writes use `whileApplication`; this one does not). A line
 * manager answering at the moment the applicant withdraws records an approval on a withdrawn
 * application and emails the applicant that their school approved. Run on PostgreSQL:
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npx vitest run src/enrolment/approval-race.test.ts
 */
import { describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { deliverEvents, outboxTo, useTestApp } from '../testing/test-app';
import { factoriesFor } from '../testing/factories';
import { tokenIn } from '../testing/smtp';
import { applicationById } from './applications/applications.repository';
import { applications } from './enrolment.schema';

const t = useTestApp();
const f = factoriesFor(t);

/**
 * Starts `call` while the application's withdrawal is written but not yet committed (held 300 ms), and
 * returns its outcome: the call's first checks still see a pending application.
 */
async function duringWithdrawal(applicationId: string, call: () => Promise<unknown>): Promise<unknown> {
  let outcome: Promise<unknown> = Promise.resolve();
  await t.database.db.transaction(async (tx) => {
    await tx.update(applications).set({ status: 'withdrawn' }).where(eq(applications.id, applicationId));
    outcome = call();
    outcome.catch(() => undefined);
    await new Promise((resolve) => setTimeout(resolve, 300));
  });
  return outcome;
}

describe('answers racing the applicant’s withdrawal', () => {
  it('never leaves an approval on a withdrawn application', async () => {
    // Racing the two calls cannot tell the fault from approving and then withdrawing (both end
    // withdrawn and approved, the second rightly). So the withdrawal is held open, uncommitted, while
    // the approver answers: the answer's first check still sees a pending application.
    const { application } = await f.aSubmittedApplication();
    await deliverEvents(t);
    const request = (await outboxTo(t, application.lineManagerEmail!)).at(-1)!;
    const token = tokenIn(request.body, '/school-approval');
    const answer = duringWithdrawal(application.id, () => t.services.applications.decideApproval(token, { decision: 'approve', approverName: 'Grace Head' }));

    await expect(answer).rejects.toThrow(/withdrawn or decided/);
    const row = (await applicationById(t.database.db, application.id))!;
    // Was, on PostgreSQL: { status: 'withdrawn', approval: 'approved' }.
    expect({ status: row.status, approval: row.approvalStatus }).toEqual({ status: 'withdrawn', approval: 'pending' });
  });

  it('does not ask a new line manager for an application withdrawn at the same moment', async () => {
    const { application, applicant } = await f.aSubmittedApplication();
    const asked = duringWithdrawal(application.id, () => t.services.applications.askApprovalAgain(applicant.actor, application.id, { lineManagerName: 'Ada Other', lineManagerEmail: 'ada.other@school.test' }));

    await expect(asked).rejects.toThrow(/withdrew/);
    await deliverEvents(t);
    expect((await outboxTo(t, 'ada.other@school.test')).length).toBe(0);
  });

  it('does not record a gateway review on an application withdrawn at the same moment', async () => {
    const { application, applicant } = await f.aSubmittedApplication({ course: 'npq-headship' });
    await t.services.applications.saveGatewayAnswers(applicant.actor, application.id, { q1: 'Ready now', q2: 'Led a reading programme', q3: 'A contrasting school' }, true);
    const reviewer = await f.aStaffMember();

    const review = duringWithdrawal(application.id, () => t.services.applications.reviewGateway(reviewer.actor, application.id, { scores: { c1: '3', c2: '3', c3: '2' }, result: 'passed', feedback: 'Clear evidence of leading change.' }));

    await expect(review).rejects.toMatchObject({ code: expect.stringMatching(/^(application_closed|gateway_not_submitted)$/) });
    expect((await applicationById(t.database.db, application.id))!.gatewayStatus).toBe('submitted');
  });
});
