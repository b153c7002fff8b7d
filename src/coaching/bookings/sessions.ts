import { and, asc, desc, eq, inArray, isNull, lte, ne, sql } from 'drizzle-orm';
import { audit } from '../../audit/audit';
import { isUniqueViolation } from '../../db/errors';
import { allQualificationNames, coachingMinutesByQualification } from '../../catalogue/catalogue.queries';
import { type Place, placesByEnrolment } from '../../enrolment/enrolment.queries';
import type { Actor } from '../../platform/auth/actor';
import { NotFoundError, ValidationError } from '../../platform/errors';
import { characterCount, hoursAndMinutes } from '../../platform/text';
import { allows } from '../../platform/workflow';
import { BOOKING_WORKFLOW, type BookingStatus, coachingMinutes, NOTES_MAX_CHARACTERS, type Outcome, OUTCOMES, type SlotMode } from '../domain/coaching';
import { commit, type CoachingContext, profileOf, refuse } from '../coaching.context';
import { coachAllocations, coachingBookings, coachingSlots } from '../coaching.schema';
import { bookingsCounted } from '../allocations/allocations';
import { bookableSlot, checkHours, freeSlotsOf, lockPlace, sessionFactsOf, TAKEN, tellBoth } from './bookings';
import { requireCoach } from '../slots/slots';

/** How many recorded sessions the coach's page lists, newest first. */
export const RECENT_SHOWN = 50;

/** A coach's session as their lists show it. */
export interface CoachSession {
  id: string;
  enrolmentId: string;
  fullName: string;
  courseIdentifier: string;
  /** The NPQ's short name ("NPQH"). */
  npq: string;
  status: BookingStatus;
  startsAt: Date;
  minutes: number;
  heldMinutes: number | null;
  mode: SlotMode;
}

/**
 * The coach's own page (issue 11 item 1), NotFoundError for anyone who does not coach: the
 * participants they coach or tutor now, each with their minutes (entitled, used, booked, left); their
 * sessions to come; sessions that have started and wait to be recorded; the minutes they have held;
 * their time zone.
 */
export async function coachOverview(ctx: CoachingContext, actor: Actor) {
  const coach = requireCoach(actor);
  const now = ctx.clock.now();
  const [allocations, profile, sessions, held] = await Promise.all([
    ctx.db.select({ e: coachAllocations.enrolmentId, kind: coachAllocations.kind }).from(coachAllocations).where(and(eq(coachAllocations.coachUserId, coach), isNull(coachAllocations.endedAt))),
    profileOf(ctx.db, coach),
    ctx.db
      .select({ b: coachingBookings, s: coachingSlots })
      .from(coachingBookings)
      .innerJoin(coachingSlots, eq(coachingSlots.id, coachingBookings.slotId))
      .where(and(eq(coachingBookings.coachUserId, coach), eq(coachingBookings.status, 'booked')))
      .orderBy(asc(coachingSlots.startsAt))
      .limit(500),
    ctx.db.select({ minutes: sql<number>`coalesce(sum(${coachingBookings.heldMinutes}), 0)::int` }).from(coachingBookings).where(and(eq(coachingBookings.coachUserId, coach), eq(coachingBookings.status, 'held'))),
  ]);
  const ids = [...new Set([...allocations.map((a) => a.e), ...sessions.map((x) => x.b.enrolmentId)])];
  const recentRows = await ctx.db
    .select({ b: coachingBookings, s: coachingSlots })
    .from(coachingBookings)
    .innerJoin(coachingSlots, eq(coachingSlots.id, coachingBookings.slotId))
    .where(and(eq(coachingBookings.coachUserId, coach), inArray(coachingBookings.status, ['held', 'missed', 'moved', 'late_cancelled'])))
    .orderBy(desc(coachingSlots.startsAt))
    .limit(RECENT_SHOWN);
  const allIds = [...new Set([...ids, ...recentRows.map((x) => x.b.enrolmentId)])];
  const [places, entitled, counted, qualifications] = await Promise.all([placesByEnrolment(ctx.db, allIds), coachingMinutesByQualification(ctx.db), bookingsCounted(ctx.db, allocations.map((a) => a.e)), allQualificationNames(ctx.db)]);
  const npqName = new Map(qualifications.map((q) => [q.identifier, q.shortName]));
  const byId = new Map(places.map((p) => [p.enrolmentId, p]));
  const session = ({ b, s }: (typeof sessions)[number]): CoachSession => {
    const p = byId.get(b.enrolmentId);
    return { id: b.id, enrolmentId: b.enrolmentId, fullName: p?.fullName ?? 'A participant', courseIdentifier: p?.courseIdentifier ?? '', npq: npqName.get(p?.courseIdentifier ?? '') ?? '', status: b.status as BookingStatus, startsAt: s.startsAt, minutes: s.minutes, heldMinutes: b.heldMinutes, mode: s.mode as SlotMode };
  };
  // One row a participant, whether they coach them, tutor them or both.
  const kinds = new Map<string, ('coach' | 'tutor')[]>();
  for (const a of allocations) kinds.set(a.e, [...(kinds.get(a.e) ?? []), a.kind as 'coach' | 'tutor'].sort());
  const participants = [...kinds]
    .flatMap(([e, as]) => {
      const p = byId.get(e);
      // A participant who has withdrawn is no longer theirs to coach; their past sessions stay on record.
      return p && p.trainingStatus !== 'withdrawn' ? [{ place: p, npq: npqName.get(p.courseIdentifier) ?? p.courseIdentifier, kinds: as, minutes: coachingMinutes(entitled.get(p.courseIdentifier) ?? 0, counted.get(p.enrolmentId) ?? []) }] : [];
    })
    .sort((x, y) => x.place.fullName.localeCompare(y.place.fullName));
  return {
    timeZone: profile.timeZone,
    capacity: profile.capacity,
    participants,
    upcoming: sessions.filter((x) => x.s.startsAt > now).map(session),
    toRecord: sessions.filter((x) => x.s.startsAt <= now).map(session),
    recent: recentRows.map(session),
    heldMinutes: held[0]?.minutes ?? 0,
  };
}

