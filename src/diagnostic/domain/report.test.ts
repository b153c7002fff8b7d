import { describe, expect, it } from 'vitest';
import { type ColleagueResponse, DEFAULT_POLICY, visibleFeedback } from './anonymity';
import { type Answers, type Instrument, SEED_INSTRUMENT, checkAnswers, instrumentSchema, statementsOf } from './instrument';
import { buildReport, growth } from './report';

const all = (i: Instrument, value: number | null): Answers => ({ ratings: Object.fromEntries(statementsOf(i).map((s) => [s.id, value])), comments: {} });

describe('the seeded instrument', () => {
  it('has the seven behaviours of seed 000, each with statements, and passes its own schema', () => {
    expect(SEED_INSTRUMENT.behaviours.map((b) => b.name)).toEqual(['Commitment', 'Collaboration', 'Personal drive', 'Resilience', 'Awareness', 'Integrity', 'Respect']);
    expect(instrumentSchema.safeParse(SEED_INSTRUMENT).success).toBe(true);
    expect(new Set(statementsOf(SEED_INSTRUMENT).map((s) => s.id)).size).toBe(21);
  });

  it('checks answers: every statement rated or "not able to say", values on the scale', () => {
    const partial = { ratings: { 'commitment-1': 4, 'commitment-2': 9 }, comments: {} };
    expect(checkAnswers(SEED_INSTRUMENT, partial, false)).toEqual({ 'commitment-2': 'Choose a rating from the scale for statement 2 under “Commitment”' });
    expect(Object.keys(checkAnswers(SEED_INSTRUMENT, partial, true))).toHaveLength(20);
    expect(checkAnswers(SEED_INSTRUMENT, all(SEED_INSTRUMENT, null), true)).toEqual({});
  });
});

describe('the report', () => {
  const self = all(SEED_INSTRUMENT, 5);
  self.ratings['respect-1'] = 2;
  const colleague = (v: number): Answers => ({ ...all(SEED_INSTRUMENT, v), ratings: { ...all(SEED_INSTRUMENT, v).ratings, 'respect-1': 5, 'awareness-2': null } });

  it('compares self with others by behaviour and group, and finds blind spots and hidden strengths', () => {
    const visible = visibleFeedback([3, 3, 4].map((v) => ({ group: 'peer' as const, answers: colleague(v) })), DEFAULT_POLICY);
    const r = buildReport(SEED_INSTRUMENT, self, visible);
    expect(r.respondents).toBe(3);
    const commitment = r.behaviours.find((b) => b.behaviourId === 'commitment')!;
    expect(commitment).toMatchObject({ self: 5, others: 3.3, byGroup: [{ key: 'peer', label: 'Peers', score: 3.3 }] });
    expect(r.hiddenStrengths.map((s) => s.statementId)).toEqual(['respect-1']);
    expect(r.blindSpots.length).toBe(3);
    expect(r.highest[0]!.statementId).toBe('respect-1');
    // "Not able to say" is left out of the averages, not counted as zero.
    expect(r.statements.find((s) => s.statementId === 'awareness-2')!.others).toBeNull();
  });

  it('shows no colleague scores when too few answered, and the change from start to end', () => {
    const few = buildReport(SEED_INSTRUMENT, self, visibleFeedback([{ group: 'peer', answers: colleague(2) }], DEFAULT_POLICY));
    expect(few.behaviours.every((b) => b.others === null)).toBe(true);
    expect(few.highest).toEqual([]);
    const start = buildReport(SEED_INSTRUMENT, all(SEED_INSTRUMENT, 3), visibleFeedback([2, 2, 2].map((v) => ({ group: 'peer' as const, answers: all(SEED_INSTRUMENT, v) })), DEFAULT_POLICY));
    const end = buildReport(SEED_INSTRUMENT, all(SEED_INSTRUMENT, 4), visibleFeedback([4, 4, 3, 3].map((v) => ({ group: 'team_member' as const, answers: all(SEED_INSTRUMENT, v) })), DEFAULT_POLICY));
    expect(growth(start, end)[0]).toEqual({ behaviourId: 'commitment', name: 'Commitment', othersStart: 2, othersEnd: 3.5, othersChange: 1.5, selfStart: 3, selfEnd: 4, selfChange: 1 });
  });
});

/**
 * Random colleagues from a small deterministic generator (the same every run): a group each, every
 * statement "not able to say" with the given chance or else a point of the scale, a comment half the time.
 */
function colleagues(seed: number, notAbleToSay: number) {
  const random = () => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed / 2 ** 31;
  };
  const groups = ['peer', 'team_member', 'line_manager', 'governor', 'other'] as const;
  const someone = (): ColleagueResponse => ({
    group: groups[Math.floor(random() * groups.length)]!,
    answers: { ratings: Object.fromEntries(statementsOf(SEED_INSTRUMENT).map((s) => [s.id, random() < notAbleToSay ? null : 1 + Math.floor(random() * 5)])), comments: random() < 0.5 ? { strengths: `comment ${Math.floor(random() * 1000)}` } : {} },
  });
  return Object.assign(someone, { random });
}

