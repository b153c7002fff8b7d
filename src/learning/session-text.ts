import { formatDate, formatTime, ukDate } from '../platform/clock';
import type { PlanEntry } from './domain/timeline';
import type { PlaceProgramme } from './participants/my-programme';

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
 * When a session is, in a zone: "Wednesday 3 February 2027, 09:00 to 16:00", or "Sunday 14 March
 * 2027, 22:00 to Monday 15 March 2027, 00:00" when it ends on another day there; "Date to be
 * confirmed" without one.
 */
export function whenText(entry: PlanEntry | null, timeZone: string): string {
  if (!entry?.startsAt) return 'Date to be confirmed';
  const day = (d: Date) => `${weekdayIn(timeZone).format(d)} ${formatDate(d, timeZone)}`;
  // A session that ends on the next day where the participant is (evening in Tokyo) says which day.
  const end = entry.endsAt ? ` to ${ukDate(entry.endsAt, timeZone) === ukDate(entry.startsAt, timeZone) ? '' : `${day(entry.endsAt)}, `}${formatTime(entry.endsAt, timeZone)}` : '';
  return `${day(entry.startsAt)}, ${formatTime(entry.startsAt, timeZone)}${end}`;
}

/** Where a session is: room and venue with its address, the room alone, "Online", or nothing. */
export function whereText(p: Pick<PlaceProgramme, 'venues'>, entry: PlanEntry | null): string {
  if (!entry) return '';
  const venue = entry.venueId ? p.venues.get(entry.venueId) : undefined;
  if (venue) return [entry.room, venue.name, venue.addressLine, venue.town, venue.postcode].filter(Boolean).join(', ');
  if (entry.room) return entry.room;
  return entry.joinUrl ? 'Online' : '';
}
