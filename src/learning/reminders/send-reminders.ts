import { and, gt, gte, lte } from 'drizzle-orm';
import { timeZoneLabel } from '../../enrolment/domain/time-zones';
import { type Place, placesInIntake } from '../../enrolment/enrolment.queries';
import { type Email, enqueueEmail } from '../../mail/outbox';
import { addDays, ukDate } from '../../platform/clock';
import { calendarOf } from '../calendar/calendar-feed';
import { preWorkKey } from '../domain/programme';
import type { PlanEntry, TimelineItem } from '../domain/timeline';
import { preWorkReminderEmail, sessionMovedEmail, sessionReminderEmail } from '../emails/session-emails';
import type { LearningContext } from '../learning.context';
import { planEntries, remindersSent } from '../learning.schema';
import { type PlaceProgramme, programmeOfPlace } from '../participants/my-programme';
import { whenText, whereText } from '../session-text';
import type { Executor } from '../../db/client';

/** How long before a session its reminder goes: two days (issue 10 item 3; the provider's choice). */
export const SESSION_REMINDER_HOURS = 48;
/** How many days before its deadline a pre-work reminder goes, to those who have not marked it done. */
export const PRE_WORK_REMINDER_DAYS = 3;

type Session = Extract<TimelineItem, { kind: 'event' | 'briefing' }>;
const titleOf = (item: Session) => (item.kind === 'event' ? item.event.title : `Online briefing: ${item.briefing.title}`);

/** One participant's email about a dated session, with it as a calendar entry, in their own time zone. */
function sessionEmailFor(ctx: LearningContext, p: PlaceProgramme, item: Session, entry: PlanEntry, make: typeof sessionReminderEmail) {
  return make({
    to: p.place.email,
    name: p.place.fullName,
    title: titleOf(item),
    when: `${whenText(entry, p.timeZone)}, ${timeZoneLabel(p.timeZone)}`,
    where: whereText(p, entry),
    joinUrl: entry.joinUrl,
    link: `${ctx.baseUrl}/programme/${p.place.enrolmentId}/sessions/${item.key}`,
    calendar: calendarOf([p], ctx, item.key),
    providerName: ctx.providerName,
  });
}

/** The programmes of an intake's participants in training, each in their own zone. */
async function programmesInIntake(ctx: LearningContext, intakeId: string): Promise<PlaceProgramme[]> {
  const places = (await placesInIntake(ctx.db, intakeId)).filter((p: Place) => p.trainingStatus === 'active');
  const programmes = await Promise.all(places.map((p) => programmeOfPlace(ctx, p)));
  return programmes.filter((p): p is PlaceProgramme => p !== undefined);
}

/** Records a reminder as sent and queues its email in one transaction; false when it was sent before. */
async function remindOnce(ctx: LearningContext, tx: Executor, key: { enrolmentId: string; itemKey: string; kind: string; about: string }, email: Parameters<typeof enqueueEmail>[2]): Promise<boolean> {
  const [row] = await tx.insert(remindersSent).values({ ...key, sentAt: ctx.clock.now() }).onConflictDoNothing().returning({ about: remindersSent.about });
  if (row) await enqueueEmail(tx, ctx.clock, email);
  return Boolean(row);
}

/**
 * The reminder sweep (issue 10 item 3; run hourly by the jobs runner): each participant in training
 * is emailed once about each session starting within SESSION_REMINDER_HOURS (with the session as an
 * .ics), and about each event's pre-work due within PRE_WORK_REMINDER_DAYS that they have not marked
 * done. A session moved to a new time is reminded of again. Returns the number of emails queued.
 */
export async function sendReminders(ctx: LearningContext): Promise<number> {
  const now = ctx.clock.now();
  const today = ukDate(now);
  const [sessions, preWork] = await Promise.all([
    ctx.db
      .select({ intakeId: planEntries.intakeId })
      .from(planEntries)
      .where(and(gt(planEntries.startsAt, now), lte(planEntries.startsAt, new Date(now.getTime() + SESSION_REMINDER_HOURS * 3_600_000)))),
    ctx.db
      .select({ intakeId: planEntries.intakeId })
      .from(planEntries)
      .where(and(gte(planEntries.preWorkDueOn, today), lte(planEntries.preWorkDueOn, addDays(today, PRE_WORK_REMINDER_DAYS)))),
  ]);
  let queued = 0;
  for (const intakeId of new Set([...sessions, ...preWork].map((r) => r.intakeId))) {
    for (const p of await programmesInIntake(ctx, intakeId)) {
      await ctx.db.transaction(async (tx) => {
        for (const item of p.timeline) {
          if (item.kind === 'module' || !item.plan) continue;
          const entry = item.plan;
          const start = entry.startsAt?.getTime();
          if (start !== undefined && start > now.getTime() && start <= now.getTime() + SESSION_REMINDER_HOURS * 3_600_000) {
            if (await remindOnce(ctx, tx, { enrolmentId: p.place.enrolmentId, itemKey: item.key, kind: 'session', about: entry.startsAt!.toISOString() }, sessionEmailFor(ctx, p, item, entry, sessionReminderEmail))) queued++;
          }
          const due = entry.preWorkDueOn;
          if (item.kind === 'event' && item.event.preWork && due && due >= today && due <= addDays(today, PRE_WORK_REMINDER_DAYS) && !p.record.done.has(preWorkKey(item.key))) {
            const email = preWorkReminderEmail({ to: p.place.email, name: p.place.fullName, title: item.event.preWork.title, eventTitle: item.event.title, dueOn: due, link: `${ctx.baseUrl}/programme/${p.place.enrolmentId}/sessions/${item.key}`, providerName: ctx.providerName });
            if (await remindOnce(ctx, tx, { enrolmentId: p.place.enrolmentId, itemKey: item.key, kind: 'pre_work', about: due }, email)) queued++;
          }
        }
      });
    }
  }
  return queued;
}

/**
 * The emails telling an intake's participants in training that a session moved (its time, venue or
 * link changed), each in their own zone with the updated calendar entry (same UID, higher SEQUENCE: it
 * replaces the old one). Only reads: the event handler queues them in its job's transaction, after
 * reading (a read inside a PGlite transaction would wait for it for ever).
 */
export async function sessionMovedEmails(ctx: LearningContext, intakeId: string, itemKey: string): Promise<Email[]> {
  const emails: Email[] = [];
  for (const p of await programmesInIntake(ctx, intakeId)) {
    const item = p.timeline.find((i): i is Session => i.key === itemKey && i.kind !== 'module');
    if (!item?.plan?.startsAt || item.plan.startsAt.getTime() < ctx.clock.now().getTime()) continue;
    emails.push(sessionEmailFor(ctx, p, item, item.plan, sessionMovedEmail));
  }
  return emails;
}
