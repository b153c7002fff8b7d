import { describe, expect, it } from 'vitest';
import { generatedCohort, measureLeadTime, riskAsOf } from './cohort-history';

/**
 * Issue 11 item 4: "on the demo's generated history, say how many weeks before withdrawal the flag
 * first appears". The figures for 200 members over a year come from `npm run measure:early-warning`;
 * here a smaller cohort, to hold the rules to giving warning at all.
 */
describe('the generated history', () => {
  it('is the same for the same seed, with steady, patchy and drifting members', () => {
    expect(generatedCohort(30)).toEqual(generatedCohort(30));
    const profiles = new Set(generatedCohort(30).map((m) => m.profile));
    expect([...profiles].sort()).toEqual(['drifting', 'patchy', 'steady']);
    expect(generatedCohort(2).map((m) => m.name)).toEqual(['Sam Whitfield', 'Jo Marsh']);
  });

  it('flags the two who drift by week 9, with the reasons', () => {
    for (const m of generatedCohort(2)) expect(riskAsOf(m, '2026-09-28', 63, { withoutCoaching: true }).risk.atRisk).toBe(true);
  });

  it('warns of most withdrawals weeks before they happen', () => {
    const r = measureLeadTime(60, 40);
    const warned = r.leadWeeks.filter((w): w is number => w !== null && w > 0).sort((a, b) => a - b);
    expect(r.withdrawn).toBeGreaterThan(3);
    expect(warned.length / r.withdrawn).toBeGreaterThanOrEqual(0.6);
    expect(warned[Math.floor(warned.length / 2)]).toBeGreaterThanOrEqual(2);
  }, 60_000);
});
