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

export const TIME_ZONE = 'Europe/London';

// Intl formatters are costly to build: each is made once and reused.
const isoDayFormat = new Intl.DateTimeFormat('en-CA', { timeZone: TIME_ZONE, year: 'numeric', month: '2-digit', day: '2-digit' });

/** The calendar day in the UK for an instant, as YYYY-MM-DD. */
export const ukDate = (instant: Date): string => isoDayFormat.format(instant);

const dateFormat = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: TIME_ZONE });
const dateTimeFormat = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  hour: 'numeric',
  minute: '2-digit',
  hour12: true,
  timeZone: TIME_ZONE,
});

/** "1 September 2026" for a plain date (YYYY-MM-DD) or an instant, in UK time. */
export function formatDate(value: string | Date): string {
  const d = typeof value === 'string' ? new Date(`${value}T12:00:00Z`) : value;
  return dateFormat.format(d);
}

export function formatDateTime(value: Date): string {
  return dateTimeFormat.format(value).replace(' am', 'am').replace(' pm', 'pm');
}
