import { Temporal } from '@js-temporal/polyfill';
import Holidays from 'date-holidays';
import type { PlainDate } from '../../platform/clock';

// England's bank holidays from a well-kept holiday library (issue 12 item 2: "not a hand-kept list"):
// its public holidays for GB/ENG include substitute days, so a Christmas on a Saturday moves to Monday.
const england = new Holidays('GB', 'ENG');
const byYear = new Map<number, Set<PlainDate>>();

/** England's bank holidays in a year, as UK dates. */
export function bankHolidaysIn(year: number): Set<PlainDate> {
  let days = byYear.get(year);
  if (!days) {
    days = new Set(
      (england.getHolidays(year) || [])
        .filter((h) => h.type === 'public')
        .map((h) => h.date.slice(0, 10)),
    );
    byYear.set(year, days);
  }
  return days;
}

/** Whether a UK date is a working day: not a Saturday or Sunday, nor a bank holiday in England. */
export function isWorkingDay(date: PlainDate): boolean {
  const d = Temporal.PlainDate.from(date);
  return d.dayOfWeek <= 5 && !bankHolidaysIn(d.year).has(date);
}

/** Longest span one period may cover, in calendar days: a placement is days or weeks, never years, and the loop below stays short. */
export const LONGEST_PERIOD_DAYS = 366;

/** The working days from `from` to `to` inclusive (UK dates), in order; none when `to` is before `from`. */
export function workingDaysIn(from: PlainDate, to: PlainDate): PlainDate[] {
  const days: PlainDate[] = [];
  let d = Temporal.PlainDate.from(from);
  const end = Temporal.PlainDate.from(to);
  for (let i = 0; Temporal.PlainDate.compare(d, end) <= 0 && i <= LONGEST_PERIOD_DAYS; i++, d = d.add({ days: 1 })) {
    const s = d.toString();
    if (isWorkingDay(s)) days.push(s);
  }
  return days;
}

/**
 * The distinct working days of several periods (a placement spread over weeks, issue 12 item 2),
 * in order: a day two periods share counts once.
 */
export function workingDaysOf(periods: readonly { from: PlainDate; to: PlainDate }[]): PlainDate[] {
  return [...new Set(periods.flatMap((p) => workingDaysIn(p.from, p.to)))].sort();
}
