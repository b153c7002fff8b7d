import { Temporal } from '@js-temporal/polyfill';
import type { PlainDate } from '../../platform/clock';

/** A time the participant's training was paused by deferral: from the day deferred to the day resumed (null while still deferred). */
export interface Pause {
  from: PlainDate;
  to: PlainDate | null;
}

/**
 * The training status changes of one place, oldest first, as the pauses they make: each deferral to
 * the next change away from deferred (domain.md; DfE's training statuses).
 */
export function pausesOf(changes: readonly { toStatus: string; on: PlainDate }[]): Pause[] {
  const pauses: Pause[] = [];
  let open: PlainDate | null = null;
  for (const c of changes) {
    if (c.toStatus === 'deferred' && open === null) open = c.on;
    else if (c.toStatus !== 'deferred' && open !== null) {
      pauses.push({ from: open, to: c.on });
      open = null;
    }
  }
  if (open !== null) pauses.push({ from: open, to: null });
  return pauses;
}

/** Days from `from` to `to` (UK dates; 0 when `to` is not later). */
const daysBetween = (from: PlainDate, to: PlainDate) => Math.max(0, Temporal.PlainDate.from(from).until(Temporal.PlainDate.from(to), { largestUnit: 'days' }).days);

/**
 * When the final assessment must be passed by (seed 001: "within 18 months of starting"): `months`
 * after the start, moved on by every day the place was deferred ("deferral pauses that clock", issue
 * 12 item 1). A deferral still open counts up to `today`, so the date moves on each day it lasts;
 * `paused` says so. Returns the deadline, the days paused, and whether a pause is open.
 */
export function finalAssessmentDeadline(startedOn: PlainDate, months: number, pauses: readonly Pause[], today: PlainDate): { passBy: PlainDate; pausedDays: number; paused: boolean } {
  const pausedDays = pauses.reduce((sum, p) => sum + daysBetween(p.from, p.to ?? today), 0);
  const passBy = Temporal.PlainDate.from(startedOn).add({ months }).add({ days: pausedDays }).toString();
  return { passBy, pausedDays, paused: pauses.some((p) => p.to === null) };
}
