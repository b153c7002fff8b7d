import { randomInt } from 'node:crypto';
import { addDays, endOfDay, isPlainDate, type PlainDate, startOfDay } from '../../platform/clock';
import type { AssessmentTask } from './assessment-spec';

/*
 * Outcomes (issue 12 item 6; domain.md "Assessment and outcomes"): a script's result once marking and
 * moderation are done, a participant's outcome from their tasks' results, when results may be
 * released, the window to ask for a review of marking, the certificate's code, and what comes next.
 */

/** Where a sent account's result is: not given to an assessor, being marked, marked and waiting for moderation's draw, in moderation, or decided. */
export const SCRIPT_RESULT_STATES = ['not_allocated', 'marking', 'awaiting_draw', 'in_moderation', 'decided'] as const;
export type ScriptResultState = (typeof SCRIPT_RESULT_STATES)[number];

/** What the result of one sent account is now. `decided` carries the total and result that stand. */
export type ScriptResult = { state: Exclude<ScriptResultState, 'decided'> } | { state: 'decided'; total: number; result: 'pass' | 'fail'; by: 'first' | 'moderation' };

/**
 * A script's result from its allocation, its first marking and moderation's record (issue 12 items 4
 * and 5): the first marks stand when moderation left it out of the sample; a sampled script's stand
 * only once the moderator agreed, adjusted or a third marker marked it. Until moderation has drawn
 * on a marked script, its result is not known (the draw may take it).
 */
export function scriptResultOf(s: {
  allocated: boolean;
  first: { status: string; total: number; result: string | null } | null;
  sample: { reason: string | null; finalTotal: number | null; finalResult: string | null } | null;
}): ScriptResult {
  if (!s.allocated) return { state: 'not_allocated' };
  if (s.first?.status !== 'submitted' || !s.first.result) return { state: 'marking' };
  if (!s.sample) return { state: 'awaiting_draw' };
  if (s.sample.reason === null) return { state: 'decided', total: s.first.total, result: s.first.result as 'pass' | 'fail', by: 'first' };
  if (s.sample.finalTotal === null || !s.sample.finalResult) return { state: 'in_moderation' };
  return { state: 'decided', total: s.sample.finalTotal, result: s.sample.finalResult as 'pass' | 'fail', by: 'moderation' };
}

/** An outcome as DfE's `participant_outcome` names its states (reference/dfe-npq-lead-provider-api-v3.yaml). */
export const OUTCOME_STATES = ['passed', 'failed', 'voided'] as const;
export type OutcomeState = (typeof OUTCOME_STATES)[number];

/**
 * A participant's outcome from the released result of each task's latest attempt: passed when every
 * task of their assessment passed, failed when every task has a result and one failed, null while a
 * task has none (a resit or a task still to come). `results` is by task key.
 */
export function outcomeOf(tasks: readonly Pick<AssessmentTask, 'key'>[], results: ReadonlyMap<string, 'pass' | 'fail'>): 'passed' | 'failed' | null {
  if (!tasks.length || tasks.some((t) => !results.has(t.key))) return null;
  return tasks.every((t) => results.get(t.key) === 'pass') ? 'passed' : 'failed';
}

/** Whether a failed task may be sent again: attempts so far against the one first try and the task's resits (domain.md: "one resit is usual"). */
export const resitOffered = (task: Pick<AssessmentTask, 'resits'>, attempts: number): boolean => attempts < 1 + task.resits;

/** How many of an intake's scripts are at each stage, for whether its results may be released. */
export type ReleaseReadiness = Record<ScriptResultState, number> & { toRelease: number };

/**
 * Whether an intake's results may be released (issue 12 item 6: "not before moderation ends"): every
 * script sent must be decided, so none is still unallocated, being marked, waiting for moderation's
 * draw or in moderation; and at least one decided result must not be released already. The
 * refusal says what is left, in the admin's words.
 */
export function releaseRefusal(r: ReleaseReadiness): string | null {
  const waiting = [
    r.not_allocated && `${r.not_allocated} not given to an assessor`,
    r.marking && `${r.marking} still being marked`,
    r.awaiting_draw && `${r.awaiting_draw} marked but not yet drawn on for moderation (draw the sample)`,
    r.in_moderation && `${r.in_moderation} still in moderation`,
  ].filter(Boolean);
  if (waiting.length) return `Moderation has not ended for this intake: ${waiting.join(', ')}.`;
  if (!r.toRelease) return 'There are no results to release: every decided result of this intake is released already.';
  return null;
}

/** The longest review window a provider may set, in days. */
export const REVIEW_DAYS_MAX = 90;
/** How far ahead a release may be set, in days. */
export const RELEASE_AHEAD_MAX_DAYS = 365;
/** How long after the release day resits may be due: a year, so a typing slip (9999) is caught. */
export const RESIT_AFTER_MAX_DAYS = 365;
/** The longest reason, feedback or note, in characters. */
export const OUTCOME_TEXT_MAX = 3000;

export interface ReleaseTerms {
  releasesOn: PlainDate;
  /** Days after the release day in which a review of marking may be asked for; 0 for none. */
  reviewDays: number;
  /** The last day a failed task's resit may be sent, when the release offers one. */
  resitDueOn: PlainDate | null;
}

/**
 * Reads the release form: the release day (today or later, within a year), the review window in
 * days (0–90) and the resit due date (after the release day). Errors by field.
 */
