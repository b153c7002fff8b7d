import { and, count, eq, inArray, isNull, sql } from 'drizzle-orm';
import { audit } from '../../audit/audit';
import type { Executor } from '../../db/client';
import { isUniqueViolation } from '../../db/errors';
import { allQualificationNames, coachingMinutesByQualification, deliveryPartnerNames } from '../../catalogue/catalogue.queries';
import { type Place, placesByEnrolment, placesInTraining } from '../../enrolment/enrolment.queries';
import { type CoachAccount, coachesOf } from '../../people/people.queries';
import type { Actor } from '../../platform/auth/actor';
import { can } from '../../platform/auth/permissions';
import { ForbiddenError, NotFoundError, ValidationError } from '../../platform/errors';
import { type AllocationKind, coachingMinutes, DEFAULT_NOTICE_HOURS, spreadEvenly } from '../domain/coaching';
import { allocationScope } from '../domain/coaching.policy';
import { commit, type CoachingContext, refuse } from '../coaching.context';
import { coachAllocations, coachingBookings, coachingSettings, coachingSlots, coachProfiles } from '../coaching.schema';

/** A list's filter: a partner (one the actor may see), an NPQ, a search, and "without a coach" or "without a tutor". */
export interface AllocationFilter {
  partner?: string | undefined;
  course?: string | undefined;
  q?: string | undefined;
  without?: AllocationKind | undefined;
}

/** One participant on the allocation list: their place, who coaches and tutors them, and their coaching minutes. */
export interface AllocationRow {
  place: Place;
  coachUserId: string | null;
  tutorUserId: string | null;
  minutes: ReturnType<typeof coachingMinutes>;
}

/** A coach with how many participants they coach and tutor now, and their capacity. */
export interface CoachSummary extends CoachAccount {
  coaching: number;
  tutoring: number;
  capacity: number | null;
  /** Minutes of sessions they have held. */
  heldMinutes: number;
  /** Whether the one asking may set their capacity: the admin any coach's; a lead only their own partner's (not the provider's, whom other partners share). */
  mayChangeCapacity: boolean;
}

function requireAllocator(actor: Actor): readonly string[] | 'all' {
  if (!can(actor, 'coaching:allocate')) throw new NotFoundError();
  return allocationScope(actor);
}

/** Current allocations of these places: enrolment id → { coach, tutor }. */
async function currentOf(db: Executor, enrolmentIds: readonly string[]): Promise<Map<string, Partial<Record<AllocationKind, string>>>> {
  const out = new Map<string, Partial<Record<AllocationKind, string>>>();
  if (!enrolmentIds.length) return out;
  const rows = await db.select({ e: coachAllocations.enrolmentId, kind: coachAllocations.kind, coach: coachAllocations.coachUserId }).from(coachAllocations).where(and(inArray(coachAllocations.enrolmentId, [...enrolmentIds]), isNull(coachAllocations.endedAt)));
  for (const r of rows) out.set(r.e, { ...out.get(r.e), [r.kind]: r.coach });
  return out;
}

/** The bookings of these places, as the hours count them: enrolment id → bookings. */
export async function bookingsCounted(db: Executor, enrolmentIds: readonly string[]) {
  const out = new Map<string, { status: string; minutes: number; heldMinutes: number | null }[]>();
  if (!enrolmentIds.length) return out;
  const rows = await db
    .select({ e: coachingBookings.enrolmentId, status: coachingBookings.status, minutes: coachingSlots.minutes, heldMinutes: coachingBookings.heldMinutes })
    .from(coachingBookings)
    .innerJoin(coachingSlots, eq(coachingSlots.id, coachingBookings.slotId))
    .where(inArray(coachingBookings.enrolmentId, [...enrolmentIds]));
  for (const r of rows) out.set(r.e, [...(out.get(r.e) ?? []), r]);
  return out;
}

