import { guardOf } from '../../platform/workflow';
import { and, eq } from 'drizzle-orm';
import { audit } from '../../audit/audit';
import type { Actor } from '../../platform/auth/actor';
import { NotFoundError, ValidationError } from '../../platform/errors';
import { type ApplicationRow, applicationById, submittedApplicationById } from '../applications/applications.repository';
import { requireReviewer } from '../authorise';
import { allows, GATEWAY_WORKFLOW } from '../domain/application';
import { decideGatewayReview, type GatewayReviewInput } from '../domain/gateway';
import { recordEvent } from '../../platform/events';
import { courseNamed } from '../applications/applications.events';
import type { EnrolmentContext } from '../enrolment-context';
import { gatewayAssessments } from '../enrolment.schema';
import { touchApplication, whileApplication } from './gateway-writes';
import { gatewayQueuePage } from './gateway.repository';

/** The reviewers' queue: a page (from 1) of applications whose gateway is in `status`, earliest sent first. */
export const gatewayQueue =
  (ctx: EnrolmentContext) =>
  async (actor: Actor, status: 'submitted' | 'passed' | 'failed', page: number, perPage = 50) => {
    requireReviewer(actor);
    return gatewayQueuePage(ctx.db, status, page, perPage);
  };

/** An application's gateway and its NPQ's configuration, for the reviewer; 404 when it has no gateway. */
export const findForReview = (ctx: EnrolmentContext) => async (actor: Actor, id: string) => {
  requireReviewer(actor);
  const app = await submittedApplicationById(ctx.db, id);
  if (!app || app.gatewayStatus === 'not_required') throw new NotFoundError('gateway assessment');
  const config = await ctx.gatewayConfig(app.courseIdentifier);
  if (!config) throw new NotFoundError('gateway assessment');
  return { app, config };
};

/**
 * A reviewer scores each criterion and records pass or fail with feedback; the applicant is told. A
 * result against the pass mark needs a reason (decideGatewayReview), kept with the result and in
 * the audit log. Refused (409) once reviewed, or when the application is no longer live.
 */
export const reviewGateway =
  (ctx: EnrolmentContext) =>
  async (actor: Actor, id: string, input: GatewayReviewInput): Promise<ApplicationRow> => {
    const { app, config } = await findForReview(ctx)(actor, id);
    if (!allows('reviewGateway', app.status)) throw ctx.refuse('application_closed', app.status === 'withdrawn' ? 'The applicant withdrew this application: there is nothing to review' : 'This application has been decided: there is nothing to review', 409);
    if (app.gatewayStatus !== 'submitted') throw ctx.refuse('gateway_not_submitted', app.gatewayStatus === 'awaiting_submission' ? 'The applicant has not sent their answers yet' : 'This gateway assessment has already been reviewed', 409);
    const decision = decideGatewayReview(config.criteria, config.passMark, input);
    if (!decision.ok) throw new ValidationError(decision.errors);
    const { scores, result, feedback, overrideReason, total } = decision;
    const at = ctx.now();
    const course = await ctx.courseNamed(app.courseIdentifier);
    return ctx.write(async (tx) => {
      const [reviewed] = await tx
        .update(gatewayAssessments)
        .set({ status: result, scores, feedback, overrideReason, reviewerId: actor.kind === 'user' ? actor.userId : null, reviewedAt: at, updatedAt: at })
        .where(and(eq(gatewayAssessments.applicationId, app.id), guardOf(GATEWAY_WORKFLOW, result === 'passed' ? 'pass' : 'fail', gatewayAssessments.status), whileApplication(tx, app.id, 'reviewGateway')))
        .returning({ id: gatewayAssessments.applicationId });
      if (!reviewed) throw ctx.refuse('gateway_not_submitted', 'This gateway assessment has already been reviewed', 409);
      await touchApplication(tx, app.id, at);
      const row = (await applicationById(tx, app.id))!;
      await recordEvent(tx, ctx.clock, { type: 'application.gateway_reviewed', applicationId: row.id, course: courseNamed(app.courseIdentifier, course), result, feedback });
      await audit(tx, ctx.clock, actor, {
        action: `gateway.${result}`,
        entityType: 'application',
        entityId: row.id,
        after: { scores, total, passMark: config.passMark, feedback, ...(overrideReason ? { againstPassMark: true, overrideReason } : {}) },
      });
      return row;
    });
  };
