import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { mermaidPage } from '../../platform/workflow';
import { caseStudyDueOn, limitCheck, SUBMISSION_WORKFLOW, windowStateOf } from './submission';
import { ASSESSMENT_SPECS, assessmentSpecFor, isAssessed, tasksNeeding } from './assessment-spec';
import { expectedProjectMinutes, placementDaysSummary } from './evidence';
import { finalAssessmentDeadline, pausesOf } from './final-assessment-clock';
import { bankHolidaysIn, isWorkingDay, workingDaysIn, workingDaysOf } from './working-days';
import { type AccountBlock, countAccount, sectionOf, wordsIn } from './word-count';

describe('assessment as data (issue 12 item 1)', () => {
  it('seeds NPQH’s two tasks from seeds 000 and 001: a 4,000-word project with a board, a nine-day placement with a board and 2,500 words', () => {
    const npqh = assessmentSpecFor('npq-headship', '2026-09-07')!;
    expect(npqh.tasks.map((t) => [t.key, t.wordLimit, t.evidence, t.minimumTerms ?? null, t.minimumPlacementDays ?? null])).toEqual([
      ['task-1', 4000, ['project_log', 'board_presentation'], 2, null],
      ['task-2', 2500, ['placement', 'board_presentation'], null, 9],
    ]);
    expect(npqh.passWithinMonths).toBe(18);
    expect(npqh.projectMinutesPerWeek).toBe(120);
    expect(tasksNeeding(npqh, 'placement').map((t) => t.key)).toEqual(['task-2']);
  });

  it('gives NPQEL a 2,500-word reflection (seed 003) and a reformed NPQ a case study in an 8-day window, 3 questions, one resit', () => {
    expect(assessmentSpecFor('npq-executive-leadership', '2026-09-01')!.tasks.map((t) => [t.title, t.wordLimit])).toEqual([['Case-study reflection', 2500]]);
    const [caseStudy] = assessmentSpecFor('npq-leading-teaching', '2026-09-01')!.tasks;
    expect(caseStudy).toMatchObject({ wordLimit: 1500, window: { days: 8, questions: 3 }, resits: 1, wordCount: { overLimit: 'refuse' } });
    expect(isAssessed('npq-early-headship-coaching-offer')).toBe(false);
    expect(assessmentSpecFor('npq-early-headship-coaching-offer', '2026-09-01')).toBeUndefined();
  });

  it('holds a participant to the version in force when their intake started, never a later one', () => {
    const v2 = { ...ASSESSMENT_SPECS.find((s) => s.qualification === 'npq-headship')!, version: '2027', from: '2027-09-01' };
    const specs = [...ASSESSMENT_SPECS, v2];
    expect(assessmentSpecFor('npq-headship', '2027-08-31', specs)!.version).toBe('2017');
    expect(assessmentSpecFor('npq-headship', '2027-09-01', specs)!.version).toBe('2027');
    expect(assessmentSpecFor('npq-headship', '2010-01-01', specs)).toBeUndefined();
  });
});

describe('the final assessment clock: 18 months, paused by deferral (seed 001; issue 12 item 1)', () => {
  it('is 18 calendar months from the start with no deferral', () => {
    expect(finalAssessmentDeadline('2026-09-07', 18, [], '2026-11-25')).toEqual({ passBy: '2028-03-07', pausedDays: 0, paused: false });
    // Calendar months, never days: 31 August plus 18 months is the last day of February.
    expect(finalAssessmentDeadline('2026-08-31', 18, [], '2026-11-25').passBy).toBe('2028-02-29');
  });

  it('adds every day deferred, and keeps moving while a deferral is open', () => {
    const pauses = pausesOf([
      { toStatus: 'active', on: '2026-09-07' },
      { toStatus: 'deferred', on: '2026-10-01' },
      { toStatus: 'active', on: '2026-10-31' },
      { toStatus: 'deferred', on: '2026-11-20' },
    ]);
    expect(pauses).toEqual([
      { from: '2026-10-01', to: '2026-10-31' },
      { from: '2026-11-20', to: null },
    ]);
    expect(finalAssessmentDeadline('2026-09-07', 18, pauses, '2026-11-25')).toEqual({ passBy: '2028-04-11', pausedDays: 35, paused: true });
    expect(finalAssessmentDeadline('2026-09-07', 18, pauses, '2026-11-26').passBy).toBe('2028-04-12');
  });

  it('ignores a second deferral while deferred, and a withdrawal ends a pause', () => {
    expect(pausesOf([{ toStatus: 'deferred', on: '2026-10-01' }, { toStatus: 'deferred', on: '2026-10-05' }, { toStatus: 'withdrawn', on: '2026-10-11' }])).toEqual([{ from: '2026-10-01', to: '2026-10-11' }]);
  });
});

