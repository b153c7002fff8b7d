import { randomUUID } from 'node:crypto';
import { and, asc, eq, gte, isNull, sql } from 'drizzle-orm';
import { audit } from '../../audit/audit';
import { placesByEnrolment } from '../../enrolment/enrolment.queries';
import { COMMON_TIME_ZONES, timeZoneChoices } from '../../enrolment/domain/time-zones';
import { safeUrl } from '../../learning/domain/programme';
import type { Actor } from '../../platform/auth/actor';
import { can } from '../../platform/auth/permissions';
import { requireFullySignedIn } from '../../platform/auth/require-signed-in';
import { addDays, formatDate, type PlainDate, readTime, today } from '../../platform/clock';
import { NotFoundError, ValidationError } from '../../platform/errors';
import { characterCount, hasVisibleText } from '../../platform/text';
import { MAX_REPEAT_WEEKS, PUBLISH_REACH_DAYS, SLOT_MINUTES, type SlotMode, slotOccurrences } from '../domain/coaching';
import { commit, type CoachingContext, profileOf, refuse } from '../coaching.context';
import { coachingBookings, coachingSlots, coachProfiles } from '../coaching.schema';

const httpsUrl = safeUrl.refine((s) => s.startsWith('https://'));
/** The longest in-person location, in characters. */
export const LOCATION_MAX = 200;

/** The zones a coach chooses from (the common ones first, then every other, as the page lists them), by IANA name. */
let zones: string[] | undefined;
export const TIME_ZONE_LIST = (): string[] => {
  zones ??= [...new Set([...COMMON_TIME_ZONES.map((z) => z.zone), ...timeZoneChoices().map((z) => z.zone)])];
  return zones;
};

/** The coach signed in, or NotFoundError for anyone who does not coach. */
export function requireCoach(actor: Actor): string {
  if (!can(actor, 'coaching:coach')) throw new NotFoundError();
  return requireFullySignedIn(actor).userId;
}

/** One of a coach's slots to come, and who has booked it. */
export interface CoachSlot {
  id: string;
  startsAt: Date;
  minutes: number;
  mode: SlotMode;
  joinUrl: string | null;
  location: string | null;
  seriesId: string | null;
  booking: { id: string; enrolmentId: string; fullName: string } | null;
}

/**
 * The coach's own slots from now on (at most `limit`, soonest first), each with its booking, and
 * their time zone. NotFoundError for anyone who does not coach.
 */
export async function mySlots(ctx: CoachingContext, actor: Actor, limit = 200): Promise<{ timeZone: string; slots: CoachSlot[]; more: boolean }> {
  const coach = requireCoach(actor);
  const [profile, rows] = await Promise.all([
    profileOf(ctx.db, coach),
    ctx.db
      .select({ slot: coachingSlots, bookingId: coachingBookings.id, enrolmentId: coachingBookings.enrolmentId })
      .from(coachingSlots)
      .leftJoin(coachingBookings, and(eq(coachingBookings.slotId, coachingSlots.id), sql`${coachingBookings.status} in ('booked', 'held', 'missed')`))
      .where(and(eq(coachingSlots.coachUserId, coach), isNull(coachingSlots.removedAt), gte(sql`${coachingSlots.startsAt} + make_interval(mins => ${coachingSlots.minutes})`, ctx.clock.now())))
      .orderBy(asc(coachingSlots.startsAt))
      .limit(limit + 1),
  ]);
  const names = new Map((await placesByEnrolment(ctx.db, rows.flatMap((r) => (r.enrolmentId ? [r.enrolmentId] : [])))).map((p) => [p.enrolmentId, p.fullName]));
  const slots = rows.slice(0, limit).map(({ slot, bookingId, enrolmentId }) => ({
    id: slot.id,
    startsAt: slot.startsAt,
    minutes: slot.minutes,
    mode: slot.mode as SlotMode,
    joinUrl: slot.joinUrl,
    location: slot.location,
    seriesId: slot.seriesId,
    booking: bookingId && enrolmentId ? { id: bookingId, enrolmentId, fullName: names.get(enrolmentId) ?? 'A participant' } : null,
  }));
  return { timeZone: profile.timeZone, slots, more: rows.length > limit };
}

