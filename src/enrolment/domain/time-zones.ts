/**
 * Time zones as a teacher names them. Live sessions of distance learning are scheduled in the
 * participant's time zone; most of them are in the UK, and those abroad mostly teach in a handful of
 * places with British international schools. People choose from friendly names; IANA names are
 * what is stored (they are what calendars and `Intl` understand).
 */

export const UK_TIME_ZONE = 'Europe/London';

/** The common ones, by the name people use, UK first. */
export const COMMON_TIME_ZONES: readonly { zone: string; label: string }[] = [
  { zone: 'Europe/London', label: 'UK time (London)' },
  { zone: 'Europe/Dublin', label: 'Ireland (Dublin)' },
  { zone: 'Europe/Paris', label: 'Central European Time (Paris, Madrid, Berlin, Rome)' },
  { zone: 'Europe/Athens', label: 'Eastern European Time (Athens, Nicosia)' },
  { zone: 'Europe/Istanbul', label: 'Turkey (Istanbul)' },
  { zone: 'Africa/Johannesburg', label: 'South Africa (Johannesburg, Cape Town)' },
  { zone: 'Africa/Lagos', label: 'West Africa (Lagos)' },
  { zone: 'Asia/Dubai', label: 'Gulf (Dubai, Abu Dhabi, Muscat)' },
  { zone: 'Asia/Riyadh', label: 'Arabia (Riyadh, Doha, Kuwait)' },
  { zone: 'Asia/Kolkata', label: 'India (Delhi, Mumbai)' },
  { zone: 'Asia/Bangkok', label: 'Indochina (Bangkok, Ho Chi Minh City)' },
  { zone: 'Asia/Singapore', label: 'Singapore and Malaysia' },
  { zone: 'Asia/Hong_Kong', label: 'Hong Kong and China' },
  { zone: 'Asia/Tokyo', label: 'Japan and Korea (Tokyo, Seoul)' },
  { zone: 'Australia/Sydney', label: 'Australian Eastern Time (Sydney, Melbourne)' },
  { zone: 'America/New_York', label: 'US and Canada Eastern Time (New York, Toronto)' },
  { zone: 'America/Los_Angeles', label: 'US and Canada Pacific Time (Los Angeles, Vancouver)' },
];

let every: readonly string[] | undefined;
/** Every IANA zone this runtime knows (about 400), plus UTC. */
export function allTimeZones(): readonly string[] {
  every ??= [...new Set([...Intl.supportedValuesOf('timeZone'), 'UTC'])];
  return every;
}

/**
 * Whether `zone` is an IANA name this runtime schedules by. `Intl` is asked rather than its list,
 * because the list holds one name per zone (Asia/Calcutta) while the other names (Asia/Kolkata) work too.
 */
export function isTimeZone(zone: string): boolean {
  if (!/^[A-Za-z][A-Za-z0-9_+\-/]{0,59}$/.test(zone)) return false;
  try {
    new Intl.DateTimeFormat('en-GB', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/**
 * A zone's name for people: the common name where it has one, otherwise its city and region from the
 * IANA name ("America/Argentina/Buenos_Aires" → "Buenos Aires (America, Argentina)").
 */
export function timeZoneLabel(zone: string): string {
  const common = COMMON_TIME_ZONES.find((z) => z.zone === zone);
  if (common) return common.label;
  if (zone === 'UTC') return 'Coordinated Universal Time (UTC)';
  const parts = zone.split('/').map((p) => p.replace(/_/g, ' '));
  const city = parts.pop() ?? zone;
  return parts.length ? `${city} (${parts.join(', ')})` : city;
}

/** Every zone as a choice, by label, for the "another time zone" list. */
export const timeZoneChoices = (): { zone: string; label: string }[] =>
  allTimeZones()
    .map((zone) => ({ zone, label: timeZoneLabel(zone) }))
    .sort((a, b) => a.label.localeCompare(b.label, 'en-GB'));
