import type { Actor } from '../../platform/auth/actor';
import { NotFoundError } from '../../platform/errors';
import { readScope } from '../authorise';
import type { EnrolmentContext } from '../enrolment-context';
import { cohortById, nameOfUser, submittedApplicationById } from './applications.repository';
import { workplaceOf } from './workplace-of';

/**
 * One submitted application for the provider's page: with its cohort, the gateway reviewer's name and
 * the workplace. Another partner's application is "not found" (404), so its existence is not given away.
 */
export const showApplication = (ctx: EnrolmentContext) => async (actor: Actor, id: string) => {
  const scope = readScope(actor);
  const app = await submittedApplicationById(ctx.db, id);
  if (!app || (scope.deliveryPartnerIds && !scope.deliveryPartnerIds.includes(app.deliveryPartnerId ?? ''))) throw new NotFoundError('application');
  const cohort = app.cohortId ? await cohortById(ctx.db, app.cohortId) : undefined;
  const reviewerName = app.gatewayReviewerId ? await nameOfUser(ctx.db, app.gatewayReviewerId) : undefined;
  return { app, cohort, reviewerName, workplace: await workplaceOf(ctx, app) };
};
