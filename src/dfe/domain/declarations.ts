import { COURSE_GROUPS, type DeclarationType, hasOutcomes, SCHEDULES } from './dfe-reference-data';

/*
 * Declarations from evidence (issue 13 item 3): which of DfE's declarations a participant's place has
 * earned, on what date, by the provider's rule — the part no provider tool does. Pure: the evidence
 * and the time are given.
 */

/**
 * A platform declaration's states: proposed from evidence, approved (by the admin, or automatically)
 * and queued, sent (DfE has it), refused by DfE (its words kept), or dismissed by the admin.
 */
export const DECLARATION_STATES = ['proposed', 'approved', 'sent', 'refused', 'dismissed'] as const;
export type DeclarationState = (typeof DECLARATION_STATES)[number];

/**
 * What the admin may do to a declaration in each state, as a table: approve a proposal (or try a
 * refused one again once put right), dismiss a proposal or a refusal, restore a dismissed one, void one
 * DfE has. Void is further limited by DfE's state (canVoid).
 */
export const DECLARATION_ACTIONS: Record<DeclarationState, readonly ('approve' | 'dismiss' | 'restore' | 'void')[]> = {
  proposed: ['approve', 'dismiss'],
  approved: [],
  sent: ['void'],
  refused: ['approve', 'dismiss'],
  dismissed: ['restore'],
};

/** DfE's states a declaration can still be voided from (docs/dfe-api.md §2.5: voidable, and `paid` by clawback). */
const VOIDABLE_AT_DFE = ['submitted', 'eligible', 'payable', 'ineligible', 'paid'];

/** Whether a declaration DfE holds in `dfeState` may be voided now (§2.7); false while a void is already asked. */
export const canVoid = (d: { state: DeclarationState; dfeState: string | null; voidRequestedAt: Date | null }) => d.state === 'sent' && !d.voidRequestedAt && VOIDABLE_AT_DFE.includes(d.dfeState ?? '');

/** What a void does at DfE, in the admin's words, from DfE's state (§2.7): before payment voided; after, clawed back on the next statement. */
export const voidEffect = (dfeState: string | null) => (dfeState === 'paid' ? 'DfE has paid it: voiding claws the payment back on the next statement.' : 'DfE has not paid it: voiding cancels it, and it comes off its statement.');

/** One piece of evidence that the participant took part: a session attended, a module's piece done. */
export interface Activity {
  at: Date;
  /** In words, for the admin: "Attended Residential 1". */
  summary: string;
}

/** What the platform holds of a place, as the rules read it. */
export interface PlaceEvidence {
  courseIdentifier: string;
  /** DfE's cohort identifier (`2025a`) and schedule identifier, as DfE has them. */
  cohort: string;
  schedule: string | null;
  trainingStatus: 'active' | 'deferred' | 'withdrawn';
  /** When they withdrew, if they did: evidence from then on does not count (DfE refuses it: §2.4 item 3). */
  withdrawnAt: Date | null;
  /** Oldest first or not: the rules sort them. */
  activities: readonly Activity[];
  /** The latest outcome released from assessment, if any (not voided). `completionDate` a UK date. */
  outcome: { state: 'passed' | 'failed'; completionDate: string } | null;
}

/**
 * The provider's rule for each declaration (issue 13 item 3): `started` on the first piece of evidence;
 * `retained-1` and `retained-2` once this many pieces are held (the date: the piece that made the
 * count); `completed` on the outcome of assessment. Set by the provider; these are the defaults
 * (ADR 0073: a third of a typical 18-month programme's sessions and modules, and two thirds).
 */
export interface DeclarationRules {
  retained1Activities: number;
  retained2Activities: number;
}
export const DEFAULT_DECLARATION_RULES: DeclarationRules = { retained1Activities: 6, retained2Activities: 12 };

/** A declaration the evidence supports: its type, date (the evidence's), the evidence in words, and `has_passed` where DfE asks for it. */
export interface DueDeclaration {
  type: DeclarationType;
  date: Date;
  summary: string;
  hasPassed: boolean | null;
}

/** The declaration types a schedule allows (§2.1), in DfE's order; by course group when the schedule is unknown here. */
export function allowedTypes(courseIdentifier: string, cohort: string, schedule: string | null): readonly DeclarationType[] {
  const known = SCHEDULES.find((s) => s.cohort === cohort && s.identifier === schedule);
  if (known) return known.allowed;
  return COURSE_GROUPS[courseIdentifier] === 'specialist' ? ['started', 'retained-1', 'completed'] : ['started', 'retained-1', 'retained-2', 'completed'];
}

