import { one } from '../../platform/forms';
import { workflow } from '../../platform/workflow';

/**
 * How the provider draws its moderation sample (issue 12 item 5: "every fail, every borderline within
 * N marks of the pass mark, every new assessor's first five, and a random X% of the rest, at least one
 * per assessor"), and how far a moderator's total may differ from the first before a third marker
 * decides. Marks are whole marks of the script's total.
 */
export interface SampleRules {
  everyFail: boolean;
  /** Within this many marks of the pass mark, either side: 0 takes none. */
  borderlineWithin: number;
  /** An assessor's first this-many marked scripts: 0 takes none. */
  newAssessorFirst: number;
  /** Of the scripts no other rule takes, this share (0 to 100), over every draw so far: see drawSample. */
  randomPercent: number;
  atLeastOnePerAssessor: boolean;
  /** A difference of more than this many marks between the first and second totals goes to a third marker. */
  tolerance: number;
}

/** The rules until the provider sets its own: a common starting point among providers. */
export const DEFAULT_SAMPLE_RULES: SampleRules = { everyFail: true, borderlineWithin: 2, newAssessorFirst: 5, randomPercent: 10, atLeastOnePerAssessor: true, tolerance: 4 };

export const SAMPLE_REASONS = ['fail', 'borderline', 'new_assessor', 'random', 'per_assessor'] as const;
export type SampleReason = (typeof SAMPLE_REASONS)[number];
export const SAMPLE_REASON_TEXT: Record<SampleReason, string> = {
  fail: 'Every fail',
  borderline: 'Borderline',
  new_assessor: 'A new assessor’s first scripts',
  random: 'Random',
  per_assessor: 'At least one per assessor',
};

/** A first marking as the sample weighs it. `assessorOrder` is its place (from 1) among everything that assessor has marked, in the order they submitted. */
export interface MarkedScript {
  submissionId: string;
  assessorUserId: string;
  total: number;
  result: 'pass' | 'fail';
  passMark: number;
  assessorOrder: number;
}

/** What earlier draws took, so that many small draws sample as one big draw would. */
export interface EarlierDraws {
  /** Scripts no other rule took (the random share's base), in every earlier draw. */
  restConsidered: number;
  /** Of those, how many the random share took. */
  randomTaken: number;
  /** Assessors with a script in the sample already. */
  assessorsSampled: ReadonlySet<string>;
}
export const NO_EARLIER_DRAWS: EarlierDraws = { restConsidered: 0, randomTaken: 0, assessorsSampled: new Set() };

/**
 * Draws the sample from first markings not drawn on before (issue 12 item 5), by the provider's
 * rules in their order — fail, borderline, a new assessor's first, then a random share of the rest —
 * and then one more per assessor with none in it, now or in an earlier draw. The random share is
 * of every script the other rules left, in this draw and the earlier ones, rounded to the nearest
 * whole script, less what earlier draws took: a provider drawing after each marked script samples
 * about as many as one drawing once at the end (rounding up each draw took every script). `random`
 * gives numbers in [0, 1): the caller's source, so the draw is pure and a test can repeat it.
 * Returns the scripts taken, each with the first rule that took it.
 */
export function drawSample(scripts: readonly MarkedScript[], rules: SampleRules, random: () => number, earlier: EarlierDraws = NO_EARLIER_DRAWS): Map<string, SampleReason> {
  const taken = new Map<string, SampleReason>();
  for (const s of scripts) {
    if (rules.everyFail && s.result === 'fail') taken.set(s.submissionId, 'fail');
    else if (rules.borderlineWithin > 0 && Math.abs(s.total - s.passMark) <= rules.borderlineWithin) taken.set(s.submissionId, 'borderline');
    else if (s.assessorOrder <= rules.newAssessorFirst) taken.set(s.submissionId, 'new_assessor');
  }
  const rest = shuffled(
    scripts.filter((s) => !taken.has(s.submissionId)),
    random,
  );
  const percent = Math.min(100, Math.max(0, rules.randomPercent));
  const due = Math.round(((earlier.restConsidered + rest.length) * percent) / 100) - earlier.randomTaken;
  const share = Math.min(rest.length, Math.max(0, due));
  for (const s of rest.slice(0, share)) taken.set(s.submissionId, 'random');
  if (rules.atLeastOnePerAssessor) {
    const left = rest.slice(share);
    for (const assessor of new Set(scripts.map((s) => s.assessorUserId))) {
      if (earlier.assessorsSampled.has(assessor) || scripts.some((s) => s.assessorUserId === assessor && taken.has(s.submissionId))) continue;
      const one = left.find((s) => s.assessorUserId === assessor);
      if (one) taken.set(one.submissionId, 'per_assessor');
    }
  }
  return taken;
}

