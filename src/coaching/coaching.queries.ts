import { and, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { Executor } from '../db/client';
import { oneOf } from '../platform/workflow';
import { BOOKING_WORKFLOW } from './domain/coaching';
import { coachAllocations, coachingBookings, coachingSlots } from './coaching.schema';

/**
 * What other capabilities may read of coaching (docs/adr/0029): plain query functions over its
 * tables. Each takes the database or a transaction and only reads.
 */

/**
 * The coaching held by each of these places, in minutes, by enrolment id (places with none are left
 * out): the length each held session was recorded with (issue 11 item 3: "coaching held" is guided
 * learning evidenced; a missed session or a late cancellation uses hours but evidences none).
 */
export async function coachingHeldMinutes(db: Executor, enrolmentIds: readonly string[]): Promise<Map<string, number>> {
  if (!enrolmentIds.length) return new Map();
  const rows = await db
    .select({ enrolmentId: coachingBookings.enrolmentId, minutes: sql<number>`coalesce(sum(${coachingBookings.heldMinutes}), 0)::int` })
    .from(coachingBookings)
    .where(and(inArray(coachingBookings.enrolmentId, [...enrolmentIds]), eq(coachingBookings.status, 'held')))
    .groupBy(coachingBookings.enrolmentId);
  return new Map(rows.map((r) => [r.enrolmentId, r.minutes]));
}

/** The places this person coaches or tutors now (enrolment ids). */
export async function placesCoachedBy(db: Executor, coachUserId: string): Promise<string[]> {
  const rows = await db.selectDistinct({ enrolmentId: coachAllocations.enrolmentId }).from(coachAllocations).where(and(eq(coachAllocations.coachUserId, coachUserId), isNull(coachAllocations.endedAt)));
  return rows.map((r) => r.enrolmentId);
}

/**
 * How many coaching sessions each of these places has booked so far, kept or not (booked, held or
 * missed: those holding a slot), by enrolment id; places with none are left out. Early warning's
 * "coaching not booked" (issue 11 item 4).
 */
export async function coachingBookedCounts(db: Executor, enrolmentIds: readonly string[]): Promise<Map<string, number>> {
  if (!enrolmentIds.length) return new Map();
  const rows = await db
    .select({ enrolmentId: coachingBookings.enrolmentId, n: sql<number>`count(*)::int` })
    .from(coachingBookings)
    .where(and(inArray(coachingBookings.enrolmentId, [...enrolmentIds]), oneOf(coachingBookings.status, BOOKING_WORKFLOW.groups.holding_slot ?? [])))
    .groupBy(coachingBookings.enrolmentId);
  return new Map(rows.map((r) => [r.enrolmentId, r.n]));
}

/** Which of these places have a coach allocated now (not a personal tutor: coaching is booked with one's coach), by enrolment id. */
export async function placesWithCoach(db: Executor, enrolmentIds: readonly string[]): Promise<Set<string>> {
  if (!enrolmentIds.length) return new Set();
  const rows = await db
    .selectDistinct({ enrolmentId: coachAllocations.enrolmentId })
    .from(coachAllocations)
    .where(and(inArray(coachAllocations.enrolmentId, [...enrolmentIds]), eq(coachAllocations.kind, 'coach'), isNull(coachAllocations.endedAt)));
  return new Set(rows.map((r) => r.enrolmentId));
}

/** The coaching sessions held on a place (issue 11 item 5: a survey after each), each with its coach and when it ended. */
export async function heldSessionsOf(db: Executor, enrolmentId: string): Promise<{ bookingId: string; coachUserId: string; endedAt: Date }[]> {
  const rows = await db
    .select({ bookingId: coachingBookings.id, coachUserId: coachingBookings.coachUserId, startsAt: coachingSlots.startsAt, minutes: coachingSlots.minutes })
    .from(coachingBookings)
    .innerJoin(coachingSlots, eq(coachingSlots.id, coachingBookings.slotId))
    .where(and(eq(coachingBookings.enrolmentId, enrolmentId), eq(coachingBookings.status, 'held')));
  return rows.map((r) => ({ bookingId: r.bookingId, coachUserId: r.coachUserId, endedAt: new Date(r.startsAt.getTime() + r.minutes * 60_000) }));
}

/** Everyone ever allocated to coach or tutor each of these places, ended allocations included, by enrolment id: who may not mark the place's accounts (issue 12 item 4). */
export async function coachesEverOf(db: Executor, enrolmentIds: readonly string[]): Promise<Map<string, Set<string>>> {
  const out = new Map<string, Set<string>>();
  if (!enrolmentIds.length) return out;
  const rows = await db.selectDistinct({ enrolmentId: coachAllocations.enrolmentId, userId: coachAllocations.coachUserId }).from(coachAllocations).where(inArray(coachAllocations.enrolmentId, [...new Set(enrolmentIds)]));
  for (const r of rows) out.set(r.enrolmentId, (out.get(r.enrolmentId) ?? new Set()).add(r.userId));
  return out;
}
