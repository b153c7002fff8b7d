import { guardOf } from '../../platform/workflow';
import { and, eq } from 'drizzle-orm';
import { audit } from '../../audit/audit';
import type { Actor } from '../../platform/auth/actor';
import { recordEvent } from '../../platform/events';
import { courseNamed } from './applications.events';
import { NotFoundError, ValidationError } from '../../platform/errors';
import { requireManager } from '../authorise';
import { APPLICATION_WORKFLOW, allows } from '../domain/application';
import { TEXT_LIMITS, tooLong } from '../domain/text-limits';
import type { EnrolmentContext } from '../enrolment-context';
import { applications } from '../enrolment.schema';
import { type ApplicationRow, applicationById, applicationForDecision, type DecidedApplication } from './applications.repository';

/** The provider's reason for a rejection, as stored and shown to the applicant; raises when missing or too long. */
function rejectionText(reason: string | undefined): string {
  const text = (reason ?? '').trim();
  if (!text) throw new ValidationError({ reason: 'Give the reason for rejecting the application' });
  if (text.length > TEXT_LIMITS.reason) throw new ValidationError({ reason: tooLong('The reason', TEXT_LIMITS.reason) });
  return text;
}

/** Raises unless a live application may be rejected now. */
function mayReject(ctx: EnrolmentContext, app: ApplicationRow) {
  if (app.status === 'accepted') throw ctx.refuse('application_already_accepted', 'An accepted application cannot be rejected: withdraw the participant instead');
  if (!allows('reject', app.status)) throw ctx.refuse('application_withdrawn', 'The applicant withdrew this application: there is nothing to reject');
}

/**
 * Checks a rejection without making it, for the page that confirms it: the application and the
 * reason as it will be stored. Raises what `rejectApplication` would.
 */
export const checkRejection =
  (ctx: EnrolmentContext) =>
  async (actor: Actor, id: string, reason: string | undefined): Promise<{ app: ApplicationRow; reason: string }> => {
    requireManager(actor);
    const text = rejectionText(reason);
    const app = await applicationById(ctx.db, id);
    if (!app || app.status === 'draft') throw new NotFoundError('application');
    if (app.status !== 'rejected') mayReject(ctx, app);
    return { app, reason: text };
  };

/** The provider rejects a pending application with its reason (free text, told to the applicant). Rejecting again changes nothing and answers `unchanged`. */
export const rejectApplication =
  (ctx: EnrolmentContext) =>
  async (actor: Actor, id: string, reason: string | undefined): Promise<DecidedApplication> => {
    requireManager(actor);
    const text = rejectionText(reason);
    // Read before the transaction: see courseOfApplication.
    const course = await ctx.courseOfApplication(id);
    return ctx.write(async (tx) => {
      const app = (await applicationForDecision(tx, id))?.app;
      if (!app || app.status === 'draft') throw new NotFoundError('application');
      if (app.status === 'rejected') return { ...app, unchanged: true };
      mayReject(ctx, app);
      const at = ctx.now();
      await tx.update(applications).set({ status: 'rejected', reasonForRejection: text, decidedAt: at, updatedAt: at }).where(and(eq(applications.id, app.id), guardOf(APPLICATION_WORKFLOW, 'reject', applications.status)));
      await recordEvent(tx, ctx.clock, { type: 'application.rejected', applicationId: app.id, course: courseNamed(app.courseIdentifier, course), reason: text });
      await audit(tx, ctx.clock, actor, { action: 'application.rejected', entityType: 'application', entityId: app.id, before: { status: app.status }, after: { status: 'rejected', reason: text } });
      return (await applicationById(tx, app.id))!;
    });
  };