/** The first instant DfE accepts a declaration on the schedule (§2.4 item 6: the start of day, UTC, of `applies_from`), or null when unknown here. */
export function scheduleStart(cohort: string, schedule: string | null): Date | null {
  const known = SCHEDULES.find((s) => s.cohort === cohort && s.identifier === schedule);
  return known ? new Date(`${known.appliesFrom}T00:00:00Z`) : null;
}

/**
 * The declarations a place's evidence supports at `now` (issue 13 item 3), in DfE's order, by `rules`:
 * each of the schedule's types whose rule is met, dated by the evidence that met it — never before the
 * schedule's start (DfE refuses that: §2.4 item 6, so such evidence is dated at the start), never after
 * `now`, and only evidence before a withdrawal. None while deferred (DfE's guidance: wait for the
 * resumption) or without a schedule. A type is due only when every type before it is: DfE asks for
 * them in order (§2.4 item 6, "submit in order anyway"). `completed` carries `has_passed` on NPQs with
 * outcomes (§2.1); on EHCO and ASO, which have none, it is not proposed from evidence.
 */
export function declarationsDue(place: PlaceEvidence, rules: DeclarationRules, now: Date): DueDeclaration[] {
  if (place.trainingStatus === 'deferred' || !place.schedule) return [];
  const start = scheduleStart(place.cohort, place.schedule);
  const until = place.withdrawnAt && place.withdrawnAt < now ? place.withdrawnAt : now;
  const counted = place.activities.filter((a) => a.at < until || (a.at.getTime() === until.getTime() && !place.withdrawnAt)).sort((a, b) => a.at.getTime() - b.at.getTime());
  const dated = (at: Date) => (start && at < start ? start : at);
  const due: DueDeclaration[] = [];
  const nth = (n: number) => (n >= 1 && counted.length >= n ? counted[n - 1] : undefined);
  for (const type of allowedTypes(place.courseIdentifier, place.cohort, place.schedule)) {
    let found: DueDeclaration | undefined;
    if (type === 'started' && counted[0]) found = { type, date: dated(counted[0].at), summary: `${counted[0].summary} (the first evidence of taking part)`, hasPassed: null };
    if (type === 'retained-1' || type === 'retained-2') {
      const n = type === 'retained-1' ? rules.retained1Activities : rules.retained2Activities;
      const a = nth(n);
      if (a) found = { type, date: dated(a.at), summary: `${n} sessions attended or pieces of modules done, the last: ${a.summary}`, hasPassed: null };
    }
    if (type === 'completed' && place.outcome && hasOutcomes(place.courseIdentifier)) {
      const at = new Date(`${place.outcome.completionDate}T12:00:00Z`);
      if (at <= until) found = { type, date: dated(at), summary: `Assessment ${place.outcome.state} on ${place.outcome.completionDate}`, hasPassed: place.outcome.state === 'passed' };
    }
    if (!found) break;
    // Never earlier than the declaration before it: DfE reads them as a sequence.
    const before = due.at(-1);
    if (before && found.date < before.date) found.date = before.date;
    // Moved to the schedule's start, the date must still be before a withdrawal and not in the future (DfE refuses either: §2.4 items 3 and 7).
    if (found.date >= until) break;
    due.push(found);
  }
  return due;
}

/** A milestone: the date a declaration must be sent by to be paid on the payment date (docs/dfe-api.md §2.3), UK dates. */
export interface Milestone {
  milestoneDate: string;
  paymentDate: string;
}

type Season = 'autumn' | 'spring';
type MilestoneRow = Record<'started' | 'retained-1' | 'retained-2' | 'completed-specialist' | 'completed-leadership', Milestone>;
const m = (milestoneDate: string, paymentDate: string): Milestone => ({ milestoneDate, paymentDate });

