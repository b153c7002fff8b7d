import { eq } from 'drizzle-orm';
import { audit } from '../../audit/audit';
import type { Actor } from '../../platform/auth/actor';
import { recordEvent } from '../../platform/events';
import { NotFoundError, ValidationError } from '../../platform/errors';
import { requireManager } from '../authorise';
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
  if (!allows('askApproval', app.status)) throw ctx.refuse('approval_not_open', app.status === 'withdrawn' ? 'The applicant withdrew this application' : 'This application has been decided: there is nothing to approve');
  if (app.approvalStatus === 'approved') throw ctx.refuse('approval_not_open', 'The school has already approved this application');
}

/**
 * The applicant names a different line manager, or asks again once a link has expired or been
 * declined: a fresh link replaces the old one. Refused (422 `approval_not_open`) once approved or decided.
 */
export const askApprovalAgain =
  (ctx: EnrolmentContext) =>
  async (actor: Actor, id: string, input: { lineManagerName: string; lineManagerEmail: string }): Promise<void> => {
    const app = await findMyApplication(ctx)(actor, id);
    await askLineManager(ctx, actor, app, input, 'application.approval_requested_again', [actor.kind === 'user' ? actor.email : ''], 'your');
  };

/**
 * The provider asks a school to approve an application that has no approval under way: one registered
 * at DfE (the applicant never used the platform's journey), or one whose link expired or was declined
 * (issue 13: an application registered at DfE must be able to reach a decision). The line manager is
 * emailed a link as if the applicant had named them. Managers only (ForbiddenError); NotFoundError for no
 * application; 422 `approval_not_open` once approved or decided; ValidationError for the name or address.
 */
export const askSchoolForApproval =
  (ctx: EnrolmentContext) =>
  async (actor: Actor, id: string, input: { lineManagerName: string; lineManagerEmail: string }): Promise<ApplicationRow> => {
    requireManager(actor);
    const app = await applicationById(ctx.db, id);
    if (!app || app.status === 'draft') throw new NotFoundError('application');
    await askLineManager(ctx, actor, app, input, 'application.approval_requested_by_provider', [], 'the');
    return (await applicationById(ctx.db, id))!;
  };

/** Names the line manager and sends them a fresh link, under the application's lock; `notTheirs` are addresses the line manager's may not be besides the applicant's own. */
async function askLineManager(ctx: EnrolmentContext, actor: Actor, app: ApplicationRow, input: { lineManagerName: string; lineManagerEmail: string }, action: string, notTheirs: string[], whose: 'your' | 'the'): Promise<void> {
  refuseUnlessOpen(ctx, app);
  const errors = lineManagerErrors(input, [app.email, ...notTheirs], whose);
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
    await audit(tx, ctx.clock, actor, { action, entityType: 'application', entityId: app.id, before: { lineManagerEmail: app.lineManagerEmail }, after: { lineManagerEmail: email } });
  });
}
