import { ValidationError } from '../../platform/errors';
import { asArray, one } from '../../platform/forms';
import { hasVisibleText } from '../../platform/text';
import { workflow } from '../../platform/workflow';
import type { AssessmentTask } from './assessment-spec';

/*
 * The School Improvement Library (issue 12 item 7; seed 002: "Take a look at our School Improvement
 * Library and see how completing an NPQ will impact on you and those around you"): a passed project,
 * shared with its participant's consent, reviewed by the provider's admin before anyone sees it.
 */

/**
 * An entry's life: shared by its participant for review; published or returned with a note by the
 * admin; changed and sent again; withdrawn by its participant at any time (consent taken back), and
 * taken down by the admin (returned with a note) once published.
 */
export const LIBRARY_WORKFLOW = workflow({
  name: 'library-entry',
  description: 'A School Improvement Library entry: shared by the participant for review, published or returned by the admin, withdrawn by the participant at any time.',
  states: ['in_review', 'published', 'returned', 'withdrawn'],
  initial: ['in_review'],
  events: {
    share: { from: ['in_review', 'returned', 'withdrawn', 'published'], to: 'in_review' },
    publish: { from: ['in_review'], to: 'published' },
    return: { from: ['in_review', 'published'], to: 'returned' },
    withdraw: { from: ['in_review', 'published', 'returned'], to: 'withdrawn' },
  },
  groups: { public: ['published'], waiting: ['in_review'] },
});
export type LibraryState = (typeof LIBRARY_WORKFLOW.states)[number];

/** The phases an entry is filed under (GIAS's phases of education, grouped as a reader looks for them). */
export const LIBRARY_PHASES = {
  early_years: 'Early years',
  primary: 'Primary',
  secondary: 'Secondary',
  all_through: 'All-through',
  special: 'Special school',
  alternative_provision: 'Alternative provision',
  post_16: '16 to 19',
  several: 'Across several schools',
} as const;
export type LibraryPhase = keyof typeof LIBRARY_PHASES;

/** The themes an entry is filed under: what the NPQs' frameworks ask leaders to improve. */
export const LIBRARY_THEMES = {
  curriculum: 'Curriculum',
  reading: 'Reading and literacy',
  mathematics: 'Mathematics',
  behaviour: 'Behaviour and attendance',
  send: 'SEND and inclusion',
  disadvantage: 'Disadvantaged pupils',
  teacher_development: 'Teacher development',
  assessment: 'Assessment and feedback',
  wellbeing: 'Wellbeing',
  families: 'Families and community',
  governance: 'Leadership and governance',
} as const;
export type LibraryTheme = keyof typeof LIBRARY_THEMES;

export const LIBRARY_TITLE_MAX = 120;
export const LIBRARY_TEXT_MAX = 2_000;
export const LIBRARY_THEMES_MAX = 3;
export const LIBRARY_NOTE_MAX = 1_000;

/** What a participant shares: the entry's public fields and the consents it needs. */
export interface LibraryEntryFields {
  title: string;
  summary: string;
  impact: string;
  phase: LibraryPhase;
  themes: LibraryTheme[];
  /** Whether the school may be named: only with the participant's say-so (issue 12 item 7). */
  nameSchool: boolean;
}

/**
 * Reads the sharing form: title (one line, up to 120 characters), summary and impact (up to 2,000 each), one
 * phase, one to three themes, whether the school may be named, and two confirmations that must be
 * given: consent to publish, and that the text holds no pupil's name or data. ValidationError with a
 * message per field otherwise, in the order the form asks.
 */
export function readLibraryEntry(body: Record<string, unknown>): LibraryEntryFields {
  const errors: Record<string, string> = {};
  // A title is one line: line breaks and other control characters a crafted form could send become spaces.
  const title = one(body.title).replace(/[\p{Cc}\p{Zl}\p{Zp}]+/gu, ' ').trim();
  const summary = one(body.summary).trim();
  const impact = one(body.impact).trim();
  const phase = one(body.phase);
  const themes = [...new Set(asArray(body.themes))];
  const nameSchool = one(body.nameSchool);
  if (!hasVisibleText(title)) errors.title = 'Enter a title for your project';
  else if ([...title].length > LIBRARY_TITLE_MAX) errors.title = `The title must be ${LIBRARY_TITLE_MAX} characters or fewer`;
  if (!hasVisibleText(summary)) errors.summary = 'Say what your project set out to do and what you did';
  else if ([...summary].length > LIBRARY_TEXT_MAX) errors.summary = `The summary must be ${LIBRARY_TEXT_MAX.toLocaleString('en-GB')} characters or fewer`;
  if (!Object.hasOwn(LIBRARY_PHASES, phase)) errors.phase = 'Select the phase of your school';
  if (!themes.length) errors.themes = 'Select at least one theme';
  else if (!themes.every((t) => Object.hasOwn(LIBRARY_THEMES, t))) errors.themes = 'Select only the themes listed';
  else if (themes.length > LIBRARY_THEMES_MAX) errors.themes = `Select up to ${LIBRARY_THEMES_MAX} themes`;
  if (!hasVisibleText(impact)) errors.impact = 'Say what difference the project made';
  else if ([...impact].length > LIBRARY_TEXT_MAX) errors.impact = `The impact must be ${LIBRARY_TEXT_MAX.toLocaleString('en-GB')} characters or fewer`;
  if (nameSchool !== 'yes' && nameSchool !== 'no') errors.nameSchool = 'Say whether your school may be named';
  if (one(body.noPupilData) !== 'yes') errors.noPupilData = 'Confirm that no pupil can be identified from what you share';
  if (one(body.consent) !== 'yes') errors.consent = 'Give your consent to publish, or leave this page without sharing';
  if (Object.keys(errors).length) throw new ValidationError(errors);
  return { title, summary, impact, phase: phase as LibraryPhase, themes: themes as LibraryTheme[], nameSchool: nameSchool === 'yes' };
}

/**
 * Whether a task's work is a project that can be shared: a school improvement project or a placement
 * project (seed 002: "As part of their final assessment, NPQ candidates complete a School Improvement
 * Project"), not a case study answered within a window.
 */
export const isProject = (task: AssessmentTask): boolean => !task.window;

/** The admin's decision on an entry: publish it, or return it (before or after publishing) with a note saying why. */
export function readLibraryDecision(body: Record<string, unknown>): { decision: 'publish' | 'return'; note: string | null } {
  const decision = one(body.decision);
  const note = one(body.note).trim();
  if (decision !== 'publish' && decision !== 'return') throw new ValidationError({ decision: 'Select whether to publish the entry or return it' });
  if (decision === 'return' && !hasVisibleText(note)) throw new ValidationError({ note: 'Say what the participant should change' });
  if ([...note].length > LIBRARY_NOTE_MAX) throw new ValidationError({ note: `The note must be ${LIBRARY_NOTE_MAX.toLocaleString('en-GB')} characters or fewer` });
  return { decision, note: hasVisibleText(note) ? note : null };
}