/** The coaches someone may allocate within their partners (admin: every coach): each role held (`accounts`, for where they may coach) and each coach once with their load, capacity and hours held. */
async function coachSummaries(db: Executor, partners: readonly string[] | 'all'): Promise<{ accounts: CoachAccount[]; summaries: CoachSummary[] }> {
  const accounts = await coachesOf(db, partners);
  const ids = [...new Set(accounts.map((a) => a.id))];
  if (!ids.length) return { accounts, summaries: [] };
  const [loads, profiles, held] = await Promise.all([
    db.select({ coach: coachAllocations.coachUserId, kind: coachAllocations.kind, n: count() }).from(coachAllocations).where(and(inArray(coachAllocations.coachUserId, ids), isNull(coachAllocations.endedAt))).groupBy(coachAllocations.coachUserId, coachAllocations.kind),
    db.select().from(coachProfiles).where(inArray(coachProfiles.userId, ids)),
    db.select({ coach: coachingBookings.coachUserId, minutes: sql<number>`coalesce(sum(${coachingBookings.heldMinutes}), 0)::int` }).from(coachingBookings).where(and(inArray(coachingBookings.coachUserId, ids), eq(coachingBookings.status, 'held'))).groupBy(coachingBookings.coachUserId),
  ]);
  const seen = new Set<string>();
  const own = (id: string) => partners === 'all' || accounts.some((r) => r.id === id && r.deliveryPartnerId !== null && partners.includes(r.deliveryPartnerId));
  const summaries = accounts
    .filter((a) => (seen.has(a.id) ? false : seen.add(a.id)))
    .map((a) => ({
      ...a,
      mayChangeCapacity: own(a.id),
      coaching: loads.find((l) => l.coach === a.id && l.kind === 'coach')?.n ?? 0,
      tutoring: loads.find((l) => l.coach === a.id && l.kind === 'tutor')?.n ?? 0,
      capacity: profiles.find((p) => p.userId === a.id)?.capacity ?? null,
      heldMinutes: held.find((h) => h.coach === a.id)?.minutes ?? 0,
    }));
  return { accounts, summaries };
}

/**
 * The allocation list (issue 11 item 1) for the admin (every partner) or a partner's lead (their own;
 * NotFoundError for anyone else): a page of participants in training within `filter`, with their coach,
 * tutor and coaching minutes; the coaches they may choose from, with their loads; the partners they
 * may choose; the notice period. A partner not theirs is refused as not found.
 */
export async function allocationsList(ctx: CoachingContext, actor: Actor, filter: AllocationFilter, page: { limit: number; offset: number; after?: { fullName: string; enrolmentId: string } | undefined }) {
  const scope = requireAllocator(actor);
  if (filter.partner && scope !== 'all' && !scope.includes(filter.partner)) throw new NotFoundError('delivery partner');
  const partners = filter.partner ? [filter.partner] : scope;
  const without = filter.without ? (id: Parameters<NonNullable<Parameters<typeof placesInTraining>[1]['where']>>[0]) => sql`not exists (select 1 from ${coachAllocations} where ${coachAllocations.enrolmentId} = ${id} and ${coachAllocations.kind} = ${filter.without} and ${coachAllocations.endedAt} is null)` : undefined;
  const [found, entitled, partnerNames, coaches, notice, qualifications] = await Promise.all([
    placesInTraining(ctx.db, { partners, course: filter.course, q: filter.q, where: without }, page),
    coachingMinutesByQualification(ctx.db),
    deliveryPartnerNames(ctx.db),
    coachSummaries(ctx.db, scope),
    ctx.db.select().from(coachingSettings).where(eq(coachingSettings.id, 1)),
    allQualificationNames(ctx.db),
  ]);
  const ids = found.rows.map((r) => r.enrolmentId);
  const [current, booked] = await Promise.all([currentOf(ctx.db, ids), bookingsCounted(ctx.db, ids)]);
  const rows: AllocationRow[] = found.rows.map((place) => ({
    place,
    coachUserId: current.get(place.enrolmentId)?.coach ?? null,
    tutorUserId: current.get(place.enrolmentId)?.tutor ?? null,
    minutes: coachingMinutes(entitled.get(place.courseIdentifier) ?? 0, booked.get(place.enrolmentId) ?? []),
  }));
  const partnerChoices = [...partnerNames].filter(([id]) => scope === 'all' || scope.includes(id)).map(([id, name]) => ({ id, name })).sort((a, b) => a.name.localeCompare(b.name));
  return { rows, total: found.total, coaches: coaches.summaries, coachAccounts: coaches.accounts, partners: partnerChoices, partnerNames, qualifications: qualifications.filter((q) => !q.retired), noticeHours: notice[0]?.noticeHours ?? DEFAULT_NOTICE_HOURS, maySetNotice: can(actor, 'coaching:settings') };
}

