import { Temporal } from '@js-temporal/polyfill';
import type { PlainDate } from '../../platform/clock';

/** The longest one project log entry may be, in minutes: a school day's work, so a typo of 600 hours is caught. */
export const PROJECT_ENTRY_MAX_MINUTES = 12 * 60;
/** The longest reflection, comment or board feedback kept, in characters. */
export const EVIDENCE_TEXT_MAX = 5000;
/** How long an emailed link for a host or a governing board stays usable, in days. */
export const EVIDENCE_LINK_VALID_DAYS = 30;

/**
 * How much in-school project time is expected by `today` (seed 000: "an additional minimum two
 * hours a week"): `perWeek` minutes for each whole week since the start (UK dates); none before it.
 */
export function expectedProjectMinutes(startedOn: PlainDate, today: PlainDate, perWeek: number): number {
  if (today <= startedOn) return 0;
  const weeks = Math.floor(Temporal.PlainDate.from(startedOn).until(Temporal.PlainDate.from(today), { largestUnit: 'days' }).days / 7);
  return weeks * perWeek;
}



/** Why a placement school contrasts with the participant's own (seed 001: "for example, by performance, pupil profile, geography"). */
export const CONTRAST_REASONS = ['performance', 'pupil_profile', 'geography', 'phase', 'size'] as const;
export type ContrastReason = (typeof CONTRAST_REASONS)[number];
export const CONTRAST_LABELS: Record<ContrastReason, string> = {
  performance: 'Performance (for example, Ofsted grade or results)',
  pupil_profile: 'Pupil profile (for example, disadvantage, SEND or EAL)',
  geography: 'Geography (for example, rural or urban, another region)',
  phase: 'Phase or type of school',
  size: 'Size',
};

/** What a host said of the placement days put to them: confirmed, or not as recorded (with a comment). */
export const HOST_ANSWERS = ['confirmed', 'disputed'] as const;
export type HostAnswer = (typeof HOST_ANSWERS)[number];

/** Whose governing board saw the plan: the participant's own school's (Task 1) or the placement school's (Task 2). */
export const BOARD_SCHOOLS = ['own', 'placement'] as const;
export type BoardSchool = (typeof BOARD_SCHOOLS)[number];
export const BOARD_SCHOOL_LABELS: Record<BoardSchool, string> = { own: 'My own school', placement: 'My placement school' };
/** Who is asked for a board's feedback: its chair or its clerk (issue 12 item 2). */
export const BOARD_CONTACT_ROLES = ['chair', 'clerk'] as const;
export type BoardContactRole = (typeof BOARD_CONTACT_ROLES)[number];

/**
 * A placement's days as the participant and host have them: the distinct working days recorded,
 * how many of them a host has confirmed, and whether the confirmed days reach the least the task
 * asks (seed 000: nine). Days put to the host and not yet answered are `awaiting`.
 */
export function placementDaysSummary(recorded: readonly PlainDate[], confirmed: readonly PlainDate[], awaiting: readonly PlainDate[], minimum: number) {
  const recordedSet = new Set(recorded);
  const confirmedDays = [...new Set(confirmed)].filter((d) => recordedSet.has(d)).length;
  return { recorded: recordedSet.size, confirmed: confirmedDays, awaiting: new Set(awaiting).size, minimum, enough: confirmedDays >= minimum };
}
