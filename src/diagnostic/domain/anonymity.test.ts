import { describe, expect, it } from 'vitest';
import { type AnonymityPolicy, type ColleagueResponse, cohortDistribution, DEFAULT_POLICY, progressShown, visibleFeedback } from './anonymity';
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

  it('gives progress only as a total, and only once at least the threshold have answered', () => {
    expect(progressShown(0, DEFAULT_POLICY)).toBeNull();
    expect(progressShown(2, DEFAULT_POLICY)).toBeNull();
    expect(progressShown(3, DEFAULT_POLICY)).toBe(3);
    expect(progressShown(3, { threshold: 4, namedGroups: [] })).toBeNull();
  });

  it('shows a cohort’s figures only across at least the minimum of participants', () => {
    expect(cohortDistribution([2.9], 3)).toEqual({ n: 1, mean: null, min: null, max: null });
    expect(cohortDistribution([2.9, 3.1], 3)).toEqual({ n: 2, mean: null, min: null, max: null });
    expect(cohortDistribution([2.9, 3.1, 4], 3)).toEqual({ n: 3, mean: 3.3, min: 2.9, max: 4 });
  });
});

describe('only people who gave a figure count', () => {
  const notAble = (comment = ''): Answers => ({ ratings: { s1: null, s2: null }, comments: comment ? { strengths: comment } : {} });
  const rated = (s1: number | null, s2: number | null, comment = ''): Answers => ({ ratings: { s1, s2 }, comments: comment ? { strengths: comment } : {} });

  it('a line manager and two addresses answering “not able to say” throughout show nothing, not “Other colleagues (3)”', () => {
    const v = visibleFeedback(
      [
        { group: 'line_manager', answers: rated(2, 1, 'Needs to delegate more') },
        { group: 'peer', answers: notAble() },
        { group: 'peer', answers: notAble() },
      ],
      DEFAULT_POLICY,
    );
    expect(v.groups).toEqual([]);
    expect(v.allColleagues).toBeNull();
    expect(v.comments).toEqual({});
    expect(v.withheld).toBe(3);
  });

  it('a statement only one colleague rated has no figure, for the group or for colleagues together', () => {
    const v = visibleFeedback([{ group: 'peer', answers: rated(4, 1) }, { group: 'peer', answers: rated(4, null) }, { group: 'peer', answers: rated(5, null) }], DEFAULT_POLICY);
    expect(v.groups[0]!.figures).toEqual({ s1: [4, 4, 5] });
    expect(v.allColleagues!.figures).toEqual({ s1: [4, 4, 5] });
  });

  it('a named group’s figures show whatever their number, as its raters were told', () => {
    const v = visibleFeedback([{ group: 'line_manager', answers: rated(2, null) }], { threshold: 3, namedGroups: ['line_manager'] });
    expect(v.groups.map((g) => [g.key, g.figures])).toEqual([['line_manager', { s1: [2] }]]);
  });
});

