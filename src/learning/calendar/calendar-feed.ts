import { eq } from 'drizzle-orm';
import ical, { type ICalCalendar } from 'ical-generator';
import { placesOfUser } from '../../enrolment/enrolment.queries';
import { audit } from '../../audit/audit';
import type { Actor } from '../../platform/auth/actor';
import { requireFullySignedIn } from '../../platform/auth/require-signed-in';
import { addDays } from '../../platform/clock';
import { randomToken, sha256 } from '../../platform/crypto';
import { NotFoundError } from '../../platform/errors';
import type { PlanEntry } from '../domain/timeline';
import type { LearningContext } from '../learning.context';
import { calendarFeeds } from '../learning.schema';
import { type PlaceProgramme, programmeOfPlace } from '../participants/my-programme';
import { whereText } from '../session-text';

/*
 * Calendars (issue 10 item 3), written by ical-generator (docs/adr/0047). Sessions are written as UTC
 * instants: every calendar shows them at the right local time on either side of the clocks changing,
 * wherever its owner is, with no time zone definitions to get wrong. Deadlines and releases are whole
 * days. Each entry's UID is its place and piece, so a changed date updates the entry a calendar holds.
 */

const uid = (enrolmentId: string, key: string, host: string) => `${enrolmentId}.${key}@${host}`;
/** A version number that grows with every change of the entry (seconds since 2020): calendars take the newest. */
const sequenceOf = (entry: { updatedAt?: Date }) => (entry.updatedAt ? Math.max(0, Math.floor((entry.updatedAt.getTime() - Date.UTC(2020, 0, 1)) / 1000)) : 0);

/** Adds one place's dated pieces to a calendar: events and briefings, pre-work deadlines and module releases. */
function addProgramme(cal: ICalCalendar, p: PlaceProgramme, site: { baseUrl: string }, only?: string) {
  const host = new URL(site.baseUrl).host;
  const page = (path: string) => `${site.baseUrl}/programme/${p.place.enrolmentId}${path}`;
  for (const item of p.timeline) {
    if (only && item.key !== only) continue;
    const entry = item.plan as (PlanEntry & { updatedAt?: Date }) | null;
    if (!entry) continue;
    if ((item.kind === 'event' || item.kind === 'briefing') && entry.startsAt && entry.endsAt) {
      const title = item.kind === 'event' ? item.event.title : `Briefing: ${item.briefing.title}`;
      const agenda = item.kind === 'event' ? item.event.agenda.map((a) => `• ${a}`).join('\n') : item.briefing.description;
      cal.createEvent({
        id: uid(p.place.enrolmentId, item.key, host),
        sequence: sequenceOf(entry),
        start: entry.startsAt,
        end: entry.endsAt,
        summary: title,
        description: [agenda, entry.joinUrl ? `Join: ${entry.joinUrl}` : '', entry.runsUntil ? `This event runs until ${entry.runsUntil}: the live session is the time shown.` : '', `Details: ${page(`/sessions/${item.key}`)}`].filter(Boolean).join('\n\n'),
        location: whereText(p, entry) || null,
        url: entry.joinUrl ?? page(`/sessions/${item.key}`),
        stamp: entry.updatedAt ?? entry.startsAt,
      });
      if (item.kind === 'event' && item.event.preWork && entry.preWorkDueOn) {
        cal.createEvent({
          id: uid(p.place.enrolmentId, `${item.key}-pre-work`, host),
          sequence: sequenceOf(entry),
          start: new Date(`${entry.preWorkDueOn}T00:00:00Z`),
          end: new Date(`${addDays(entry.preWorkDueOn, 1)}T00:00:00Z`),
          allDay: true,
          summary: `Pre-work due: ${item.event.preWork.title}`,
          description: `${item.event.preWork.body}\n\n${page(`/sessions/${item.key}`)}`,
          stamp: entry.updatedAt ?? entry.startsAt,
        });
      }
    }
    if (item.kind === 'module' && entry.releasesOn) {
      cal.createEvent({
        id: uid(p.place.enrolmentId, item.key, host),
        sequence: sequenceOf(entry),
        start: new Date(`${entry.releasesOn}T00:00:00Z`),
        end: new Date(`${addDays(entry.releasesOn, 1)}T00:00:00Z`),
        allDay: true,
        summary: `Module released: ${item.module.title}`,
        description: `${item.courseTitle}\n\n${page(`/modules/${item.key}`)}`,
        stamp: entry.updatedAt ?? new Date(`${entry.releasesOn}T00:00:00Z`),
      });
    }
  }
}

