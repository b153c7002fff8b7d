import { describe, expect, it } from 'vitest';
import { decideGatewayReview } from './gateway';

const criteria = [
  { id: 'c1', name: 'Readiness', maxScore: 4 },
  { id: 'c2', name: 'Evidence', maxScore: 4 },
  { id: 'c3', name: 'Impact', maxScore: 4 },
];
const review = (scores: [string, string, string], result: string, overrideReason?: string) =>
  decideGatewayReview(criteria, 7, { scores: { c1: scores[0], c2: scores[1], c3: scores[2] }, result, feedback: 'Thank you.', overrideReason });

describe('a gateway review', () => {
  it('passes at or above the mark and fails below it without a reason', () => {
    expect(review(['3', '3', '1'], 'passed')).toMatchObject({ ok: true, total: 7, result: 'passed', overrideReason: null });
    expect(review(['1', '1', '0'], 'failed')).toMatchObject({ ok: true, total: 2, result: 'failed', overrideReason: null });
  });

  it('refuses a pass below the mark without a reason, and takes it with one', () => {
    const refused = review(['1', '1', '0'], 'passed');
    expect(refused).toEqual({ ok: false, errors: { overrideReason: expect.stringContaining('total 2, below the pass mark of 7') } });
    expect(review(['1', '1', '0'], 'passed', 'Strong interview evidence the written answers missed')).toMatchObject({ ok: true, result: 'passed', overrideReason: 'Strong interview evidence the written answers missed' });
  });

  it('refuses a fail at or above the mark without a reason', () => {
    expect(review(['4', '4', '4'], 'failed')).toMatchObject({ ok: false, errors: { overrideReason: expect.stringContaining('reaches the pass mark') } });
    expect(review(['4', '4', '4'], 'failed', 'Plagiarised answers')).toMatchObject({ ok: true, overrideReason: 'Plagiarised answers' });
  });

  it('ignores a reason the result does not need', () => {
    expect(review(['3', '3', '3'], 'passed', 'not needed')).toMatchObject({ ok: true, overrideReason: null });
  });

  it('explains missing or out-of-range scores, no result and overlong text', () => {
    const bad = decideGatewayReview(criteria, 7, { scores: { c1: '5', c2: '', c3: 'x' }, result: 'maybe', feedback: 'x'.repeat(5001) });
    expect(bad).toEqual({
      ok: false,
      errors: {
        'score-c1': 'Score “Readiness” from 0 to 4',
        'score-c2': 'Score “Evidence” from 0 to 4',
        'score-c3': 'Score “Impact” from 0 to 4',
        result: 'Select pass or fail',
        feedback: 'Feedback must be 5,000 characters or fewer',
      },
    });
  });
});
