import { intakesForDelivery } from '../../catalogue/catalogue.queries';
import type { Actor } from '../../platform/auth/actor';
import { ForbiddenError } from '../../platform/errors';
import { deliversProgrammes, intakeScope } from '../domain/learning.policy';
import type { LearningContext } from '../learning.context';
import { ukDate } from '../../platform/clock';
import { programmeVersions } from '../learning.schema';

/**
 * The intakes whose delivery the actor sees (all for the admin; their partners' for leads and
 * facilitators), each saying whether its NPQ has a programme to plan and whether it has started, in
 * the order there is work on them: those under way (latest start first), then those to come (soonest
 * first), then those of NPQs without a programme. ForbiddenError for anyone else.
 */
export async function deliveryIntakes(ctx: LearningContext, actor: Actor) {
  if (!deliversProgrammes(actor)) throw new ForbiddenError();
  const scope = intakeScope(actor);
  const [intakes, withProgramme] = await Promise.all([intakesForDelivery(ctx.db, 'all' in scope ? 'all' : scope.partners), ctx.db.selectDistinct({ id: programmeVersions.qualificationId }).from(programmeVersions)]);
  const built = new Set(withProgramme.map((r) => r.id));
  const today = ukDate(ctx.clock.now());
  const listed = intakes.map((i) => ({ ...i, hasProgramme: built.has(i.intake.qualificationId), started: i.intake.startDate <= today }));
  const part = (i: (typeof listed)[number]) => (!i.hasProgramme ? 2 : i.started ? 0 : 1);
  // The query gives latest start first: kept for those under way and those without a programme, turned round for those to come.
  return listed.sort((a, b) => part(a) - part(b) || (part(a) === 1 ? a.intake.startDate.localeCompare(b.intake.startDate) : 0));
}