/** A booking of the coach's own, with its slot and the participant's place, or NotFoundError. */
async function ownSession(ctx: CoachingContext, coach: string, bookingId: string) {
  const [row] = await ctx.db.select({ b: coachingBookings, s: coachingSlots }).from(coachingBookings).innerJoin(coachingSlots, eq(coachingSlots.id, coachingBookings.slotId)).where(and(eq(coachingBookings.id, bookingId), eq(coachingBookings.coachUserId, coach)));
  if (!row) throw new NotFoundError('session');
  const [place] = await placesByEnrolment(ctx.db, [row.b.enrolmentId]);
  if (!place) throw new NotFoundError('session');
  return { ...row, place };
}

/**
 * One of the coach's own sessions (NotFoundError for another coach's: their notes are theirs), with
 * its private notes and agreed actions, and the actions agreed at the participant's other sessions —
 * with any coach, so a new coach sees what was agreed before, never another coach's notes.
 */
export async function coachingSession(ctx: CoachingContext, actor: Actor, bookingId: string) {
  const coach = requireCoach(actor);
  const { b, s, place } = await ownSession(ctx, coach, bookingId);
  const [profile, earlier] = await Promise.all([
    profileOf(ctx.db, coach),
    ctx.db
      .select({ id: coachingBookings.id, startsAt: coachingSlots.startsAt, agreedActions: coachingBookings.agreedActions })
      .from(coachingBookings)
      .innerJoin(coachingSlots, eq(coachingSlots.id, coachingBookings.slotId))
      .where(and(eq(coachingBookings.enrolmentId, b.enrolmentId), ne(coachingBookings.id, b.id), ne(coachingBookings.agreedActions, ''), lte(coachingSlots.startsAt, s.startsAt)))
      .orderBy(desc(coachingSlots.startsAt))
      .limit(50),
  ]);
  const upcoming = b.status === 'booked' && s.startsAt > ctx.clock.now();
  return {
    booking: { id: b.id, status: b.status as BookingStatus, heldMinutes: b.heldMinutes, privateNotes: b.privateNotes, agreedActions: b.agreedActions },
    /** The coach's other free times, to move a session still to come to. */
    freeSlots: upcoming ? await freeSlotsOf(ctx, coach) : [],
    slot: { startsAt: s.startsAt, minutes: s.minutes, mode: s.mode as SlotMode, joinUrl: s.joinUrl, location: s.location },
    place: { enrolmentId: place.enrolmentId, fullName: place.fullName, courseIdentifier: place.courseIdentifier, timeZone: place.timeZone },
    timeZone: profile.timeZone,
    started: s.startsAt <= ctx.clock.now(),
    earlierActions: earlier,
  };
}

/** The bookings as counted, with the one being recorded taken out (any one of those alike: they count the same). */
function withoutOne<T extends { status: string; heldMinutes: number | null; minutes: number }>(all: T[], one: T): T[] {
  const i = all.findIndex((x) => x.status === one.status && x.heldMinutes === one.heldMinutes && x.minutes === one.minutes);
  return i < 0 ? all : [...all.slice(0, i), ...all.slice(i + 1)];
}