describe('the report under “not able to say”', () => {
  it('a statement only one colleague rated is in no list: not highest, lowest, blind spots or hidden strengths', () => {
    const others = (v: number, lone: number | null): Answers => ({ ratings: { ...all(SEED_INSTRUMENT, v).ratings, 'respect-3': lone }, comments: {} });
    const visible = visibleFeedback([others(4, 1), others(4, null), others(5, null)].map((answers) => ({ group: 'peer' as const, answers })), DEFAULT_POLICY);
    const r = buildReport(SEED_INSTRUMENT, all(SEED_INSTRUMENT, 5), visible);
    const listed = [...r.highest, ...r.lowest, ...r.blindSpots, ...r.hiddenStrengths].map((s) => s.statementId);
    expect(listed).not.toContain('respect-3');
    expect(r.statements.find((s) => s.statementId === 'respect-3')!.others).toBeNull();
    // The behaviour rests only on its statements shown: the lone 1 does not pull Respect down.
    expect(r.behaviours.find((b) => b.behaviourId === 'respect')!.others).toBe(4.3);
  });

  it('a behaviour or group figure exists only where at least the threshold gave figures, on every statement of every report', () => {
    const someone = colleagues(11, 0.6);
    for (let trial = 0; trial < 300; trial++) {
      const responses: ColleagueResponse[] = Array.from({ length: 1 + Math.floor(someone.random() * 9) }, someone);
      const r = buildReport(SEED_INSTRUMENT, null, visibleFeedback(responses, DEFAULT_POLICY));
      for (const s of r.statements) {
        const gave = responses.filter((x) => typeof x.answers.ratings[s.statementId] === 'number').length;
        if (s.others !== null) expect(gave).toBeGreaterThanOrEqual(DEFAULT_POLICY.threshold);
      }
      for (const b of r.behaviours) if (b.others !== null) expect(r.statements.some((s) => s.behaviourName === b.name && s.others !== null)).toBe(true);
    }
  });
});

describe('who said what cannot be worked out from reports', () => {
  const someone = colleagues(7, 0.1);
  const random = someone.random;

  it('gives the same start report, end report and growth whichever rater in a shown group gave which answers', () => {
    for (let trial = 0; trial < 200; trial++) {
      const start = Array.from({ length: 2 + Math.floor(random() * 8) }, someone);
      const end = [...start.map((r) => ({ ...r, answers: someone().answers })), ...Array.from({ length: Math.floor(random() * 3) }, someone)];
      const report = (rs: typeof start) => buildReport(SEED_INSTRUMENT, all(SEED_INSTRUMENT, 3), visibleFeedback(rs, DEFAULT_POLICY));
      // Swap answers between raters who end up in the same shown group: the reports must not change.
      const swapWithinShownGroups = (rs: typeof start) => {
        const v = visibleFeedback(rs, DEFAULT_POLICY);
        const groupOf = new Map<string, string>();
        for (const g of v.groups) for (const m of g.members) groupOf.set(m, g.key);
        const buckets = new Map<string, typeof start>();
        for (const r of rs) buckets.set(groupOf.get(r.group) ?? `hidden-${r.group}`, [...(buckets.get(groupOf.get(r.group) ?? `hidden-${r.group}`) ?? []), r]);
        return [...buckets.values()].flatMap((b) => b.map((r, i) => ({ ...r, answers: b[(i + 1) % b.length]!.answers })));
      };
      const before = [report(start), report(end)] as const;
      const after = [report(swapWithinShownGroups(start)), report(swapWithinShownGroups(end))] as const;
      expect(after[0]).toEqual(before[0]);
      expect(after[1]).toEqual(before[1]);
      expect(growth(after[0], after[1])).toEqual(growth(before[0], before[1]));
      // Whether a question's comments show depends on which of the raters' own groups wrote (a lone
      // line manager's comment is held back), so comments are the same whoever in each group wrote them.
      const swapWithinOwnGroups = (rs: typeof start) => {
        const buckets = new Map<string, typeof start>();
        for (const r of rs) buckets.set(r.group, [...(buckets.get(r.group) ?? []), r]);
        return [...buckets.values()].flatMap((b) => b.map((r, i) => ({ ...r, answers: b[(i + 1) % b.length]!.answers })));
      };
      expect(visibleFeedback(swapWithinOwnGroups(end), DEFAULT_POLICY).comments).toEqual(visibleFeedback(end, DEFAULT_POLICY).comments);
    }
  });
});
