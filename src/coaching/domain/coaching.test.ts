import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { allows, mermaidPage } from '../../platform/workflow';
import { BOOKING_WORKFLOW, coachingMinutes, inGoodTime, slotOccurrences, spreadEvenly } from './coaching';

describe('slotOccurrences', () => {
  it('keeps the coach’s wall-clock time each week, on both sides of the clocks changing', () => {
    const { starts, skipped } = slotOccurrences('2027-03-16', '16:00', 'Europe/London', 3);
    expect(starts.map((d) => d.toISOString())).toEqual(['2027-03-16T16:00:00.000Z', '2027-03-23T16:00:00.000Z', '2027-03-30T15:00:00.000Z']);
    expect(skipped).toEqual([]);
  });

  it('leaves out a week whose time the clocks skip, and names it', () => {
    const { starts, skipped } = slotOccurrences('2027-03-21', '01:30', 'Europe/London', 2);
    expect(starts.map((d) => d.toISOString())).toEqual(['2027-03-21T01:30:00.000Z']);
    expect(skipped).toEqual(['2027-03-28']);
  });

  it('reads the time in the coach’s own zone', () => {
    expect(slotOccurrences('2026-12-01', '09:00', 'Asia/Tokyo', 1).starts[0]!.toISOString()).toBe('2026-12-01T00:00:00.000Z');
  });
});

describe('coachingMinutes', () => {
  it('counts held sessions by their recorded length, missed and late-cancelled ones by the slot, and booked ones apart', () => {
    const m = coachingMinutes(180, [
      { status: 'held', minutes: 60, heldMinutes: 50 },
      { status: 'missed', minutes: 30, heldMinutes: null },
      { status: 'late_cancelled', minutes: 30, heldMinutes: null },
      { status: 'cancelled', minutes: 60, heldMinutes: null },
      { status: 'rescheduled', minutes: 60, heldMinutes: null },
      { status: 'moved', minutes: 60, heldMinutes: null },
      { status: 'booked', minutes: 60, heldMinutes: null },
    ]);
    expect(m).toEqual({ entitled: 180, used: 110, booked: 60, left: 10 });
  });

  it('never leaves less than nothing to book', () => {
    expect(coachingMinutes(60, [{ status: 'held', minutes: 60, heldMinutes: 90 }]).left).toBe(0);
  });
});

describe('inGoodTime', () => {
  it('is exact to the hour of the provider’s notice, not the day', () => {
    const start = new Date('2026-12-02T16:00:00Z');
    expect(inGoodTime(start, new Date('2026-12-01T16:00:00Z'), 24)).toBe(true);
    expect(inGoodTime(start, new Date('2026-12-01T16:00:01Z'), 24)).toBe(false);
    expect(inGoodTime(start, new Date('2026-12-02T15:59:00Z'), 0)).toBe(true);
  });
});

describe('spreadEvenly', () => {
  it('gives each to whoever has fewest (by name when equal), never past a capacity, and says who is left', () => {
    const { given, left } = spreadEvenly(['p1', 'p2', 'p3', 'p4', 'p5'], [
      { userId: 'b', name: 'Bo', allocated: 1, capacity: null },
      { userId: 'a', name: 'Ash', allocated: 0, capacity: 1 },
      { userId: 'c', name: 'Cy', allocated: 0, capacity: 2 },
    ]);
    expect(Object.fromEntries(given)).toEqual({ p1: 'a', p2: 'c', p3: 'b', p4: 'c', p5: 'b' });
    expect(left).toEqual([]);
    expect(spreadEvenly(['p1', 'p2'], [{ userId: 'a', name: 'Ash', allocated: 1, capacity: 2 }]).left).toEqual(['p2']);
  });
});

describe('a booking', () => {
  it('can be cancelled or moved only while booked, and a record corrected, but never a cancelled one recorded', () => {
    expect(allows(BOOKING_WORKFLOW, 'cancel', 'booked')).toBe(true);
    expect(allows(BOOKING_WORKFLOW, 'cancel', 'held')).toBe(false);
    expect(allows(BOOKING_WORKFLOW, 'record_missed', 'held')).toBe(true);
    expect(allows(BOOKING_WORKFLOW, 'record_held', 'cancelled')).toBe(false);
    expect(allows(BOOKING_WORKFLOW, 'record_held', 'rescheduled')).toBe(false);
  });

  it('has its diagram in docs/workflows/ as the table stands', () => {
    const REGENERATE = 'UPDATE_DIAGRAMS=1 npx vitest run src/coaching/domain/coaching.test.ts';
    const path = join(process.cwd(), 'docs', 'workflows', 'coaching-booking.md');
    const page = mermaidPage(BOOKING_WORKFLOW, REGENERATE);
    if (process.env.UPDATE_DIAGRAMS) writeFileSync(path, page);
    let committed = '';
    try {
      committed = readFileSync(path, 'utf8');
    } catch {
      // Missing counts as stale.
    }
    expect(committed, `docs/workflows/coaching-booking.md is stale: regenerate it with ${REGENERATE}`).toBe(page);
  });
});