/** A copy in random order (Fisher–Yates), by the caller's source of randomness. */
function shuffled<T>(items: readonly T[], random: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/**
 * A moderated script's course (issue 12 item 5): waiting for its second marking (blind to the first);
 * then, both seen, the moderator agrees (the first marks stand), adjusts (their own stand) or sends
 * it back to the assessor to mark again; a difference beyond the tolerance goes to a third marker,
 * whose marks stand.
 */
export const MODERATION_WORKFLOW = workflow({
  name: 'moderation',
  description: 'A sampled script: second-marked blind, then agreed, adjusted or sent back by its moderator; beyond the tolerance, decided by a third marker.',
  states: ['second_marking', 'to_decide', 'sent_back', 'third_marking', 'agreed', 'adjusted', 'third_marked'],
  initial: ['second_marking'],
  events: {
    secondMarked: { from: ['second_marking'], to: 'to_decide' },
    beyondTolerance: { from: ['second_marking', 'to_decide'], to: 'third_marking' },
    agree: { from: ['to_decide'], to: 'agreed' },
    adjust: { from: ['to_decide'], to: 'adjusted' },
    sendBack: { from: ['to_decide'], to: 'sent_back' },
    remarked: { from: ['sent_back'], to: 'to_decide' },
    thirdMarked: { from: ['third_marking'], to: 'third_marked' },
  },
  groups: { open: ['second_marking', 'to_decide', 'sent_back', 'third_marking'], done: ['agreed', 'adjusted', 'third_marked'] },
});
export type ModerationStatus = (typeof MODERATION_WORKFLOW.states)[number];

/** Whether two totals differ by more than the tolerance, so a third marker decides. */
export const beyondTolerance = (first: number, second: number, tolerance: number): boolean => Math.abs(first - second) > tolerance;

/** One script's first and final marking, for agreement statistics. */
export interface MarkPair {
  first: { total: number; result: 'pass' | 'fail' };
  final: { total: number; result: 'pass' | 'fail' };
}

/**
 * How far moderation agreed with the first marks (issue 12 item 5): the share of scripts whose total
 * stood exactly, the mean of (final − first) in marks, and Cohen's kappa on pass and fail — agreement
 * beyond what chance would give. Kappa is null where it cannot be worked out: with no scripts, or
 * when the first and final marks each gave every script the same result (every one a pass, say), as
 * chance alone would then agree every time and kappa is 0 ÷ 0. Shares are fractions (0 to 1).
 */
export function agreementOf(pairs: readonly MarkPair[]): { scripts: number; exactAgreement: number | null; meanDifference: number | null; kappa: number | null } {
  const n = pairs.length;
  if (!n) return { scripts: 0, exactAgreement: null, meanDifference: null, kappa: null };
  const exact = pairs.filter((p) => p.first.total === p.final.total).length / n;
  const meanDifference = pairs.reduce((sum, p) => sum + (p.final.total - p.first.total), 0) / n;
  const observed = pairs.filter((p) => p.first.result === p.final.result).length / n;
  const firstPass = pairs.filter((p) => p.first.result === 'pass').length / n;
  const finalPass = pairs.filter((p) => p.final.result === 'pass').length / n;
  const chance = firstPass * finalPass + (1 - firstPass) * (1 - finalPass);
  // Null, not 1: chance alone agrees every time, so there is no agreement beyond it to measure, and "1.00" read as perfect.
  const kappa = chance === 1 ? null : (observed - chance) / (1 - chance);
  return { scripts: n, exactAgreement: exact, meanDifference, kappa };
}

/** The limits of each rule as the provider sets them. */
export const SAMPLE_RULE_LIMITS = { borderlineWithin: 20, newAssessorFirst: 50, randomPercent: 100, tolerance: 40 } as const;

/** Reads the rules from the admin's form: whole numbers within SAMPLE_RULE_LIMITS, and yes/no choices. Returns the rules or the errors by field. */
export function readSampleRules(body: Record<string, unknown>): { rules: SampleRules; errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  const text = (v: unknown) => one(v).trim();
  const whole = (field: keyof typeof SAMPLE_RULE_LIMITS, label: string): number => {
    const raw = text(body[field]);
    const max = SAMPLE_RULE_LIMITS[field];
    if (!/^\d{1,3}$/.test(raw) || Number(raw) > max) {
      errors[field] = `${label} must be a whole number from 0 to ${max}`;
      return 0;
    }
    return Number(raw);
  };
  const rules: SampleRules = {
    everyFail: text(body.everyFail) === 'yes',
    borderlineWithin: whole('borderlineWithin', 'Borderline marks'),
    newAssessorFirst: whole('newAssessorFirst', 'A new assessor’s first scripts'),
    randomPercent: whole('randomPercent', 'The random share'),
    atLeastOnePerAssessor: text(body.atLeastOnePerAssessor) === 'yes',
    tolerance: whole('tolerance', 'The tolerance'),
  };
  return { rules, errors };
}