/** DfE's published milestone and payment dates (§2.3); later cohorts have none published (their statements say). */
const MILESTONES: Record<string, Partial<Record<Season, MilestoneRow>>> = {
  '2023a': {
    autumn: { started: m('2023-11-24', '2023-12-14'), 'retained-1': m('2024-03-11', '2024-03-18'), 'retained-2': m('2025-01-24', '2025-02-25'), 'completed-specialist': m('2025-02-25', '2025-03-18'), 'completed-leadership': m('2025-08-25', '2025-09-25') },
    spring: { started: m('2024-06-25', '2024-07-25'), 'retained-1': m('2024-10-25', '2024-11-25'), 'retained-2': m('2025-05-25', '2025-06-25'), 'completed-specialist': m('2025-05-25', '2025-06-25'), 'completed-leadership': m('2025-12-19', '2026-01-26') },
  },
  '2024a': {
    autumn: { started: m('2024-11-25', '2024-12-15'), 'retained-1': m('2025-05-26', '2025-06-25'), 'retained-2': m('2026-01-24', '2026-02-25'), 'completed-specialist': m('2026-02-21', '2026-03-26'), 'completed-leadership': m('2026-07-25', '2026-08-25') },
  },
  '2025a': {
    spring: { started: m('2025-05-30', '2025-06-25'), 'retained-1': m('2025-12-19', '2026-01-26'), 'retained-2': m('2026-07-24', '2026-08-25'), 'completed-specialist': m('2026-08-21', '2026-09-25'), 'completed-leadership': m('2027-02-25', '2027-03-25') },
  },
};

/** Which season a schedule follows: leadership and specialist by name; EHCO's November and December autumn, March and June spring. */
const seasonOf = (schedule: string): Season | null => (/autumn|november|december/.test(schedule) ? 'autumn' : /spring|march|june/.test(schedule) ? 'spring' : null);

/** The milestone a declaration of `type` must meet on this schedule (§2.3), or null where DfE published none (2025b on: the statements' cut-off dates say instead). */
export function milestoneOf(courseIdentifier: string, cohort: string, schedule: string | null, type: DeclarationType): Milestone | null {
  const season = schedule ? seasonOf(schedule) : null;
  const row = season ? MILESTONES[cohort]?.[season] : undefined;
  if (!row) return null;
  if (type !== 'completed') return row[type];
  return COURSE_GROUPS[courseIdentifier] === 'specialist' ? row['completed-specialist'] : row['completed-leadership'];
}

/** How many days before its milestone an unsent declaration counts as at risk of missing it. */
export const AT_RISK_DAYS = 14;

/**
 * Whether a declaration not yet sent is at risk of missing its milestone on `today` (UK date): the
 * milestone is within AT_RISK_DAYS or has passed. False with no milestone.
 */
export function atRisk(milestone: Milestone | null, today: string): boolean {
  const standing = milestoneStanding(milestone, today);
  return standing === 'near' || standing === 'missed';
}

/**
 * Where an unsent declaration stands against its milestone on `today` (UK date): `none` where DfE
 * published none; `ahead`; `near` within AT_RISK_DAYS of it (the milestone day itself still counts);
 * `missed` once the milestone day is over. A missed milestone is not a refusal: DfE checks no milestone
 * (docs/dfe-api.md §2.4 item 6) and puts a declaration on the earliest open statement whose cut-off is
 * on or after the day it is sent (§2.7, "How a declaration is assigned to a statement"), so it is paid
 * on a later statement than the milestone's payment date.
 */
export function milestoneStanding(milestone: Milestone | null, today: string): 'none' | 'ahead' | 'near' | 'missed' {
  if (!milestone) return 'none';
  if (milestone.milestoneDate < today) return 'missed';
  const soon = new Date(`${today}T00:00:00Z`);
  soon.setUTCDate(soon.getUTCDate() + AT_RISK_DAYS);
  return milestone.milestoneDate <= soon.toISOString().slice(0, 10) ? 'near' : 'ahead';
}

/** What a missed milestone means, in the admin's words (DfE's rule: milestoneStanding). */
export const MISSED_MILESTONE_MEANS = 'DfE does not refuse a declaration for missing its milestone: it accepts it and pays it on the next statement whose cut-off has not passed when it is sent, later than the milestone’s payment date.';

/**
 * Whether a declaration the admin voided stops the evidence proposing the same one again: it does
 * while the evidence still gives the same type and date (the evidence the admin judged wrong); a
 * different date is new evidence, and proposed.
 */
export const voidedBlocks = (voided: readonly { declarationType: string; declarationDate: Date }[], due: Pick<DueDeclaration, 'type' | 'date'>) =>
  voided.some((v) => v.declarationType === due.type && v.declarationDate.getTime() === due.date.getTime());
