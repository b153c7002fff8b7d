import { expect, it } from 'vitest';
import { formatDate, ukDate } from './clock';

it('gives the day in the UK, across midnight and the clock change', () => {
  expect(ukDate(new Date('2026-06-30T23:30:00Z'))).toBe('2026-07-01'); // BST: already 00:30 on 1 July
  expect(ukDate(new Date('2026-12-31T23:30:00Z'))).toBe('2026-12-31'); // GMT
  expect(formatDate('2027-01-18')).toBe('18 January 2027');
});
