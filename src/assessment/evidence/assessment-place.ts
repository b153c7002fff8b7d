import { intakeById } from '../../catalogue/catalogue.queries';
import { type Place, placesByEnrolment, statusChangesOfPlace } from '../../enrolment/enrolment.queries';
import type { Actor } from '../../platform/auth/actor';
import { requireFullySignedIn } from '../../platform/auth/require-signed-in';
import { type PlainDate, today, ukDate } from '../../platform/clock';
import { NotFoundError } from '../../platform/errors';
import type { AssessmentContext } from '../assessment.context';
import { refuse } from '../assessment.context';
import { type AssessmentSpec, assessmentSpecFor } from '../domain/assessment-spec';
import { readsEvidenceOf } from '../domain/assessment.policy';
import { finalAssessmentDeadline, pausesOf } from '../domain/final-assessment-clock';

/**
 * A place as assessment reads it: the place, the assessment it is held to (the version in force when
 * its intake started), when it started (the intake's start, UK date), today, and when the final
 * assessment must be passed by, deferrals added (issue 12 item 1).
 */
export interface AssessmentPlace {
  place: Place;
  spec: AssessmentSpec;
  startedOn: PlainDate;
  today: PlainDate;
  deadline: ReturnType<typeof finalAssessmentDeadline>;
  /** Whether the actor is the participant (who may record evidence), not staff reading it. */
  own: boolean;
}

async function assessmentPlace(ctx: AssessmentContext, place: Place, own: boolean): Promise<AssessmentPlace> {
  const [intake, changes] = await Promise.all([place.intakeId ? intakeById(ctx.db, place.intakeId) : undefined, statusChangesOfPlace(ctx.db, place.enrolmentId)]);
  const now = today(ctx.clock);
  const startedOn = intake?.startDate ?? now;
  const spec = assessmentSpecFor(place.courseIdentifier, startedOn);
  if (!spec) throw new NotFoundError('assessment');
  const pauses = pausesOf(changes.map((c) => ({ toStatus: c.toStatus, on: ukDate(c.changedAt) })));
  return { place, spec, startedOn, today: now, deadline: finalAssessmentDeadline(startedOn, spec.passWithinMonths, pauses, now), own };
}

/**
 * The place's assessment for its participant, or for the provider's admin or its delivery partner's
 * lead to read (readsEvidenceOf). NotFoundError for anyone else, as for a place that does not exist or
 * an NPQ that is not assessed: nobody learns whose places exist.
 */
export async function assessmentPlaceFor(ctx: AssessmentContext, actor: Actor, enrolmentId: string): Promise<AssessmentPlace> {
  const [place] = await placesByEnrolment(ctx.db, [enrolmentId]);
  if (!place) throw new NotFoundError('programme');
  const own = actor.kind === 'user' && actor.fullySignedIn && place.userId === actor.userId;
  if (!own && !readsEvidenceOf(actor, place.deliveryPartnerId)) throw new NotFoundError('programme');
  return assessmentPlace(ctx, place, own);
}

/**
 * The participant's own place, to record evidence on: NotFoundError for anyone else's; AppError
 * not_in_training once they have withdrawn (a deferred participant may still record what they did).
 */
export async function ownAssessmentPlace(ctx: AssessmentContext, actor: Actor, enrolmentId: string): Promise<AssessmentPlace> {
  const me = requireFullySignedIn(actor);
  const [place] = await placesByEnrolment(ctx.db, [enrolmentId]);
  if (!place || place.userId !== me.userId) throw new NotFoundError('programme');
  if (place.trainingStatus === 'withdrawn') throw refuse('not_in_training', 'You have withdrawn from this NPQ, so nothing more can be recorded. Ask your provider if this is wrong.');
  return assessmentPlace(ctx, place, true);
}
