import { describe, expect, it } from 'vitest';
import { isReleased, newCertificateCode, nextOnPath, outcomeOf, readCertificateCode, readReleaseTerms, releaseRefusal, resitOffered, reviewClosesAt, reviewOpen, scriptResultOf, dfeCompletionDate, outcomeOutAt } from './outcome';

const first = (total: number, result: 'pass' | 'fail', status = 'submitted') => ({ status, total, result });
const none = { not_allocated: 0, marking: 0, awaiting_draw: 0, in_moderation: 0, decided: 0, toRelease: 0 };

describe("a script's result", () => {
  it('is known only once marking and moderation are done', () => {
    expect(scriptResultOf({ allocated: false, first: null, sample: null }).state).toBe('not_allocated');
    expect(scriptResultOf({ allocated: true, first: first(22, 'pass', 'draft'), sample: null }).state).toBe('marking');
    // Marked but not drawn on: the draw may still take it.
    expect(scriptResultOf({ allocated: true, first: first(22, 'pass'), sample: null }).state).toBe('awaiting_draw');
    expect(scriptResultOf({ allocated: true, first: first(22, 'pass'), sample: { reason: null, finalTotal: null, finalResult: null } })).toEqual({ state: 'decided', total: 22, result: 'pass', by: 'first' });
    expect(scriptResultOf({ allocated: true, first: first(12, 'fail'), sample: { reason: 'fail', finalTotal: null, finalResult: null } }).state).toBe('in_moderation');
    expect(scriptResultOf({ allocated: true, first: first(12, 'fail'), sample: { reason: 'fail', finalTotal: 21, finalResult: 'pass' } })).toEqual({ state: 'decided', total: 21, result: 'pass', by: 'moderation' });
  });
});

describe("a participant's outcome", () => {
  const tasks = [{ key: 'task-1' }, { key: 'task-2' }];
  it('is passed when every task passed, failed when all have results and one failed, none while one has none', () => {
    expect(outcomeOf(tasks, new Map([['task-1', 'pass']]))).toBeNull();
    expect(outcomeOf(tasks, new Map([['task-1', 'fail']]))).toBeNull();
    expect(outcomeOf(tasks, new Map([['task-1', 'pass'], ['task-2', 'pass']]))).toBe('passed');
    expect(outcomeOf(tasks, new Map([['task-1', 'pass'], ['task-2', 'fail']]))).toBe('failed');
    expect(outcomeOf([], new Map())).toBeNull();
  });

  it('offers one resit after the first attempt, as the task allows', () => {
    expect(resitOffered({ resits: 1 }, 1)).toBe(true);
    expect(resitOffered({ resits: 1 }, 2)).toBe(false);
    expect(resitOffered({ resits: 0 }, 1)).toBe(false);
  });
});

describe('releasing results', () => {
  it('is refused until moderation has ended, saying what is left', () => {
    expect(releaseRefusal({ ...none, decided: 3, toRelease: 3 })).toBeNull();
    expect(releaseRefusal({ ...none, decided: 3, toRelease: 3, awaiting_draw: 1, in_moderation: 2 })).toBe('Moderation has not ended for this intake: 1 marked but not yet drawn on for moderation (draw the sample), 2 still in moderation.');
    expect(releaseRefusal({ ...none, decided: 3 })).toContain('no results to release');
  });

  it('reads the release day (today or later), the review window and the resit date', () => {
    const today = '2026-11-25';
    expect(readReleaseTerms({ releasesOn: '2026-12-01', reviewDays: '14', resitDueOn: '2027-01-31' }, today)).toEqual({ terms: { releasesOn: '2026-12-01', reviewDays: 14, resitDueOn: '2027-01-31' }, errors: {} });
    expect(readReleaseTerms({ releasesOn: '2026-11-24', reviewDays: '14', resitDueOn: null }, today).errors.releasesOn).toBe('The release date must be today or later');
    expect(readReleaseTerms({ releasesOn: '2028-01-01', reviewDays: '14', resitDueOn: null }, today).errors.releasesOn).toBe('The release date must be within a year of today');
    expect(readReleaseTerms({ releasesOn: '2026-12-01', reviewDays: '91', resitDueOn: null }, today).errors.reviewDays).toContain('from 0 to 90');
    expect(readReleaseTerms({ releasesOn: '2026-12-01', reviewDays: '-1', resitDueOn: null }, today).errors.reviewDays).toBeDefined();
    expect(readReleaseTerms({ releasesOn: '2026-12-01', reviewDays: '0', resitDueOn: '2026-12-01' }, today).errors.resitDueOn).toBe('Resits must be due after the release date');
    expect(readReleaseTerms({ releasesOn: '2026-12-01', reviewDays: '0', resitDueOn: '9999-12-31' }, today).errors.resitDueOn).toBe('Resits must be due within a year of the release date');
    expect(readReleaseTerms({ releasesOn: '2027-11-25', reviewDays: '0', resitDueOn: null }, today).errors.releasesOn).toBeUndefined();
    expect(readReleaseTerms({ releasesOn: '2027-11-26', reviewDays: '0', resitDueOn: null }, today).errors.releasesOn).toBeDefined();
  });

  it('is seen from the start of the release day in the UK, and a review asked for to the end of the window', () => {
    // 1 June is in British Summer Time: the day starts at 23:00 UTC the evening before.
    expect(isReleased('2027-06-01', new Date('2027-05-31T22:59:59Z'))).toBe(false);
    expect(isReleased('2027-06-01', new Date('2027-05-31T23:00:00Z'))).toBe(true);
    const terms = { releasesOn: '2027-06-01', reviewDays: 14 };
    expect(reviewClosesAt(terms)?.toISOString()).toBe('2027-06-15T23:00:00.000Z');
    expect(reviewOpen(terms, new Date('2027-06-15T22:00:00Z'))).toBe(true);
    expect(reviewOpen(terms, new Date('2027-06-15T23:00:00Z'))).toBe(false);
    expect(reviewOpen({ releasesOn: '2027-06-01', reviewDays: 0 }, new Date('2027-06-02T10:00:00Z'))).toBe(false);
  });
});