/** Serialises every change of allocations (saves and spreads), so capacities hold when two are made at once. */
const lockAllocations = (tx: Executor) => tx.execute(sql`select pg_advisory_xact_lock(hashtext('coaching allocations'))`);

/** Whether a coach may take this place's participants: a coach across the provider, or of the place's own partner. */
const coachFits = (coachAccounts: readonly CoachAccount[], coachUserId: string, place: Place) => coachAccounts.some((c) => c.id === coachUserId && (c.deliveryPartnerId === null || c.deliveryPartnerId === place.deliveryPartnerId));

/** Ends a place's current allocation of a kind and (unless `coachUserId` is null) starts a new one, in a transaction. */
async function allocateIn(tx: Parameters<Parameters<CoachingContext['db']['transaction']>[0]>[0], ctx: CoachingContext, actor: Actor, place: Place, kind: AllocationKind, coachUserId: string | null, before: string | null) {
  const now = ctx.clock.now();
  await tx.update(coachAllocations).set({ endedAt: now }).where(and(eq(coachAllocations.enrolmentId, place.enrolmentId), eq(coachAllocations.kind, kind), isNull(coachAllocations.endedAt)));
  if (coachUserId) await tx.insert(coachAllocations).values({ enrolmentId: place.enrolmentId, kind, coachUserId, allocatedAt: now, allocatedBy: actor.kind === 'user' ? actor.userId : null });
  await audit(tx, ctx.clock, actor, { action: `coaching.${kind}_allocated`, entityType: 'enrolment', entityId: place.enrolmentId, before: { coachUserId: before }, after: { coachUserId } });
}

/**
 * Saves who coaches and tutors each of these participants (enrolment id → coach's account id, '' for
 * nobody), changing only those that differ. For the admin and the lead of each participant's partner
 * (NotFoundError for a participant outside their partners). ValidationError keyed `coach-<id>` or
 * `tutor-<id>` for someone who is not a coach of the provider or of that participant's partner, or a
 * coach already at capacity. Returns how many allocations changed.
 */
