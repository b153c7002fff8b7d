import { Temporal } from '@js-temporal/polyfill';
import type { PlainDate } from '../../platform/clock';
import type { Engagement } from './engagement';

/*
 * Early warning (issue 11 item 4): a participant is flagged "at risk" when signals add up. Each signal
 * has a weight the pages show beside it, and the flag is the sum against one threshold, so whoever
 * reads it can see why (never a black box). Pure functions of what the other capabilities recorded;
 * docs/adr/0058 says why each weight is what it is.
 */

export const RISK_SIGNALS = ['missed_sessions', 'overdue_work', 'no_sign_in', 'coaching_not_booked', 'behind_hours'] as const;
export type RiskSignalKind = (typeof RISK_SIGNALS)[number];

/** A signal as found: its weight in the score, how much of it there is (what a follow-up acknowledges) and what it says. */
export interface RiskSignal {
  signal: RiskSignalKind;
  weight: number;
  /** Sessions missed, pieces overdue, three-week stretches without signing in, steps below the threshold: a follow-up clears the flag until one of these grows. */
  amount: number;
  /**
   * What the signal is made of, where that has an identity: the sessions missed, the pieces overdue,
   * the day a silence began. A follow-up clears the flag only for these: another session missed
   * instead of one caught up, or a new silence after a sign-in, is new.
   */
  keys: string[];
  /** The reason in words, as the lists and the digest show it. */
  reason: string;
}

/** The score at which a participant is flagged at risk: two missed sessions and a month without signing in, say, but not one missed session alone. */
export const AT_RISK_SCORE = 5;

/** Weeks without signing in that make a signal, and the weeks at which it weighs more. */
export const NO_SIGN_IN_WEEKS = 3;
export const LONG_NO_SIGN_IN_WEEKS = 6;

/** Weeks after the intake's start by which a participant entitled to coaching is expected to have booked some. */
export const COACHING_BOOKED_WITHIN_WEEKS = 6;

/** What each signal weighs: per missed session, per overdue piece (each capped), and the rest as written in riskSignalsOf. */
export const RISK_WEIGHTS = {
  perMissedSession: 2,
  missedSessionsCap: 6,
  perOverduePiece: 1,
  overdueWorkCap: 4,
  noSignIn: 3,
  longNoSignIn: 5,
  coachingNotBooked: 2,
  /** Behind the threshold: this, and one more for each further ten points below it, up to behindHoursCap. */
  behindHours: 1,
  behindHoursCap: 4,
} as const;

/** What the signals are read from, for one participant, as of `today`. */
export interface RiskFacts {
  /** Events and briefings whose register says absent (not excused), less events whose catch-up task they did since: their keys. */
  missedSessions: readonly string[];
  /** Pre-work past its due date not done, and modules past the date they were expected to be finished (MODULE_EXPECTED_WITHIN_DAYS after release) not complete (core tasks among their activities): their keys. */
  overdueWork: readonly string[];
  /** When they last used the platform signed in; null if never. */
  lastSeenOn: PlainDate | null;
  /** The intake's start, from which a participant who never signed in is counted absent; null when unplaced. */
  startDate: PlainDate | null;
  /** Coaching minutes the NPQ entitles them to (0: none), whether a coach is allocated them, and coaching sessions booked, held or missed so far. */
  coachingEntitledMinutes: number;
  coachAllocated: boolean;
  coachingBooked: number;
  engagement: Pick<Engagement, 'percent' | 'thresholdPercent' | 'below'>;
}

const weeksBetween = (from: PlainDate, to: PlainDate) => Math.floor(Temporal.PlainDate.from(from).until(Temporal.PlainDate.from(to), { largestUnit: 'days' }).days / 7);
const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/**
 * The signals found in `facts` on `today` (a UK date), strongest first, with their weights and
 * reasons. Nothing before the intake starts but what is already recorded. Source: issue 11 item 4's
 * list (missed events, overdue pre-work or core tasks, no sign-in for weeks, coaching not booked,
 * falling behind the expected hours); the weights are the provider's (ADR 0058).
 */