/** What the coach records after (or, to move it, before) a session. */
export interface SessionRecord {
  outcome: string;
  heldMinutes: string;
  privateNotes: string;
  agreedActions: string;
}

const tidy = (s: string) => s.replace(/\r\n?/g, '\n').trim();

/**
 * Records one of the coach's own sessions (issue 11 item 1) as held (with its length in minutes, 5 to
 * 240), missed (the participant did not come: counts as used) or moved (not counted; the participant is
 * emailed to book again, and the time is free), with private notes and agreed actions (each at most
 * NOTES_MAX_CHARACTERS). A recorded outcome can be corrected. Held and missed only once it has
 * started (AppError not_started); a session the participant cancelled or moved cannot be recorded
 * (not_recordable). ValidationError on `outcome`, `heldMinutes`, `privateNotes`, `agreedActions`.
 * NotFoundError for another coach's session. Audited without the notes' words.
 */
export async function recordSession(ctx: CoachingContext, actor: Actor, bookingId: string, input: SessionRecord): Promise<void> {
  const coach = requireCoach(actor);
  const { b, s, place } = await ownSession(ctx, coach, bookingId);
  const errors: Record<string, string> = {};
  const outcome = (OUTCOMES as readonly string[]).includes(input.outcome) ? (input.outcome as Outcome) : undefined;
  if (!outcome) errors.outcome = 'Select whether the session was held, missed or moved';
  let heldMinutes: number | null = null;
  if (outcome === 'held') {
    const n = Number(input.heldMinutes);
    if (!/^\d{1,4}$/.test(input.heldMinutes.trim()) || n < 5 || n > s.minutes) errors.heldMinutes = `Enter how long the session lasted, in minutes, from 5 to ${s.minutes} (the length booked)`;
    else heldMinutes = n;
  }
  const privateNotes = tidy(input.privateNotes);
  const agreedActions = tidy(input.agreedActions);
  if (characterCount(privateNotes) > NOTES_MAX_CHARACTERS) errors.privateNotes = `Your notes must be ${NOTES_MAX_CHARACTERS.toLocaleString('en-GB')} characters or fewer`;
  if (characterCount(agreedActions) > NOTES_MAX_CHARACTERS) errors.agreedActions = `The agreed actions must be ${NOTES_MAX_CHARACTERS.toLocaleString('en-GB')} characters or fewer`;
  if (Object.keys(errors).length) throw new ValidationError(errors);
  const event = `record_${outcome!}` as const;
  if (!allows(BOOKING_WORKFLOW, event, b.status)) throw refuse('not_recordable', 'The participant cancelled or moved this session, so there is nothing to record.', 409);
  if (outcome !== 'moved' && s.startsAt > ctx.clock.now()) throw refuse('not_started', 'This session has not started yet. Record it as held or missed once it has, or as moved if it cannot happen at this time.');
  // A correction that makes the session count (moved → held) must not take the participant past their hours: the time may have been booked again since.
  const [entitled, counted] = await Promise.all([coachingMinutesByQualification(ctx.db), bookingsCounted(ctx.db, [b.enrolmentId])]);
  const all = counted.get(b.enrolmentId) ?? [];
  const before = coachingMinutes(entitled.get(place.courseIdentifier) ?? 0, all);
  const after = coachingMinutes(before.entitled, [...withoutOne(all, { status: b.status, heldMinutes: b.heldMinutes, minutes: s.minutes }), { status: outcome!, heldMinutes, minutes: s.minutes }]);
  if (after.used + after.booked > before.entitled && after.used + after.booked > before.used + before.booked) throw refuse('over_hours', `Recording it so would take ${place.fullName} past their ${hoursAndMinutes(before.entitled)} of coaching: ${hoursAndMinutes(after.used + after.booked)} used and booked. Record it as moved, or ask the provider.`);
  try {
  await commit(ctx, async (tx) => {
    const [changed] = await tx
      .update(coachingBookings)
      .set({ status: outcome!, heldMinutes, privateNotes, agreedActions, changedAt: ctx.clock.now(), sequence: b.sequence + (outcome === 'moved' && b.status !== 'moved' ? 1 : 0) })
      .where(and(eq(coachingBookings.id, b.id), inArray(coachingBookings.status, BOOKING_WORKFLOW.events[event].from as unknown as string[])))
      .returning();
    if (!changed) throw refuse('not_recordable', 'The participant cancelled or moved this session a moment ago, so there is nothing to record.', 409);
    await audit(tx, ctx.clock, actor, { action: 'coaching.recorded', entityType: 'coaching_booking', entityId: b.id, before: { status: b.status, heldMinutes: b.heldMinutes }, after: { status: outcome, heldMinutes, notesCharacters: characterCount(privateNotes), actionsCharacters: characterCount(agreedActions) } });
    // A session moved before it happens: the coach cannot do that time, so it is taken off offer; the participant is told to book again, and calendars drop it.
    if (outcome === 'moved' && b.status === 'booked' && s.startsAt > ctx.clock.now()) {
      await tx.update(coachingSlots).set({ removedAt: ctx.clock.now() }).where(eq(coachingSlots.id, s.id));
      await tellBoth(ctx, tx, await sessionFactsOf(ctx, tx, changed, s, place as Place), 'moved_by_coach');
    }
  });
  } catch (err) {
    // A session recorded as moved freed its time; someone may have booked it since.
    if (isUniqueViolation(err)) throw refuse('slot_rebooked', 'This time has been booked by someone else since the session was recorded as moved, so it cannot be recorded as held or missed now.', 409);
    throw err;
  }
}

