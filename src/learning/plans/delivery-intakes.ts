import { intakesForDelivery } from '../../catalogue/catalogue.queries';
import type { Actor } from '../../platform/auth/actor';
import { ForbiddenError } from '../../platform/errors';
import { deliversProgrammes, intakeScope } from '../domain/learning.policy';
import type { LearningContext } from '../learning.context';
import { programmeVersions } from '../learning.schema';

/**
 * The intakes whose delivery the actor sees (all for the admin; their partners' for leads and
 * facilitators), each saying whether its NPQ has a programme to plan: those that have one first (the
 * ones there is work on), each part newest start first. ForbiddenError for anyone else.
 */
export async function deliveryIntakes(ctx: LearningContext, actor: Actor) {
  if (!deliversProgrammes(actor)) throw new ForbiddenError();
  const scope = intakeScope(actor);
  const [intakes, withProgramme] = await Promise.all([intakesForDelivery(ctx.db, 'all' in scope ? 'all' : scope.partners), ctx.db.selectDistinct({ id: programmeVersions.qualificationId }).from(programmeVersions)]);
  const built = new Set(withProgramme.map((r) => r.id));
  const listed = intakes.map((i) => ({ ...i, hasProgramme: built.has(i.intake.qualificationId) }));
  // A stable sort: within each part, the query's order (newest start first) stands.
  return listed.sort((a, b) => Number(b.hasProgramme) - Number(a.hasProgramme));
}
