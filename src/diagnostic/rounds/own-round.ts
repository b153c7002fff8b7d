import { asc, eq, inArray, sql } from 'drizzle-orm';
import { enrolmentsOfUser, participantOf } from '../../enrolment/enrolment.queries';
import type { Actor } from '../../platform/auth/actor';
import { NotFoundError } from '../../platform/errors';
import { requireFullySignedIn } from '../../platform/auth/require-signed-in';
import { type DiagnosticContext, instrument, policyOfRound, type RoundRow, settings } from '../diagnostic.context';
import { diagnosticRaters, diagnosticResponses, diagnosticRounds } from '../diagnostic.schema';
import { progressShown } from '../domain/anonymity';
import { abilitiesFor, type RoundAbilities } from '../domain/diagnostic.policy';
import { ensureRounds } from './ensure-rounds';
import { roundState } from './round-state';

/**
 * A round with what the actor may do with it (diagnostic policy: own record, permission, state).
 * One they may not see is NotFoundError, exactly as a round that does not exist.
 */
export async function roundFor(ctx: DiagnosticContext, actor: Actor, roundId: string): Promise<{ round: RoundRow; may: RoundAbilities }> {
  const [round] = await ctx.db.select().from(diagnosticRounds).where(eq(diagnosticRounds.id, roundId));
  if (!round) throw new NotFoundError('round');
  const participantUserId = (await participantOf(ctx.db, round.applicationId))?.userId ?? null;
  const may = abilitiesFor(actor, { participantUserId, state: roundState(round, ctx.today()), selfSubmitted: round.selfSubmitted });
  if (!may.see) throw new NotFoundError('round');
  return { round, may };
}

/**
 * The actor's own round and what they may do in it: UnauthenticatedError for anyone not fully signed
 * in; NotFoundError for someone else's round, even to those who run the 360° (they have their own views).
 */
export async function ownRoundFor(ctx: DiagnosticContext, actor: Actor, roundId: string): Promise<{ round: RoundRow; may: RoundAbilities }> {
  requireFullySignedIn(actor);
  const found = await roundFor(ctx, actor, roundId);
  if (!found.may.workIn) throw new NotFoundError('round');
  return found;
}

/** The actor's own round (see `ownRoundFor`). */
export const ownRound = async (ctx: DiagnosticContext, actor: Actor, roundId: string): Promise<RoundRow> => (await ownRoundFor(ctx, actor, roundId)).round;

/** The participant's rounds, made when their cohort's dates are set; each keeps the instrument version it began with. */
export async function myRounds(ctx: DiagnosticContext, actor: Actor) {
  const me = requireFullySignedIn(actor);
  await ensureRounds(ctx, { userId: me.userId });
  const enrolments = new Map((await enrolmentsOfUser(ctx.db, me.userId)).map((e) => [e.enrolmentId, e]));
  if (!enrolments.size) return [];
  const rounds = await ctx.db
    .select()
    .from(diagnosticRounds)
    .where(inArray(diagnosticRounds.applicationId, [...enrolments.keys()]))
    .orderBy(asc(diagnosticRounds.opensOn));
  return rounds.map((round) => ({ round, courseIdentifier: enrolments.get(round.applicationId)!.courseIdentifier, state: roundState(round, ctx.today()) }));
}

/**
 * The participant's own round: whom they asked, the rule their raters were promised, and how many
 * have answered only as `progressShown` allows (a total once at least the threshold; never per
 * group, never who declined), and what they may do in it now (`may`: the 360° policy).
 */
export async function roundView(ctx: DiagnosticContext, actor: Actor, roundId: string) {
  const { round, may } = await ownRoundFor(ctx, actor, roundId);
  const [inst, s] = await Promise.all([instrument(ctx, round.instrumentVersion), settings(ctx)]);
  const raters = await ctx.db
    .select({ id: diagnosticRaters.id, group: diagnosticRaters.group, name: diagnosticRaters.name, email: diagnosticRaters.email })
    .from(diagnosticRaters)
    .where(eq(diagnosticRaters.roundId, round.id))
    .orderBy(asc(diagnosticRaters.group), asc(diagnosticRaters.name));
  const [sent] = await ctx.db.select({ n: sql<number>`count(*)::int` }).from(diagnosticResponses).where(eq(diagnosticResponses.roundId, round.id));
  const policy = policyOfRound(round);
  return { round, may, instrument: inst.content, policy, groupLimits: s.groupLimits, raters, answered: progressShown(sent?.n ?? 0, policy), state: roundState(round, ctx.today()) };
}