/**
 * Moves one of the coach's own sessions still to come to another of their free times (issue 11 item 1:
 * a coach reschedules), at any time before it starts: the provider's notice binds participants, not
 * coaches. Nothing is counted for the old time; the calendar entry keeps its id and moves; both are
 * emailed. AppError not_changeable (started, cancelled or recorded), slot_gone, slot_taken (409),
 * no_hours_left (a longer time than the participant has left). NotFoundError for another coach's
 * session or slot. Returns the new booking's id.
 */
export async function rescheduleSession(ctx: CoachingContext, actor: Actor, bookingId: string, slotId: string): Promise<string> {
  const coach = requireCoach(actor);
  const { b, s, place } = await ownSession(ctx, coach, bookingId);
  try {
    return await commit(ctx, async (tx) => {
      await lockPlace(tx, b.enrolmentId);
      const [now] = await tx.select({ status: coachingBookings.status }).from(coachingBookings).where(eq(coachingBookings.id, b.id)).for('update');
      if (now?.status !== 'booked' || s.startsAt <= ctx.clock.now()) throw refuse('not_changeable', 'This session has already started, or been cancelled or recorded, so it cannot be moved.', 409);
      if (b.slotId === slotId) throw refuse('same_time', 'The session is already at this time. Choose another time.');
      const slot = await bookableSlot(ctx, tx, slotId, coach);
      await checkHours(tx, place, slot.minutes, s.minutes);
      const at = ctx.clock.now();
      await tx.update(coachingBookings).set({ status: 'rescheduled', changedAt: at }).where(eq(coachingBookings.id, b.id));
      const [moved] = await tx.insert(coachingBookings).values({ slotId, enrolmentId: b.enrolmentId, coachUserId: coach, status: 'booked', bookedAt: at, calendarUid: b.calendarUid, sequence: b.sequence + 1, agreedActions: b.agreedActions, privateNotes: b.privateNotes }).returning();
      await audit(tx, ctx.clock, actor, { action: 'coaching.rescheduled_by_coach', entityType: 'coaching_booking', entityId: moved!.id, before: { bookingId: b.id, startsAt: s.startsAt }, after: { slotId, startsAt: slot.startsAt } });
      await tellBoth(ctx, tx, { ...(await sessionFactsOf(ctx, tx, moved!, slot, place as Place)), previousStartsAt: s.startsAt }, 'rescheduled_by_coach');
      return moved!.id;
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw TAKEN();
    throw err;
  }
}

/**
 * Lets one of the coach's own late cancellations go uncounted (the coach's judgement: illness, a
 * school emergency). AppError not_waivable unless it is a late cancellation. NotFoundError for another
 * coach's session. Audited.
 */
export async function waiveLateCancellation(ctx: CoachingContext, actor: Actor, bookingId: string): Promise<void> {
  const coach = requireCoach(actor);
  const { b } = await ownSession(ctx, coach, bookingId);
  await commit(ctx, async (tx) => {
    const [changed] = await tx
      .update(coachingBookings)
      .set({ status: 'cancelled', changedAt: ctx.clock.now() })
      .where(and(eq(coachingBookings.id, b.id), inArray(coachingBookings.status, BOOKING_WORKFLOW.events.waive.from as unknown as string[])))
      .returning({ id: coachingBookings.id });
    if (!changed) throw refuse('not_waivable', 'Only a late cancellation can be let go uncounted.', 409);
    await audit(tx, ctx.clock, actor, { action: 'coaching.late_cancellation_waived', entityType: 'coaching_booking', entityId: b.id, before: { status: b.status }, after: { status: 'cancelled' } });
  });
}
