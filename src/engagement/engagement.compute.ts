import { engagementTermsByQualification, type EngagementTerms, intakesByIds } from '../catalogue/catalogue.queries';
import { desc, inArray } from 'drizzle-orm';
import { coachingBookedCounts, coachingHeldMinutes, placesWithCoach } from '../coaching/coaching.queries';
import type { Executor } from '../db/client';
import { roundsOfPlaces } from '../diagnostic/diagnostic.queries';
import type { Place } from '../enrolment/enrolment.queries';
import { type GroupPlace, groupsOfPlaces, progressOfPlaces } from '../learning/learning.queries';
import { ukDate } from '../platform/clock';
import { lastSeenOfAccounts } from '../people/people.queries';
import { type Acknowledged, type Risk, riskOf, riskSignalsOf } from './domain/early-warning';
import { riskFollowUps } from './engagement.schema';
import { DEFAULT_ENGAGEMENT_THRESHOLD } from '../catalogue/domain/qualification';
import { coachingExpectedMinutes, type ComponentMinutes, diagnosticMinutes, type Engagement, engagementOf } from './domain/engagement';

/** A place's engagement with what the lists filter it by: its group in its own intake, if any. */
export interface PlaceEngagement {
  place: Place;
  group: GroupPlace | undefined;
  engagement: Engagement;
  /** Early warning's signals and flag (issue 11 item 4). */
  risk: Risk;
}

/** What the latest follow-up of each of these places acknowledged, by enrolment id (places never followed up are left out). */
export async function lastFollowUps(db: Executor, enrolmentIds: readonly string[]): Promise<Map<string, Acknowledged>> {
  if (!enrolmentIds.length) return new Map();
  const rows = await db
    .selectDistinctOn([riskFollowUps.enrolmentId], { enrolmentId: riskFollowUps.enrolmentId, acknowledged: riskFollowUps.acknowledged })
    .from(riskFollowUps)
    .where(inArray(riskFollowUps.enrolmentId, [...enrolmentIds]))
    .orderBy(riskFollowUps.enrolmentId, desc(riskFollowUps.recordedAt), desc(riskFollowUps.id));
  return new Map(rows.map((r) => [r.enrolmentId, r.acknowledged]));
}

const NO_TERMS: EngagementTerms = { thresholdPercent: DEFAULT_ENGAGEMENT_THRESHOLD, durationMonthsMin: 18, coachingMinutes: 0, diagnosticMinutes: 0 };

/**
 * The one place engagement is computed (issue 11 item 3: "one place computes, for every
 * participant"): for these places at `now`, the minutes of guided learning expected by today and
 * evidenced per component — events and briefings attended and modules done with their core tasks
 * (learning's progress), coaching held (coaching), diagnostic rounds sent (diagnostic) — weighed by
 * what the catalogue says each is worth, and the percentage against the NPQ's threshold. The page,
 * the nightly run, the lists and the API all come here. Reads in a few queries per intake, whatever
 * the number of places; give at most a few thousand at a time. With it, early warning's signals and
 * flag (issue 11 item 4: domain/early-warning.ts), from the same reads and a few more: each place's
 * lapses, its account's last sign-in, its coaching booked, and its last follow-up.
 */
export async function engagementOfPlaces(db: Executor, now: Date, places: readonly Place[]): Promise<PlaceEngagement[]> {
  const ids = places.map((p) => p.enrolmentId);
  const intakeIds = [...new Set(places.map((p) => p.intakeId).filter((i): i is string => !!i))];
  const userIds = places.map((p) => p.userId).filter((u): u is string => !!u);
  const [intakes, terms, held, rounds, groups, booked, lastSeen, followUps, withCoach] = await Promise.all([
    intakesByIds(db, intakeIds),
    engagementTermsByQualification(db),
    coachingHeldMinutes(db, ids),
    roundsOfPlaces(db, ids),
    groupsOfPlaces(db, ids),
    coachingBookedCounts(db, ids),
    lastSeenOfAccounts(db, userIds),
    lastFollowUps(db, ids),
    placesWithCoach(db, ids),
  ]);
  const progress = new Map<string, Awaited<ReturnType<typeof progressOfPlaces>>>();
  for (const intakeId of intakeIds) {
    const intake = intakes.get(intakeId);
    if (intake) progress.set(intakeId, await progressOfPlaces(db, now, intake, places.filter((p) => p.intakeId === intakeId)));
  }
  const today = ukDate(now);
  return places.map((place) => {
    const t = terms.get(place.courseIdentifier) ?? NO_TERMS;
    const intake = place.intakeId ? intakes.get(place.intakeId) : undefined;
    const learned = (place.intakeId && progress.get(place.intakeId)?.progress.get(place.enrolmentId)) || [];
    const components: ComponentMinutes[] = learned.map((c) => ({ component: c.component, expectedMinutes: c.expectedMinutes, evidencedMinutes: c.evidencedMinutes }));
    if (t.coachingMinutes > 0) components.push({ component: 'coaching', expectedMinutes: intake ? coachingExpectedMinutes(t.coachingMinutes, intake.startDate, t.durationMonthsMin, today) : 0, evidencedMinutes: held.get(place.enrolmentId) ?? 0 });
    if (t.diagnosticMinutes > 0) components.push({ component: 'diagnostic', ...diagnosticMinutes(t.diagnosticMinutes, rounds.get(place.enrolmentId) ?? [], today) });
    const group = groups.get(place.enrolmentId);
    const engagement = engagementOf(components, t.thresholdPercent);
    const lapses = (place.intakeId && progress.get(place.intakeId)?.lapses.get(place.enrolmentId)) || { missedSessions: [], overdueWork: [] };
    const seen = place.userId ? lastSeen.get(place.userId) : undefined;
    const signals = riskSignalsOf(
      {
        ...lapses,
        lastSeenOn: seen ? ukDate(seen) : null,
        startDate: intake?.startDate ?? null,
        coachingEntitledMinutes: t.coachingMinutes,
        coachAllocated: withCoach.has(place.enrolmentId),
        coachingBooked: booked.get(place.enrolmentId) ?? 0,
        engagement,
      },
      today,
    );
    return { place, group: group && group.intakeId === place.intakeId ? group : undefined, engagement, risk: riskOf(signals, followUps.get(place.enrolmentId), place.trainingStatus === 'active') };
  });
}
