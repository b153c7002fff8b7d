import { addDays, instantIn, type PlainDate } from '../../platform/clock';
import { workflow } from '../../platform/workflow';

/**
 * Coaching (issue 11 item 1; seed 002: "3 hours of individual coaching"; seeds 000–003: "regular
 * sessions with your own coach"). A coach publishes slots; their participant books one, moves it or
 * cancels it; afterwards the coach records what happened. Pure: time is passed in.
 */

/**
 * One booking of one slot: booked by the participant; cancelled in good time (the slot is free again
 * and nothing is used), cancelled late (within the provider's notice period: counts as used), moved
 * by the participant to another slot (a new booking; nothing used), or recorded by the coach as held
 * (with its length), missed (the participant did not come: counts as used) or moved by the coach
 * (nothing used; the participant books again). A recorded outcome can be corrected by the coach, and
 * a late cancellation waived (by the coach, or by the participant booking the same time again).
 */
export const BOOKING_WORKFLOW = workflow({
  name: 'coaching-booking',
  description: 'One coaching session booked by a participant: cancelled or moved by them beforehand, or recorded by the coach as held, missed or moved. A recorded outcome can be corrected.',
  states: ['booked', 'cancelled', 'late_cancelled', 'rescheduled', 'held', 'missed', 'moved'],
  initial: ['booked'],
  events: {
    cancel: { from: ['booked'], to: 'cancelled' },
    cancel_late: { from: ['booked'], to: 'late_cancelled' },
    reschedule: { from: ['booked'], to: 'rescheduled' },
    record_held: { from: ['booked', 'held', 'missed', 'moved'], to: 'held' },
    record_missed: { from: ['booked', 'held', 'missed', 'moved'], to: 'missed' },
    record_moved: { from: ['booked', 'held', 'missed', 'moved'], to: 'moved' },
    /** The coach (or the participant, taking the time again) lets a late cancellation go uncounted. */
    waive: { from: ['late_cancelled'], to: 'cancelled' },
  },
  groups: {
    /** Holding its slot: nobody else may book it. */
    holding_slot: ['booked', 'held', 'missed'],
    /** Counted against the participant's hours once it has happened (or would have). */
    used: ['held', 'missed', 'late_cancelled'],
    recorded: ['held', 'missed', 'moved'],
  },
});
export type BookingStatus = (typeof BOOKING_WORKFLOW.states)[number];
export const BOOKING_STATUSES = BOOKING_WORKFLOW.states;

export const BOOKING_STATUS_LABELS: Record<BookingStatus, string> = {
  booked: 'Booked',
  cancelled: 'Cancelled',
  late_cancelled: 'Cancelled late (counts as used)',
  rescheduled: 'Moved to another time',
  held: 'Held',
  missed: 'Missed (counts as used)',
  moved: 'Moved by the coach',
};

/** What the coach records after a session. */
export const OUTCOMES = ['held', 'missed', 'moved'] as const;
export type Outcome = (typeof OUTCOMES)[number];

/** Who is allocated to a participant: their coach (coaching sessions) or their personal tutor (issue 11 item 2). */
export const ALLOCATION_KINDS = ['coach', 'tutor'] as const;
export type AllocationKind = (typeof ALLOCATION_KINDS)[number];
export const ALLOCATION_LABELS: Record<AllocationKind, string> = { coach: 'Coach', tutor: 'Personal tutor' };

export const SLOT_MODES = ['online', 'in_person'] as const;
export type SlotMode = (typeof SLOT_MODES)[number];

/** A session's length in minutes: from 15 minutes to 3 hours. */
export const SLOT_MINUTES = { min: 15, max: 180 } as const;
/** How many weeks one form may publish a repeating slot for (a term). */
export const MAX_REPEAT_WEEKS = 16;
/** How far ahead a slot may be published: a year. */
export const PUBLISH_REACH_DAYS = 366;
/** The provider's notice period until they set one (hours before a session). */
export const DEFAULT_NOTICE_HOURS = 24;
export const NOTES_MAX_CHARACTERS = 10_000;

/**
 * The instants of a slot published on `date` at `time` (24-hour "HH:MM") in `timeZone`, repeated on
 * the same weekday for `weeks` weeks (1: once). Each week keeps the wall-clock time in the coach's zone,
 * so a 16:00 slot is 16:00 on both sides of the clocks changing. A week whose time does not exist there
 * (the hour skipped in spring) is left out and named in `skipped`. Throws RangeError for an unknown zone.
 */
export function slotOccurrences(date: PlainDate, time: string, timeZone: string, weeks: number): { starts: Date[]; skipped: PlainDate[] } {
  const starts: Date[] = [];
  const skipped: PlainDate[] = [];
  for (let w = 0; w < weeks; w++) {
    const day = addDays(date, 7 * w);
    const at = instantIn(day, time, timeZone);
    if (at) starts.push(at);
    else skipped.push(day);
  }
  return { starts, skipped };
}

/**
 * Whether a booking starting at `startsAt` may still be cancelled or moved without counting as used:
 * at least `noticeHours` before it starts (the provider's rule, issue 11 item 1). Exact hours, not days.
 */
export const inGoodTime = (startsAt: Date, now: Date, noticeHours: number): boolean => startsAt.getTime() - now.getTime() >= noticeHours * 3_600_000;

/** A booking as the hours count it. */
export interface CountedBooking {
  status: string;
  /** The slot's length. */
  minutes: number;
  /** The length the coach recorded for a held session (null until recorded). */
  heldMinutes: number | null;
}

/**
 * Coaching minutes used and booked: held sessions count their recorded length; missed sessions and
 * late cancellations count the slot's length (the provider's rule: the coach's time was kept for
 * them); booked sessions still to come count as booked, not used. `left` is what may still be booked
 * (never below zero).
 */
export function coachingMinutes(entitled: number, bookings: readonly CountedBooking[]): { entitled: number; used: number; booked: number; left: number } {
  let used = 0;
  let booked = 0;
  for (const b of bookings) {
    if (b.status === 'held') used += b.heldMinutes ?? b.minutes;
    else if (b.status === 'missed' || b.status === 'late_cancelled') used += b.minutes;
    else if (b.status === 'booked') booked += b.minutes;
  }
  return { entitled, used, booked, left: Math.max(0, entitled - used - booked) };
}

/** A coach as spreading participants reads them: how many they have, and how many they may have (null: no limit). */
export interface CoachLoad {
  userId: string;
  name: string;
  allocated: number;
  capacity: number | null;
}

/**
 * Spreads participants across coaches evenly (issue 11 item 1): each in turn goes to the coach with
 * the fewest participants who has room (by name when equal), so nobody passes their capacity.
 * Returns the choices made (participant → coach) and those left without one because every coach is full.
 */
export function spreadEvenly(participants: readonly string[], coaches: readonly CoachLoad[]): { given: Map<string, string>; left: string[] } {
  const loads = coaches.map((c) => ({ ...c }));
  const given = new Map<string, string>();
  const left: string[] = [];
  for (const p of participants) {
    let best: (typeof loads)[number] | undefined;
    for (const c of loads) {
      if (c.capacity !== null && c.allocated >= c.capacity) continue;
      if (!best || c.allocated < best.allocated || (c.allocated === best.allocated && c.name.localeCompare(best.name) < 0)) best = c;
    }
    if (!best) {
      left.push(p);
      continue;
    }
    best.allocated += 1;
    given.set(p, best.userId);
  }
  return { given, left };
}
