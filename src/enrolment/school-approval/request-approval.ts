import { guardOf } from '../../platform/workflow';
import { and, eq } from 'drizzle-orm';
import type { Executor } from '../../db/client';
import { enqueueEmail } from '../../mail/outbox';
import { randomToken, sha256 } from '../../platform/crypto';
import type { ApplicationRow } from '../applications/applications.repository';
import { APPROVAL_WORKFLOW, approvalExpiry } from '../domain/application';
import { approvalRequestEmail } from '../emails/approval-request';
import type { EnrolmentContext } from '../enrolment-context';
import { applications } from '../enrolment.schema';

/** The email asking the line manager to approve, with the link for `token`. */
export function approvalEmailFor(ctx: EnrolmentContext, app: Pick<ApplicationRow, 'lineManagerEmail' | 'lineManagerName' | 'fullName'>, courseName: string, token: string, expires: Date, reminder: boolean) {
  return approvalRequestEmail({
    to: app.lineManagerEmail ?? '',
    lineManagerName: app.lineManagerName ?? '',
    applicantName: app.fullName,
    providerName: ctx.deps.providerName,
    courseName,
    approvalUrl: `${ctx.deps.baseUrl}/school-approval/${token}`,
    expires,
    reminder,
  });
}

/** Starts (or restarts) the line manager's approval inside `tx`: a fresh link, valid APPROVAL_VALID_DAYS. */
export async function requestApproval(ctx: EnrolmentContext, tx: Executor, app: Pick<ApplicationRow, 'id' | 'lineManagerEmail' | 'lineManagerName' | 'fullName'>, courseName: string): Promise<void> {
  const token = randomToken();
  const at = ctx.now();
  await tx
    .update(applications)
    .set({ approvalStatus: 'pending', approvalTokenHash: sha256(token), approvalTokenSealed: ctx.deps.secrets.seal(token), approvalRequestedAt: at, approvalExpiresAt: approvalExpiry(at), approvalRemindersSent: 0, approvalLastRemindedAt: null, approvalDecidedAt: null, approvalComment: null, updatedAt: at })
    .where(and(eq(applications.id, app.id), guardOf(APPROVAL_WORKFLOW, 'request', applications.approvalStatus)));
  await enqueueEmail(tx, ctx.clock, approvalEmailFor(ctx, app, courseName, token, approvalExpiry(at), false));
}
