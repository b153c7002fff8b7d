import { intakesForDelivery } from '../../catalogue/catalogue.queries';
import type { Actor } from '../../platform/auth/actor';
import { ForbiddenError } from '../../platform/errors';
import { deliversProgrammes, intakeScope } from '../domain/learning.policy';
import type { LearningContext } from '../learning.context';
import { programmeVersions } from '../learning.schema';

/**
 * The intakes whose delivery the actor sees (all for the admin; their partners' for leads and
 * facilitators), newest start first, each saying whether its NPQ has a programme to plan. ForbiddenError
 * for anyone else.
 */
export async function deliveryIntakes(ctx: LearningContext, actor: Actor) {
  if (!deliversProgrammes(actor)) throw new ForbiddenError();
  const scope = intakeScope(actor);
  const [intakes, withProgramme] = await Promise.all([intakesForDelivery(ctx.db, 'all' in scope ? 'all' : scope.partners), ctx.db.selectDistinct({ id: programmeVersions.qualificationId }).from(programmeVersions)]);
  const built = new Set(withProgramme.map((r) => r.id));
  return intakes.map((i) => ({ ...i, hasProgramme: built.has(i.intake.qualificationId) }));
}