export function riskSignalsOf(facts: RiskFacts, today: PlainDate): RiskSignal[] {
  const w = RISK_WEIGHTS;
  const found: RiskSignal[] = [];
  const missed = facts.missedSessions.length;
  if (missed > 0) {
    found.push({ signal: 'missed_sessions', weight: Math.min(w.missedSessionsCap, w.perMissedSession * missed), amount: missed, keys: [...facts.missedSessions], reason: `Missed ${plural(missed, 'session', 'sessions')} without catching up` });
  }
  const overdue = facts.overdueWork.length;
  if (overdue > 0) {
    found.push({ signal: 'overdue_work', weight: Math.min(w.overdueWorkCap, w.perOverduePiece * overdue), amount: overdue, keys: [...facts.overdueWork], reason: `${plural(overdue, 'piece', 'pieces')} of pre-work or modules overdue` });
  }
  const started = facts.startDate !== null && facts.startDate <= today;
  const since = facts.lastSeenOn ?? (started ? facts.startDate : null);
  if (since !== null) {
    const weeks = weeksBetween(since, today);
    if (weeks >= NO_SIGN_IN_WEEKS) {
      found.push({
        signal: 'no_sign_in',
        weight: weeks >= LONG_NO_SIGN_IN_WEEKS ? w.longNoSignIn : w.noSignIn,
        amount: Math.floor(weeks / NO_SIGN_IN_WEEKS),
        keys: [since],
        reason: facts.lastSeenOn ? `Not signed in for ${weeks} weeks` : `Not signed in since the programme started ${weeks} weeks ago`,
      });
    }
  }
  // Without a coach they cannot book: that wants the provider's action, not the participant's, and is not theirs to be flagged for.
  if (started && facts.coachingEntitledMinutes > 0 && facts.coachAllocated && facts.coachingBooked === 0 && weeksBetween(facts.startDate!, today) >= COACHING_BOOKED_WITHIN_WEEKS) {
    found.push({ signal: 'coaching_not_booked', weight: w.coachingNotBooked, amount: 1, keys: [], reason: `No coaching booked ${weeksBetween(facts.startDate!, today)} weeks into the programme` });
  }
  const { percent, thresholdPercent, below } = facts.engagement;
  if (below && percent !== null) {
    const steps = Math.floor((thresholdPercent - percent - 1) / 10);
    found.push({ signal: 'behind_hours', weight: Math.min(w.behindHoursCap, w.behindHours + steps), amount: steps + 1, keys: [], reason: `Engagement ${percent}%, below the ${thresholdPercent}% expected` });
  }
  return found.sort((a, b) => b.weight - a.weight || RISK_SIGNALS.indexOf(a.signal) - RISK_SIGNALS.indexOf(b.signal));
}

/** The sum of the signals' weights. */
export const riskScore = (signals: readonly RiskSignal[]): number => signals.reduce((n, s) => n + s.weight, 0);

/** What a follow-up acknowledged: each signal's amount, and what it was made of, when it was recorded. */
export type Acknowledged = readonly (Pick<RiskSignal, 'signal' | 'amount'> & { keys?: string[] | undefined })[];

/** What a follow-up acknowledges of these signals. */
export const acknowledgementOf = (signals: readonly RiskSignal[]): Acknowledged => signals.map(({ signal, amount, keys }) => ({ signal, amount, keys }));

/**
 * The signals that are new since a follow-up acknowledged `acknowledged`: of a kind it did not see,
 * grown beyond what it saw, or made of something it did not see (another session missed, a silence
 * begun since).
 */
export function newSince(signals: readonly RiskSignal[], acknowledged: Acknowledged): RiskSignal[] {
  const seen = new Map(acknowledged.map((a) => [a.signal, a]));
  return signals.filter((s) => {
    const a = seen.get(s.signal);
    if (!a || s.amount > a.amount) return true;
    return a.keys !== undefined && s.keys.some((k) => !a.keys!.includes(k));
  });
}

/** A participant's early warning as the lists, pages, digest and API give it. */
export interface Risk {
  signals: RiskSignal[];
  score: number;
  /** Flagged: the score reaches AT_RISK_SCORE, and no follow-up since has seen all of these signals. */
  atRisk: boolean;
  /** The score reaches AT_RISK_SCORE but a follow-up has seen every signal: cleared until a new one. */
  followedUp: boolean;
}

/**
 * The flag from the signals and the last follow-up's acknowledgement, if any (issue 11 item 4: "a
 * follow-up… clears the flag until new signals arrive"): flagged when the score reaches AT_RISK_SCORE
 * unless the last follow-up saw every signal there is now at its present amount (newSince); never
 * while the participant is not `inTraining` (deferred or withdrawn).
 */
export function riskOf(signals: RiskSignal[], lastFollowUp: Acknowledged | undefined, inTraining = true): Risk {
  const score = riskScore(signals);
  // Only those in training are flagged: a deferred participant is paused, a withdrawn one gone (their signals are still shown).
  const reaches = inTraining && score >= AT_RISK_SCORE;
  const cleared = reaches && lastFollowUp !== undefined && newSince(signals, lastFollowUp).length === 0;
  return { signals, score, atRisk: reaches && !cleared, followedUp: cleared };
}

/** How a follow-up was made (issue 11 item 4: "called, emailed, met"). */
export const FOLLOW_UP_KINDS = ['called', 'emailed', 'met'] as const;
export type FollowUpKind = (typeof FOLLOW_UP_KINDS)[number];
export const FOLLOW_UP_KIND_LABELS: Record<FollowUpKind, string> = { called: 'Called them', emailed: 'Emailed them', met: 'Met them' };

/** The longest note a follow-up keeps, in characters. */
export const FOLLOW_UP_NOTE_MAX = 2_000;

/**
 * A short fingerprint of the signals as a page showed them (kind, amount and what each is made of), so
 * a follow-up acknowledges only what its recorder saw: the page sends it back, and a follow-up posted
 * after something new came up is refused (follow-ups.ts).
 */
export function signalsFingerprint(signals: readonly RiskSignal[]): string {
  const text = signals
    .map((s) => `${s.signal}:${s.amount}:${[...s.keys].sort().join(',')}`)
    .sort()
    .join(';');
  let h = 2166136261;
  for (const c of text) h = Math.imul(h ^ c.charCodeAt(0), 16777619);
  return (h >>> 0).toString(36);
}
