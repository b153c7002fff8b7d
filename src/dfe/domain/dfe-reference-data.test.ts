import { describe, expect, it } from 'vitest';
import { COHORTS, defaultScheduleIdentifier, SCHEDULES, sameCourse, scheduleToName } from './dfe-reference-data';

const cohort = (id: string) => COHORTS.find((c) => c.identifier === id)!;

describe('DfE’s default schedule on accept (docs/dfe-api.md §2.2)', () => {
  it('fixes 2026a to spring and 2026b to autumn, whenever accepted', () => {
    expect(defaultScheduleIdentifier('npq-headship', cohort('2026a'), '2026-09-01')).toBe('npq-leadership-spring');
    expect(defaultScheduleIdentifier('npq-leading-literacy', cohort('2026b'), '2027-01-10')).toBe('npq-specialist-autumn');
  });

  it('reads 2025 by its extended windows, and other years by the day of the year', () => {
    expect(defaultScheduleIdentifier('npq-headship', cohort('2025b'), '2026-04-30')).toBe('npq-leadership-autumn');
    expect(defaultScheduleIdentifier('npq-headship', cohort('2025a'), '2025-06-06')).toBe('npq-leadership-spring');
    expect(defaultScheduleIdentifier('npq-headship', cohort('2024a'), '2025-06-06')).toBe('npq-leadership-autumn');
    expect(defaultScheduleIdentifier('npq-senco', cohort('2023a'), '2023-04-02')).toBe('npq-leadership-spring');
    expect(defaultScheduleIdentifier('npq-senco', cohort('2023a'), '2023-04-03')).toBe('npq-leadership-autumn');
    expect(defaultScheduleIdentifier('npq-senco', cohort('2023a'), '2023-12-26')).toBe('npq-leadership-spring');
  });

  it('picks EHCO’s by the month accepted, relative to the cohort’s year, and ASO’s always December', () => {
    const ehco = (on: string) => defaultScheduleIdentifier('npq-early-headship-coaching-offer', cohort('2025b'), on);
    expect([ehco('2025-09-01'), ehco('2025-12-01'), ehco('2026-02-28'), ehco('2026-03-01'), ehco('2026-06-01'), ehco('2025-08-31')]).toEqual(['npq-ehco-november', 'npq-ehco-december', 'npq-ehco-december', 'npq-ehco-march', 'npq-ehco-june', 'npq-ehco-june']);
    expect(defaultScheduleIdentifier('npq-additional-support-offer', cohort('2025b'), '2025-09-01')).toBe('npq-aso-december');
  });
});

describe('schedules and courses', () => {
  it('gives specialist schedules no retained-2, leadership all four', () => {
    expect(SCHEDULES.find((s) => s.identifier === 'npq-specialist-autumn')!.allowed).toEqual(['started', 'retained-1', 'completed']);
    expect(SCHEDULES.find((s) => s.identifier === 'npq-leadership-autumn')!.allowed).toHaveLength(4);
  });

  it('counts EHCO and ASO as the same course, and nothing else as another', () => {
    expect(sameCourse('npq-early-headship-coaching-offer', 'npq-additional-support-offer')).toBe(true);
    expect(sameCourse('npq-headship', 'npq-senior-leadership')).toBe(false);
  });
});

describe('the schedule to name on accept', () => {
  it('leaves it to DfE when its default exists in the cohort, and names the cohort’s own where DfE’s lookup would fail', () => {
    // Accepted into 2025a (spring only) in December 2026: DfE's default would be autumn, which 2025a lacks.
    expect(scheduleToName('npq-headship', '2025a', '2026-12-02')).toBe('npq-leadership-spring');
    expect(scheduleToName('npq-leading-literacy', '2025a', '2026-12-02')).toBe('npq-specialist-spring');
    expect(scheduleToName('npq-headship', '2026b', '2026-12-02')).toBeNull();
    expect(scheduleToName('npq-headship', '2031a', '2026-12-02')).toBeNull();
  });
});
