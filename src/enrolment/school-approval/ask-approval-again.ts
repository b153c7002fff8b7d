import { eq } from 'drizzle-orm';
import { audit } from '../../audit/audit';
import type { Actor } from '../../platform/auth/actor';
import { recordEvent } from '../../platform/events';
import { ValidationError } from '../../platform/errors';
import { courseNamed } from '../applications/applications.events';
import { lineManagerErrors } from '../applications/application-input';
import { type ApplicationRow, applicationById } from '../applications/applications.repository';
import { findMyApplication } from '../applications/my-applications';
import { allows } from '../domain/application';
import type { EnrolmentContext } from '../enrolment-context';
import { applications } from '../enrolment.schema';
import { requestApproval } from './request-approval';

/** Refuses (422 `approval_not_open`) asking for an approval on a withdrawn, decided or approved application. */
function refuseUnlessOpen(ctx: EnrolmentContext, app: ApplicationRow): void {
  if (!allows('askApproval', app.status)) throw ctx.refuse('approval_not_open', app.status === 'withdrawn' ? 'You withdrew this application' : 'This application has been decided: there is nothing to approve');
  if (app.approvalStatus === 'approved') throw ctx.refuse('approval_not_open', 'Your school has already approved this application');
}

/**
 * The applicant names a different line manager, or asks again once a link has expired or been
 * declined: a fresh link replaces the old one. Refused (422 `approval_not_open`) once approved or decided.
 */
export const askApprovalAgain =
  (ctx: EnrolmentContext) =>
  async (actor: Actor, id: string, input: { lineManagerName: string; lineManagerEmail: string }): Promise<void> => {
    const app = await findMyApplication(ctx)(actor, id);
    refuseUnlessOpen(ctx, app);
    const errors = lineManagerErrors(input, [app.email, actor.kind === 'user' ? actor.email : '']);
    if (Object.keys(errors).length) throw new ValidationError(errors);
    const name = input.lineManagerName.trim();
    const email = input.lineManagerEmail.trim().toLowerCase();
    const course = await ctx.courseNamed(app.courseIdentifier);
    await ctx.write(async (tx) => {
      // Checked again under the application's lock: a withdrawal, decision or approval committed since wins.
      refuseUnlessOpen(ctx, (await applicationById(tx, app.id, true))!);
      await tx.update(applications).set({ lineManagerName: name, lineManagerEmail: email }).where(eq(applications.id, app.id));
      await requestApproval(ctx, tx, { ...app, lineManagerEmail: email });
      await recordEvent(tx, ctx.clock, { type: 'school_approval.requested', applicationId: app.id, course: courseNamed(app.courseIdentifier, course) });
      await audit(tx, ctx.clock, actor, { action: 'application.approval_requested_again', entityType: 'application', entityId: app.id, before: { lineManagerEmail: app.lineManagerEmail }, after: { lineManagerEmail: email } });
    });
  };
