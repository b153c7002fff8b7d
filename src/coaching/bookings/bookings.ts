import { randomUUID } from 'node:crypto';
import { and, asc, desc, eq, gt, inArray, isNull, lte, sql } from 'drizzle-orm';
import { audit } from '../../audit/audit';
import { coachingMinutesByQualification } from '../../catalogue/catalogue.queries';
import type { Executor } from '../../db/client';
import { isUniqueViolation } from '../../db/errors';
import { type Place, placesByEnrolment } from '../../enrolment/enrolment.queries';
import { enqueueEmail } from '../../mail/outbox';
import { contactsOfAccounts } from '../../people/people.queries';
import type { Actor } from '../../platform/auth/actor';
import { requireFullySignedIn } from '../../platform/auth/require-signed-in';
import { addDaysTo } from '../../platform/clock';
import { NotFoundError } from '../../platform/errors';
import { type BookingStatus, coachingMinutes, inGoodTime, type SlotMode } from '../domain/coaching';
import { hoursAndMinutes } from '../../platform/text';
import { type SessionFacts, sessionEmails } from '../emails/coaching-emails';
import { commit, type CoachingContext, noticeHours, profileOf, refuse } from '../coaching.context';
import { coachAllocations, coachingBookings, coachingSlots } from '../coaching.schema';
import { bookingsCounted } from '../allocations/allocations';

/** How far ahead a participant sees their coach's free slots. */
export const BOOKING_REACH_DAYS = 120;
/** At most this many free slots are listed. */
export const FREE_SLOTS_SHOWN = 100;

/** A slot as a participant chooses among them. */
export interface FreeSlot {
  id: string;
  startsAt: Date;
  minutes: number;
  mode: SlotMode;
  location: string | null;
}

/** One of the participant's bookings as their page shows it. */
export interface MyBooking {
  id: string;
  status: BookingStatus;
  startsAt: Date;
  minutes: number;
  heldMinutes: number | null;
  mode: SlotMode;
  joinUrl: string | null;
  location: string | null;
  coachName: string;
  agreedActions: string;
}

const uk = (zone: string | null) => zone ?? 'Europe/London';

/** The actor's own place in training, or NotFoundError (anyone else's, or none). */
async function ownPlace(ctx: CoachingContext, actor: Actor, enrolmentId: string): Promise<Place> {
  const me = requireFullySignedIn(actor);
  const [place] = await placesByEnrolment(ctx.db, [enrolmentId]);
  if (!place || place.userId !== me.userId) throw new NotFoundError('programme');
  return place;
}

/** Who coaches (or tutors) a place now, or undefined. */
export async function currentCoach(db: Executor, enrolmentId: string, kind: 'coach' | 'tutor' = 'coach'): Promise<string | undefined> {
  const [row] = await db.select({ coach: coachAllocations.coachUserId }).from(coachAllocations).where(and(eq(coachAllocations.enrolmentId, enrolmentId), eq(coachAllocations.kind, kind), isNull(coachAllocations.endedAt)));
  return row?.coach;
}

/** A coach's slots free to book from now until BOOKING_REACH_DAYS ahead, soonest first (at most FREE_SLOTS_SHOWN): the participant's to book, and the coach's to move a session to. */
export async function freeSlotsOf(ctx: CoachingContext, coachUserId: string): Promise<FreeSlot[]> {
  const now = ctx.clock.now();
  const rows = await ctx.db
    .select({ id: coachingSlots.id, startsAt: coachingSlots.startsAt, minutes: coachingSlots.minutes, mode: coachingSlots.mode, location: coachingSlots.location })
    .from(coachingSlots)
    .where(
      and(
        eq(coachingSlots.coachUserId, coachUserId),
        isNull(coachingSlots.removedAt),
        gt(coachingSlots.startsAt, now),
        lte(coachingSlots.startsAt, addDaysTo(now, BOOKING_REACH_DAYS)),
        sql`not exists (select 1 from ${coachingBookings} where ${coachingBookings.slotId} = ${coachingSlots.id} and ${coachingBookings.status} in ('booked', 'held', 'missed'))`,
      ),
    )
    .orderBy(asc(coachingSlots.startsAt))
    .limit(FREE_SLOTS_SHOWN);
  return rows.map((r) => ({ ...r, mode: r.mode as SlotMode }));
}

