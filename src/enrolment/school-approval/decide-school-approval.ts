import { clip } from '../../platform/text';
import { guardOf } from '../../platform/workflow';
import { and, eq } from 'drizzle-orm';
import { audit } from '../../audit/audit';
import { recordEvent } from '../../platform/events';
import type { Actor } from '../../platform/auth/actor';
import { sha256 } from '../../platform/crypto';
import { AppError, ValidationError } from '../../platform/errors';
import { type ApplicationRow, applicationById } from '../applications/applications.repository';
import { courseNamed } from '../applications/applications.events';
import { workplaceOf } from '../applications/workplace-of';
import { APPROVAL_WORKFLOW, allows, type ApprovalStatus, isOwnAddress } from '../domain/application';
import { TEXT_LIMITS, tooLong } from '../domain/text-limits';
import type { EnrolmentContext } from '../enrolment-context';
import { applications, schoolApprovals } from '../enrolment.schema';
import { applicationByApprovalTokenHash } from './school-approvals.repository';

/**
 * What the emailed approval link shows: the application, its NPQ and intake, the workplace, and
 * whether the link has expired (at `ctx.now()`); undefined for a token no application has.
 */
export const findApprovalByToken = (ctx: EnrolmentContext) => async (token: string) => {
  const app = await applicationByApprovalTokenHash(ctx.db, sha256(token));
  if (!app) return undefined;
  const course = await ctx.courseNamed(app.courseIdentifier);
  const intake = app.intakeId ? await ctx.intakeById(app.intakeId) : undefined;
  const expired = app.approvalStatus === 'expired' || (app.approvalStatus === 'pending' && app.approvalExpiresAt !== null && app.approvalExpiresAt <= ctx.now());
  return { app, course, intake, expired, workplace: await workplaceOf(ctx, app) };
};

/**
 * Whether the signed-in person is the applicant: they may not answer their own approval link, or
 * even read it as the approver would.
 */
export function isApplicant(actor: Actor | undefined, app: ApplicationRow): boolean {
  return actor?.kind === 'user' && (actor.userId === app.userId || isOwnAddress(actor.email, app.email));
}

/**
 * The line manager's answer through the emailed link: approve, or decline with a reason; the applicant
 * is told. Refused: 410 `link_expired`, 403 `own_application` (to the applicant themself), 409
 * `already_decided` or `application_closed`.
 */
export const decideSchoolApproval =
  (ctx: EnrolmentContext) =>
  async (token: string, input: { decision?: string | undefined; comment?: string | undefined; approverName?: string | undefined }, actor?: Actor): Promise<ApplicationRow> => {
    const found = await findApprovalByToken(ctx)(token);
    if (!found || found.expired) throw new AppError('link_expired', 'This link has expired or is not valid', 410);
    if (isApplicant(actor, found.app)) throw ctx.refuse('own_application', 'You cannot approve your own application: your line manager must answer', 403);
    if (found.app.approvalStatus !== 'pending') throw ctx.refuse('already_decided', 'You have already answered for this application', 409);
    if (!allows('decideApproval', found.app.status)) throw ctx.refuse('application_closed', 'This application has been withdrawn or decided: there is nothing to approve', 409);
    const errors: Record<string, string> = {};
    const decision = input.decision === 'approve' || input.decision === 'decline' ? input.decision : undefined;
    const comment = (input.comment ?? '').trim();
    const approverName = (input.approverName ?? '').trim();
    if (!decision) errors.decision = 'Select whether you approve this application';
    if (decision === 'decline' && !comment) errors.comment = 'Tell the applicant why you are declining';
    if (comment.length > TEXT_LIMITS.comment) errors.comment = tooLong('Your comment', TEXT_LIMITS.comment);
    if (!approverName) errors.approverName = 'Enter your name';
    else if (approverName.length > TEXT_LIMITS.name) errors.approverName = tooLong('Your name', TEXT_LIMITS.name);
    if (Object.keys(errors).length) throw new ValidationError(errors);
    const at = ctx.now();
    const status: ApprovalStatus = decision === 'approve' ? 'approved' : 'declined';
    return ctx.write(async (tx) => {
      // Checked again under the application's lock: a withdrawal or decision committed since the check
      // above wins, and the approval is not recorded on a closed application.
      const current = await applicationById(tx, found.app.id, true);
      if (!current || !allows('decideApproval', current.status)) throw ctx.refuse('application_closed', 'This application has been withdrawn or decided: there is nothing to approve', 409);
      const [answered] = await tx
        .update(schoolApprovals)
        .set({ status, decidedAt: at, comment: comment || null, approverName, approverEmail: found.app.lineManagerEmail, updatedAt: at })
        .where(and(eq(schoolApprovals.applicationId, found.app.id), guardOf(APPROVAL_WORKFLOW, status === 'approved' ? 'approve' : 'decline', schoolApprovals.status)))
        .returning({ id: schoolApprovals.applicationId });
      const [row] = answered ? await tx.update(applications).set({ updatedAt: at }).where(eq(applications.id, found.app.id)).returning() : [];
      if (!row) throw ctx.refuse('already_decided', 'You have already answered for this application', 409);
      await recordEvent(tx, ctx.clock, { type: 'school_approval.decided', applicationId: row.id, course: courseNamed(row.courseIdentifier, found.course), decision: status === 'approved' ? 'approved' : 'declined', approverName, comment });
      await audit(
        tx,
        ctx.clock,
        { kind: 'system', name: `school approver ${clip(approverName, 100)}` },
        { action: `application.school_${status}`, entityType: 'application', entityId: row.id, after: { approvalStatus: status, comment, approverName, approverEmail: found.app.lineManagerEmail } },
      );
      return (await applicationById(tx, row.id))!;
    });
  };
