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

/** The kinds of file a core task may be (issue 10 item 4: "a file (PDF, Word)"), by what their bytes are, not their names. */
export const CORE_TASK_FILE_TYPES = {
  pdf: { mime: 'application/pdf', label: 'PDF' },
  docx: { mime: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', label: 'Word' },
  doc: { mime: 'application/msword', label: 'Word 97–2003' },
} as const;
export type CoreTaskFileType = keyof typeof CORE_TASK_FILE_TYPES;

/**
 * The kind of a sent file from what a well-kept sniffer (file-type) found in its bytes and the name
 * it came with: a PDF, a Word document (.docx), or an old Word document (a compound file named .doc).
 * Undefined for anything else: a spreadsheet, a picture, a program renamed .pdf.
 */
export function coreTaskFileType(sniffed: string | undefined, name: string): CoreTaskFileType | undefined {
  if (sniffed === 'pdf' || sniffed === 'docx') return sniffed;
  // Word 97–2003 is an OLE compound file, as old Excel and PowerPoint are: its name tells them apart.
  if (sniffed === 'cfb' && /\.doc$/i.test(name)) return 'doc';
  return undefined;
}
