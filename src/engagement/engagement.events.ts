import { placesByEnrolment } from '../enrolment/enrolment.queries';
import type { EventHandlers } from '../platform/events';
import type { EngagementContext } from './engagement.context';
import { refreshPlaces } from './snapshots/refresh-engagement';

/**
 * What engagement does after a participant's training changes (deferred, resumed, withdrawn, moved):
 * their figures and flag are computed afresh at once, not at the next nightly run, so a withdrawn
 * participant leaves the lists, the digest and the API, and a deferred one is no longer flagged.
 */
export function engagementEventHandlers(events: EventHandlers, ctx: EngagementContext) {
  for (const type of ['participant.deferred', 'participant.resumed', 'participant.withdrawn', 'participant.moved'] as const) {
    events.on(type, 'engagement-refresh', async ({ payload }) => {
      const places = await placesByEnrolment(ctx.db, [payload.applicationId]);
      if (places.length) await refreshPlaces(ctx, places);
    });
  }
}
