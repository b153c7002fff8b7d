import { placesInIntake } from '../../enrolment/enrolment.queries';
import type { Actor } from '../../platform/auth/actor';
import { intakeFor, type LearningContext, refuse } from '../learning.context';
import { progressOfPlaces } from '../learning.queries';

/**
 * Every participant's progress in an intake (issue 10 item 8, for the intake's staff: NotFoundError for
 * others), per component as `progressOf` computes it (progressOfPlaces), in name order.
 * AppError no_programme when the intake's NPQ has none.
 */
export async function progressOfIntake(ctx: LearningContext, actor: Actor, intakeId: string) {
  const { intake } = await intakeFor(ctx, actor, intakeId);
  const places = await placesInIntake(ctx.db, intake.id);
  const read = await progressOfPlaces(ctx.db, ctx.clock.now(), intake, places);
  if (!read) throw refuse('no_programme', 'This NPQ has no programme yet: an admin builds it first', 404);
  return { intake, version: read.version, participants: places.map((place) => ({ place, progress: read.progress.get(place.enrolmentId)! })) };
}
