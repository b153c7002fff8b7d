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

/**
 * Whose engagement the actor may read, as a test of a place: the admin anyone's; a lead or facilitator
 * their partner's; a coach or tutor those they coach or tutor now (read once, for every place asked of).
 */
export async function engagementReader(ctx: EngagementContext, actor: Actor): Promise<(place: Place) => boolean> {
  if (!readsEngagement(actor)) return () => false;
  const scope = engagementScope(actor);
  if ('all' in scope) return () => true;
  const coached = new Set(scope.coachUserId ? await placesCoachedBy(ctx.db, scope.coachUserId) : []);
  return (place) => Boolean(place.deliveryPartnerId && scope.partners.includes(place.deliveryPartnerId)) || coached.has(place.enrolmentId);
}

/**
 * One participant's engagement, computed now, for those who may see it (engagementReader;
 * NotFoundError for everyone else, as for a place that does not exist): the list's detail, and the API.
 */
export async function engagementOfParticipant(ctx: EngagementContext, actor: Actor, enrolmentId: string): Promise<PlaceEngagement> {
  const [place] = await placesByEnrolment(ctx.db, [enrolmentId]);
  if (!place || !(await engagementReader(ctx, actor))(place)) throw new NotFoundError('participant');
  return (await refreshPlaces(ctx, [place]))[0]!;
}

/**
 * A DfE participant's engagement on each of their places the actor may see (the API: issue 11 item 6),
 * computed now; NotFoundError when there is none of theirs to see.
 */
export async function engagementOfDfeParticipant(ctx: EngagementContext, actor: Actor, participantId: string): Promise<{ computedAt: Date; places: PlaceEngagement[] }> {
  const places = await placesOfParticipant(ctx.db, participantId);
  const mayRead = await engagementReader(ctx, actor);
  const seen = places.filter(mayRead);
  if (!seen.length) throw new NotFoundError('participant');
  return { computedAt: ctx.clock.now(), places: await refreshPlaces(ctx, seen) };
}
