import { one } from '../../platform/forms';
import { workflow } from '../../platform/workflow';

/**
 * A mark scheme's grade descriptor: the marks from `from` to `to` (inclusive) on one criterion, what
 * the band is called, and what an account in it shows.
 */
export interface GradeDescriptor {
  from: number;
  to: number;
  band: string;
  descriptor: string;
}

/** One criterion an account is marked on: its key, title, what markers look for, and its marks out of `maxMarks` as grade descriptors. */
export interface MarkCriterion {
  key: string;
  title: string;
  looksFor: string;
  maxMarks: number;
  /** The least marks on this criterion for a pass, whatever the total: a strong account cannot carry a criterion it leaves out. */
  passFrom: number;
  descriptors: readonly GradeDescriptor[];
}

/**
 * A task's mark scheme as data (issue 12 item 4: "criteria and grade descriptors from the mark
 * scheme, as data"): its criteria, and the total needed to pass. An account passes when its total
 * reaches `passMark` and every criterion reaches its own `passFrom`.
 */
export interface MarkScheme {
  version: string;
  criteria: readonly MarkCriterion[];
  passMark: number;
}

/**
 * The bands every criterion is described in, out of ten: DfE's mark schemes describe each criterion
 * as not evidenced, partly met, met or exceeded; the provider's scheme scores within them so that a
 * borderline script can be told from a clear one (issue 12 item 5 samples every borderline).
 */
function bandsFor(focus: string): GradeDescriptor[] {
  return [
    { from: 0, to: 0, band: 'Not evidenced', descriptor: `The account gives no evidence of ${focus}.` },
    { from: 1, to: 3, band: 'Partly met', descriptor: `Some evidence of ${focus}, but it is described rather than analysed, or not tied to pupils’ outcomes.` },
    { from: 4, to: 6, band: 'Met', descriptor: `Clear evidence of ${focus}. It is analysed, tied to pupils’ outcomes and draws on sources well.` },
    { from: 7, to: 8, band: 'Strong', descriptor: `Well-judged evidence of ${focus}. It is weighed critically against research and the school’s context.` },
    { from: 9, to: 10, band: 'Exceptional', descriptor: `Compelling evidence of ${focus}. It is weighed critically, with insight others could learn from.` },
  ];
}

const criterion = (key: string, title: string, looksFor: string, focus: string): MarkCriterion => ({ key, title, looksFor, maxMarks: 10, passFrom: 4, descriptors: bandsFor(focus) });

/** Four criteria out of ten each, passed with 20 of 40 and every criterion met (4 of 10). */
const scheme = (criteria: MarkCriterion[]): MarkScheme => ({ version: '2017', criteria, passMark: 20 });

/** The most marks a scheme gives: its criteria's together. */
export const outOf = (scheme: MarkScheme): number => scheme.criteria.reduce((n, c) => n + c.maxMarks, 0);

/** NPQH Task 1 (seed 000): the change programme's design, leading it, its evaluation, and the leader's own reflection. */
export const NPQH_TASK_1_SCHEME = scheme([
  criterion('design', 'Designing the change', 'A diagnosis of the need from evidence, a plan with clear aims for pupils’ progress and attainment, and the governing board’s feedback acted on.', 'a change designed from evidence of need'),
  criterion('implementation', 'Leading the change', 'How staff were brought with the change over at least two terms, how obstacles were met, and how the plan was adapted.', 'leading others through the change'),
  criterion('evaluation', 'Evaluating the impact', 'What changed for pupils, shown by data, and an honest judgement of what worked and what did not.', 'the change’s impact on pupils'),
  criterion('reflection', 'Reflecting on leadership', 'What the candidate learnt about their own leadership and what they would do differently.', 'reflection on the candidate’s own leadership'),
]);

/** NPQH Task 2 (seed 000): the placement school's challenges researched, the action plan, the board's response, and reflection. */
export const NPQH_TASK_2_SCHEME = scheme([
  criterion('research', 'Researching the school', 'The placement school’s resource and capability challenges, found from evidence and set against its context.', 'research into the school’s challenges'),
  criterion('action-plan', 'The action plan', 'A plan that meets the challenges found, with priorities, resources, timescales and measures of success.', 'an action plan that meets the challenges'),
  criterion('board', 'Presenting to the board', 'The plan presented to the governing board, its feedback gathered and the plan changed by it.', 'the board’s feedback, gathered and used'),
  criterion('reflection', 'Reflecting on leadership', 'What leading in a contrasting school taught the candidate about leadership in their own.', 'reflection on leading in a contrasting school'),
]);

/** A written project or reflection account (NPQML, NPQSL, NPQEL; seeds 002, 003): its aims, leading it, its impact, and reflection. */
export const PROJECT_ACCOUNT_SCHEME = scheme([
  criterion('aims', 'Aims from evidence', 'What the project set out to improve, and the evidence that it mattered for pupils.', 'aims drawn from evidence'),
  criterion('leading', 'Leading the project', 'How others were led through the project, and how it was adapted.', 'leading others through the project'),
  criterion('impact', 'Impact', 'What changed for pupils and staff, shown by data and honestly judged.', 'the project’s impact'),
  criterion('reflection', 'Reflection', 'What the candidate learnt about their own leadership.', 'reflection on the candidate’s own leadership'),
]);

