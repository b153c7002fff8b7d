import { guardOf } from '../../platform/workflow';
import { eq } from 'drizzle-orm';
import type { Executor } from '../../db/client';
import { enqueueEmail } from '../../mail/outbox';
import { randomToken, sha256 } from '../../platform/crypto';
import type { ApplicationRow } from '../applications/applications.repository';
import { APPROVAL_WORKFLOW, approvalExpiry } from '../domain/application';
import { approvalRequestEmail } from '../emails/approval-request';
import type { EnrolmentContext } from '../enrolment-context';
import { applications, schoolApprovals } from '../enrolment.schema';

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
  const request = { status: 'pending' as const, requestedOf: (app.lineManagerEmail ?? '').toLowerCase(), tokenHash: sha256(token), tokenSealed: ctx.deps.secrets.seal(token), requestedAt: at, expiresAt: approvalExpiry(at), remindersSent: 0, lastRemindedAt: null, decidedAt: null, comment: null, updatedAt: at };
  // The first request makes the row; a later one (a new line manager, an expired or declined link) replaces it.
  await tx
    .insert(schoolApprovals)
    .values({ applicationId: app.id, ...request, createdAt: at })
    .onConflictDoUpdate({ target: schoolApprovals.applicationId, set: request, setWhere: guardOf(APPROVAL_WORKFLOW, 'request', schoolApprovals.status) });
  await tx.update(applications).set({ updatedAt: at }).where(eq(applications.id, app.id));
  await enqueueEmail(tx, ctx.clock, approvalEmailFor(ctx, app, courseName, token, approvalExpiry(at), false));
}