export async function saveAllocations(ctx: CoachingContext, actor: Actor, changes: { enrolmentId: string; kind: AllocationKind; coachUserId: string }[]): Promise<number> {
  const scope = requireAllocator(actor);
  if (!changes.length) return 0;
  const places = new Map((await placesByEnrolment(ctx.db, changes.map((c) => c.enrolmentId))).map((p) => [p.enrolmentId, p]));
  for (const c of changes) {
    const place = places.get(c.enrolmentId);
    if (!place || place.trainingStatus === 'withdrawn' || (scope !== 'all' && !scope.includes(place.deliveryPartnerId ?? ''))) throw new NotFoundError('participant');
  }
  try {
    return await commit(ctx, async (tx) => {
      // Every change of allocations (saves and spreads) is serialised: two saves at once cannot both fill a coach's last place.
      await lockAllocations(tx);
      const [{ accounts, summaries }, current, entitled] = await Promise.all([coachSummaries(tx, scope), currentOf(tx, changes.map((c) => c.enrolmentId)), coachingMinutesByQualification(tx)]);
      const errors: Record<string, string> = {};
      const todo = changes.filter((c) => (current.get(c.enrolmentId)?.[c.kind] ?? '') !== c.coachUserId);
      const adding = new Map<string, number>();
      for (const c of todo) {
        if (!c.coachUserId) continue;
        const place = places.get(c.enrolmentId)!;
        if (!coachFits(accounts, c.coachUserId, place)) errors[`${c.kind}-${c.enrolmentId}`] = `Select a coach of the provider or of ${place.fullName}’s delivery partner`;
        else if (c.kind === 'coach' && !entitled.get(place.courseIdentifier)) errors[`coach-${c.enrolmentId}`] = `${place.fullName}’s NPQ includes no coaching: give them a personal tutor instead`;
        else if (c.kind === 'coach') adding.set(c.coachUserId, (adding.get(c.coachUserId) ?? 0) + 1);
      }
      for (const [coach, n] of adding) {
        const s = summaries.find((x) => x.id === coach);
        const leaving = todo.filter((c) => c.kind === 'coach' && current.get(c.enrolmentId)?.coach === coach).length;
        if (s?.capacity != null && s.coaching - leaving + n > s.capacity) {
          for (const c of todo) if (c.kind === 'coach' && c.coachUserId === coach) errors[`coach-${c.enrolmentId}`] = `${s.name} can coach ${s.capacity} ${s.capacity === 1 ? 'participant' : 'participants'} and has ${s.coaching}: choose another coach, or raise their capacity`;
        }
      }
      if (Object.keys(errors).length) throw new ValidationError(errors);
      for (const c of todo) await allocateIn(tx, ctx, actor, places.get(c.enrolmentId)!, c.kind, c.coachUserId || null, current.get(c.enrolmentId)?.[c.kind] ?? null);
      return todo.length;
    });
  } catch (err) {
    // Someone else allocated one of them in the same moment: nothing of this save was kept.
    if (isUniqueViolation(err)) throw refuse('allocation_changed', 'Someone else changed these allocations at the same moment, so nothing was saved. Look at the list again and save once more.', 409);
    throw err;
  }
}

/**
 * Gives every participant in training of one delivery partner who has no coach (or no tutor) one —
 * a coach only where their NPQ includes coaching —
 * spread evenly across the coaches who may take them and never past a coach's capacity
 * (domain spreadEvenly). For the admin and that partner's lead (NotFoundError else). Serialised per
 * partner, so two spreads at once do not both fill the same coach. Returns how many were given one
 * and how many were left because every coach is full.
 */
export async function spreadAcrossCoaches(ctx: CoachingContext, actor: Actor, partnerId: string, kind: AllocationKind): Promise<{ given: number; left: number }> {
  const scope = requireAllocator(actor);
  if (scope !== 'all' && !scope.includes(partnerId)) throw new NotFoundError('delivery partner');
  const partnerName = (await deliveryPartnerNames(ctx.db)).get(partnerId);
  if (!partnerName) throw new ValidationError({ 'spread-partner': 'Choose the delivery partner' });
  try {
    return await spreadIn(ctx, actor, partnerId, kind);
  } catch (err) {
    if (isUniqueViolation(err)) throw refuse('allocation_changed', 'Someone else changed these allocations at the same moment, so nothing was spread. Try again.', 409);
    throw err;
  }
}

