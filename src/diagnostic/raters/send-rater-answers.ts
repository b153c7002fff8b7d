import { and, eq } from 'drizzle-orm';
import { participantOf } from '../../enrolment/enrolment.queries';
import { sha256 } from '../../platform/crypto';
import { AppError, ValidationError } from '../../platform/errors';
import { type DiagnosticContext, instrument, policyOfRound, refuse } from '../diagnostic.context';
import { diagnosticRaters, diagnosticResponses, diagnosticRounds } from '../diagnostic.schema';
import type { Answers, ColleagueGroup } from '../domain/instrument';
import { answerLimitErrors, checkAnswers } from '../domain/instrument';
import { roundState } from '../rounds/round-state';

/**
 * A rater's link: who asked them, the round's state and instrument, and what they were promised (named
 * group or the threshold). Undefined for a link that names no rater. Raters need no account: the link is their key.
 */
export async function raterByToken(ctx: DiagnosticContext, token: string) {
  const [rater] = await ctx.db.select().from(diagnosticRaters).where(eq(diagnosticRaters.tokenHash, sha256(token)));
  if (!rater) return undefined;
  const [round] = await ctx.db.select().from(diagnosticRounds).where(eq(diagnosticRounds.id, rater.roundId));
  const participant = await participantOf(ctx.db, round!.applicationId);
  const { content } = await instrument(ctx, round!.instrumentVersion);
  const policy = policyOfRound(round!);
  return {
    rater,
    round: round!,
    participant: participant?.fullName ?? '',
    instrument: content,
    state: roundState(round!, ctx.today()),
    named: policy.namedGroups.includes(rater.group as ColleagueGroup),
    threshold: policy.threshold,
  };
}

/**
 * Saves, sends or declines a rater's answers while the round is open (AppError link_expired after;
 * already_answered once sent or declined; ValidationError per statement). Sending moves the answers,
 * without the rater, to the responses, and leaves the rater only "submitted": from then on nothing
 * links them to what they said (docs/adr/0012).
 */
export async function sendRaterAnswers(ctx: DiagnosticContext, token: string, answers: Answers, action: 'save' | 'submit' | 'decline'): Promise<'saved' | 'submitted' | 'declined'> {
  const found = await raterByToken(ctx, token);
  if (found?.state !== 'open') throw new AppError('link_expired', 'This link has closed or is not valid', 410);
  if (found.rater.status !== 'invited') throw refuse('already_answered', 'You have already answered: thank you', 409);
  const stillInvited = and(eq(diagnosticRaters.id, found.rater.id), eq(diagnosticRaters.status, 'invited'));
  if (action === 'decline') {
    await ctx.db.update(diagnosticRaters).set({ status: 'declined', draft: null }).where(stillInvited);
    return 'declined';
  }
  const errors = checkAnswers(found.instrument, answers, action === 'submit');
  // Nothing over a limit is stored: a refused answer must not linger in the draft.
  if (Object.keys(answerLimitErrors(found.instrument, answers)).length) throw new ValidationError(errors);
  await ctx.db.update(diagnosticRaters).set({ draft: answers }).where(stillInvited);
  if (Object.keys(errors).length) throw new ValidationError(errors);
  if (action === 'save') return 'saved';
  await ctx.db.transaction(async (tx) => {
    const [claimed] = await tx.update(diagnosticRaters).set({ status: 'submitted', draft: null }).where(stillInvited).returning({ id: diagnosticRaters.id });
    if (!claimed) throw refuse('already_answered', 'You have already answered: thank you', 409);
    await tx.insert(diagnosticResponses).values({ roundId: found.round.id, group: found.rater.group, answers });
  });
  return 'submitted';
}
