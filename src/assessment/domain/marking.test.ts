import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { allocateEvenly, type AssessorLoad, conflictOf, isCandidateNumber, newCandidateNumber, type ScriptTies } from './allocation';
import { ASSESSMENT_SPECS } from './assessment-spec';
import { mermaidPage } from '../../platform/workflow';
import { bandOf, MARK_COMMENT_MAX, MARKING_WORKFLOW, NPQH_TASK_1_SCHEME, readMarks, resultOf } from './mark-scheme';
import { agreementOf, beyondTolerance, DEFAULT_SAMPLE_RULES, drawSample, MODERATION_WORKFLOW, type MarkedScript, readSampleRules, type SampleRules } from './moderation';

const scheme = NPQH_TASK_1_SCHEME;
const marksOf = (...m: (number | null)[]) => Object.fromEntries(scheme.criteria.map((c, i) => [c.key, { mark: m[i] ?? null, comment: 'Because.' }]));

describe('mark schemes as data (issue 12 item 4)', () => {
  it('gives every assessed task criteria with grade descriptors covering every mark once', () => {
    for (const spec of ASSESSMENT_SPECS)
      for (const task of spec.tasks) {
        expect(task.markScheme.criteria.length).toBeGreaterThan(0);
        for (const c of task.markScheme.criteria) for (let m = 0; m <= c.maxMarks; m++) expect(c.descriptors.filter((d) => m >= d.from && m <= d.to)).toHaveLength(1);
      }
  });

  it('passes on the total and every criterion met, and says which criteria fall short', () => {
    expect(resultOf(scheme, marksOf(5, 5, 5, 5))).toEqual({ total: 20, complete: true, result: 'pass', shortOn: [] });
    expect(resultOf(scheme, marksOf(5, 5, 5, 4)).result).toBe('fail');
    // A strong total does not carry a criterion the account leaves out.
    expect(resultOf(scheme, marksOf(10, 10, 10, 3))).toMatchObject({ total: 33, result: 'fail', shortOn: ['reflection'] });
    expect(resultOf(scheme, marksOf(7, 7, null, null))).toMatchObject({ total: 14, complete: false, result: null });
  });

  it('names the band a mark falls in', () => {
    expect(bandOf(scheme.criteria[0]!, 0)?.band).toBe('Not evidenced');
    expect(bandOf(scheme.criteria[0]!, 4)?.band).toBe('Met');
    expect(bandOf(scheme.criteria[0]!, 10)?.band).toBe('Exceptional');
  });

  it('reads a draft with gaps, but submitting needs every mark, a comment on each criterion and overall', () => {
    const draft = readMarks(scheme, { 'mark-design': '6', 'comment-design': ' Clear diagnosis. ' }, false);
    expect(draft.errors).toEqual({});
    expect(draft.marks.design).toEqual({ mark: 6, comment: 'Clear diagnosis.' });
    expect(draft.marks.evaluation).toEqual({ mark: null, comment: '' });
    const submitted = readMarks(scheme, { 'mark-design': '6', 'comment-design': 'Clear.' }, true);
    expect(Object.keys(submitted.errors).sort()).toEqual(['comment-evaluation', 'comment-implementation', 'comment-reflection', 'mark-evaluation', 'mark-implementation', 'mark-reflection', 'overall']);
  });

  it('refuses marks that are not whole numbers within the criterion, and comments too long, even in a draft', () => {
    for (const bad of ['11', '-1', '4.5', 'six', '1e1', '0x4']) expect(readMarks(scheme, { 'mark-design': bad }, false).errors['mark-design']).toBe('The mark for “Designing the change” must be a whole number from 0 to 10');
    expect(readMarks(scheme, { 'comment-design': 'x'.repeat(MARK_COMMENT_MAX + 1) }, false).errors['comment-design']).toContain('3,000 characters or fewer');
    expect(readMarks(scheme, { 'mark-design': ['4', '9'] }, false).marks.design!.mark).toBe(4);
  });
});

const assessor = (userId: string, load = 0, partners: string[] = []): AssessorLoad => ({ userId, name: userId, partnerIds: new Set(partners), load });
const script = (submissionId: string, partner: string | null, taughtBy: string[] = [], writtenBy: string | null = null): ScriptTies => ({ submissionId, deliveryPartnerIds: new Set(partner ? [partner] : []), taughtBy: new Set(taughtBy), writtenBy });