/** A calendar (iCalendar text) of these programmes, or of one piece of one (`only`: an event email's attachment). */
export function calendarOf(programmes: readonly PlaceProgramme[], site: { baseUrl: string; providerName: string }, only?: string): string {
  // No `timezone`: with one, ical-generator writes local wall-clock times of the server's own zone (floating, no Z).
  const cal = ical({ name: `${site.providerName}: your NPQ programme`, prodId: { company: site.providerName, product: 'NPQ Platform', language: 'EN' } });
  for (const p of programmes) addProgramme(cal, p, site, only);
  return cal.toString();
}

/**
 * The address of the person's calendar feed, made on first ask; undefined for someone with no place
 * on a programme (nothing to subscribe to). Two first asks at once get the same address: the first
 * made is kept. UnauthenticatedError when not fully signed in.
 */
export async function calendarFeedLink(ctx: LearningContext, actor: Actor): Promise<string | undefined> {
  const me = requireFullySignedIn(actor);
  const read = async () => (await ctx.db.select().from(calendarFeeds).where(eq(calendarFeeds.userId, me.userId)))[0];
  let row = await read();
  if (!row) {
    if (!(await placesOfUser(ctx.db, me.userId)).length) return undefined;
    const token = randomToken();
    await ctx.db.insert(calendarFeeds).values({ userId: me.userId, tokenHash: sha256(token), tokenSealed: ctx.secrets.seal(token), createdAt: ctx.clock.now() }).onConflictDoNothing();
    row = await read();
  }
  return row ? `${ctx.baseUrl}/calendar/${ctx.secrets.open(row.tokenSealed)}.ics` : undefined;
}

/**
 * Gives the person's calendar feed a new secret address: the old one stops working at once (someone
 * else had it, say). Returns the new address. Audited.
 */
export async function resetCalendarFeed(ctx: LearningContext, actor: Actor): Promise<string> {
  const me = requireFullySignedIn(actor);
  if (!(await placesOfUser(ctx.db, me.userId)).length) throw new NotFoundError('calendar');
  const token = randomToken();
  await ctx.db.transaction(async (tx) => {
    const [before] = await tx.select({ userId: calendarFeeds.userId }).from(calendarFeeds).where(eq(calendarFeeds.userId, me.userId));
    await tx
      .insert(calendarFeeds)
      .values({ userId: me.userId, tokenHash: sha256(token), tokenSealed: ctx.secrets.seal(token), createdAt: ctx.clock.now() })
      .onConflictDoUpdate({ target: calendarFeeds.userId, set: { tokenHash: sha256(token), tokenSealed: ctx.secrets.seal(token), createdAt: ctx.clock.now() } });
    if (before) await audit(tx, ctx.clock, actor, { action: 'calendar_feed.reset', entityType: 'user', entityId: me.userId });
  });
  return `${ctx.baseUrl}/calendar/${token}.ics`;
}

/** The calendar behind a feed's secret (no sign-in: calendar apps have none); NotFoundError for an unknown or reset one. */
export async function calendarByToken(ctx: LearningContext, token: string): Promise<string> {
  if (!/^[A-Za-z0-9_-]{20,100}$/.test(token)) throw new NotFoundError('calendar');
  const [row] = await ctx.db.select({ userId: calendarFeeds.userId }).from(calendarFeeds).where(eq(calendarFeeds.tokenHash, sha256(token)));
  if (!row) throw new NotFoundError('calendar');
  const places = await placesOfUser(ctx.db, row.userId);
  const programmes = (await Promise.all(places.filter((p) => p.trainingStatus !== 'withdrawn').map((p) => programmeOfPlace(ctx, p)))).filter((p): p is PlaceProgramme => p !== undefined);
  return calendarOf(programmes, ctx);
}
