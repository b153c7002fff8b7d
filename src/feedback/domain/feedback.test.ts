import { describe, expect, it } from 'vitest';
import { FEEDBACK_THRESHOLD, shownToFacilitator, summaryOf, surveyOpen } from './feedback';

describe('feedback rules (issue 11 item 5)', () => {
  it('summarises ratings: how many, the mean to one place, and each rating’s count', () => {
    expect(summaryOf([5, 4, 4, 2])).toEqual({ responses: 4, average: 3.8, counts: { 5: 1, 4: 2, 3: 0, 2: 1, 1: 0 } });
    expect(summaryOf([])).toEqual({ responses: 0, average: null, counts: { 5: 0, 4: 0, 3: 0, 2: 0, 1: 0 } });
  });

  it('shows a facilitator results only from the threshold up', () => {
    expect(FEEDBACK_THRESHOLD).toBe(3);
    expect([shownToFacilitator(2), shownToFacilitator(3)]).toEqual([false, true]);
  });

  it('keeps a survey open for 30 days after what it is about, not before it', () => {
    const ended = new Date('2026-11-01T16:00:00Z');
    expect(surveyOpen(ended, new Date('2026-11-01T15:00:00Z'))).toBe(false);
    expect(surveyOpen(ended, new Date('2026-12-01T16:00:00Z'))).toBe(true);
    expect(surveyOpen(ended, new Date('2026-12-01T16:00:01Z'))).toBe(false);
  });
});
