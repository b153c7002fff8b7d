import type { FileType } from '../../platform/file-types';
import { workflow } from '../../platform/workflow';

/**
 * A core task's attempt (issue 10 item 4; seed 001: "complete 3 online courses and associated core
 * tasks"): sent by the participant, reviewed by the facilitator or tutor as complete or needing more
 * work (with feedback), sent again as a new attempt. Every attempt is kept: the history is the record.
 */
export const CORE_TASK_WORKFLOW = workflow({
  name: 'core-task',
  description: 'One attempt at a core task: sent by the participant, then reviewed. “Needs more work” lets the participant send a new attempt; the old one is kept.',
  states: ['submitted', 'complete', 'needs_more_work'],
  initial: ['submitted'],
  events: {
    accept: { from: ['submitted'], to: 'complete' },
    send_back: { from: ['submitted'], to: 'needs_more_work' },
  },
  groups: { awaiting_review: ['submitted'], reviewed: ['complete', 'needs_more_work'] },
});
export type CoreTaskStatus = (typeof CORE_TASK_WORKFLOW.states)[number];

export const CORE_TASK_STATUS_LABELS: Record<CoreTaskStatus, string> = { submitted: 'Waiting for review', complete: 'Complete', needs_more_work: 'Needs more work' };

/** Whether a participant may send a (new) attempt, given their latest: none yet, or sent back. */
export const maySubmitAttempt = (latest: CoreTaskStatus | undefined): boolean => latest === undefined || latest === 'needs_more_work';

/** A core task's text: at most this many characters (about 3,000 words). */
export const CORE_TASK_MAX_CHARACTERS = 20_000;

/** A file sent as a core task: at most 10 MB (a long Word document with pictures). */
export const CORE_TASK_FILE_MAX_BYTES = 10 * 1024 * 1024;

/** The kinds of file a core task may be (issue 10 item 4: "a file (PDF, Word)"), by what their bytes are, not their names (platform/file-types.ts). */
export const CORE_TASK_FILE_TYPES = ['pdf', 'docx', 'doc'] as const satisfies readonly FileType[];