describe('comments', () => {
  const said = (group: ColleagueGroup, text: string): ColleagueResponse => ({ group, answers: { ratings: { s1: 3 }, comments: text ? { strengths: text } : {} } });

  it('a lone line manager’s comment, folded in with colleagues who wrote nothing, is not shown', () => {
    const v = visibleFeedback([said('line_manager', 'Needs to delegate more'), said('peer', ''), said('peer', '')], DEFAULT_POLICY);
    expect(v.groups.map((g) => [g.key, g.count])).toEqual([['others', 3]]);
    expect(v.comments).toEqual({});
  });

  it('comments from groups that together hold at least the threshold are shown, sorted, once at least the threshold wrote one', () => {
    const v = visibleFeedback([said('line_manager', 'Needs to delegate more'), said('peer', 'Calm'), said('peer', 'Listens')], DEFAULT_POLICY);
    expect(v.comments.strengths).toEqual(['Calm', 'Listens', 'Needs to delegate more']);
  });

  it('one invented comment beside a line manager’s does not unlock his: only those who wrote count', () => {
    const v = visibleFeedback([said('line_manager', 'Stop micromanaging'), said('peer', 'fake comment'), said('peer', ''), said('peer', '')], DEFAULT_POLICY);
    expect(v.comments.strengths).toBeUndefined();
  });

  it('a whole group of at least the threshold may be the only one that wrote', () => {
    const v = visibleFeedback([said('peer', 'Calm'), said('peer', 'Kind'), said('peer', 'Clear'), said('line_manager', '')], DEFAULT_POLICY);
    expect(v.comments.strengths).toEqual(['Calm', 'Clear', 'Kind']);
    const one = visibleFeedback([said('peer', 'Calm'), said('peer', ''), said('peer', ''), said('line_manager', '')], DEFAULT_POLICY);
    expect(one.comments.strengths).toBeUndefined();
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

    it(`threshold ${threshold}, with “not able to say” answers: every figure rests on at least the threshold who gave one`, () => {
      // Each rater answers three statements; which they leave "not able to say" cycles through every
      // pattern, so every spread meets raters who rate all, some or none of them.
      const patterns: (number | null)[][] = [];
      for (let m = 0; m < 8; m++) patterns.push([0, 1, 2].map((k) => (m & (1 << k) ? null : 1 + ((m + k) % 5))));
      let tried = 0;
      for (let total = 1; total <= 8; total++) {
        for (const mix of mixes(total, COLLEAGUE_GROUPS)) {
          for (let shift = 0; shift < 8; shift += 4) {
            let k = shift;
            const responses: ColleagueResponse[] = Object.entries(mix).flatMap(([g, n]) =>
              Array.from({ length: n }, () => {
                const p = patterns[k++ % patterns.length]!;
                return { group: g as ColleagueGroup, answers: { ratings: { a: p[0]!, b: p[1]!, c: p[2]! }, comments: { strengths: `said by ${g}` } } };
              }),
            );
            const v = visibleFeedback(responses, { threshold, namedGroups: [] });
            const raters = new Set<string>();
            for (const g of v.groups) {
              expect(g.count).toBeGreaterThanOrEqual(threshold);
              for (const figures of Object.values(g.figures)) expect(figures.length).toBeGreaterThanOrEqual(threshold);
              for (const m of g.members) raters.add(m);
            }
            for (const [id, pool] of Object.entries(v.allColleagues?.figures ?? {})) {
              const inGroups = v.groups.reduce((n, g) => n + (g.figures[id]?.length ?? 0), 0);
              // Colleagues together minus the groups shown is nothing, or itself at least the threshold.
              expect(pool.length - inGroups === 0 || pool.length - inGroups >= threshold).toBe(true);
              expect(pool.length).toBeGreaterThanOrEqual(threshold);
            }
            // Comments come only from groups holding at least the threshold of those shown.
            const shownByOrigin = responses.filter((r) => raters.has(r.group) && Object.values(r.answers.ratings).some((x) => x !== null));
            for (const text of v.comments.strengths ?? []) {
              const origin = text.replace('said by ', '') as ColleagueGroup;
              expect(shownByOrigin.length).toBeGreaterThanOrEqual(threshold);
              expect(shownByOrigin.some((r) => r.group === origin)).toBe(true);
            }
            const writers = new Set((v.comments.strengths ?? []).map((t) => t.replace('said by ', '')));
            if (writers.size) expect(shownByOrigin.filter((r) => writers.has(r.group)).length).toBeGreaterThanOrEqual(threshold);
            tried++;
          }
        }
      }
      expect(tried).toBeGreaterThan(1000);
    });
  }

  it('progress while open depends on the total alone: never on which groups answered, and never below the threshold', () => {
    for (const threshold of [3, 4]) {
      const policy = { threshold, namedGroups: ['line_manager'] as ColleagueGroup[] };
      for (let total = 0; total <= 9; total++) {
        const shown = new Set<number | null>();
        for (const mix of mixes(total, COLLEAGUE_GROUPS)) {
          const responses = Object.entries(mix).flatMap(([g, n]) => from(g as ColleagueGroup, ...Array.from({ length: n }, () => 3)));
          shown.add(progressShown(responses.length, policy));
        }
        expect(shown.size).toBe(1);
        const [only] = [...shown];
        expect(only === null || (only ?? 0) >= threshold).toBe(true);
      }
    }
  });

  it('one more answer never changes a shown figure by one person’s answers alone when the group is shown both times', () => {
    // Reports open only after a round closes (see rounds), so before-and-after cannot be read in one
    // round. Across rounds the raters answer a new questionnaire: nothing carries from start to end.
    const before = visibleFeedback(from('peer', 4, 4, 4), DEFAULT_POLICY);
    const after = visibleFeedback(from('peer', 4, 4, 4, 1), DEFAULT_POLICY);
    expect(before.groups[0]!.count).toBe(3);
    expect(after.groups[0]!.count).toBe(4);
  });
});
