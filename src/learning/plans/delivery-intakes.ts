import { intakesForDelivery } from '../../catalogue/catalogue.queries';
import type { Actor } from '../../platform/auth/actor';
import { ForbiddenError } from '../../platform/errors';
import { deliversProgrammes, intakeScope } from '../domain/learning.policy';
import type { LearningContext } from '../learning.context';

/** The intakes whose delivery the actor sees (all for the admin; their partners' for leads and facilitators), newest start first. ForbiddenError for anyone else. */
export async function deliveryIntakes(ctx: LearningContext, actor: Actor) {
  if (!deliversProgrammes(actor)) throw new ForbiddenError();
  const scope = intakeScope(actor);
  return intakesForDelivery(ctx.db, 'all' in scope ? 'all' : scope.partners);
}
