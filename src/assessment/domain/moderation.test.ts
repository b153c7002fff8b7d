import { describe, expect, it } from 'vitest';
import { DEFAULT_SAMPLE_RULES, drawSample, type EarlierDraws, type MarkedScript, NO_EARLIER_DRAWS, type SampleRules } from './moderation';

const marked = (submissionId: string, assessorUserId: string, total: number, assessorOrder: number): MarkedScript => ({ submissionId, assessorUserId, total, result: total >= 20 ? 'pass' : 'fail', passMark: 20, assessorOrder });
// A fixed source in [0, 1): the draw is pure, so the test repeats it.
const fixed = () => 0.37;
const onlyRandom: SampleRules = { ...DEFAULT_SAMPLE_RULES, everyFail: false, borderlineWithin: 0, newAssessorFirst: 0, randomPercent: 10, atLeastOnePerAssessor: false };

/** Draws `scripts` one at a time, each draw told what the earlier ones took, as the service does. */
function oneAtATime(scripts: readonly MarkedScript[], rules: SampleRules) {
  let earlier: EarlierDraws = NO_EARLIER_DRAWS;
  const taken = new Map<string, string>();
  for (const s of scripts) {
    const drawn = drawSample([s], rules, fixed, earlier);
    for (const [id, reason] of drawn) taken.set(id, reason);
    const random = [...drawn.values()].filter((r) => r === 'random').length;
    // Taken by a rule before the random share (a fail, say): not in the share's base.
    const rest = ['fail', 'borderline', 'new_assessor'].includes(drawn.get(s.submissionId) ?? '') ? 0 : 1;
    earlier = { restConsidered: earlier.restConsidered + rest, randomTaken: earlier.randomTaken + random, assessorsSampled: new Set([...earlier.assessorsSampled, ...[...drawn.keys()].map((id) => scripts.find((x) => x.submissionId === id)!.assessorUserId)]) };
  }
  return taken;
}

describe('drawing the sample a little at a time (issue 12 item 5)', () => {
  const twenty = Array.from({ length: 20 }, (_, i) => marked(`s${i}`, `assessor-${i % 4}`, 30, 10 + i));

  it('takes about the random share of twenty scripts drawn one at a time, as one draw of all twenty does, not all twenty', () => {
    expect(drawSample(twenty, onlyRandom, fixed).size).toBe(2);
    expect(oneAtATime(twenty, onlyRandom).size).toBe(2);
  });

  it('takes the share against every script the other rules left in earlier draws, less what they took', () => {
    // 10% of 45 before and 5 now is 5; 3 taken before: 2 now.
    expect(drawSample(twenty.slice(0, 5), onlyRandom, fixed, { restConsidered: 45, randomTaken: 3, assessorsSampled: new Set() }).size).toBe(2);
    // Earlier draws took more than their share (older rules): none now, never fewer than none.
    expect(drawSample(twenty.slice(0, 5), onlyRandom, fixed, { restConsidered: 45, randomTaken: 9, assessorsSampled: new Set() }).size).toBe(0);
  });

  it('takes one of an assessor only when no draw has taken one of theirs', () => {
    const perAssessor = { ...onlyRandom, randomPercent: 0, atLeastOnePerAssessor: true };
    const sampled = drawSample(twenty, perAssessor, fixed, { restConsidered: 0, randomTaken: 0, assessorsSampled: new Set(['assessor-0', 'assessor-1']) });
    expect([...sampled.keys()].map((id) => twenty.find((s) => s.submissionId === id)!.assessorUserId).sort()).toEqual(['assessor-2', 'assessor-3']);
    // One at a time: one per assessor in all, not one per draw.
    expect(oneAtATime(twenty, perAssessor).size).toBe(4);
  });
});