export function readReleaseTerms(body: { releasesOn: PlainDate | undefined; reviewDays: unknown; resitDueOn: PlainDate | undefined | null }, today: PlainDate): { terms?: ReleaseTerms; errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  const { releasesOn, resitDueOn } = body;
  if (!releasesOn || !isPlainDate(releasesOn)) errors.releasesOn = 'Enter the date results are released, like 15 1 2027';
  else if (releasesOn < today) errors.releasesOn = 'The release date must be today or later';
  else if (releasesOn > addDays(today, RELEASE_AHEAD_MAX_DAYS)) errors.releasesOn = 'The release date must be within a year of today';
  const days = typeof body.reviewDays === 'string' ? body.reviewDays.trim() : '';
  const reviewDays = /^\d{1,3}$/.test(days) ? Number(days) : Number.NaN;
  if (!(reviewDays >= 0 && reviewDays <= REVIEW_DAYS_MAX)) errors.reviewDays = `Enter the days a review may be asked for, from 0 to ${REVIEW_DAYS_MAX}`;
  if (resitDueOn !== undefined && resitDueOn !== null && !isPlainDate(resitDueOn)) errors.resitDueOn = 'Enter a real date for resits, like 30 4 2027, or leave it empty';
  else if (resitDueOn && releasesOn && resitDueOn <= releasesOn) errors.resitDueOn = 'Resits must be due after the release date';
  else if (resitDueOn && releasesOn && resitDueOn > addDays(releasesOn, RESIT_AFTER_MAX_DAYS)) errors.resitDueOn = 'Resits must be due within a year of the release date';
  if (Object.keys(errors).length) return { errors };
  return { terms: { releasesOn: releasesOn!, reviewDays, resitDueOn: resitDueOn ?? null }, errors };
}

/** Whether released results can be seen now: from the start of the release day (UK). */
export const isReleased = (releasesOn: PlainDate, now: Date): boolean => now >= startOfDay(releasesOn);

/**
 * When an outcome may first be seen, by the participant and through the API (issue 12 item 8): not
 * before it is recorded, not before the start of the latest release day (UK) of the results it rests
 * on (a review decided while a resit's release is pending must not give the resit's result away),
 * and never before the place's previous outcome came out, so a place's outcomes come out in the order
 * they were appended and the last one out is the one that stands.
 */
export function outcomeOutAt(recordedAt: Date, p: { resultsOutOn: PlainDate | null; previousOutAt: Date | null }): Date {
  const candidates = [recordedAt.getTime(), p.resultsOutOn ? startOfDay(p.resultsOutOn).getTime() : 0, p.previousOutAt?.getTime() ?? 0];
  return new Date(Math.max(...candidates));
}

/** A UK date as DfE's API writes an outcome's `completion_date`: RFC 3339 at midnight UTC, `2021-05-31T00:00:00+00:00` (docs/dfe-api.md §3). */
export const dfeCompletionDate = (d: PlainDate): string => `${d}T00:00:00+00:00`;

/** When the time to ask for a review of marking ends: the end of the review window's last UK day (the next day's first instant, as endOfDay gives it); null when the release allows none. */
export const reviewClosesAt = (t: Pick<ReleaseTerms, 'releasesOn' | 'reviewDays'>): Date | null => (t.reviewDays > 0 ? endOfDay(addDays(t.releasesOn, t.reviewDays)) : null);

/** Whether a review may be asked for now: released, and the window not closed. */
export const reviewOpen = (t: Pick<ReleaseTerms, 'releasesOn' | 'reviewDays'>, now: Date): boolean => {
  const closes = reviewClosesAt(t);
  return isReleased(t.releasesOn, now) && closes !== null && now < closes;
};

/** What a review of marking ends in: the result stands, or the reviewer's total and result replace it. */
export const REVIEW_DECISIONS = ['upheld', 'changed'] as const;
export type ReviewDecision = (typeof REVIEW_DECISIONS)[number];

// Crockford's base 32 without I, L, O, U: nothing to misread when typed from paper.
const CODE_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/**
 * A certificate's verification code (issue 12 item 6: "a unique code"): "NPQ-" and three groups of
 * four from Crockford's alphabet, 60 random bits. Unique by the database's index, drawn again on the
 * rare clash.
 */
export function newCertificateCode(draw: (max: number) => number = randomInt): string {
  const group = () => Array.from({ length: 4 }, () => CODE_ALPHABET[draw(CODE_ALPHABET.length)]).join('');
  return `NPQ-${group()}-${group()}-${group()}`;
}

/** A code as typed (any case, spaces, O for 0, I or L for 1), or null when it cannot be one. */
export function readCertificateCode(typed: string): string | null {
  const s = typed.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
  const m = /^NPQ([0-9A-HJKMNP-TV-Z]{4})([0-9A-HJKMNP-TV-Z]{4})([0-9A-HJKMNP-TV-Z]{4})$/.exec(s);
  return m ? `NPQ-${m[1]}-${m[2]}-${m[3]}` : null;
}

/**
 * The leadership NPQs' progression path (domain.md: "progression NPQML → NPQSL → NPQH → NPQEL"; seed
 * 002's "Which NPQ is right for me?"), by short name: what to suggest after a pass. A specialist NPQ
 * leads on to Senior Leadership, the first leadership NPQ open to a teacher who leads others.
 */
export const PROGRESSION: Readonly<Record<string, string>> = { NPQML: 'NPQSL', NPQSL: 'NPQH', NPQH: 'NPQEL' };

/** The NPQ to suggest after passing `shortName`, if any: null at the end of the path. */
export function nextOnPath(shortName: string, kind: 'leadership' | 'specialist' | string): string | null {
  if (PROGRESSION[shortName]) return PROGRESSION[shortName]!;
  return kind === 'specialist' ? 'NPQSL' : null;
}
