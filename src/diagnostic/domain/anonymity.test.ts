import { describe, expect, it } from 'vitest';
import { type AnonymityPolicy, answeredCounts, type ColleagueResponse, DEFAULT_POLICY, visibleFeedback } from './anonymity';
import { type Answers, COLLEAGUE_GROUPS, type ColleagueGroup } from './instrument';

const answer = (rating: number, comment = ''): Answers => ({ ratings: { s1: rating }, comments: comment ? { strengths: comment } : {} });
const from = (group: ColleagueGroup, ...ratings: number[]): ColleagueResponse[] => ratings.map((r) => ({ group, answers: answer(r) }));
const shown = (responses: ColleagueResponse[], policy: AnonymityPolicy = DEFAULT_POLICY) =>
  visibleFeedback(responses, policy).groups.map((g) => [g.key, g.count]);

describe('the anonymity rule', () => {
  it('shows a group only when at least the threshold answered', () => {
    expect(shown([...from('peer', 3, 4, 5), ...from('team_member', 2, 2, 2, 2)])).toEqual([
      ['peer', 3],
      ['team_member', 4],
    ]);
  });

  it('folds small groups into one, and shows it once it reaches the threshold', () => {
    expect(shown([...from('peer', 3, 4, 5), ...from('governor', 1), ...from('other', 2, 2)])).toEqual([
      ['peer', 3],
      ['others', 3],
    ]);
  });

  it('folds the smallest shown group in too when the small ones together are still too few', () => {
    expect(shown([...from('peer', 3, 4, 5, 5), ...from('team_member', 1, 1, 1), ...from('governor', 2)])).toEqual([
      ['peer', 4],
      ['others', 4],
    ]);
  });

  it('shows nothing when fewer than the threshold answered in all', () => {
    const v = visibleFeedback([...from('peer', 1), ...from('team_member', 5)], DEFAULT_POLICY);
    expect(v.groups).toEqual([]);
    expect(v.allColleagues).toBeNull();
    expect(v.withheld).toBe(2);
    expect(v.comments).toEqual({});
  });

  it('shows a named line manager on their own, and a larger threshold when configured', () => {
    const policy = { threshold: 4, namedGroups: ['line_manager'] as const };
    expect(shown([...from('line_manager', 4), ...from('peer', 3, 3, 3)], policy)).toEqual([['line_manager', 1]]);
    expect(shown([...from('line_manager', 4), ...from('peer', 3, 3, 3, 3)], policy)).toEqual([
      ['line_manager', 1],
      ['peer', 4],
    ]);
  });

  it('never lets a lone anonymous line manager be seen, when line managers are not named', () => {
    const v = visibleFeedback([...from('line_manager', 1), ...from('peer', 5, 5, 5)], DEFAULT_POLICY);
    expect(v.groups.map((g) => g.key)).toEqual(['others']);
    expect(v.groups[0]!.count).toBe(4);
  });

  it('gives comments without groups, in alphabetical order whatever order they came in', () => {
    const responses: ColleagueResponse[] = [
      { group: 'peer', answers: answer(3, 'Zealous about reading') },
      { group: 'team_member', answers: answer(3, 'Always listens') },
      { group: 'peer', answers: answer(3, 'Makes time for people') },
    ];
    const a = visibleFeedback(responses, DEFAULT_POLICY);
    const b = visibleFeedback([...responses].reverse(), DEFAULT_POLICY);
    expect(a.comments.strengths).toEqual(['Always listens', 'Makes time for people', 'Zealous about reading']);
    expect(b).toEqual(a);
  });

  it('counts answers per group without saying who', () => {
    expect(answeredCounts([...from('peer', 1, 2), ...from('governor', 3)])).toEqual({ line_manager: 0, peer: 2, team_member: 0, governor: 1, other: 0 });
  });
});

/**
 * The promise, tried on every way four to nine colleagues can be spread over the groups: each shown
 * figure rests on at least the threshold, and no two shown anonymous figures (nor their sums) differ
 * by fewer raters than the threshold, so nobody's answers can be found by subtraction.
 */
describe('no one can be singled out, whatever the mix of groups', () => {
  function* mixes(total: number, groups: readonly ColleagueGroup[]): Generator<Record<string, number>> {
    if (groups.length === 1) {
      yield { [groups[0]!]: total };
      return;
    }
    for (let n = 0; n <= total; n++) for (const rest of mixes(total - n, groups.slice(1))) yield { [groups[0]!]: n, ...rest };
  }

  for (const threshold of [3, 4]) {
    it(`threshold ${threshold}`, () => {
      let tried = 0;
      for (let total = 1; total <= 9; total++) {
        for (const mix of mixes(total, COLLEAGUE_GROUPS)) {
          const responses = Object.entries(mix).flatMap(([g, n]) => from(g as ColleagueGroup, ...Array.from({ length: n }, (_, i) => 1 + (i % 5))));
          const v = visibleFeedback(responses, { threshold, namedGroups: [] });
          const counts = v.groups.map((g) => g.count);
          for (const c of counts) expect(c).toBeGreaterThanOrEqual(threshold);
          // Shown groups partition the shown raters: every combination of them is a union of
          // whole groups, so the smallest difference between two combinations is a whole group.
          expect(counts.reduce((a, b) => a + b, 0) + v.withheld).toBe(total);
          expect(v.allColleagues?.count ?? 0).toBe(counts.reduce((a, b) => a + b, 0));
          tried++;
        }
      }
      expect(tried).toBeGreaterThan(1000);
    });
  }

  it('one more answer never changes a shown figure by one person’s answers alone when the group is shown both times', () => {
    // Reports open only after a round closes (see rounds), so before-and-after cannot be read in one
    // round. Across rounds the raters answer a new questionnaire: nothing carries from start to end.
    const before = visibleFeedback(from('peer', 4, 4, 4), DEFAULT_POLICY);
    const after = visibleFeedback(from('peer', 4, 4, 4, 1), DEFAULT_POLICY);
    expect(before.groups[0]!.count).toBe(3);
    expect(after.groups[0]!.count).toBe(4);
  });
});
