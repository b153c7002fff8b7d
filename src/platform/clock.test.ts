import { describe, expect, it } from 'vitest';
import { addDays, addDaysTo, addMonths, endOfDay, formatDate, formatDateTime, formatTime, isPlainDate, startOfDay, ukDate } from './clock';

// 2026's clock changes: forward at 01:00 UTC on Sunday 29 March, back at 01:00 UTC on Sunday 25 October.
const SPRING_CHANGE = new Date('2026-03-29T01:00:00Z');
const AUTUMN_CHANGE = new Date('2026-10-25T01:00:00Z');

describe('UK calendar days of instants', () => {
  it('gives the day in the UK, across midnight and the clock change', () => {
    expect(ukDate(new Date('2026-06-30T23:30:00Z'))).toBe('2026-07-01'); // BST: already 00:30 on 1 July
    expect(ukDate(new Date('2026-12-31T23:30:00Z'))).toBe('2026-12-31'); // GMT
    expect(formatDate('2027-01-18')).toBe('18 January 2027');
  });

  it('puts 00:30 BST on 15 June on 15 June, in words and in figures', () => {
    const halfPastMidnight = new Date('2026-06-14T23:30:00Z');
    expect(ukDate(halfPastMidnight)).toBe('2026-06-15');
    expect(formatDate(halfPastMidnight)).toBe('15 June 2026');
    expect(formatTime(halfPastMidnight)).toBe('00:30');
    expect(formatDateTime(halfPastMidnight)).toBe('15 June 2026 at 12:30am');
  });

  it('reads the instants either side of both clock changes', () => {
    expect(formatTime(new Date(SPRING_CHANGE.getTime() - 1))).toBe('00:59');
    expect(formatTime(SPRING_CHANGE)).toBe('02:00');
    expect(formatTime(new Date(AUTUMN_CHANGE.getTime() - 1))).toBe('01:59');
    expect(formatTime(AUTUMN_CHANGE)).toBe('01:00');
    expect(ukDate(SPRING_CHANGE)).toBe('2026-03-29');
    expect(ukDate(AUTUMN_CHANGE)).toBe('2026-10-25');
  });

  it('uses another zone where the platform knows one', () => {
    expect(ukDate(new Date('2026-06-14T23:30:00Z'), 'America/New_York')).toBe('2026-06-14');
  });
});

describe('the instants a UK day begins and ends', () => {
  it('begins summer days at 23:00 UTC the evening before and winter days at midnight UTC', () => {
    expect(startOfDay('2026-06-15').toISOString()).toBe('2026-06-14T23:00:00.000Z');
    expect(endOfDay('2026-06-15').toISOString()).toBe('2026-06-15T23:00:00.000Z');
    expect(startOfDay('2026-12-15').toISOString()).toBe('2026-12-15T00:00:00.000Z');
  });

  it('makes the day of each clock change 23 and 25 hours long', () => {
    const hours = (d: string) => (endOfDay(d).getTime() - startOfDay(d).getTime()) / 3_600_000;
    expect(hours('2026-03-29')).toBe(23);
    expect(hours('2026-10-25')).toBe(25);
    expect(startOfDay('2026-03-29').getTime()).toBeLessThanOrEqual(SPRING_CHANGE.getTime());
    expect(endOfDay('2026-10-25').getTime()).toBeGreaterThan(AUTUMN_CHANGE.getTime());
  });
});

describe('calendar arithmetic', () => {
  it('adds days and months as on a calendar', () => {
    expect(addDays('2026-03-28', 1)).toBe('2026-03-29');
    expect(addDays('2026-10-25', -1)).toBe('2026-10-24');
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(addMonths('2026-01-31', 1)).toBe('2026-02-28');
  });

  it('keeps the wall-clock time when adding days across a clock change', () => {
    const beforeAutumn = new Date('2026-10-20T08:00:00Z'); // 09:00 BST
    expect(formatDateTime(addDaysTo(beforeAutumn, 14))).toBe('3 November 2026 at 9:00am');
    expect(addDaysTo(beforeAutumn, 14).getTime() - beforeAutumn.getTime()).toBe(337 * 3_600_000);
    const beforeSpring = new Date('2026-03-20T09:00:00Z'); // 09:00 GMT
    expect(formatDateTime(addDaysTo(beforeSpring, 14))).toBe('3 April 2026 at 9:00am');
    expect(addDaysTo(beforeSpring, 14).getTime() - beforeSpring.getTime()).toBe(335 * 3_600_000);
  });

  it('knows a real date from a look-alike', () => {
    expect(isPlainDate('2026-02-28')).toBe(true);
    expect(isPlainDate('2026-02-30')).toBe(false);
    expect(isPlainDate('15/06/2026')).toBe(false);
    expect(isPlainDate(undefined)).toBe(false);
  });
});
