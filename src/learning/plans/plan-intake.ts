import { Temporal } from '@js-temporal/polyfill';
import { and, eq, sql } from 'drizzle-orm';
import { audit } from '../../audit/audit';
import { recordEvent } from '../../platform/events';
import '../learning.events';
import { venuesOfPartners } from '../../catalogue/catalogue.queries';
import { placedInIntake } from '../../enrolment/enrolment.queries';
import { facilitatorsOf } from '../../people/people.queries';
import type { Actor } from '../../platform/auth/actor';
import { addDays, addMonths, formatDate, instantIn, type PlainDate, readTime } from '../../platform/clock';
import { ForbiddenError, NotFoundError, ValidationError } from '../../platform/errors';
import { safeUrl } from '../domain/programme';
import { characterCount } from '../../platform/text';

const httpsUrl = safeUrl.refine((s) => s.startsWith('https://'));
import { commit, intakeFor, type LearningContext, newestVersion, pieceOf, planOf, refuse, versionOfIntake, zoneOfIntake } from '../learning.context';
import { attendance, intakeProgrammes, planEntries, sessionReplies } from '../learning.schema';

/**
 * An intake's delivery plan for someone who may see it (NotFoundError else): its programme version
 * (and the NPQ's newest),
 * each piece's dates, the venues of its partner (with their capacity), how many participants are
 * placed in it (`placed`), who may lead its sessions (`facilitators`: the partner's facilitators and leads), the zone its times are entered in, and what the actor may do (`may`). AppError no_programme when its NPQ has no programme.
 */
export async function intakePlan(ctx: LearningContext, actor: Actor, intakeId: string) {
  const { intake, may } = await intakeFor(ctx, actor, intakeId);
  const version = await versionOfIntake(ctx.db, intake);
  if (!version) throw refuse('no_programme', 'This NPQ has no programme yet: an admin builds it first', 404);
  const [entries, venues, newest, placed, facilitators] = await Promise.all([planOf(ctx.db, intake.id), venuesOfPartners(ctx.db, [intake.deliveryPartnerId]), newestVersion(ctx.db, intake.qualificationId), placedInIntake(ctx.db, intake.id), facilitatorsOf(ctx.db, intake.deliveryPartnerId)]);
  return { intake, may, version, newestVersion: newest?.version ?? version.version, content: version.content, entries, venues, placed, facilitators, timeZone: zoneOfIntake(intake) };
}

/** What the plan's form sends for one piece: dates already read by the page (platform/date-input), the rest as typed. */
export interface PlanEntryInput {
  date?: PlainDate | undefined;
  startTime?: string | undefined;
  endTime?: string | undefined;
  venueId?: string | undefined;
  room?: string | undefined;
  joinUrl?: string | undefined;
  recordingUrl?: string | undefined;
  /** Who leads the session: one of the plan's `facilitators`, or '' for no one yet. */
  facilitatorUserId?: string | undefined;
  runsUntil?: PlainDate | undefined;
  preWorkDueOn?: PlainDate | undefined;
  releasesOn?: PlainDate | undefined;
}

/** How far from an intake's start its plan may reach: a year before (briefings, pre-work) to four years after (deferrals). */
export const PLAN_REACH = { yearsBefore: 1, yearsAfter: 4 } as const;

/**
 * Sets the dates of one piece of an intake's plan (issue 10 item 2), for the admin or the intake's
 * partner lead (NotFoundError for anyone who may not see it, ForbiddenError for who may only see it):
 * - a module: the day it is released;
 * - an event: its day, start and end time in the intake's time zone, and where: a venue of the
 *   intake's partner and a room (face to face), a join link (distance learning, which also runs
 *   until a last day, two weeks by default: seed 001), or either (whole-school); its pre-work
 *   deadline on or before the day;
 * - a briefing: its day, times and join link.
 * - for a session, a recording's link, added afterwards, and who leads it (both optional).
 * ValidationError names every field at fault, a venue too small for everyone placed in the intake
 * among them. The first save fixes the intake's programme version.
 */