/**
 * The participant's coaching on one of their places (issue 11 item 1), NotFoundError for anyone
 * else's: their coach and personal tutor, their minutes (entitled, used, booked, left), their bookings
 * newest first with the actions agreed at each, their coach's free slots, their time zone (the
 * application's, UK time when none) and the provider's notice period.
 */
export async function myCoaching(ctx: CoachingContext, actor: Actor, enrolmentId: string) {
  const place = await ownPlace(ctx, actor, enrolmentId);
  const [coach, tutor, entitled, notice, rows] = await Promise.all([
    currentCoach(ctx.db, enrolmentId, 'coach'),
    currentCoach(ctx.db, enrolmentId, 'tutor'),
    coachingMinutesByQualification(ctx.db),
    noticeHours(ctx.db),
    ctx.db.select({ b: coachingBookings, s: coachingSlots }).from(coachingBookings).innerJoin(coachingSlots, eq(coachingSlots.id, coachingBookings.slotId)).where(eq(coachingBookings.enrolmentId, enrolmentId)).orderBy(desc(coachingSlots.startsAt)),
  ]);
  const names = await contactsOfAccounts(ctx.db, [...(coach ? [coach] : []), ...(tutor ? [tutor] : []), ...rows.map((r) => r.b.coachUserId)]);
  const bookings: MyBooking[] = rows
    .filter((r) => r.b.status !== 'rescheduled')
    .map(({ b, s }) => ({ id: b.id, status: b.status as BookingStatus, startsAt: s.startsAt, minutes: s.minutes, heldMinutes: b.heldMinutes, mode: s.mode as SlotMode, joinUrl: s.joinUrl, location: s.location, coachName: names.get(b.coachUserId)?.name ?? 'Your coach', agreedActions: b.agreedActions }));
  return {
    place,
    timeZone: uk(place.timeZone),
    coach: coach ? { id: coach, name: names.get(coach)?.name ?? '' } : null,
    tutor: tutor ? { id: tutor, name: names.get(tutor)?.name ?? '' } : null,
    minutes: coachingMinutes(entitled.get(place.courseIdentifier) ?? 0, rows.map((r) => ({ status: r.b.status, minutes: r.s.minutes, heldMinutes: r.b.heldMinutes }))),
    bookings,
    freeSlots: coach && place.trainingStatus === 'active' ? await freeSlotsOf(ctx, coach) : [],
    noticeHours: notice,
    now: ctx.clock.now(),
  };
}

/** The facts the emails about a booking need (participant and coach, their zones, links). */
async function factsOf(ctx: CoachingContext, db: Executor, booking: { id: string; calendarUid: string; sequence: number; coachUserId: string }, slot: { startsAt: Date; minutes: number; mode: string; joinUrl: string | null; location: string | null }, place: Place): Promise<SessionFacts> {
  const [contacts, profile] = await Promise.all([contactsOfAccounts(db, [booking.coachUserId]), profileOf(db, booking.coachUserId)]);
  const coach = contacts.get(booking.coachUserId);
  return {
    calendarUid: booking.calendarUid,
    sequence: booking.sequence,
    startsAt: slot.startsAt,
    minutes: slot.minutes,
    mode: slot.mode,
    joinUrl: slot.joinUrl,
    location: slot.location,
    participant: { name: place.fullName, email: place.email, timeZone: uk(place.timeZone) },
    coach: { name: coach?.name ?? 'Your coach', email: coach?.email ?? '', timeZone: profile.timeZone },
    providerName: ctx.providerName,
    participantLink: `${ctx.baseUrl}/programme/${place.enrolmentId}/coaching`,
    coachLink: `${ctx.baseUrl}/coaching/sessions/${booking.id}`,
  };
}