describe('working days in England (issue 12 item 2)', () => {
  it('takes bank holidays from the holiday library, substitute days included', () => {
    expect([...bankHolidaysIn(2026)].sort()).toEqual(['2026-01-01', '2026-04-03', '2026-04-06', '2026-05-04', '2026-05-25', '2026-08-31', '2026-12-25', '2026-12-26', '2026-12-28']);
    expect(isWorkingDay('2026-12-28')).toBe(false);
    expect(isWorkingDay('2026-12-29')).toBe(true);
    expect(isWorkingDay('2026-11-28')).toBe(false);
  });

  it('counts a period spanning a bank holiday and a weekend without them', () => {
    // Thursday 27 August to Friday 4 September 2026: the weekend and Monday 31 August's bank holiday are left out.
    expect(workingDaysIn('2026-08-27', '2026-09-04')).toEqual(['2026-08-27', '2026-08-28', '2026-09-01', '2026-09-02', '2026-09-03', '2026-09-04']);
    expect(workingDaysIn('2026-12-21', '2027-01-01')).toEqual(['2026-12-21', '2026-12-22', '2026-12-23', '2026-12-24', '2026-12-29', '2026-12-30', '2026-12-31']);
    expect(workingDaysIn('2026-11-28', '2026-11-29')).toEqual([]);
    expect(workingDaysIn('2026-11-20', '2026-11-19')).toEqual([]);
  });

  it('counts nine days spread over weeks once each, however the periods overlap', () => {
    const days = workingDaysOf([
      { from: '2026-08-27', to: '2026-09-04' },
      { from: '2026-11-16', to: '2026-11-18' },
      { from: '2026-11-17', to: '2026-11-17' },
    ]);
    expect(days).toHaveLength(9);
    expect(placementDaysSummary(days, days.slice(0, 6), days.slice(6), 9)).toEqual({ recorded: 9, confirmed: 6, awaiting: 3, minimum: 9, enough: false });
    expect(placementDaysSummary(days, [...days, '2026-01-05'], [], 9)).toMatchObject({ confirmed: 9, enough: true });
  });
});

describe('project time expected (seed 000: two hours a week)', () => {
  it('is the weekly minutes for each whole week since the start, none before it', () => {
    expect(expectedProjectMinutes('2026-09-07', '2026-09-07', 120)).toBe(0);
    expect(expectedProjectMinutes('2026-09-07', '2026-09-13', 120)).toBe(0);
    expect(expectedProjectMinutes('2026-09-07', '2026-09-14', 120)).toBe(120);
    expect(expectedProjectMinutes('2026-09-07', '2026-11-25', 120)).toBe(11 * 120);
    expect(expectedProjectMinutes('2026-12-01', '2026-11-25', 120)).toBe(0);
  });
});

describe('counting words as LibreOffice does (issue 12 item 3)', () => {
  it('splits on white space and on em and en dashes, and counts any run, punctuation alone included', () => {
    // Each figure is what LibreOffice 7.4's word count gives for the same text.
    expect(['a — b', 'a & b', 'a - b', 'a–b', 'a / b', 'a/b', '“quoted” (paren) [1]', 'x … y', 'e.g. i.e.', '2024/25', 'it’s', '', '  \n\t '].map(wordsIn)).toEqual([2, 3, 3, 2, 3, 1, 3, 3, 2, 1, 1, 0, 0]);
  });

  it('leaves out what the rule says, from a heading naming references or appendices to the next heading as high', () => {
    const blocks: AccountBlock[] = [
      { kind: 'heading', level: 1, text: 'My project' },
      { kind: 'paragraph', text: 'one two three four' },
      { kind: 'table', text: 'cell words' },
      { kind: 'heading', level: 1, text: 'References' },
      { kind: 'paragraph', text: 'Smith (2020) A book.' },
      { kind: 'heading', level: 2, text: 'Further reading' },
      { kind: 'paragraph', text: 'Jones (2021).' },
      { kind: 'heading', level: 1, text: 'Appendix 1: data' },
      { kind: 'paragraph', text: 'a b c' },
      { kind: 'footnote', text: 'note words' },
    ];
    expect(countAccount(blocks, [])).toEqual({ total: 25, counted: 25, excluded: {} });
    expect(countAccount(blocks, ['references', 'appendices'])).toEqual({ total: 25, counted: 10, excluded: { references: 9, appendices: 6 } });
    expect(countAccount(blocks, ['headings', 'tables', 'footnotes'])).toEqual({ total: 25, counted: 13, excluded: { headings: 8, tables: 2, footnotes: 2 } });
    expect(sectionOf('2. Bibliography')).toBe('references');
    expect(sectionOf('Appendices')).toBe('appendices');
    expect(sectionOf('Referencing the data')).toBeNull();
    expect(sectionOf('References:')).toBe('references');
    expect(sectionOf('Appendix B: the survey')).toBe('appendices');
    expect(sectionOf('Appendixes')).toBe('appendices');
    // Sentences that start with the word are text, not a section: nothing after them is left out.
    expect(sectionOf('Appendix 2 sets out the survey questions we used.')).toBeNull();
    expect(sectionOf('Appendix-style summary')).toBeNull();
  });
});

