import { describe, expect, it } from 'vitest';
import { coachingExpectedMinutes, diagnosticMinutes, engagementOf } from './engagement';

describe('engagement', () => {
  it('counts each component’s evidence up to what it expects: work ahead in modules does not make up for a missed event', () => {
    const e = engagementOf(
      [
        { component: 'events', expectedMinutes: 600, evidencedMinutes: 300 },
        { component: 'online_courses', expectedMinutes: 400, evidencedMinutes: 900 },
      ],
      90,
    );
    expect(e).toMatchObject({ expectedMinutes: 1000, countedMinutes: 700, percent: 70, below: true, thresholdPercent: 90 });
  });

  it('rounds down, so 89.9% is below 90%; is never below while nothing is expected', () => {
    expect(engagementOf([{ component: 'events', expectedMinutes: 1000, evidencedMinutes: 899 }], 90)).toMatchObject({ percent: 89, below: true });
    expect(engagementOf([{ component: 'events', expectedMinutes: 1000, evidencedMinutes: 900 }], 90)).toMatchObject({ percent: 90, below: false });
    expect(engagementOf([{ component: 'events', expectedMinutes: 0, evidencedMinutes: 120 }], 90)).toMatchObject({ percent: null, below: false });
    expect(engagementOf([], 90)).toMatchObject({ percent: null, below: false });
  });
});

describe('coaching expected by today', () => {
  it('is spread evenly from the intake’s start over the NPQ’s shortest duration', () => {
    // 180 minutes over 18 months from 1 January 2026 (546 days): 31 days in, 10 minutes.
    expect(coachingExpectedMinutes(180, '2026-01-01', 18, '2025-12-31')).toBe(0);
    expect(coachingExpectedMinutes(180, '2026-01-01', 18, '2026-01-01')).toBe(0);
    expect(coachingExpectedMinutes(180, '2026-01-01', 18, '2026-02-01')).toBe(10);
    expect(coachingExpectedMinutes(180, '2026-01-01', 18, '2027-07-01')).toBe(180);
    expect(coachingExpectedMinutes(0, '2026-01-01', 18, '2027-07-01')).toBe(0);
  });
});

describe('the 360° diagnostic', () => {
  it('expects half its minutes for each round closed, and evidences half for each self-assessment sent', () => {
    const rounds = [
      { closesOn: '2026-10-31', selfSubmitted: true },
      { closesOn: '2027-06-30', selfSubmitted: false },
    ];
    expect(diagnosticMinutes(120, rounds, '2026-11-30')).toEqual({ expectedMinutes: 60, evidencedMinutes: 60 });
    expect(diagnosticMinutes(120, rounds, '2027-07-01')).toEqual({ expectedMinutes: 120, evidencedMinutes: 60 });
    expect(diagnosticMinutes(120, [], '2027-07-01')).toEqual({ expectedMinutes: 0, evidencedMinutes: 0 });
  });
});