async function spreadIn(ctx: CoachingContext, actor: Actor, partnerId: string, kind: AllocationKind): Promise<{ given: number; left: number }> {
  return commit(ctx, async (tx) => {
    await lockAllocations(tx);
    const without = (id: Parameters<NonNullable<Parameters<typeof placesInTraining>[1]['where']>>[0]) => sql`not exists (select 1 from ${coachAllocations} where ${coachAllocations.enrolmentId} = ${id} and ${coachAllocations.kind} = ${kind} and ${coachAllocations.endedAt} is null)`;
    const [found, entitled] = await Promise.all([placesInTraining(tx, { partners: [partnerId], where: without }, { limit: 100_000, offset: 0 }), coachingMinutesByQualification(tx)]);
    // A coach only for those whose NPQ includes coaching; a personal tutor for anyone.
    const rows = kind === 'coach' ? found.rows.filter((r) => (entitled.get(r.courseIdentifier) ?? 0) > 0) : found.rows;
    const accounts = (await coachesOf(tx, [partnerId])).filter((c) => c.deliveryPartnerId === partnerId || c.deliveryPartnerId === null);
    if (!accounts.length) throw refuse('no_coaches', 'This delivery partner has no coaches yet. Give someone the coach role for it (or for the whole provider) under People first.');
    const ids = [...new Set(accounts.map((a) => a.id))];
    const [loads, profiles] = await Promise.all([
      tx.select({ coach: coachAllocations.coachUserId, n: count() }).from(coachAllocations).where(and(inArray(coachAllocations.coachUserId, ids), eq(coachAllocations.kind, kind), isNull(coachAllocations.endedAt))).groupBy(coachAllocations.coachUserId),
      tx.select().from(coachProfiles).where(inArray(coachProfiles.userId, ids)),
    ]);
    const seen = new Set<string>();
    const plan = spreadEvenly(
      rows.map((r) => r.enrolmentId),
      accounts.filter((a) => (seen.has(a.id) ? false : seen.add(a.id))).map((a) => ({ userId: a.id, name: a.name, allocated: loads.find((l) => l.coach === a.id)?.n ?? 0, capacity: kind === 'coach' ? (profiles.find((p) => p.userId === a.id)?.capacity ?? null) : null })),
    );
    const byId = new Map(rows.map((r) => [r.enrolmentId, r]));
    for (const [enrolmentId, coachUserId] of plan.given) await allocateIn(tx, ctx, actor, byId.get(enrolmentId)!, kind, coachUserId, null);
    return { given: plan.given.size, left: plan.left.length };
  });
}

/**
 * Sets how many participants a coach may coach (null: no limit), for the admin, or the lead of a
 * partner the coach holds the role for (NotFoundError else, and for a coach across the provider, whom
 * every partner shares). ValidationError on `capacity` (a whole number from
 * 0 (nobody new) to 500, and not below how many they coach now).
 */
export async function setCoachCapacity(ctx: CoachingContext, actor: Actor, coachUserId: string, capacity: number | null): Promise<void> {
  const scope = requireAllocator(actor);
  const coach = (await coachSummaries(ctx.db, scope)).summaries.find((c) => c.id === coachUserId);
  if (!coach?.mayChangeCapacity) throw new NotFoundError('coach');
  if (capacity !== null && (!Number.isInteger(capacity) || capacity < 0 || capacity > 500)) throw new ValidationError({ capacity: 'Enter a whole number of participants from 0 (nobody new) to 500, or leave it empty for no limit' });
  if (capacity !== null && capacity < coach.coaching) throw new ValidationError({ capacity: `${coach.name} coaches ${coach.coaching} participants now: move some to another coach first, or enter ${coach.coaching} or more` });
  await commit(ctx, async (tx) => {
    await tx.insert(coachProfiles).values({ userId: coachUserId, capacity, updatedAt: ctx.clock.now() }).onConflictDoUpdate({ target: coachProfiles.userId, set: { capacity, updatedAt: ctx.clock.now() } });
    await audit(tx, ctx.clock, actor, { action: 'coaching.capacity_set', entityType: 'user', entityId: coachUserId, before: { capacity: coach.capacity }, after: { capacity } });
  });
}

/** Sets the provider's notice period for cancelling or moving a coaching session, in hours (0 to 168), for the admin (ForbiddenError else). */
export async function setNoticeHours(ctx: CoachingContext, actor: Actor, hours: number): Promise<void> {
  if (!can(actor, 'coaching:settings')) throw new ForbiddenError();
  if (!Number.isInteger(hours) || hours < 0 || hours > 168) throw new ValidationError({ noticeHours: 'Enter a whole number of hours from 0 to 168 (a week)' });
  await commit(ctx, async (tx) => {
    await tx.insert(coachingSettings).values({ id: 1, noticeHours: hours, updatedAt: ctx.clock.now() }).onConflictDoUpdate({ target: coachingSettings.id, set: { noticeHours: hours, updatedAt: ctx.clock.now() } });
    await audit(tx, ctx.clock, actor, { action: 'coaching.notice_set', entityType: 'coaching_settings', entityId: null, after: { noticeHours: hours } });
  });
}