describe('the submission window (issue 12 item 3)', () => {
  const window = { opensOn: '2026-11-01', dueOn: '2026-11-30', lateUntil: '2026-12-07' };
  const at = (iso: string) => new Date(iso);

  it('opens at the start of its UK day, is due at the end of the due day, and takes late accounts to the end of the late day', () => {
    expect(windowStateOf(undefined, null, at('2026-11-25T10:00:00Z'))).toEqual({ state: 'none' });
    // November is GMT in the UK: the day starts at midnight UTC.
    expect(windowStateOf(window, null, at('2026-11-01T00:00:00Z')).state).toBe('open');
    expect(windowStateOf(window, null, at('2026-10-31T23:59:00Z')).state).toBe('not_open');
    // A summer window starts at midnight BST, an hour before midnight UTC.
    expect(windowStateOf({ opensOn: '2027-06-01', dueOn: '2027-06-30', lateUntil: null }, null, at('2027-05-31T23:00:00Z')).state).toBe('open');
    expect(windowStateOf(window, null, at('2026-11-30T23:59:59Z')).state).toBe('open');
    expect(windowStateOf(window, null, at('2026-12-01T00:00:00Z')).state).toBe('late');
    expect(windowStateOf(window, null, at('2026-12-08T00:00:00Z')).state).toBe('closed');
    expect(windowStateOf({ ...window, lateUntil: null }, null, at('2026-12-01T00:00:00Z')).state).toBe('closed');
  });

  it('moves one person’s deadline to their extension, never earlier than the intake’s', () => {
    const extended = windowStateOf(window, '2026-12-04', at('2026-12-02T12:00:00Z'));
    expect(extended).toMatchObject({ state: 'open', extended: true });
    expect(windowStateOf(window, '2026-11-20', at('2026-11-25T12:00:00Z'))).toMatchObject({ state: 'open', extended: false });
    expect(windowStateOf(window, '2026-12-10', at('2026-12-09T12:00:00Z'))).toMatchObject({ state: 'open', lateUntil: null });
  });

  it('gives a case study its window’s days from opening, and refuses or flags an account over the limit as the rule says', () => {
    const [caseStudy] = assessmentSpecFor('npq-leading-teaching', '2026-09-01')!.tasks;
    const [task1] = assessmentSpecFor('npq-headship', '2026-09-01')!.tasks;
    expect(caseStudyDueOn(caseStudy!, '2027-03-01')).toBe('2027-03-08');
    expect(caseStudyDueOn(task1!, '2027-03-01')).toBeNull();
    expect(limitCheck(caseStudy!, { counted: 1501 })).toEqual({ over: true, refused: true });
    expect(limitCheck(caseStudy!, { counted: 1500 })).toEqual({ over: false, refused: false });
    expect(limitCheck(task1!, { counted: 4200 })).toEqual({ over: true, refused: false });
  });

  it('has its diagram in docs/workflows/ as the table stands', () => {
    const file = join(process.cwd(), 'docs', 'workflows', 'submission.md');
    const page = mermaidPage(SUBMISSION_WORKFLOW, 'UPDATE_DIAGRAMS=1 npx vitest run src/assessment/domain/assessment.test.ts');
    if (process.env.UPDATE_DIAGRAMS) writeFileSync(file, page);
    expect(existsSync(file) ? readFileSync(file, 'utf8') : '', 'docs/workflows/submission.md is stale').toBe(page);
  });
});
