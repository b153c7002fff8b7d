import { and, asc, desc, eq, inArray, isNull, lte, ne, sql } from 'drizzle-orm';
import { audit } from '../../audit/audit';
import { isUniqueViolation } from '../../db/errors';
import { coachingMinutesByQualification } from '../../catalogue/catalogue.queries';
import { type Place, placesByEnrolment } from '../../enrolment/enrolment.queries';
import type { Actor } from '../../platform/auth/actor';
import { NotFoundError, ValidationError } from '../../platform/errors';
import { characterCount } from '../../platform/text';
import { allows } from '../../platform/workflow';
import { BOOKING_WORKFLOW, type BookingStatus, coachingMinutes, NOTES_MAX_CHARACTERS, type Outcome, OUTCOMES, type SlotMode } from '../domain/coaching';
import { type CoachingContext, profileOf, refuse } from '../coaching.context';
import { coachAllocations, coachingBookings, coachingSlots } from '../coaching.schema';
import { bookingsCounted } from '../allocations/allocations';
import { sessionFactsOf, tellBoth } from './bookings';
import { requireCoach } from '../slots/slots';

/** A coach's session as their lists show it. */
export interface CoachSession {
  id: string;
  enrolmentId: string;
  fullName: string;
  courseIdentifier: string;
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
  const [places, entitled, counted] = await Promise.all([placesByEnrolment(ctx.db, ids), coachingMinutesByQualification(ctx.db), bookingsCounted(ctx, allocations.map((a) => a.e))]);
  const byId = new Map(places.map((p) => [p.enrolmentId, p]));
  const session = ({ b, s }: (typeof sessions)[number]): CoachSession => {
    const p = byId.get(b.enrolmentId);
    return { id: b.id, enrolmentId: b.enrolmentId, fullName: p?.fullName ?? 'A participant', courseIdentifier: p?.courseIdentifier ?? '', status: b.status as BookingStatus, startsAt: s.startsAt, minutes: s.minutes, heldMinutes: b.heldMinutes, mode: s.mode as SlotMode };
  };
  const participants = allocations
    .flatMap((a) => {
      const p = byId.get(a.e);
      // A participant who has withdrawn is no longer theirs to coach; their past sessions stay on record.
      return p && p.trainingStatus !== 'withdrawn' ? [{ place: p, kind: a.kind as 'coach' | 'tutor', minutes: coachingMinutes(entitled.get(p.courseIdentifier) ?? 0, counted.get(p.enrolmentId) ?? []) }] : [];
    })
    .sort((x, y) => x.place.fullName.localeCompare(y.place.fullName));
  return {
    timeZone: profile.timeZone,
    capacity: profile.capacity,
    participants,
    upcoming: sessions.filter((x) => x.s.startsAt > now).map(session),
    toRecord: sessions.filter((x) => x.s.startsAt <= now).map(session),
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
  return {
    booking: { id: b.id, status: b.status as BookingStatus, heldMinutes: b.heldMinutes, privateNotes: b.privateNotes, agreedActions: b.agreedActions },
    slot: { startsAt: s.startsAt, minutes: s.minutes, mode: s.mode as SlotMode, joinUrl: s.joinUrl, location: s.location },
    place: { enrolmentId: place.enrolmentId, fullName: place.fullName, courseIdentifier: place.courseIdentifier, timeZone: place.timeZone },
    timeZone: profile.timeZone,
    started: s.startsAt <= ctx.clock.now(),
    earlierActions: earlier,
  };
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
    if (!/^\d+$/.test(input.heldMinutes.trim()) || n < 5 || n > 240) errors.heldMinutes = 'Enter how long the session lasted, in minutes, from 5 to 240';
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
  try {
  await ctx.db.transaction(async (tx) => {
    const [changed] = await tx
      .update(coachingBookings)
      .set({ status: outcome!, heldMinutes, privateNotes, agreedActions, changedAt: ctx.clock.now(), sequence: b.sequence + (outcome === 'moved' && b.status !== 'moved' ? 1 : 0) })
      .where(and(eq(coachingBookings.id, b.id), inArray(coachingBookings.status, BOOKING_WORKFLOW.events[event].from as unknown as string[])))
      .returning();
    if (!changed) throw refuse('not_recordable', 'The participant cancelled or moved this session a moment ago, so there is nothing to record.', 409);
    await audit(tx, ctx.clock, actor, { action: 'coaching.recorded', entityType: 'coaching_booking', entityId: b.id, before: { status: b.status, heldMinutes: b.heldMinutes }, after: { status: outcome, heldMinutes, notesCharacters: characterCount(privateNotes), actionsCharacters: characterCount(agreedActions) } });
    // A session moved before it happens: the participant is told to book again, and calendars drop it.
    if (outcome === 'moved' && b.status === 'booked' && s.startsAt > ctx.clock.now()) await tellBoth(ctx, tx, await sessionFactsOf(ctx, tx, changed, s, place as Place), 'moved_by_coach');
  });
  } catch (err) {
    // A session recorded as moved freed its time; someone may have booked it since.
    if (isUniqueViolation(err)) throw refuse('slot_rebooked', 'This time has been booked by someone else since the session was recorded as moved, so it cannot be recorded as held or missed now.', 409);
    throw err;
  }
}
