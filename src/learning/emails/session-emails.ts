import type { Email } from '../../mail/outbox';
import { formatDate } from '../../platform/clock';
import type { PlanEntry } from '../domain/timeline';

/** When a session is, as the participant reads it in their zone: "Thursday 26 November 2026, 09:30 to 16:00, UK time (London)". */
export type WhenText = (entry: PlanEntry) => string;

interface SessionEmail {
  to: string;
  name: string;
  title: string;
  when: string;
  where: string;
  joinUrl: string | null;
  link: string;
  calendar: string;
  providerName: string;
}

// Joining through the session's page (its "Join the session online" button) is what puts someone on the register: said beside the link.
const whereLines = (p: Pick<SessionEmail, 'where' | 'joinUrl'>) => [p.where ? `Where: ${p.where}` : '', p.joinUrl ? `Join online: ${p.joinUrl}\n(Join from the session's page, linked below, and you are on the register without asking.)` : ''].filter(Boolean).join('\n');

/** A reminder of a session two days before it (issue 10 item 3), with the session as a calendar entry. */
export const sessionReminderEmail = (p: SessionEmail): Email => ({
  to: p.to,
  subject: `Reminder: ${p.title}, ${p.when}`,
  body: `Hello ${p.name},\n\nA reminder of your NPQ session with ${p.providerName}:\n\n${p.title}\nWhen: ${p.when}\n${whereLines(p)}\n\nDetails and any pre-work:\n${p.link}\n\nThe attached calendar entry adds it to your calendar at the right time.\n`,
  calendar: p.calendar,
});

/** A session moved to a new time or place (issue 10 item 3), with the updated calendar entry. */
export const sessionMovedEmail = (p: SessionEmail): Email => ({
  to: p.to,
  subject: `Changed: ${p.title} is now ${p.when}`,
  body: `Hello ${p.name},\n\nThe date, time or place of your NPQ session with ${p.providerName} has changed:\n\n${p.title}\nWhen: ${p.when}\n${whereLines(p)}\n\nDetails:\n${p.link}\n\nThe attached calendar entry replaces the one in your calendar. If you told us whether you could attend, tell us again for the new time on the session's page.\n`,
  calendar: p.calendar,
});

/** A reminder that an event's pre-work is due (issue 10 item 3). */
export const preWorkReminderEmail = (p: { to: string; name: string; title: string; eventTitle: string; dueOn: string; link: string; providerName: string }): Email => ({
  to: p.to,
  subject: `Pre-work due ${formatDate(p.dueOn)}: ${p.title}`,
  body: `Hello ${p.name},\n\nBefore ${p.eventTitle}, please finish its pre-work, “${p.title}”, by ${formatDate(p.dueOn)}.\n\nWhat to do, and where to mark it done:\n${p.link}\n\n${p.providerName}\n`,
});
