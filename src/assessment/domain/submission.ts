import { addDays, endOfDay, type PlainDate, startOfDay } from '../../platform/clock';
import { workflow } from '../../platform/workflow';
import type { AssessmentTask } from './assessment-spec';
import type { WordCount } from './word-count';

/**
 * A written account sent for assessment (issue 12 item 3): uploaded as a draft whose words are
 * counted and shown, then sent by the participant's confirmation. Once sent it cannot be changed, only
 * withdrawn before the deadline and sent again as a new upload; a draft can be discarded.
 */
export const SUBMISSION_WORKFLOW = workflow({
  name: 'submission',
  description: 'A written account: uploaded and counted as a draft, sent when the participant confirms, withdrawn (before the deadline) to be sent again.',
  states: ['draft', 'submitted', 'withdrawn', 'discarded'],
  initial: ['draft'],
  events: {
    confirm: { from: ['draft'], to: 'submitted' },
    discard: { from: ['draft'], to: 'discarded' },
    withdraw: { from: ['submitted'], to: 'withdrawn' },
  },
  groups: { kept: ['submitted'], gone: ['withdrawn', 'discarded'] },
});
export type SubmissionStatus = (typeof SUBMISSION_WORKFLOW.states)[number];

/** When an intake's participants send a task's account: from `opensOn` to the end of `dueOn` (UK dates), and late, flagged, to the end of `lateUntil` when set. */
export interface SubmissionWindow {
  opensOn: PlainDate;
  dueOn: PlainDate;
  lateUntil: PlainDate | null;
}

/** Where a participant stands against a window: not open yet, open, late (accepted and flagged), or closed; with the deadline that applies to them. */
export type WindowState = { state: 'none' } | { state: 'not_open' | 'open' | 'late' | 'closed'; opensAt: Date; dueAt: Date; lateUntil: Date | null; extended: boolean; /** The UK days they end on, for pages: "by the end of 30 November 2026". */ dueOn: PlainDate; lateOn: PlainDate | null };

/**
 * The window as it applies to one participant now: their extension's date (issue 12 item 3:
 * "extensions for one person") replaces the intake's due date, and late submissions run to
 * `lateUntil` or the extension, whichever is later. A deadline is the end of its UK day.
 */
export function windowStateOf(window: SubmissionWindow | undefined, extendedTo: PlainDate | null, now: Date): WindowState {
  if (!window) return { state: 'none' };
  const due = extendedTo && extendedTo > window.dueOn ? extendedTo : window.dueOn;
  const opensAt = startOfDay(window.opensOn);
  const dueAt = endOfDay(due);
  const lateUntil = window.lateUntil && window.lateUntil > due ? endOfDay(window.lateUntil) : null;
  const state = now < opensAt ? 'not_open' : now < dueAt ? 'open' : lateUntil && now < lateUntil ? 'late' : 'closed';
  return { state, opensAt, dueAt, lateUntil, extended: due !== window.dueOn, dueOn: due, lateOn: lateUntil ? window.lateUntil : null };
}

/** For a case study answered within a window (a reformed NPQ's, issue 12 item 1): the due date its window gives from the day it opens. */
export const caseStudyDueOn = (task: AssessmentTask, opensOn: PlainDate): PlainDate | null => (task.window ? addDays(opensOn, task.window.days - 1) : null);

/** Whether a count is over the task's limit, and what the rule does then: refuse the submission, or send it flagged for the marker. */
export function limitCheck(task: AssessmentTask, count: Pick<WordCount, 'counted'>): { over: boolean; refused: boolean } {
  const over = count.counted > task.wordLimit;
  return { over, refused: over && task.wordCount.overLimit === 'refuse' };
}

/** The longest reason for an extension, in characters. */
export const EXTENSION_REASON_MAX = 1000;
/** An account's file: a Word document or a PDF, at most this many bytes. */
export const ACCOUNT_FILE_MAX_BYTES = 20 * 1024 * 1024;
