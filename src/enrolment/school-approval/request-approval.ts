import { guardOf } from '../../platform/workflow';
import { eq } from 'drizzle-orm';
import type { Executor } from '../../db/client';
import { randomToken, sha256 } from '../../platform/crypto';
import type { ApplicationRow } from '../applications/applications.repository';
import { APPROVAL_WORKFLOW, approvalExpiry } from '../domain/application';
import type { EnrolmentContext } from '../enrolment-context';
import { applications, schoolApprovals } from '../enrolment.schema';

/**
 * Starts (or restarts) the line manager's approval inside `tx`: a fresh link, valid APPROVAL_VALID_DAYS,
 * its token kept hashed (to find it) and sealed (to send it). The caller's event sends it after commit
 * (school-approval.events.ts): `application.submitted` or `school_approval.requested`.
 */
export async function requestApproval(ctx: EnrolmentContext, tx: Executor, app: Pick<ApplicationRow, 'id' | 'lineManagerEmail'>): Promise<void> {
  const token = randomToken();
  const at = ctx.now();
  const request = { status: 'pending' as const, requestedOf: (app.lineManagerEmail ?? '').toLowerCase(), tokenHash: sha256(token), tokenSealed: ctx.deps.secrets.seal(token), requestedAt: at, expiresAt: approvalExpiry(at), remindersSent: 0, lastRemindedAt: null, decidedAt: null, comment: null, updatedAt: at };
  // The first request makes the row; a later one (a new line manager, an expired or declined link) replaces it.
  await tx
    .insert(schoolApprovals)
    .values({ applicationId: app.id, ...request, createdAt: at })
    .onConflictDoUpdate({ target: schoolApprovals.applicationId, set: request, setWhere: guardOf(APPROVAL_WORKFLOW, 'request', schoolApprovals.status) });
  await tx.update(applications).set({ updatedAt: at }).where(eq(applications.id, app.id));
}