export async function savePlanEntry(ctx: LearningContext, actor: Actor, intakeId: string, itemKey: string, input: PlanEntryInput): Promise<void> {
  const { intake, may, version, venues, timeZone, placed, entries, facilitators } = await intakePlan(ctx, actor, intakeId);
  if (!may.plan) throw new ForbiddenError();
  const piece = pieceOf(version.content, itemKey);
  if (!piece) throw new NotFoundError('piece');
  const errors: Record<string, string> = {};
  const earliest = addMonths(intake.startDate, -PLAN_REACH.yearsBefore * 12);
  const latest = addMonths(intake.startDate, PLAN_REACH.yearsAfter * 12);
  const within = (field: keyof PlanEntryInput, label: string) => {
    const d = input[field];
    if (d && (Temporal.PlainDate.compare(Temporal.PlainDate.from(d), Temporal.PlainDate.from(earliest)) < 0 || Temporal.PlainDate.compare(Temporal.PlainDate.from(d), Temporal.PlainDate.from(latest)) > 0)) {
      errors[field] = `${label} must be between ${formatDate(earliest)} and ${formatDate(latest)}: this intake starts on ${formatDate(intake.startDate)}`;
    }
  };
  within('date', 'The date');
  within('releasesOn', 'The release date');
  within('runsUntil', 'The last day');
  within('preWorkDueOn', 'The pre-work’s due date');
  const values: Partial<typeof planEntries.$inferInsert> = { startsAt: null, endsAt: null, runsUntil: null, releasesOn: null, preWorkDueOn: null, venueId: null, room: '', joinUrl: null, recordingUrl: null, facilitatorUserId: null };
  if (piece.kind === 'module') {
    if (!input.releasesOn) errors.releasesOn = 'Enter the date the module is released';
    values.releasesOn = input.releasesOn ?? null;
  } else {
    const start = readTime(input.startTime);
    const end = readTime(input.endTime);
    if (!input.date) errors.date = 'Enter the date';
    if (!start) errors.startTime = input.startTime?.trim() ? 'Enter the start time as a 24-hour time, like 09:30' : 'Enter the start time';
    if (!end) errors.endTime = input.endTime?.trim() ? 'Enter the end time as a 24-hour time, like 16:00' : 'Enter the end time';
    else if (start && end <= start) errors.endTime = 'The end time must be after the start time';
    if (input.date && !errors.date && start && end && !errors.endTime) {
      values.startsAt = instantIn(input.date, start, timeZone);
      values.endsAt = instantIn(input.date, end, timeZone);
      if (!values.startsAt) errors.startTime = `${start} does not exist on that day in ${timeZone}: the clocks go forward. Choose another time`;
      if (!values.endsAt) errors.endTime = `${end} does not exist on that day in ${timeZone}: the clocks go forward. Choose another time`;
    }
    // Meetings and recordings are reached over https only: an http link would send a meeting's passcode in the clear.
    const link = input.joinUrl?.trim() ? httpsUrl.safeParse(input.joinUrl) : undefined;
    if (link && !link.success) errors.joinUrl = 'Enter the join link as a web address that starts with https://';
    values.joinUrl = link?.success ? link.data : null;
    const recording = input.recordingUrl?.trim() ? httpsUrl.safeParse(input.recordingUrl) : undefined;
    if (recording && !recording.success) errors.recordingUrl = 'Enter the recording’s link as a web address that starts with https://';
    values.recordingUrl = recording?.success ? recording.data : null;
    if (input.facilitatorUserId && !facilitators.some((f) => f.id === input.facilitatorUserId)) errors.facilitatorUserId = 'Select one of the delivery partner’s facilitators';
    else values.facilitatorUserId = input.facilitatorUserId || null;
    const online = piece.kind === 'briefing' || intake.deliveryMode === 'distance';
    if (online && !values.joinUrl && !errors.joinUrl) errors.joinUrl = 'Enter the join link';
    if (!online) {
      const venue = input.venueId ? venues.find((v) => v.id === input.venueId && !v.retired) : undefined;
      if (input.venueId && !venue) errors.venueId = 'Select one of the partner’s venues';
      if (intake.deliveryMode === 'face_to_face' && !venue && !errors.venueId) errors.venueId = 'Select the venue';
      // Venue capacity (issue 10 item 5): everyone placed in the intake must fit in the room. Checked when
      // an event is placed at a venue, not on every later save (a recording added after it was held).
      if (venue?.capacity != null && placed > venue.capacity && entries.get(itemKey)?.venueId !== venue.id) errors.venueId = `${venue.name} holds ${venue.capacity} people and this intake has ${placed} participants: choose a larger venue`;
      values.venueId = venue?.id ?? null;
      values.room = (input.room ?? '').trim();
      if (characterCount(values.room) > 200) errors.room = `Where it is held must be 200 characters or fewer: it is ${characterCount(values.room)}`;
      if (intake.deliveryMode === 'whole_school' && !venue && !values.room && !values.joinUrl) errors.room = 'Enter where it is held, or a join link';
    }
    if (piece.kind === 'event') {
      if (intake.deliveryMode === 'distance' && input.date && !errors.date && !errors.runsUntil) {
        values.runsUntil = input.runsUntil ?? addDays(input.date, 13);
        if (Temporal.PlainDate.compare(Temporal.PlainDate.from(values.runsUntil), Temporal.PlainDate.from(input.date)) < 0) errors.runsUntil = 'The last day must be the same as or after the first';
      }
      if (input.preWorkDueOn && input.date && !errors.preWorkDueOn && Temporal.PlainDate.compare(Temporal.PlainDate.from(input.preWorkDueOn), Temporal.PlainDate.from(input.date)) > 0) errors.preWorkDueOn = 'The pre-work must be due on or before the day of the event';
      values.preWorkDueOn = input.preWorkDueOn ?? null;
    }
  }
  if (Object.keys(errors).length) throw new ValidationError(errors);
  const now = ctx.clock.now();
  await commit(ctx, async (tx) => {
    const [before] = await tx.select().from(planEntries).where(and(eq(planEntries.intakeId, intake.id), eq(planEntries.itemKey, itemKey)));
    await tx.insert(intakeProgrammes).values({ intakeId: intake.id, programmeVersionId: version.id, updatedAt: now }).onConflictDoNothing();
    await tx
      .insert(planEntries)
      .values({ intakeId: intake.id, itemKey, ...values, updatedAt: now })
      .onConflictDoUpdate({ target: [planEntries.intakeId, planEntries.itemKey], set: { ...values, updatedAt: now } });
    await audit(tx, ctx.clock, actor, { action: before ? 'plan.changed' : 'plan.dated', entityType: 'intake', entityId: intake.id, before: before ?? null, after: { itemKey, ...values } });
    // Participants hold the old time in their calendars: tell them (learning.events.ts), after commit.
    const retimed = before?.startsAt && (before.startsAt.getTime() !== values.startsAt?.getTime() || before.endsAt?.getTime() !== values.endsAt?.getTime());
    const moved = retimed || (before?.startsAt && (before.venueId !== values.venueId || before.room !== values.room || before.joinUrl !== values.joinUrl));
    if (moved) await recordEvent(tx, ctx.clock, { type: 'plan.session_moved', intakeId: intake.id, itemKey });
    // A reply was to the old time: participants are asked again (the email that tells them of the move says so).
    if (retimed) await tx.delete(sessionReplies).where(and(eq(sessionReplies.intakeId, intake.id), eq(sessionReplies.itemKey, itemKey)));
  });
}

