import { eq } from 'drizzle-orm';
import type { Actor } from '../../platform/auth/actor';
import { ValidationError } from '../../platform/errors';
import { type DiagnosticContext, instrument, refuse } from '../diagnostic.context';
import { diagnosticRounds } from '../diagnostic.schema';
import { type Answers, answerLimitErrors, asSelf, checkAnswers } from '../domain/instrument';
import { ownRoundFor } from './own-round';

/**
 * Saves the participant's own ratings, or sends them (`submit`: once, then they are fixed), while
 * their round is open. ValidationError per statement; AppError round_not_open or already_sent.
 */
export async function rateSelf(ctx: DiagnosticContext, actor: Actor, roundId: string, answers: Answers, submit: boolean): Promise<void> {
  const { round, may } = await ownRoundFor(ctx, actor, roundId);
  if (!may.rateSelf) throw round.selfSubmitted && may.askColleagues ? refuse('already_sent', 'You have already sent your own ratings') : refuse('round_not_open', 'This round is not open');
  // The participant's own form speaks to them, and so do its messages.
  const content = asSelf((await instrument(ctx, round.instrumentVersion)).content);
  const errors = checkAnswers(content, answers, submit);
  // Nothing over a limit is stored: a refused answer must not linger in the draft.
  if (Object.keys(answerLimitErrors(content, answers)).length) throw new ValidationError(errors);
  await ctx.db.update(diagnosticRounds).set({ selfAnswers: answers }).where(eq(diagnosticRounds.id, round.id));
  if (Object.keys(errors).length) throw new ValidationError(errors);
  if (submit) await ctx.db.update(diagnosticRounds).set({ selfSubmitted: true }).where(eq(diagnosticRounds.id, round.id));
}
