import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { allocateEvenly, type AssessorLoad, conflictOf, isCandidateNumber, newCandidateNumber, type ScriptTies } from './allocation';
import { ASSESSMENT_SPECS } from './assessment-spec';
import { mermaidPage } from '../../platform/workflow';
import { bandOf, MARK_COMMENT_MAX, MARKING_WORKFLOW, NPQH_TASK_1_SCHEME, readMarks, resultOf } from './mark-scheme';

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
const script = (submissionId: string, partner: string | null, taughtBy: string[] = []): ScriptTies => ({ submissionId, deliveryPartnerId: partner, taughtBy: new Set(taughtBy) });

describe('allocating scripts (issue 12 item 4)', () => {
  it('never gives an assessor a script of their own delivery partner, or of someone they taught or coached', () => {
    expect(conflictOf(assessor('a', 0, ['p1']), script('s', 'p1'))).toBe('own_partner');
    expect(conflictOf(assessor('a'), script('s', 'p1', ['a']))).toBe('taught');
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