/**
 * Takes a piece's dates off an intake's plan (the undo of `savePlanEntry`); false when it had none.
 * Same permission; NotFoundError for a piece the programme does not have; AppError register_taken once
 * the session's register has marks.
 */
export async function clearPlanEntry(ctx: LearningContext, actor: Actor, intakeId: string, itemKey: string): Promise<boolean> {
  const { intake, may, version } = await intakePlan(ctx, actor, intakeId);
  if (!may.plan) throw new ForbiddenError();
  if (!pieceOf(version.content, itemKey)) throw new NotFoundError('piece');
  // The register's marks are evidence of a session that happened: its date is changed, never taken off.
  const [marked] = await ctx.db.select({ n: sql<number>`count(*)::int` }).from(attendance).where(and(eq(attendance.intakeId, intake.id), eq(attendance.itemKey, itemKey)));
  if (marked && marked.n > 0) throw refuse('register_taken', 'Its register has been taken, so its date cannot be taken off. Change the date instead if it was wrong.');
  return commit(ctx, async (tx) => {
    const [before] = await tx.delete(planEntries).where(and(eq(planEntries.intakeId, intake.id), eq(planEntries.itemKey, itemKey))).returning();
    if (before) await audit(tx, ctx.clock, actor, { action: 'plan.cleared', entityType: 'intake', entityId: intake.id, before });
    return Boolean(before);
  });
}
