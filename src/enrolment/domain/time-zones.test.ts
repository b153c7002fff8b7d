import { describe, expect, it } from 'vitest';
import { COMMON_TIME_ZONES, isTimeZone, timeZoneChoices, timeZoneLabel, UK_TIME_ZONE } from './time-zones';

describe('time zones for people', () => {
  it('offers UK time first, and only zones the runtime knows', () => {
    expect(COMMON_TIME_ZONES[0]).toEqual({ zone: UK_TIME_ZONE, label: 'UK time (London)' });
    for (const z of COMMON_TIME_ZONES) expect(isTimeZone(z.zone), z.zone).toBe(true);
    expect(isTimeZone('Mars/Olympus')).toBe(false);
  });

  it('names every zone by its city and region, never by its raw IANA name', () => {
    expect(timeZoneLabel('Asia/Dubai')).toBe('Gulf (Dubai, Abu Dhabi, Muscat)');
    expect(timeZoneLabel('Pacific/Auckland')).toBe('Auckland (Pacific)');
    expect(timeZoneLabel('America/Indiana/Knox')).toBe('Knox (America, Indiana)');
    for (const c of timeZoneChoices()) expect(c.label, c.zone).not.toMatch(/[_/]/);
  });
});
