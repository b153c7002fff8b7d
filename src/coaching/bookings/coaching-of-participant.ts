import { eq, inArray } from 'drizzle-orm';
import { coachingMinutesByQualification } from '../../catalogue/catalogue.queries';
import { placesOfParticipant } from '../../enrolment/enrolment.queries';
import { contactsOfAccounts } from '../../people/people.queries';
import type { Actor } from '../../platform/auth/actor';
import { can } from '../../platform/auth/permissions';
import { NotFoundError } from '../../platform/errors';
import { type BookingStatus, coachingMinutes, type SlotMode } from '../domain/coaching';
import { allocationScope } from '../domain/coaching.policy';
import type { CoachingContext } from '../coaching.context';
import { coachingBookings, coachingSlots } from '../coaching.schema';
import { currentCoach } from './bookings';

/**
 * A participant's coaching on each of their places (issue 11 item 6), by DfE's participant id, for
 * the participant themselves and for whoever allocates coaches to their partner (the admin; that
 * partner's lead; an API token holding those roles); NotFoundError for anyone else, exactly as for an
 * id that names nobody. Each place: its coach and tutor, minutes (entitled, used, booked, left) and
 * every session with its outcome — never the coach's notes, nor the actions agreed (the participant's
 * and their coach's).
 */
export async function coachingOfParticipant(ctx: CoachingContext, actor: Actor, participantId: string) {
  const places = await placesOfParticipant(ctx.db, participantId);
  const scope = can(actor, 'coaching:allocate') ? allocationScope(actor) : [];
  const visible = places.filter((p) => (actor.kind === 'user' && actor.fullySignedIn && p.userId === actor.userId) || scope === 'all' || (p.deliveryPartnerId !== null && scope.includes(p.deliveryPartnerId)));
  if (!visible.length) throw new NotFoundError('participant');
  const ids = visible.map((p) => p.enrolmentId);
  const [entitled, rows, coaches, tutors] = await Promise.all([
    coachingMinutesByQualification(ctx.db),
    ctx.db.select({ b: coachingBookings, s: coachingSlots }).from(coachingBookings).innerJoin(coachingSlots, eq(coachingSlots.id, coachingBookings.slotId)).where(inArray(coachingBookings.enrolmentId, ids)).orderBy(coachingSlots.startsAt),
    Promise.all(ids.map((id) => currentCoach(ctx.db, id, 'coach'))),
    Promise.all(ids.map((id) => currentCoach(ctx.db, id, 'tutor'))),
  ]);
  const names = await contactsOfAccounts(ctx.db, [...coaches, ...tutors].filter((x): x is string => Boolean(x)));
  const person = (id: string | undefined) => (id ? { id, name: names.get(id)?.name ?? '' } : null);
  return visible.map((place, i) => {
    const mine = rows.filter((r) => r.b.enrolmentId === place.enrolmentId);
    return {
      place,
      coach: person(coaches[i]),
      tutor: person(tutors[i]),
      minutes: coachingMinutes(entitled.get(place.courseIdentifier) ?? 0, mine.map((r) => ({ status: r.b.status, minutes: r.s.minutes, heldMinutes: r.b.heldMinutes }))),
      sessions: mine.map(({ b, s }) => ({ id: b.id, coachUserId: b.coachUserId, status: b.status as BookingStatus, startsAt: s.startsAt, minutes: s.minutes, heldMinutes: b.heldMinutes, mode: s.mode as SlotMode })),
    };
  });
}
