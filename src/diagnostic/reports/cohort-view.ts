import { asc, inArray, sql } from 'drizzle-orm';
import { cohortByIdentifier, participantsOfCohort } from '../../enrolment/enrolment.queries';
import type { Actor } from '../../platform/auth/actor';
import { ForbiddenError } from '../../platform/errors';
import { type DiagnosticContext, instrument, policyOfRound, settings } from '../diagnostic.context';
import { diagnosticRaters, diagnosticRounds } from '../diagnostic.schema';
import { cohortDistribution, progressShown } from '../domain/anonymity';
import { diagnosticAbilities, scopeFilter } from '../domain/diagnostic.policy';
import { ensureRounds } from '../rounds/ensure-rounds';
import { type RoundKind, roundState } from '../rounds/round-state';
import { reportOf } from './read-report';

const BATCH = 5_000;
/** `read` for each 5,000 of `ids`, one after another, their rows together; none for no ids. */
async function inBatches<T>(ids: readonly string[], read: (batch: string[]) => Promise<T[]>): Promise<T[]> {
  const out: T[] = [];
  for (let i = 0; i < ids.length; i += BATCH) out.push(...(await read(ids.slice(i, i + BATCH))));
  return out;
}

/**
 * Every round of a cohort the actor may see (diagnostic policy's scope: a partner's staff see their
 * own partner's participants, or their own cohorts', never others'), in name order, for the admin's
 * list. Participants are not anonymous; raters are: how many answered only as `progressShown` allows.
 */
export async function cohortRounds(ctx: DiagnosticContext, actor: Actor, cohortIdentifier: string) {
  if (!diagnosticAbilities(actor).viewCohorts) throw new ForbiddenError();
  const cohort = await cohortByIdentifier(ctx.db, cohortIdentifier);
  if (cohort) await ensureRounds(ctx, { cohortId: cohort.id });
  const participants = await participantsOfCohort(ctx.db, cohortIdentifier, scopeFilter(actor));
  // In batches of ids: a cohort can hold more than the 65,535 parameters one statement takes.
  const rounds = (await inBatches(participants.map((p) => p.enrolmentId), (ids) => ctx.db.select().from(diagnosticRounds).where(inArray(diagnosticRounds.applicationId, ids)).orderBy(asc(diagnosticRounds.kind)))).sort((a, b) => (a.kind < b.kind ? -1 : a.kind > b.kind ? 1 : 0));
  const roundsOf = Map.groupBy(rounds, (round) => round.applicationId);
  // In the participants' name order, end before start (as the kinds sort).
  const rows = participants.flatMap((p) => (roundsOf.get(p.enrolmentId) ?? []).map((round) => ({ round, fullName: p.fullName, courseIdentifier: p.courseIdentifier })));
  const raterCounts = await inBatches(
    rows.map((r) => r.round.id),
    (ids) =>
      ctx.db
        .select({ roundId: diagnosticRaters.roundId, asked: sql<number>`count(*)::int`, answered: sql<number>`(count(*) filter (where ${diagnosticRaters.status} = 'submitted'))::int` })
        .from(diagnosticRaters)
        .where(inArray(diagnosticRaters.roundId, ids))
        .groupBy(diagnosticRaters.roundId),
  );
  const counts = new Map(raterCounts.map((c) => [c.roundId, c]));
  // How many answered, only as the participant may see it: a total once at least the threshold.
  return rows.map((r) => ({
    ...r,
    asked: counts.get(r.round.id)?.asked ?? 0,
    answered: progressShown(counts.get(r.round.id)?.answered ?? 0, policyOfRound(r.round)),
    threshold: policyOfRound(r.round).threshold,
    state: roundState(r.round, ctx.today()),
  }));
}

/**
 * The cohort at a glance for facilitators and admins: each participant's colleague scores only as
 * the anonymity rule shows them (so nothing here is finer than the participant's own report),
 * pooled into distributions per behaviour, shown only across at least the threshold of participants;
 * response rates only from rounds whose count may be shown; who has not started.
 */
export async function cohortView(ctx: DiagnosticContext, actor: Actor, cohortIdentifier: string) {
  const rows = await cohortRounds(ctx, actor, cohortIdentifier);
  const [{ content }, s] = await Promise.all([instrument(ctx), settings(ctx)]);
  const scores: Record<RoundKind, Map<string, number[]>> = { start: new Map(), end: new Map() };
  for (const r of rows.filter((x) => x.state === 'closed')) {
    const { report } = await reportOf(ctx, r.round);
    const kind = r.round.kind as RoundKind;
    for (const b of report.behaviours) if (b.others !== null) scores[kind].set(b.behaviourId, [...(scores[kind].get(b.behaviourId) ?? []), b.others]);
  }
  const summary = (xs: number[]) => cohortDistribution(xs, s.threshold);
  // Rounds whose count is held back add to neither figure, so no total minus the shown rounds'
  // counts can give one participant's small number of answers.
  const counted = rows.filter((r) => r.answered !== null);
  return {
    behaviours: content.behaviours.map((b) => ({ behaviourId: b.id, name: b.name, start: summary(scores.start.get(b.id) ?? []), end: summary(scores.end.get(b.id) ?? []) })),
    minimum: s.threshold,
    asked: counted.reduce((n, r) => n + r.asked, 0),
    answered: counted.reduce((n, r) => n + (r.answered ?? 0), 0),
    roundsBelowThreshold: rows.length - counted.length,
    notStarted: [...new Set(rows.filter((r) => r.state !== 'closed' && !r.round.selfSubmitted && r.asked === 0).map((r) => r.fullName))],
    rounds: rows,
  };
}