describe('allocating scripts (issue 12 item 4)', () => {
  it('never gives an assessor a script of their own delivery partner, or of someone they taught or coached', () => {
    expect(conflictOf(assessor('a', 0, ['p1']), script('s', 'p1'))).toBe('own_partner');
    expect(conflictOf(assessor('a'), script('s', 'p1', ['a']))).toBe('taught');
    // Someone who is both a participant and an assessor never marks their own script.
    expect(conflictOf(assessor('a'), script('s', null, [], 'a'))).toBe('own_script');
    expect(conflictOf(assessor('a', 0, ['p2']), script('s', 'p1', ['b']))).toBeNull();
    const plan = allocateEvenly([script('s1', 'p1', ['b']), script('s2', 'p1'), script('s3', 'p2', ['c'])], [assessor('a', 0, ['p1']), assessor('b'), assessor('c')]);
    const to = new Map(plan.allocations.map((x) => [x.submissionId, x.assessorUserId]));
    expect(to.get('s1')).toBe('c');
    expect(to.get('s3')).toBe('a');
    expect(['b', 'c']).toContain(to.get('s2'));
  });

  it('shares scripts evenly, counting what each holds already, and the same inputs give the same shares', () => {
    const scripts = Array.from({ length: 10 }, (_, i) => script(`s${String(i).padStart(2, '0')}`, 'p9'));
    const plan = allocateEvenly(scripts, [assessor('a', 2), assessor('b'), assessor('c')]);
    const count = (id: string) => plan.allocations.filter((x) => x.assessorUserId === id).length;
    // 12 in all with a's two: four each.
    expect([count('a'), count('b'), count('c')]).toEqual([2, 4, 4]);
    expect(allocateEvenly([...scripts].reverse(), [assessor('c'), assessor('a', 2), assessor('b')])).toEqual(plan);
  });

  it('leaves a script no one is free to mark unallocated, and says so', () => {
    const plan = allocateEvenly([script('s1', 'p1'), script('s2', 'p2')], [assessor('a', 0, ['p1'])]);
    expect(plan).toEqual({ allocations: [{ submissionId: 's2', assessorUserId: 'a' }], unallocated: ['s1'] });
    expect(allocateEvenly([script('s1', null)], [])).toEqual({ allocations: [], unallocated: ['s1'] });
  });

  it('draws candidate numbers that say nothing of the candidate, in a shape routes can check', () => {
    const drawn = new Set(Array.from({ length: 500 }, () => newCandidateNumber()));
    expect(drawn.size).toBe(500);
    for (const n of drawn) expect(isCandidateNumber(n)).toBe(true);
    expect(newCandidateNumber(() => 0)).toBe('C-222222');
    for (const bad of ['C-22222', 'C-2222220', 'c-222222', 'C-O22222', 'C-122222', '../C-222222']) expect(isCandidateNumber(bad)).toBe(false);
  });
});

describe('the marking workflow', () => {
  it('has its diagram in docs/workflows/ as the table stands', () => {
    const file = join(process.cwd(), 'docs', 'workflows', 'marking.md');
    const page = mermaidPage(MARKING_WORKFLOW, 'UPDATE_DIAGRAMS=1 npx vitest run src/assessment/domain/marking.test.ts');
    if (process.env.UPDATE_DIAGRAMS) writeFileSync(file, page);
    expect(existsSync(file) ? readFileSync(file, 'utf8') : '', 'docs/workflows/marking.md is stale').toBe(page);
  });
});

const marked = (submissionId: string, assessorUserId: string, total: number, assessorOrder: number): MarkedScript => ({ submissionId, assessorUserId, total, result: total >= 20 ? 'pass' : 'fail', passMark: 20, assessorOrder });
// A fixed sequence in [0, 1): the draw is pure, so a test repeats it.
const seq = (...xs: number[]) => {
  let i = 0;
  return () => xs[i++ % xs.length]!;
};

