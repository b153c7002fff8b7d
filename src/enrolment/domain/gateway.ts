/**
 * NPQH's gateway assessment: a reviewer scores each criterion and records pass or fail. The pass mark
 * is the rule; a result against it (a pass below the mark, a fail at or above it) is a judgement the
 * reviewer may make, but only with a reason, which is kept with the result and in the audit log.
 */

export interface GatewayCriterion {
  id: string;
  name: string;
  maxScore: number;
}

export interface GatewayReviewInput {
  /** Each criterion's score as typed, by criterion id. */
  scores: Record<string, string | undefined>;
  result?: string | undefined;
  feedback?: string | undefined;
  /** Why the result goes against the pass mark; needed only when it does. */
  overrideReason?: string | undefined;
}

export type GatewayReviewDecision =
  | { ok: true; scores: Record<string, number>; total: number; result: 'passed' | 'failed'; feedback: string; overrideReason: string | null }
  | { ok: false; errors: Record<string, string> };

export const GATEWAY_FEEDBACK_MAX = 5000;
export const GATEWAY_REASON_MAX = 1000;

/** The result the pass mark gives for a total. */
export const resultByMark = (total: number, passMark: number): 'passed' | 'failed' => (total >= passMark ? 'passed' : 'failed');

/** Checks a review against the criteria and the pass mark; errors are keyed by the form's field names. */
export function decideGatewayReview(criteria: readonly GatewayCriterion[], passMark: number, input: GatewayReviewInput): GatewayReviewDecision {
  const errors: Record<string, string> = {};
  const scores: Record<string, number> = {};
  for (const c of criteria) {
    const raw = input.scores[c.id];
    const n = Number(raw);
    if (raw === undefined || raw === '' || !Number.isInteger(n) || n < 0 || n > c.maxScore) errors[`score-${c.id}`] = `Score “${c.name}” from 0 to ${c.maxScore}`;
    else scores[c.id] = n;
  }
  const result = input.result === 'passed' || input.result === 'failed' ? input.result : undefined;
  if (!result) errors.result = 'Select pass or fail';
  const feedback = (input.feedback ?? '').trim();
  if (!feedback) errors.feedback = 'Write feedback for the applicant';
  else if (feedback.length > GATEWAY_FEEDBACK_MAX) errors.feedback = `Feedback must be ${GATEWAY_FEEDBACK_MAX.toLocaleString('en-GB')} characters or fewer`;
  const total = Object.values(scores).reduce((s, n) => s + n, 0);
  const reason = (input.overrideReason ?? '').trim();
  const complete = Object.keys(scores).length === criteria.length;
  const against = complete && result !== undefined && result !== resultByMark(total, passMark);
  if (against && !reason) {
    errors.overrideReason =
      result === 'passed'
        ? `The scores total ${total}, below the pass mark of ${passMark}: give the reason for passing, or record a fail`
        : `The scores total ${total}, which reaches the pass mark of ${passMark}: give the reason for failing, or record a pass`;
  } else if (against && reason.length > GATEWAY_REASON_MAX) errors.overrideReason = `The reason must be ${GATEWAY_REASON_MAX.toLocaleString('en-GB')} characters or fewer`;
  if (Object.keys(errors).length || !result) return { ok: false, errors };
  return { ok: true, scores, total, result, feedback, overrideReason: against ? reason : null };
}
