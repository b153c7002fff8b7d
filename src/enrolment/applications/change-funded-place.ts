import { audit } from '../../audit/audit';
import type { Actor } from '../../platform/auth/actor';
import { NotFoundError } from '../../platform/errors';
import { recordEvent } from '../../platform/events';
import { requireManager } from '../authorise';
import { type ApplicationStatus, decideFundedPlaceChange } from '../domain/application';
import type { EnrolmentContext } from '../enrolment-context';
import { updateEnrolment } from '../participants/enrolment-writes';
import { type ApplicationRow, applicationById, applicationForDecision, fundedPlacesTaken } from './applications.repository';

/**
 * Gives an accepted participant a funded place, or takes it away (issue 13 item 2), under the cohort's
 * lock as an acceptance takes it, so two changes at once cannot both take the last funded place. The
 * rules are decideFundedPlaceChange's; a refusal raises it with its stable code (422). Audited, and
 * `application.funded_place_changed` tells DfE after commit. NotFoundError for no application.
 */
export const changeFundedPlace =
  (ctx: EnrolmentContext) =>
  async (actor: Actor, id: string, input: { fundedPlace: boolean }): Promise<ApplicationRow> => {
    requireManager(actor);
    return ctx.write(async (tx) => {
      const locked = await applicationForDecision(tx, id);
      if (!locked || locked.app.status === 'draft' || !locked.cohort) throw new NotFoundError('application');
      const { app, cohort } = locked;
      const decision = decideFundedPlaceChange({
        status: app.status as ApplicationStatus,
        cohortFunding: cohort.funding as 'none' | 'capped' | 'full',
        eligibleForFunding: app.eligibleForFunding,
        current: app.fundedPlace,
        requested: input.fundedPlace,
        fundedPlacesTaken: await fundedPlacesTaken(tx, cohort.id, app.courseIdentifier),
        fundedPlaceLimit: cohort.fundedPlaceLimits[app.courseIdentifier] ?? 0,
      });
      if (!decision.ok) throw ctx.refuse(decision.code, decision.message);
      const at = ctx.now();
      await updateEnrolment(tx, app.id, { fundedPlace: input.fundedPlace }, at);
      await audit(tx, ctx.clock, actor, { action: 'application.funded_place_changed', entityType: 'application', entityId: app.id, before: { fundedPlace: app.fundedPlace }, after: { fundedPlace: input.fundedPlace } });
      await recordEvent(tx, ctx.clock, { type: 'application.funded_place_changed', applicationId: app.id, fundedPlace: input.fundedPlace });
      return (await applicationById(tx, app.id))!;
    });
  };
