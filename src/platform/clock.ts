import { Temporal } from '@js-temporal/polyfill';

export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** A clock that stands still until told to move: tests freeze time with it. */
export function fixedClock(start: Date | string): Clock & { advance(ms: number): void; set(d: Date | string): void } {
  let current = new Date(start);
  return {
    now: () => new Date(current),
    advance: (ms) => {
      current = new Date(current.getTime() + ms);
    },
    set: (d) => {
      current = new Date(d);
    },
  };
}

/*
 * UK dates and times (ADR 0023). People pick and read calendar days in the UK (or in a time zone the
 * platform knows for them, such as an intake's); instants are stored as UTC. Every conversion between
 * the two, and all date arithmetic, goes through the helpers below so that the clock changes (last
 * Sunday of March and of October) and the hour after midnight in summer are handled in one place.
 * Calendar arithmetic uses Temporal (@js-temporal/polyfill): a day is a calendar day, 23 or 25 hours
 * long at the changes, never 86,400,000 ms.
 */

export const TIME_ZONE = 'Europe/London';

/** A calendar day with no time or zone, written YYYY-MM-DD (ISO 8601), as columns of type `date` hold it. */
export type PlainDate = string;

// Intl formatters are costly to build: each is made once (per zone) and reused.
const formatters = new Map<string, Intl.DateTimeFormat>();
const formatter = (key: string, locale: string, options: Intl.DateTimeFormatOptions) => {
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(locale, options);
    formatters.set(key, f);
  }
  return f;
};
const isoDayFormat = (timeZone: string) => formatter(`iso:${timeZone}`, 'en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });

/** Whether a string is a real calendar date written YYYY-MM-DD ("2026-02-30" is not). */
export function isPlainDate(value: unknown): value is PlainDate {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  try {
    Temporal.PlainDate.from(value, { overflow: 'reject' });
    return true;
  } catch {
    return false;
  }
}

/** The calendar day an instant falls on in the UK (or in `timeZone`), as YYYY-MM-DD. */
export const ukDate = (instant: Date, timeZone: string = TIME_ZONE): PlainDate => isoDayFormat(timeZone).format(instant);

/** The instant a UK calendar day (or one in `timeZone`) begins: 2026-06-15 → 2026-06-14T23:00:00Z in summer. */
export function startOfDay(date: PlainDate, timeZone: string = TIME_ZONE): Date {
  return new Date(Temporal.PlainDate.from(date).toZonedDateTime({ timeZone }).epochMilliseconds);
}

/**
 * The instant a UK calendar day ends, exclusive: the start of the next day. A day filter is
 * `startOfDay(from) <= at < endOfDay(to)`; at the clock changes the day is 23 or 25 hours long.
 */
export function endOfDay(date: PlainDate, timeZone: string = TIME_ZONE): Date {
  return startOfDay(addDays(date, 1), timeZone);
}

/** A calendar date `days` days later (earlier when negative). */
export const addDays = (date: PlainDate, days: number): PlainDate => Temporal.PlainDate.from(date).add({ days }).toString();

/** A calendar date `months` months later; the 31st becomes the last day of a shorter month. */
export const addMonths = (date: PlainDate, months: number): PlainDate => Temporal.PlainDate.from(date).add({ months }).toString();

/**
 * The same UK wall-clock time `days` calendar days after an instant: a link sent at 09:00 on 20 October
 * for 14 days lasts until 09:00 on 3 November, though the clocks went back between (337 hours, not 336).
 */
export function addDaysTo(instant: Date, days: number, timeZone: string = TIME_ZONE): Date {
  const zoned = Temporal.Instant.fromEpochMilliseconds(instant.getTime()).toZonedDateTimeISO(timeZone);
  return new Date(zoned.add({ days }).epochMilliseconds);
}

/** Today in the UK for a clock. */
export const today = (clock: Clock, timeZone: string = TIME_ZONE): PlainDate => ukDate(clock.now(), timeZone);

const plainDateFormat = formatter('plain', 'en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });

/** "1 September 2026" for a plain date (YYYY-MM-DD), or for the UK day of an instant (or its day in `timeZone`). */
export function formatDate(value: PlainDate | Date, timeZone: string = TIME_ZONE): string {
  if (typeof value !== 'string') return formatter(`date:${timeZone}`, 'en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone }).format(value);
  // A plain date has no zone: it is formatted as the day it names, at UTC midnight, whatever the zone.
  const d = Temporal.PlainDate.from(value);
  return plainDateFormat.format(Date.UTC(d.year, d.month - 1, d.day));
}

/** "00:30", "17:05": the UK time of day of an instant (or in `timeZone`), 24-hour. */
export function formatTime(value: Date, timeZone: string = TIME_ZONE): string {
  return formatter(`time:${timeZone}`, 'en-GB', { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone }).format(value);
}

/** "15 June 2026 at 12:30am": an instant as people read it, in UK time (or in `timeZone`). */
export function formatDateTime(value: Date, timeZone: string = TIME_ZONE): string {
  const f = formatter(`datetime:${timeZone}`, 'en-GB', { day: 'numeric', month: 'long', year: 'numeric', hour: 'numeric', minute: '2-digit', hour12: true, timeZone });
  return f.format(value).replace(' am', 'am').replace(' pm', 'pm');
}

const TIME = /^([01]?\d|2[0-3])[:.]([0-5]\d)$/;
/** "9:30", "09.30" → "09:30"; undefined when not a 24-hour time. */
export function readTime(typed: string | undefined): string | undefined {
  const m = TIME.exec((typed ?? '').trim());
  return m ? `${m[1]!.padStart(2, '0')}:${m[2]}` : undefined;
}

/**
 * The instant a wall-clock time on a day begins in `timeZone`, or undefined when that time does not
 * exist there (the hour the clocks go forward). A time that happens twice (the hour the clocks go back)
 * is its first happening, as calendars read it.
 */
export function instantIn(date: PlainDate, time: string, timeZone: string): Date | undefined {
  const wall = Temporal.PlainDateTime.from(`${date}T${time}`);
  const zoned = wall.toZonedDateTime(timeZone, { disambiguation: 'earlier' });
  // In the gap the clocks skip, Temporal moves the time; a time that is not the one asked for does not exist.
  if (!zoned.toPlainDateTime().equals(wall)) return undefined;
  return new Date(zoned.epochMilliseconds);
}

// Intl formatters are costly to make (a millisecond or so): one per zone, kept.
const weekdays = new Map<string, Intl.DateTimeFormat>();
function weekdayIn(timeZone: string): Intl.DateTimeFormat {
  let f = weekdays.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', { weekday: 'long', timeZone });
    weekdays.set(timeZone, f);
  }
  return f;
}

/**
 * A span of time as people read it in a zone: "Wednesday 3 February 2027, 09:00 to 16:00", or
 * "Sunday 14 March 2027, 22:00 to Monday 15 March 2027, 00:00" when it ends on another day there;
 * the start alone without an end.
 */
export function spanText(start: Date, end: Date | null | undefined, timeZone: string): string {
  const day = (d: Date) => `${weekdayIn(timeZone).format(d)} ${formatDate(d, timeZone)}`;
  // A session that ends on the next day where the reader is (evening in Tokyo) says which day.
  const until = end ? ` to ${ukDate(end, timeZone) === ukDate(start, timeZone) ? '' : `${day(end)}, `}${formatTime(end, timeZone)}` : '';
  return `${day(start)}, ${formatTime(start, timeZone)}${until}`;
}
