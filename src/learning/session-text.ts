import { spanText } from '../platform/clock';
import type { PlanEntry } from './domain/timeline';
import type { PlaceProgramme } from './participants/my-programme';

/**
 * When a session is, in a zone: "Wednesday 3 February 2027, 09:00 to 16:00", or "Sunday 14 March
 * 2027, 22:00 to Monday 15 March 2027, 00:00" when it ends on another day there; "Date to be
 * confirmed" without one.
 */
export function whenText(entry: PlanEntry | null, timeZone: string): string {
  if (!entry?.startsAt) return 'Date to be confirmed';
  return spanText(entry.startsAt, entry.endsAt, timeZone);
}

/** Where a session is: room and venue with its address, the room alone, "Online", or nothing. */
export function whereText(p: Pick<PlaceProgramme, 'venues'>, entry: PlanEntry | null): string {
  if (!entry) return '';
  const venue = entry.venueId ? p.venues.get(entry.venueId) : undefined;
  if (venue) return [entry.room, venue.name, venue.addressLine, venue.town, venue.postcode].filter(Boolean).join(', ');
  if (entry.room) return entry.room;
  return entry.joinUrl ? 'Online' : '';
}