describe('drawing the moderation sample (issue 12 item 5)', () => {
  const rules: SampleRules = { ...DEFAULT_SAMPLE_RULES, borderlineWithin: 2, newAssessorFirst: 2, randomPercent: 25, atLeastOnePerAssessor: true };

  it('takes every fail, every borderline, a new assessor’s first, then a random share of the rest, saying why', () => {
    const scripts = [marked('fail', 'a', 12, 10), marked('border-low', 'a', 18, 11), marked('border-high', 'a', 22, 12), marked('new-1', 'b', 30, 1), marked('new-2', 'b', 31, 2), ...Array.from({ length: 8 }, (_, i) => marked(`rest-${i}`, 'a', 30 + (i % 5), 13 + i))];
    const sample = drawSample(scripts, rules, seq(0.5, 0.1, 0.9, 0.3));
    expect(sample.get('fail')).toBe('fail');
    // A borderline fail is taken as a fail: the first rule that takes it is the one given.
    expect(sample.get('border-low')).toBe('fail');
    expect(sample.get('border-high')).toBe('borderline');
    expect(sample.get('new-1')).toBe('new_assessor');
    expect(sample.get('new-2')).toBe('new_assessor');
    // 25% of the eight left, rounded up: two.
    expect([...sample.values()].filter((r) => r === 'random')).toHaveLength(2);
    expect(sample.size).toBe(7);
  });

  it('takes at least one of every assessor, and none when the rules say so', () => {
    const scripts = [marked('a1', 'a', 35, 20), marked('a2', 'a', 36, 21), marked('c1', 'c', 33, 20)];
    const none = { ...rules, everyFail: false, borderlineWithin: 0, newAssessorFirst: 0, randomPercent: 0 };
    const sample = drawSample(scripts, none, seq(0.2));
    expect(new Set([...sample.keys()].map((k) => k[0]))).toEqual(new Set(['a', 'c']));
    expect([...sample.values()]).toEqual(['per_assessor', 'per_assessor']);
    expect(drawSample(scripts, { ...none, atLeastOnePerAssessor: false }, seq(0.2)).size).toBe(0);
    expect(drawSample(scripts, { ...none, randomPercent: 100 }, seq(0.2)).size).toBe(3);
  });

  it('sends totals further apart than the tolerance to a third marker', () => {
    expect(beyondTolerance(24, 28, 4)).toBe(false);
    expect(beyondTolerance(24, 29, 4)).toBe(true);
    expect(beyondTolerance(29, 24, 4)).toBe(true);
  });

  it('reads the rules from the admin’s form, refusing numbers out of range', () => {
    expect(readSampleRules({ everyFail: 'yes', borderlineWithin: '3', newAssessorFirst: '5', randomPercent: '10', atLeastOnePerAssessor: 'no', tolerance: '4' })).toEqual({ rules: { everyFail: true, borderlineWithin: 3, newAssessorFirst: 5, randomPercent: 10, atLeastOnePerAssessor: false, tolerance: 4 }, errors: {} });
    const wrong = readSampleRules({ borderlineWithin: '-1', newAssessorFirst: '51', randomPercent: '101', tolerance: 'four' });
    expect(Object.keys(wrong.errors).sort()).toEqual(['borderlineWithin', 'newAssessorFirst', 'randomPercent', 'tolerance']);
    expect(wrong.errors.randomPercent).toBe('The random share must be a whole number from 0 to 100');
  });
});

describe('agreement between first marks and moderation (issue 12 item 5)', () => {
  const pair = (first: number, final: number) => ({ first: { total: first, result: first >= 20 ? ('pass' as const) : ('fail' as const) }, final: { total: final, result: final >= 20 ? ('pass' as const) : ('fail' as const) } });

  it('gives exact agreement, the mean difference and Cohen’s kappa on pass and fail', () => {
    // Results: pass/pass, pass/fail, fail/fail, fail/fail. Observed 3/4; chance .5 × .25 + .5 × .75 = .5; kappa (.75 − .5) / .5 = .5.
    const a = agreementOf([pair(25, 25), pair(22, 18), pair(15, 15), pair(10, 12)]);
    expect(a.scripts).toBe(4);
    expect(a.exactAgreement).toBe(0.5);
    expect(a.meanDifference).toBe(-0.5);
    expect(a.kappa).toBeCloseTo(0.5, 10);
  });

  it('is 1 when every result agrees with some passes and some fails, and −1 when every one is turned over', () => {
    expect(agreementOf([pair(25, 26), pair(15, 12)]).kappa).toBe(1);
    expect(agreementOf([pair(25, 15), pair(15, 25)]).kappa).toBe(-1);
  });

  it('cannot work kappa out when both markings gave every script one result, nor with nothing moderated; the rest still stand', () => {
    // Chance alone agrees every time (1 × 1 + 0 × 0 = 1): kappa is 0 ÷ 0, not perfect agreement.
    expect(agreementOf([pair(25, 26), pair(30, 30)])).toEqual({ scripts: 2, exactAgreement: 0.5, meanDifference: 0.5, kappa: null });
    expect(agreementOf([pair(10, 12), pair(5, 5), pair(15, 15)]).kappa).toBeNull();
    expect(agreementOf([pair(25, 25)]).kappa).toBeNull();
    expect(agreementOf([])).toEqual({ scripts: 0, exactAgreement: null, meanDifference: null, kappa: null });
  });

  it('is 0 when only one side gave every script the same result, however often they agreed', () => {
    // First marks all passes, one failed in moderation: observed .75, chance 1 × .75 = .75, kappa 0.
    const a = agreementOf([pair(25, 25), pair(26, 26), pair(30, 30), pair(21, 18)]);
    expect(a.exactAgreement).toBe(0.75);
    expect(a.kappa).toBe(0);
  });

  it('has its diagram in docs/workflows/ as the table stands', () => {
    const file = join(process.cwd(), 'docs', 'workflows', 'moderation.md');
    const page = mermaidPage(MODERATION_WORKFLOW, 'UPDATE_DIAGRAMS=1 npx vitest run src/assessment/domain/marking.test.ts');
    if (process.env.UPDATE_DIAGRAMS) writeFileSync(file, page);
    expect(existsSync(file) ? readFileSync(file, 'utf8') : '', 'docs/workflows/moderation.md is stale').toBe(page);
  });
});
