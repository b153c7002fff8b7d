import { count, eq, inArray, lt, min, sql } from 'drizzle-orm';
import type { Executor } from '../../db/client';
import { type Place, placesInTraining } from '../../enrolment/enrolment.queries';
import { type PlaceEngagement, engagementOfPlaces } from '../engagement.compute';
import { ENGAGEMENT_CHANNEL, type EngagementContext } from '../engagement.context';
import { engagementSnapshots } from '../engagement.schema';

/** Places computed and written together: few queries each, and well under PostgreSQL's limit of parameters. */
const BATCH = 2_000;

/** Writes computed engagement as each place's snapshot, replacing the one before. */
export async function writeSnapshots(db: Executor, at: Date, computed: readonly PlaceEngagement[]): Promise<void> {
  if (!computed.length) return;
  await db
    .insert(engagementSnapshots)
    .values(
      computed.map(({ place, group, engagement: e, risk }) => ({
        enrolmentId: place.enrolmentId,
        computedAt: at,
        fullName: place.fullName,
        courseIdentifier: place.courseIdentifier,
        cohortId: place.cohortId,
        intakeId: place.intakeId,
        deliveryPartnerId: place.deliveryPartnerId,
        groupId: group?.groupId ?? null,
        groupName: group?.groupName ?? null,
        facilitatorUserId: group?.facilitatorUserId ?? null,
        expectedMinutes: e.expectedMinutes,
        countedMinutes: e.countedMinutes,
        percent: e.percent,
        thresholdPercent: e.thresholdPercent,
        below: e.below,
        components: e.components,
        riskSignals: risk.signals,
        riskScore: risk.score,
        atRisk: risk.atRisk,
        flaggedSince: risk.atRisk ? at : null,
      })),
    )
    .onConflictDoUpdate({
      target: engagementSnapshots.enrolmentId,
      set: {
        ...Object.fromEntries(
          ['computed_at', 'full_name', 'course_identifier', 'cohort_id', 'intake_id', 'delivery_partner_id', 'group_id', 'group_name', 'facilitator_user_id', 'expected_minutes', 'counted_minutes', 'percent', 'threshold_percent', 'below', 'components', 'risk_signals', 'risk_score', 'at_risk'].map((column) => [
            column.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase()),
            sql.raw(`excluded.${column}`),
          ]),
        ),
        // A flag still up keeps the day its stretch began (the digest lists each stretch once); a new one begins now; none, none.
        flaggedSince: sql`case when excluded.at_risk then coalesce(${engagementSnapshots.flaggedSince}, excluded.flagged_since) end`,
      },
    });
}

/** Computes these places' engagement now and keeps it as the snapshots of those in training. */
export async function refreshPlaces(ctx: EngagementContext, places: readonly Place[]): Promise<PlaceEngagement[]> {
  const now = ctx.clock.now();
  const computed = await engagementOfPlaces(ctx.db, now, places);
  // Only places in training are on the lists: a withdrawn participant's figures are computed for them, never kept (and any kept before go).
  await writeSnapshots(ctx.db, now, computed.filter((c) => c.place.trainingStatus !== 'withdrawn'));
  const gone = computed.filter((c) => c.place.trainingStatus === 'withdrawn').map((c) => c.place.enrolmentId);
  if (gone.length) await ctx.db.delete(engagementSnapshots).where(inArray(engagementSnapshots.enrolmentId, gone));
  return computed;
}

/**
 * The nightly run (issue 11 item 3): every participant in training's engagement computed afresh and
 * kept, BATCH places at a time walked by name and id (docs/adr/0044), so memory stays flat however
 * many there are; then the snapshots of places no longer in training are removed. Early warning's
 * signals and flags are computed with the figures (issue 11 item 4). Returns how many were computed,
 * how many are flagged at risk, and how long the computing took (milliseconds), for the runner's log
 * and the bench.
 */
export async function refreshEngagement(ctx: EngagementContext): Promise<{ participants: number; atRisk: number; ms: number }> {
  const started = ctx.clock.now();
  const began = performance.now();
  let after: { fullName: string; enrolmentId: string } | undefined;
  let participants = 0;
  for (;;) {
    const { rows } = await placesInTraining(ctx.db, { partners: 'all' }, { limit: BATCH, offset: 0, after });
    if (!rows.length) break;
    await writeSnapshots(ctx.db, started, await engagementOfPlaces(ctx.db, started, rows));
    participants += rows.length;
    const last = rows.at(-1)!;
    after = { fullName: last.fullName, enrolmentId: last.enrolmentId };
  }
  // Withdrawn, or moved off the list since: what was computed before this run is not theirs to show.
  await ctx.db.delete(engagementSnapshots).where(lt(engagementSnapshots.computedAt, started));
  // Every row was rewritten: fresh statistics for the lists' plans, and a visibility map so an intake's counts come from its index alone.
  await ctx.db.execute(sql`vacuum (analyze) engagement_snapshots`);
  await ctx.notifier?.publish(ENGAGEMENT_CHANNEL, 'nightly');
  const ms = Math.round(performance.now() - began);
  const [flagged] = await ctx.db.select({ n: count() }).from(engagementSnapshots).where(eq(engagementSnapshots.atRisk, true));
  return { participants, atRisk: flagged?.n ?? 0, ms };
}

/** How fresh everyone's figures must be for the nightly run to leave them: a process started later the same day does not compute them all again. */
export const NIGHTLY_FRESH_HOURS = 20;

/**
 * The nightly run when it is due: unless every snapshot was computed within NIGHTLY_FRESH_HOURS
 * (another process, or an earlier start today, did it). Returns what refreshEngagement did, or
 * undefined when it was not due.
 */
export async function refreshEngagementIfDue(ctx: EngagementContext): Promise<{ participants: number; atRisk: number; ms: number } | undefined> {
  const [row] = await ctx.db.select({ n: count(), oldest: min(engagementSnapshots.computedAt) }).from(engagementSnapshots);
  if (row && row.n > 0 && row.oldest && ctx.clock.now().getTime() - row.oldest.getTime() < NIGHTLY_FRESH_HOURS * 3_600_000) return undefined;
  return refreshEngagement(ctx);
}