const host = (ctx: CoachingContext) => new URL(ctx.baseUrl).host;

/** Emails both people about a change, in the transaction that makes it (the outbox sends after commit). */
async function tell(ctx: CoachingContext, tx: Executor, facts: SessionFacts, change: Parameters<typeof sessionEmails>[1]) {
  for (const email of sessionEmails(facts, change, host(ctx))) if (email.to) await enqueueEmail(tx, ctx.clock, email);
}

/** Refuses a booking the participant's hours cannot take: none at all, or fewer left than the slot's length. */
export async function checkHours(tx: Executor, place: Place, minutes: number, returning = 0) {
  const [entitled, counted] = await Promise.all([coachingMinutesByQualification(tx), bookingsCounted(tx, [place.enrolmentId])]);
  const m = coachingMinutes(entitled.get(place.courseIdentifier) ?? 0, counted.get(place.enrolmentId) ?? []);
  if (m.entitled === 0) throw refuse('no_coaching_hours', 'Your NPQ includes no coaching sessions to book. Ask your provider if you think this is wrong.');
  if (minutes > m.left + returning) throw refuse('no_hours_left', `You have ${hoursAndMinutes(m.left + returning)} of coaching left to book, and this session is ${hoursAndMinutes(minutes)}. Choose a shorter session, or ask your coach.`);
}

/** A free slot of this coach's, locked for the booking, or an AppError saying why it cannot be booked. */
export async function bookableSlot(ctx: CoachingContext, tx: Executor, slotId: string, coachUserId: string) {
  // Locked, so a coach removing it at the same moment waits for this booking and then sees it.
  const [slot] = await tx.select().from(coachingSlots).where(and(eq(coachingSlots.id, slotId), eq(coachingSlots.coachUserId, coachUserId))).for('update');
  if (!slot) throw new NotFoundError('slot');
  if (slot.removedAt || slot.startsAt <= ctx.clock.now()) throw refuse('slot_gone', 'This time is no longer offered. Choose another time.', 409);
  return slot;
}

export const TAKEN = () => refuse('slot_taken', 'Someone else booked this time a moment before you. Choose another time.', 409);

