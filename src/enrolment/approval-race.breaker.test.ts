/**
 * Breaker (issue 9, ADR 0027): the school's approval is written with a guard on the approval's status
 * only. decideSchoolApproval checks the application is still pending before its transaction, then
 * updates without re-checking (the gateway's writes use `whileApplication`; this one does not). A line
 * manager answering at the moment the applicant withdraws records an approval on a withdrawn
 * application and emails the applicant that their school approved. Run on PostgreSQL:
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npx vitest run src/enrolment/approval-race.breaker.test.ts
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { outboundEmails } from '../mail/mail.schema';
import { createTestApp, type TestApp } from '../testing/test-app';
import { factoriesFor } from '../testing/factories';
import { tokenIn } from '../testing/smtp';
import { applications } from './enrolment.schema';

let t: TestApp;
const f = factoriesFor(() => t);
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t.close();
});

describe('the school approving while the applicant withdraws', () => {
  it('never leaves an approval on a withdrawn application', async () => {
    // A race: several rounds, so that one of them shows it.
    for (let round = 0; round < 5; round++) {
      const { application, applicant } = await f.aSubmittedApplication();
      const request = (await t.database.db.select().from(outboundEmails).where(eq(outboundEmails.to, application.lineManagerEmail!))).at(-1)!;
      const token = tokenIn(request.body, '/school-approval');

      await Promise.allSettled([t.services.applications.decideApproval(token, { decision: 'approve', approverName: 'Grace Head' }), t.services.applications.withdrawMine(applicant.actor, application.id)]);

      const [after] = await t.database.db.select({ status: applications.status, approval: applications.approvalStatus }).from(applications).where(eq(applications.id, application.id));
      // Actual on PGlite and PostgreSQL: { status: 'withdrawn', approval: 'approved' }.
      expect(after!.status === 'withdrawn' && after!.approval === 'approved', JSON.stringify(after)).toBe(false);
    }
  });
});
