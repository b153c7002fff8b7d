import { and, eq, isNull } from 'drizzle-orm';
import { audit } from '../../audit/audit';
import { participantOf } from '../../enrolment/enrolment.queries';
import type { Actor } from '../../platform/auth/actor';
import { formatDate, isPlainDate } from '../../platform/clock';
import { NotFoundError, ValidationError } from '../../platform/errors';
import { type DiagnosticContext, refuse, roundDatesChanged } from '../diagnostic.context';
import { diagnosticRounds } from '../diagnostic.schema';
import { authoriseManager } from '../setup/save-settings';
import { roundFor } from './own-round';
import { roundState } from './round-state';

/** Gives one participant longer, while their round is still open (AppError round_closed after; ValidationError { closesOn }). */
export async function extendRound(ctx: DiagnosticContext, actor: Actor, roundId: string, closesOn: string): Promise<void> {
  authoriseManager(actor);
  const { round, may } = await roundFor(ctx, actor, roundId);
  if (!may.extend) throw refuse('round_closed', 'This round has closed and its report may have been read: it cannot be reopened');
  if (!isPlainDate(closesOn)) throw new ValidationError({ closesOn: 'Enter the new closing date' });
  if (closesOn <= round.closesOn) throw new ValidationError({ closesOn: `The new closing date must be after ${formatDate(round.closesOn)}` });
  await ctx.db.transaction(async (tx) => {
    await tx.update(diagnosticRounds).set({ closesOn }).where(eq(diagnosticRounds.id, roundId));
    await audit(tx, ctx.clock, actor, { action: 'diagnostic.round_extended', entityType: 'diagnostic_round', entityId: roundId, before: { closesOn: round.closesOn }, after: { closesOn } });
  });
  await roundDatesChanged(ctx);
}

/** One round with its participant's name and cohort, for the admin's confirmation before closing it early. */
export async function roundForManager(ctx: DiagnosticContext, actor: Actor, roundId: string) {
  authoriseManager(actor);
  const { round } = await roundFor(ctx, actor, roundId);
  const who = await participantOf(ctx.db, round.applicationId);
  if (!who?.cohort) throw new NotFoundError('round');
  return { round, fullName: who.fullName, cohort: who.cohort, state: roundState(round, ctx.today()) };
}

/**
 * Ends a round now, so its report opens: for a cohort finishing ahead of its dates. The planned
 * dates are kept (the round is recorded as closed early today), so no page rewrites when it ran.
 * A round already closed stays as it is.
 */
export async function closeRoundNow(ctx: DiagnosticContext, actor: Actor, roundId: string): Promise<void> {
  authoriseManager(actor);
  const { round, may } = await roundFor(ctx, actor, roundId);
  if (!may.closeEarly) return;
  const closedOn = ctx.today();
  await ctx.db.transaction(async (tx) => {
    await tx.update(diagnosticRounds).set({ closedEarlyOn: closedOn }).where(and(eq(diagnosticRounds.id, roundId), isNull(diagnosticRounds.closedEarlyOn)));
    await audit(tx, ctx.clock, actor, {
      action: 'diagnostic.round_closed_early',
      entityType: 'diagnostic_round',
      entityId: roundId,
      before: { opensOn: round.opensOn, closesOn: round.closesOn, closedEarlyOn: null },
      after: { opensOn: round.opensOn, closesOn: round.closesOn, closedEarlyOn: closedOn },
    });
  });
  await roundDatesChanged(ctx);
}