describe("a certificate's code", () => {
  it('is NPQ- and three groups of four from an alphabet with nothing to misread', () => {
    const codes = new Set(Array.from({ length: 500 }, () => newCertificateCode()));
    expect(codes.size).toBe(500);
    for (const c of codes) expect(c).toMatch(/^NPQ-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/);
  });

  it('is read as typed: any case, spaces, O for 0 and I or L for 1', () => {
    expect(readCertificateCode(' npq-7k2m 9xqd-4tpa ')).toBe('NPQ-7K2M-9XQD-4TPA');
    expect(readCertificateCode('NPQ-7K2M-9XQD-4TPO')).toBe('NPQ-7K2M-9XQD-4TP0');
    expect(readCertificateCode('NPQ-IK2M-9XQD-4TPL')).toBe('NPQ-1K2M-9XQD-4TP1');
    expect(readCertificateCode('NPQ-7K2M-9XQD')).toBeNull();
    expect(readCertificateCode("' or 1=1 --")).toBeNull();
    expect(readCertificateCode('NPQ-UUUU-9XQD-4TPA')).toBeNull();
  });
});

describe('the progression path', () => {
  it('suggests the next leadership NPQ, and Senior Leadership after a specialist one', () => {
    expect(nextOnPath('NPQML', 'leadership')).toBe('NPQSL');
    expect(nextOnPath('NPQSL', 'leadership')).toBe('NPQH');
    expect(nextOnPath('NPQH', 'leadership')).toBe('NPQEL');
    expect(nextOnPath('NPQEL', 'leadership')).toBeNull();
    expect(nextOnPath('NPQLT', 'specialist')).toBe('NPQSL');
  });
});

describe('when an outcome comes out (issue 12 item 8)', () => {
  const at = (iso: string) => new Date(iso);
  it('is when it is recorded, or the start of the UK day its results come out if later', () => {
    expect(outcomeOutAt(at('2026-11-25T10:00:00Z'), { resultsOutOn: '2026-12-01', previousOutAt: null })).toEqual(at('2026-12-01T00:00:00Z'));
    expect(outcomeOutAt(at('2026-12-03T10:00:00Z'), { resultsOutOn: '2026-12-01', previousOutAt: null })).toEqual(at('2026-12-03T10:00:00Z'));
    // In summer the UK day starts at 23:00 UTC the day before.
    expect(outcomeOutAt(at('2026-06-01T10:00:00Z'), { resultsOutOn: '2026-07-01', previousOutAt: null })).toEqual(at('2026-06-30T23:00:00Z'));
  });

  it('waits for a resit released later, and never comes out before the place’s previous outcome', () => {
    // A review decided on 5 December rests on a resit released on 20 December: it waits for it.
    expect(outcomeOutAt(at('2026-12-05T10:00:00Z'), { resultsOutOn: '2026-12-20', previousOutAt: at('2026-12-01T00:00:00Z') })).toEqual(at('2026-12-20T00:00:00Z'));
    // An outcome appended after one still to come out comes out with it, not before: the last out stands.
    expect(outcomeOutAt(at('2026-12-05T10:00:00Z'), { resultsOutOn: '2026-12-01', previousOutAt: at('2026-12-20T00:00:00Z') })).toEqual(at('2026-12-20T00:00:00Z'));
  });

  it('writes the completion date as DfE does', () => {
    expect(dfeCompletionDate('2026-12-01')).toBe('2026-12-01T00:00:00+00:00');
  });
});
