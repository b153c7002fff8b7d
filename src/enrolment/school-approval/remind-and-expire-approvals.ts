import { guardOf } from '../../platform/workflow';
import { and, eq } from 'drizzle-orm';
import { audit } from '../../audit/audit';
import { recordEvent } from '../../platform/events';
import { courseNamed } from '../applications/applications.events';
import { APPROVAL_WORKFLOW, approvalReminderDue } from '../domain/application';
import type { EnrolmentContext } from '../enrolment-context';
import { applications, schoolApprovals } from '../enrolment.schema';
import { openApprovals } from './school-approvals.repository';

/**
 * The sweep: reminds line managers who have not answered, and expires links that ran out. Each change
 * is made with a condition on what was read, so two workers running at once never send the same
 * reminder twice; the emails follow from the events recorded (school-approval.events.ts). Returns
 * how many were reminded and expired.
 */
export const remindAndExpireApprovals = (ctx: EnrolmentContext) => async (): Promise<{ reminded: number; expired: number }> => {
  const at = ctx.now();
  let reminded = 0;
  let expired = 0;
  for await (const app of eachOpenApproval(ctx)) {
    const course = courseNamed(app.courseIdentifier, await ctx.courseNamed(app.courseIdentifier));
    if (app.approvalExpiresAt && app.approvalExpiresAt <= at) {
      await ctx.write(async (tx) => {
        const [expiredNow] = await tx
          .update(schoolApprovals)
          .set({ status: 'expired', updatedAt: at })
          .where(and(eq(schoolApprovals.applicationId, app.id), guardOf(APPROVAL_WORKFLOW, 'expire', schoolApprovals.status)))
          .returning({ id: schoolApprovals.applicationId });
        if (!expiredNow) return;
        const [row] = await tx.update(applications).set({ updatedAt: at }).where(eq(applications.id, app.id)).returning();
        if (!row) return;
        expired++;
        await recordEvent(tx, ctx.clock, { type: 'school_approval.expired', applicationId: row.id, course });
        await audit(tx, ctx.clock, { kind: 'system', name: 'approval reminders' }, { action: 'application.approval_expired', entityType: 'application', entityId: row.id });
      });
    } else if (app.approvalRequestedAt && app.approvalTokenSealed && approvalReminderDue(app.approvalRequestedAt, app.approvalRemindersSent, at)) {
      await ctx.write(async (tx) => {
        const [row] = await tx
          .update(schoolApprovals)
          .set({ remindersSent: app.approvalRemindersSent + 1, lastRemindedAt: at, updatedAt: at })
          .where(and(eq(schoolApprovals.applicationId, app.id), guardOf(APPROVAL_WORKFLOW, 'remind', schoolApprovals.status), eq(schoolApprovals.remindersSent, app.approvalRemindersSent)))
          .returning({ expiresAt: schoolApprovals.expiresAt });
        if (!row) return;
        reminded++;
        await recordEvent(tx, ctx.clock, { type: 'school_approval.reminded', applicationId: app.id, course, remindersSent: app.approvalRemindersSent + 1 });
      });
    }
  }
  return { reminded, expired };
};

/** The open approvals, read a page at a time (openApprovals); each page's changes are made before the next is read. */
async function* eachOpenApproval(ctx: EnrolmentContext) {
  let after: string | undefined;
  for (;;) {
    const page = await openApprovals(ctx.db, after, SWEEP_PAGE);
    yield* page;
    if (page.length < SWEEP_PAGE) return;
    after = page[page.length - 1]!.id;
  }
}
const SWEEP_PAGE = 500;
