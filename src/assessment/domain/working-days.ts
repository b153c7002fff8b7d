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

// Calendar days as UTC midnights: a date has no time zone, and stepping a day is adding 86,400,000 ms,
// far cheaper than Temporal (pages count every period's days on each request).
const DAY_MS = 86_400_000;
const msOf = (date: PlainDate) => Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10)));
const dateOf = (ms: number): PlainDate => new Date(ms).toISOString().slice(0, 10);

/** Whether a UK date is a working day: not a Saturday or Sunday, nor a bank holiday in England. */
export function isWorkingDay(date: PlainDate): boolean {
  const weekday = new Date(msOf(date)).getUTCDay();
  return weekday !== 0 && weekday !== 6 && !bankHolidaysIn(Number(date.slice(0, 4))).has(date);
}

/** The longest one period may be, in calendar days: a placement is days or weeks at a time (seed 000: nine days, "may be spread over weeks"). */
export const LONGEST_PERIOD_DAYS = 31;

/** The calendar days from `from` to `to`, inclusive (0 when `to` is before `from`). */
export const calendarDaysIn = (from: PlainDate, to: PlainDate): number => Math.max(0, Math.round((msOf(to) - msOf(from)) / DAY_MS) + 1);

/** The working days from `from` to `to` inclusive (UK dates), in order; none when `to` is before `from`; at most LONGEST_PERIOD_DAYS days are looked at. */
export function workingDaysIn(from: PlainDate, to: PlainDate): PlainDate[] {
  const days: PlainDate[] = [];
  const end = msOf(to);
  for (let ms = msOf(from), i = 0; ms <= end && i < LONGEST_PERIOD_DAYS; ms += DAY_MS, i++) {
    const d = dateOf(ms);
    if (isWorkingDay(d)) days.push(d);
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