/** Sets the time zone the coach publishes slots in and reads times in. ValidationError on `timeZone` for one not in the list. */
export async function setMyTimeZone(ctx: CoachingContext, actor: Actor, timeZone: string): Promise<void> {
  const coach = requireCoach(actor);
  if (!TIME_ZONE_LIST().includes(timeZone)) throw new ValidationError({ timeZone: 'Select your time zone from the list' });
  await commit(ctx, (tx) => tx.insert(coachProfiles).values({ userId: coach, timeZone, updatedAt: ctx.clock.now() }).onConflictDoUpdate({ target: coachProfiles.userId, set: { timeZone, updatedAt: ctx.clock.now() } }).then(() => undefined));
}

/** What the coach types to publish slots: the first day (YYYY-MM-DD, or undefined when the date fields were refused), a time, a length, how many weeks, and where. */
export interface SlotInput {
  date: PlainDate | undefined;
  time: string;
  minutes: string;
  weeks: string;
  mode: string;
  joinUrl: string;
  location: string;
}

/**
 * Publishes a slot, once or on the same weekday for up to MAX_REPEAT_WEEKS weeks, in the coach's time
 * zone (issue 11 item 1). ValidationError on `date` (missing, past, or over a year ahead), `time`,
 * `minutes` (15 to 180), `weeks` (1 to 16), `mode`, `joinUrl` (https, for online) and `location` (for
 * in person). Weeks whose time is skipped by the clocks, or that overlap a slot the coach already has,
 * are left out and returned, as is a first week whose time has passed today; when nothing is left to
 * publish, ValidationError on `time`. Returns how many slots were published.
 */
