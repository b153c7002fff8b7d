import { guardOf } from '../../platform/workflow';
import { and, eq } from 'drizzle-orm';
import { audit } from '../../audit/audit';
import type { Actor } from '../../platform/auth/actor';
import { recordEvent } from '../../platform/events';
import { NotFoundError } from '../../platform/errors';
import { requireManager } from '../authorise';
import { APPLICATION_WORKFLOW, allows } from '../domain/application';
import { type EnrolmentContext, isUniqueViolation } from '../enrolment-context';
import { applications } from '../enrolment.schema';
import { type ApplicationRow, applicationById, applicationForDecision, otherAcceptedInCohort } from './applications.repository';

/**
 * Undoes a rejection by the provider: the application is pending again, its reason kept in the audit
 * log. Refused (422) for a withdrawn application, one rejected because another was accepted or while
 * another of the person's in the cohort is accepted (one accepted per person per cohort), or when
 * the person has applied again for the NPQ in the cohort.
 */
export const reopenApplication =
  (ctx: EnrolmentContext) =>
  async (actor: Actor, id: string): Promise<ApplicationRow> => {
    requireManager(actor);
    return ctx.write(async (tx) => {
      const app = (await applicationForDecision(tx, id))?.app;
      if (!app || app.status === 'draft') throw new NotFoundError('application');
      if (!allows('reopen', app.status)) throw ctx.refuse('not_rejected', app.status === 'withdrawn' ? 'The applicant withdrew this application: they can apply again' : 'Only a rejected application can be reopened');
      if (app.reasonForRejection === 'other_application_in_this_cohort_accepted' || (await otherAcceptedInCohort(tx, app))) throw ctx.refuse('other_application_accepted', 'Another of this person’s applications in the cohort is accepted: withdraw that one first');
      const at = ctx.now();
      await tx
        .update(applications)
        .set({ status: 'pending', reasonForRejection: null, decidedAt: null, updatedAt: at })
        .where(and(eq(applications.id, app.id), guardOf(APPLICATION_WORKFLOW, 'reopen', applications.status)))
        .catch((err: unknown) => {
          if (isUniqueViolation(err)) throw ctx.refuse('applied_again', 'This person has applied again for this NPQ in this cohort: decide that application instead');
          throw err;
        });
      await recordEvent(tx, ctx.clock, { type: 'application.reopened', applicationId: app.id, reasonForRejection: app.reasonForRejection });
      await audit(tx, ctx.clock, actor, { action: 'application.reopened', entityType: 'application', entityId: app.id, before: { status: app.status, reasonForRejection: app.reasonForRejection }, after: { status: 'pending' } });
      return (await applicationById(tx, app.id))!;
    });
  };