/** A reformed NPQ's case study (domain.md): each of its three questions, and how well the answers draw on the framework's evidence. */
export const CASE_STUDY_SCHEME = scheme([
  criterion('question-1', 'Question 1', 'An answer to the first question that uses the case’s detail and the framework’s evidence.', 'a reasoned answer to question 1'),
  criterion('question-2', 'Question 2', 'An answer to the second question that uses the case’s detail and the framework’s evidence.', 'a reasoned answer to question 2'),
  criterion('question-3', 'Question 3', 'An answer to the third question that uses the case’s detail and the framework’s evidence.', 'a reasoned answer to question 3'),
  criterion('evidence', 'Use of evidence', 'The framework’s “learn that” and “learn how to” statements applied to the case, not recited.', 'the framework’s evidence, applied to the case'),
]);

/** What an assessor has given one criterion: its mark (null while not yet given) and comment. */
export interface CriterionMark {
  mark: number | null;
  comment: string;
}
export type Marks = Record<string, CriterionMark>;

/** The longest comment on one criterion, and overall, in characters. */
export const MARK_COMMENT_MAX = 3000;

/** The result marks give under the scheme: the total, whether every criterion is marked, and pass or fail once it is. */
export function resultOf(scheme: MarkScheme, marks: Marks): { total: number; complete: boolean; result: 'pass' | 'fail' | null; shortOn: string[] } {
  const given = scheme.criteria.map((c) => ({ c, mark: marks[c.key]?.mark ?? null }));
  const total = given.reduce((sum, g) => sum + (g.mark ?? 0), 0);
  const complete = given.every((g) => g.mark !== null);
  const shortOn = given.filter((g) => g.mark !== null && g.mark < g.c.passFrom).map((g) => g.c.key);
  return { total, complete, result: complete ? (total >= scheme.passMark && shortOn.length === 0 ? 'pass' : 'fail') : null, shortOn };
}

/** The grade descriptor a mark falls in on a criterion. */
export const bandOf = (c: MarkCriterion, mark: number): GradeDescriptor | undefined => c.descriptors.find((d) => mark >= d.from && mark <= d.to);

/**
 * Reads an assessor's marks from a form (`mark-<criterion>`, `comment-<criterion>`, `overall`):
 * whole numbers from 0 to the criterion's most, and comments within MARK_COMMENT_MAX. A draft may
 * leave marks and comments out; submitting needs every mark and a comment on each criterion and
 * overall (issue 12 item 4: "marks and a comment per criterion, an overall result"). Returns the
 * marks and the overall comment, or the errors by field.
 */
export function readMarks(scheme: MarkScheme, body: Record<string, unknown>, submitting: boolean): { marks: Marks; overall: string; errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  const marks: Marks = {};
  const text = (v: unknown) => one(v).trim();
  for (const c of scheme.criteria) {
    const raw = text(body[`mark-${c.key}`]);
    const comment = text(body[`comment-${c.key}`]);
    let mark: number | null = null;
    if (raw === '') {
      if (submitting) errors[`mark-${c.key}`] = `Enter a mark for “${c.title}”, from 0 to ${c.maxMarks}`;
    } else if (!/^\d{1,3}$/.test(raw) || Number(raw) > c.maxMarks) {
      errors[`mark-${c.key}`] = `The mark for “${c.title}” must be a whole number from 0 to ${c.maxMarks}`;
    } else mark = Number(raw);
    if (comment.length > MARK_COMMENT_MAX) errors[`comment-${c.key}`] = `The comment on “${c.title}” must be ${MARK_COMMENT_MAX.toLocaleString('en-GB')} characters or fewer`;
    else if (submitting && !comment) errors[`comment-${c.key}`] = `Enter a comment on “${c.title}”: say why it earns this mark`;
    marks[c.key] = { mark, comment: comment.slice(0, MARK_COMMENT_MAX) };
  }
  const overall = text(body.overall);
  if (overall.length > MARK_COMMENT_MAX) errors.overall = `The overall comment must be ${MARK_COMMENT_MAX.toLocaleString('en-GB')} characters or fewer`;
  else if (submitting && !overall) errors.overall = 'Enter an overall comment: what the candidate did well and what would improve the account';
  return { marks, overall: overall.slice(0, MARK_COMMENT_MAX), errors };
}

/**
 * One marking of a script: saved as a draft until the marker submits it, then fixed (issue 12 item
 * 4). Moderation (item 5) adds its own rounds of marking beside the first.
 */
export const MARKING_WORKFLOW = workflow({
  name: 'marking',
  description: 'One marker’s marks on a script: saved as a draft as often as they like, then submitted and fixed, unless moderation sends them back to be marked again.',
  states: ['draft', 'submitted'],
  initial: ['draft'],
  events: {
    save: { from: ['draft'], to: null },
    submit: { from: ['draft'], to: 'submitted' },
    /** Moderation sends a first marking back to its assessor to mark again (issue 12 item 5). */
    sendBack: { from: ['submitted'], to: 'draft' },
  },
  groups: { open: ['draft'], done: ['submitted'] },
});
/** Whose marking a row is: the allocated assessor's (first), the moderator's (second, blind to the first), or a third marker's where those two differ beyond the tolerance (issue 12 item 5). */
export const MARKING_ROUNDS = ['first', 'second', 'third'] as const;
export type MarkingRound = (typeof MARKING_ROUNDS)[number];
export type MarkingStatus = (typeof MARKING_WORKFLOW.states)[number];
