import { and, eq } from 'drizzle-orm';
import { participantOf } from '../../enrolment/enrolment.queries';
import type { Actor } from '../../platform/auth/actor';
import { formatDate } from '../../platform/clock';
import { type DiagnosticContext, instrument, policyOfRound, refuse, type RoundRow } from '../diagnostic.context';
import { diagnosticResponses, diagnosticRounds } from '../diagnostic.schema';
import { type ColleagueResponse, visibleFeedback } from '../domain/anonymity';
import type { ColleagueGroup } from '../domain/instrument';
import { buildReport, growth } from '../domain/report';
import { authoriseManager } from '../setup/save-settings';
import { ownRoundFor, roundFor } from '../rounds/own-round';
import { roundState } from '../rounds/round-state';

async function responsesOf(ctx: DiagnosticContext, roundId: string): Promise<ColleagueResponse[]> {
  const rows = await ctx.db.select({ group: diagnosticResponses.group, answers: diagnosticResponses.answers }).from(diagnosticResponses).where(eq(diagnosticResponses.roundId, roundId));
  return rows.map((r) => ({ group: r.group as ColleagueGroup, answers: r.answers }));
}

/** A round's report as its own rule shows it (visibleFeedback): the instrument, what may be seen, the report built from it. */
export async function reportOf(ctx: DiagnosticContext, round: RoundRow) {
  const [inst, responses] = await Promise.all([instrument(ctx, round.instrumentVersion), responsesOf(ctx, round.id)]);
  const visible = visibleFeedback(responses, policyOfRound(round));
  return { instrument: inst.content, visible, report: buildReport(inst.content, round.selfSubmitted ? round.selfAnswers : null, visible) };
}

/**
 * A closed round's report, with who it is for (name, NPQ) and the day it is produced, for its
 * heading; an end round's also shows growth since the start round, once that has closed too. Each
 * round reads under its own rule, so start and end may have different thresholds. AppError
 * report_not_ready (409) while the round can still receive answers.
 */
export async function reportOfRound(ctx: DiagnosticContext, round: RoundRow) {
  if (roundState(round, ctx.today()) !== 'closed') throw refuse('report_not_ready', `Your report is ready when the round closes, after ${formatDate(round.closesOn)}`, 409);
  const current = await reportOf(ctx, round);
  const who = await participantOf(ctx.db, round.applicationId);
  const other = await ctx.db
    .select()
    .from(diagnosticRounds)
    .where(and(eq(diagnosticRounds.applicationId, round.applicationId), eq(diagnosticRounds.kind, round.kind === 'start' ? 'end' : 'start')));
  const start = round.kind === 'end' && other[0] && roundState(other[0], ctx.today()) === 'closed' ? await reportOf(ctx, other[0]) : undefined;
  return { round, participant: who?.fullName ?? '', courseIdentifier: who?.courseIdentifier ?? '', producedOn: ctx.today(), ...current, growth: start ? growth(start.report, current.report) : undefined };
}

/** The participant's own report, once the round has closed (never while answers can still arrive); nobody else's. */
export async function readReport(ctx: DiagnosticContext, actor: Actor, roundId: string) {
  const { round } = await ownRoundFor(ctx, actor, roundId);
  return reportOfRound(ctx, round);
}

/** The same report for the provider (by API): the same rule, the same wait for the round to close. */
export async function reportForProvider(ctx: DiagnosticContext, actor: Actor, roundId: string) {
  authoriseManager(actor);
  const { round } = await roundFor(ctx, actor, roundId);
  return reportOfRound(ctx, round);
}