/** One statement's worth of serialising per place: two bookings by one participant at once cannot both spend the same hours. */
export const lockPlace = (tx: Executor, enrolmentId: string) => tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`coaching place ${enrolmentId}`}))`);

/**
 * Books one of the participant's coach's free slots on their own place (issue 11 item 1). AppError:
 * not_in_training (paused or ended place), no_coach, no_coaching_hours / no_hours_left (the NPQ's
 * hours would be passed), slot_gone (removed or started) and slot_taken (409: someone booked it first:
 * of two people booking the last slot at once, one gets it). NotFoundError for another's place or a
 * slot not their coach's. Both are emailed, with the calendar entry. Returns the booking's id.
 */
export async function bookSlot(ctx: CoachingContext, actor: Actor, enrolmentId: string, slotId: string): Promise<string> {
  const place = await ownPlace(ctx, actor, enrolmentId);
  if (place.trainingStatus !== 'active') throw refuse('not_in_training', 'Your place is paused or has ended, so no sessions can be booked. Ask your provider if this is wrong.');
  const coach = await currentCoach(ctx.db, enrolmentId);
  if (!coach) throw refuse('no_coach', 'You do not have a coach yet. Your provider will tell you when you do.');
  try {
    return await commit(ctx, async (tx) => {
      await lockPlace(tx, enrolmentId);
      const slot = await bookableSlot(ctx, tx, slotId, coach);
      // Taking again a time they cancelled late: the coach's time is used after all, so that cancellation no longer counts.
      await tx.update(coachingBookings).set({ status: 'cancelled' }).where(and(eq(coachingBookings.slotId, slotId), eq(coachingBookings.enrolmentId, enrolmentId), eq(coachingBookings.status, 'late_cancelled')));
      await checkHours(tx, place, slot.minutes);
      const [booking] = await tx
        .insert(coachingBookings)
        .values({ slotId, enrolmentId, coachUserId: coach, status: 'booked', bookedAt: ctx.clock.now(), calendarUid: randomUUID() })
        .returning();
      await audit(tx, ctx.clock, actor, { action: 'coaching.booked', entityType: 'coaching_booking', entityId: booking!.id, after: { slotId, startsAt: slot.startsAt } });
      await tell(ctx, tx, await factsOf(ctx, tx, booking!, slot, place), 'booked');
      return booking!.id;
    });
  } catch (err) {
    if (isUniqueViolation(err)) {
      // The same booking sent twice (a double click, the back button): it is theirs, not someone else's.
      const [holder] = await ctx.db.select({ id: coachingBookings.id, enrolmentId: coachingBookings.enrolmentId }).from(coachingBookings).where(and(eq(coachingBookings.slotId, slotId), inArray(coachingBookings.status, ['booked', 'held', 'missed'])));
      if (holder?.enrolmentId === enrolmentId) return holder.id;
      throw TAKEN();
    }
    throw err;
  }
}

/** The participant's own booking still to come, with its slot, or NotFoundError / AppError not_changeable. */
async function ownUpcoming(ctx: CoachingContext, tx: Executor, enrolmentId: string, bookingId: string) {
  const [row] = await tx.select({ b: coachingBookings, s: coachingSlots }).from(coachingBookings).innerJoin(coachingSlots, eq(coachingSlots.id, coachingBookings.slotId)).where(and(eq(coachingBookings.id, bookingId), eq(coachingBookings.enrolmentId, enrolmentId))).for('update', { of: coachingBookings });
  if (!row) throw new NotFoundError('booking');
  if (row.b.status !== 'booked' || row.s.startsAt <= ctx.clock.now()) throw refuse('not_changeable', 'This session has already started or been changed, so it cannot be cancelled or moved now.', 409);
  return row;
}

/**
 * Whether cancelling the participant's booking now would count as used (within the notice period),
 * for the page that asks them to confirm. NotFoundError for another's booking.
 */
export async function cancellationTerms(ctx: CoachingContext, actor: Actor, enrolmentId: string, bookingId: string) {
  const place = await ownPlace(ctx, actor, enrolmentId);
  const { b, s } = await ownUpcoming(ctx, ctx.db, enrolmentId, bookingId);
  const notice = await noticeHours(ctx.db);
  return { place, timeZone: uk(place.timeZone), booking: { id: b.id, startsAt: s.startsAt, minutes: s.minutes, mode: s.mode as SlotMode }, noticeHours: notice, late: !inGoodTime(s.startsAt, ctx.clock.now(), notice) };
}

/**
 * Cancels the participant's own booking still to come (issue 11 item 1): in good time it is freed and
 * not counted; within the provider's notice period it counts as used (late_cancelled). The slot is free
 * for others either way. Both are emailed, with the calendar entry marked cancelled. AppError
 * not_changeable once it has started or changed. Returns whether it counted as used.
 */
export async function cancelBooking(ctx: CoachingContext, actor: Actor, enrolmentId: string, bookingId: string): Promise<{ late: boolean }> {
  const place = await ownPlace(ctx, actor, enrolmentId);
  return commit(ctx, async (tx) => {
    const { b, s } = await ownUpcoming(ctx, tx, enrolmentId, bookingId);
    const late = !inGoodTime(s.startsAt, ctx.clock.now(), await noticeHours(tx));
    const status: BookingStatus = late ? 'late_cancelled' : 'cancelled';
    const [changed] = await tx.update(coachingBookings).set({ status, changedAt: ctx.clock.now(), sequence: b.sequence + 1 }).where(eq(coachingBookings.id, b.id)).returning();
    await audit(tx, ctx.clock, actor, { action: 'coaching.cancelled', entityType: 'coaching_booking', entityId: b.id, before: { status: b.status }, after: { status } });
    await tell(ctx, tx, await factsOf(ctx, tx, changed!, s, place), late ? 'late_cancelled' : 'cancelled');
    return { late };
  });
}

/**
 * Moves the participant's own booking still to come to another free slot of their coach (issue 11
 * item 1), at least the notice period before it (AppError too_late_to_move: it can still be cancelled,
 * counting as used). One transaction: if the new time has just been taken (slot_taken, 409) the old
 * booking stands. The calendar entry keeps its id and moves. Returns the new booking's id.
 */
export async function moveBooking(ctx: CoachingContext, actor: Actor, enrolmentId: string, bookingId: string, slotId: string): Promise<string> {
  const place = await ownPlace(ctx, actor, enrolmentId);
  if (place.trainingStatus !== 'active') throw refuse('not_in_training', 'Your place is paused or has ended, so no session can be moved to a new time. You can still cancel it.');
  const coach = await currentCoach(ctx.db, enrolmentId);
  if (!coach) throw refuse('no_coach', 'You do not have a coach now, so the session cannot be moved. You can cancel it.');
  try {
    return await commit(ctx, async (tx) => {
      await lockPlace(tx, enrolmentId);
      const { b, s } = await ownUpcoming(ctx, tx, enrolmentId, bookingId);
      const notice = await noticeHours(tx);
      if (!inGoodTime(s.startsAt, ctx.clock.now(), notice)) throw refuse('too_late_to_move', `Your session starts in less than ${hoursAndMinutes(notice * 60)}, so it can no longer be moved. You can cancel it, but it will count against your coaching hours.`);
      if (b.slotId === slotId) throw refuse('same_time', 'Your session is already at this time. Choose another time.');
      const slot = await bookableSlot(ctx, tx, slotId, coach);
      await checkHours(tx, place, slot.minutes, s.minutes);
      const now = ctx.clock.now();
      // With the same coach, the calendar entry moves; with a new coach (they were reassigned), the old coach's entry is cancelled and the new one's made afresh.
      const sameCoach = b.coachUserId === coach;
      const [old] = await tx.update(coachingBookings).set({ status: sameCoach ? 'rescheduled' : 'cancelled', changedAt: now, sequence: b.sequence + (sameCoach ? 0 : 1) }).where(eq(coachingBookings.id, b.id)).returning();
      const [moved] = await tx.insert(coachingBookings).values({ slotId, enrolmentId, coachUserId: coach, status: 'booked', bookedAt: now, calendarUid: sameCoach ? b.calendarUid : randomUUID(), sequence: sameCoach ? b.sequence + 1 : 0 }).returning();
      await audit(tx, ctx.clock, actor, { action: 'coaching.moved', entityType: 'coaching_booking', entityId: moved!.id, before: { bookingId: b.id, startsAt: s.startsAt, coachUserId: b.coachUserId }, after: { slotId, startsAt: slot.startsAt, coachUserId: coach } });
      if (sameCoach) await tell(ctx, tx, { ...(await factsOf(ctx, tx, moved!, slot, place)), previousStartsAt: s.startsAt }, 'moved');
      else {
        await tell(ctx, tx, await factsOf(ctx, tx, old!, s, place), 'cancelled');
        await tell(ctx, tx, await factsOf(ctx, tx, moved!, slot, place), 'booked');
      }
      return moved!.id;
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw TAKEN();
    throw err;
  }
}

/** For the coach's pages: the emails a coach's change sends. */
export { factsOf as sessionFactsOf, tell as tellBoth };