export async function publishSlots(ctx: CoachingContext, actor: Actor, input: SlotInput): Promise<{ published: number; skipped: PlainDate[]; clashes: Date[]; passed: number }> {
  const coach = requireCoach(actor);
  const { timeZone } = await profileOf(ctx.db, coach);
  const errors: Record<string, string> = {};
  const now = today(ctx.clock, timeZone);
  if (!input.date) errors.date = errors.date ?? 'Enter the date of the first session';
  else if (input.date < now) errors.date = 'The date must be today or in the future';
  else if (input.date > addDays(now, PUBLISH_REACH_DAYS)) errors.date = `The date must be on or before ${formatDate(addDays(now, PUBLISH_REACH_DAYS))}`;
  const lastWeekOk = (w: number) => !input.date || addDays(input.date, 7 * (w - 1)) <= addDays(now, PUBLISH_REACH_DAYS);
  const time = readTime(input.time);
  if (!time) errors.time = 'Enter the start time as a 24-hour time, like 16:00';
  const minutes = Number(input.minutes);
  if (!/^\d+$/.test(input.minutes.trim()) || minutes < SLOT_MINUTES.min || minutes > SLOT_MINUTES.max) errors.minutes = `Enter the length in minutes, from ${SLOT_MINUTES.min} to ${SLOT_MINUTES.max}`;
  const weeks = input.weeks.trim() === '' ? 1 : /^\d{1,3}$/.test(input.weeks.trim()) ? Number(input.weeks) : Number.NaN;
  if (!Number.isInteger(weeks) || weeks < 1 || weeks > MAX_REPEAT_WEEKS) errors.weeks = `Enter how many weeks, from 1 to ${MAX_REPEAT_WEEKS}`;
  else if (!errors.date && !lastWeekOk(weeks)) errors.weeks = `The last week must be on or before ${formatDate(addDays(now, PUBLISH_REACH_DAYS))}, a year ahead: publish fewer weeks`;
  let joinUrl: string | null = null;
  let location: string | null = null;
  if (input.mode === 'online') {
    const link = httpsUrl.safeParse(input.joinUrl);
    if (!input.joinUrl.trim()) errors.joinUrl = 'Enter the join link for the online session';
    else if (!link.success) errors.joinUrl = 'Enter the join link as a web address that starts with https://';
    else joinUrl = link.data;
  } else if (input.mode === 'in_person') {
    location = input.location.replace(/\s+/g, ' ').trim();
    if (!hasVisibleText(location)) errors.location = 'Enter where you will meet, like the school’s name and room';
    else if (characterCount(location) > LOCATION_MAX) errors.location = `Where you will meet must be ${LOCATION_MAX} characters or fewer`;
  } else errors.mode = 'Select online or in person';
  if (Object.keys(errors).length) throw new ValidationError(errors);
  const { starts, skipped } = slotOccurrences(input.date!, time!, timeZone, weeks);
  const nowInstant = ctx.clock.now();
  const future = starts.filter((s) => s > nowInstant);
  const passed = starts.length - future.length;
  if (!future.length) throw new ValidationError({ time: skipped.length ? `${time} does not exist on that day in ${timeZone}: the clocks go forward. Choose another time` : 'That time has passed today: choose a later time or another day' });
  const seriesId = weeks > 1 ? randomUUID() : null;
  return commit(ctx, async (tx) => {
    // One coach's publishing is serialised, so two forms sent at once cannot both place overlapping slots.
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`coaching slots ${coach}`}))`);
    const clashes: Date[] = [];
    const fresh: Date[] = [];
    for (const s of future) {
      const end = new Date(s.getTime() + minutes * 60_000);
      const [overlap] = await tx
        .select({ id: coachingSlots.id })
        .from(coachingSlots)
        .where(and(eq(coachingSlots.coachUserId, coach), isNull(coachingSlots.removedAt), sql`${coachingSlots.startsAt} < ${end}`, sql`${coachingSlots.startsAt} + make_interval(mins => ${coachingSlots.minutes}) > ${s}`))
        .limit(1);
      if (overlap) clashes.push(s);
      else fresh.push(s);
    }
    // Nothing new: told as an error beside the time, with the form as typed.
    if (!fresh.length) throw new ValidationError({ time: `Nothing was published: ${clashes.length === 1 ? 'this time overlaps a time' : 'every week overlaps a time'} you already have. Choose another time or day.` });
    await tx.insert(coachingSlots).values(fresh.map((startsAt) => ({ coachUserId: coach, startsAt, minutes, mode: input.mode, joinUrl, location, seriesId })));
    await audit(tx, ctx.clock, actor, { action: 'coaching.slots_published', entityType: 'user', entityId: coach, after: { slots: fresh.length, minutes, mode: input.mode, first: fresh[0] ?? null } });
    return { published: fresh.length, skipped, clashes, passed };
  });
}

/**
 * Withdraws one of the coach's own slots that nobody has booked (NotFoundError for another's or an
 * unknown slot; AppError slot_booked when someone has: the session page records it as moved, which
 * tells them). With `series`, every unbooked slot of its series from this one on.
 * Returns how many were withdrawn.
 */
export async function removeSlot(ctx: CoachingContext, actor: Actor, slotId: string, series = false): Promise<number> {
  const coach = requireCoach(actor);
  return commit(ctx, async (tx) => {
    const [slot] = await tx.select().from(coachingSlots).where(and(eq(coachingSlots.id, slotId), eq(coachingSlots.coachUserId, coach), isNull(coachingSlots.removedAt))).for('update');
    if (!slot) throw new NotFoundError('slot');
    const unbooked = sql`not exists (select 1 from ${coachingBookings} where ${coachingBookings.slotId} = ${coachingSlots.id} and ${coachingBookings.status} in ('booked', 'held', 'missed'))`;
    const which = series && slot.seriesId ? and(eq(coachingSlots.seriesId, slot.seriesId), gte(coachingSlots.startsAt, slot.startsAt)) : eq(coachingSlots.id, slot.id);
    // The slots are locked first, as a booking locks its slot: a booking in flight is waited for, and then seen.
    await tx.select({ id: coachingSlots.id }).from(coachingSlots).where(and(which, eq(coachingSlots.coachUserId, coach))).for('update');
    const removed = await tx.update(coachingSlots).set({ removedAt: ctx.clock.now() }).where(and(which, eq(coachingSlots.coachUserId, coach), isNull(coachingSlots.removedAt), unbooked)).returning({ id: coachingSlots.id });
    if (!removed.length) throw refuse('slot_booked', 'Someone has booked this time, so it cannot be removed. Open the session and record it as moved: they are told, and can book another time.');
    await audit(tx, ctx.clock, actor, { action: 'coaching.slots_removed', entityType: 'user', entityId: coach, after: { slots: removed.length } });
    return removed.length;
  });
}
