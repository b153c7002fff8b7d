import { placesCoachedBy } from '../../coaching/coaching.queries';
import { type Place, placesByEnrolment, placesOfParticipant } from '../../enrolment/enrolment.queries';
import type { Actor } from '../../platform/auth/actor';
import { requireFullySignedIn } from '../../platform/auth/require-signed-in';
import { NotFoundError } from '../../platform/errors';
import { engagementScope, readsEngagement } from '../domain/engagement.policy';
import type { PlaceEngagement } from '../engagement.compute';
import type { EngagementContext } from '../engagement.context';
import { refreshPlaces } from '../snapshots/refresh-engagement';

/**
 * The participant's own engagement on one place (issue 11 item 3: "the participant sees it on their
 * programme"), computed now and kept as their snapshot, so the lists agree with what they see.
 * NotFoundError for anyone else's place.
 */
export async function myEngagement(ctx: EngagementContext, actor: Actor, enrolmentId: string): Promise<PlaceEngagement> {
  const me = requireFullySignedIn(actor);
  const [place] = await placesByEnrolment(ctx.db, [enrolmentId]);
  if (!place || place.userId !== me.userId) throw new NotFoundError('programme');
  return (await refreshPlaces(ctx, [place]))[0]!;
}

/** Whether the actor may read this place's engagement: the admin; a lead or facilitator of its partner; its coach or tutor now. */
export async function mayReadEngagementOf(ctx: EngagementContext, actor: Actor, place: Place): Promise<boolean> {
  if (!readsEngagement(actor)) return false;
  const scope = engagementScope(actor);
  if ('all' in scope) return true;
  if (place.deliveryPartnerId && scope.partners.includes(place.deliveryPartnerId)) return true;
  return !!scope.coachUserId && (await placesCoachedBy(ctx.db, scope.coachUserId)).includes(place.enrolmentId);
}

/**
 * One participant's engagement, computed now, for those who may see it (mayReadEngagementOf;
 * NotFoundError for everyone else, as for a place that does not exist): the list's detail, and the API.
 */
export async function engagementOfParticipant(ctx: EngagementContext, actor: Actor, enrolmentId: string): Promise<PlaceEngagement> {
  const [place] = await placesByEnrolment(ctx.db, [enrolmentId]);
  if (!place || !(await mayReadEngagementOf(ctx, actor, place))) throw new NotFoundError('participant');
  return (await refreshPlaces(ctx, [place]))[0]!;
}

/**
 * A DfE participant's engagement on each of their places the actor may see (the API: issue 11 item 6),
 * computed now; NotFoundError when there is none of theirs to see.
 */
export async function engagementOfDfeParticipant(ctx: EngagementContext, actor: Actor, participantId: string): Promise<{ computedAt: Date; places: PlaceEngagement[] }> {
  const places = await placesOfParticipant(ctx.db, participantId);
  const seen: Place[] = [];
  for (const place of places) if (await mayReadEngagementOf(ctx, actor, place)) seen.push(place);
  if (!seen.length) throw new NotFoundError('participant');
  return { computedAt: ctx.clock.now(), places: await refreshPlaces(ctx, seen) };
}
