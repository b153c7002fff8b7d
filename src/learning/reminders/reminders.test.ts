import * as ical from 'node-ical';
import { beforeAll, describe, expect, it } from 'vitest';
import { factoriesFor, type Person, setUp } from '../../testing/factories';
import { useMailHarness } from '../../testing/smtp';
import { deliverEvents, useTestApp } from '../../testing/test-app';

/**
 * Issue 10 item 3: reminders by email before sessions and pre-work deadlines, and an .ics on every
 * session email, over real SMTP, each in the participant's own time zone; a moved session is told.
 */
const t = useTestApp();
const f = factoriesFor(t);
const mail = useMailHarness(t);
const COURSE = 'npq-leading-teaching';
let intake: string;
let dubai: { person: Person; enrolmentId: string };
let london: { person: Person; enrolmentId: string };

beforeAll(async () => {
  intake = (await f.anIntake({ course: COURSE, deliveryMode: 'distance', timeZone: 'Europe/London', schedule: 'npq-specialist-spring' })).id;
  const a = await f.anAcceptedApplication({ course: COURSE, intakeId: intake, timeZone: 'Asia/Dubai' });
  dubai = { person: a.participant, enrolmentId: a.application.id };
  const b = await f.anAcceptedApplication({ course: COURSE, intakeId: intake });
  london = { person: b.participant, enrolmentId: b.application.id };
  // Today is Wednesday 25 November 2026, 10:00 UK time (the frozen clock).
  await t.services.learning.savePlanEntry(setUp, intake, 'e1', { date: '2026-11-27', startTime: '10:00', endTime: '12:00', joinUrl: 'https://meet.example.org/e1', preWorkDueOn: '2026-11-26' });
  await t.services.learning.savePlanEntry(setUp, intake, 'b1', { date: '2026-12-10', startTime: '17:00', endTime: '18:00', joinUrl: 'https://meet.example.org/b1' });
});

describe('reminders', () => {
  it('remind each participant once of a session within two days, in their own time, with an .ics; and of pre-work not done', async () => {
    await t.services.learning.markDone(london.person.actor, london.enrolmentId, 'e1-pre-work', true);
    expect(await t.services.learning.sendReminders()).toBe(3);
    expect(await t.services.learning.sendReminders()).toBe(0);
    const toDubai = await mail.to(dubai.person.email);
    const reminder = toDubai.find((m) => m.subject.startsWith('Reminder: Event 1'))!;
    expect(reminder.subject).toBe('Reminder: Event 1: Starting out, Friday 27 November 2026, 14:00 to 16:00, Gulf (Dubai, Abu Dhabi, Muscat)');
    expect(reminder.text).toContain('Join online: https://meet.example.org/e1');
    expect(reminder.calendars).toHaveLength(1);
    const [event] = Object.values(ical.sync.parseICS(reminder.calendars[0]!)).filter((e) => e?.type === 'VEVENT') as ical.VEvent[];
    expect(event!.start.toISOString()).toBe('2026-11-27T10:00:00.000Z');
    expect(toDubai.some((m) => m.subject === 'Pre-work due 26 November 2026: Before Event 1')).toBe(true);
    const toLondon = await mail.to(london.person.email);
    expect(toLondon.map((m) => m.subject).filter((s) => !s.startsWith('You have a place'))).toEqual(['Reminder: Event 1: Starting out, Friday 27 November 2026, 10:00 to 12:00, UK time (London)']);
  });

  it('tell participants when a session moves, with the calendar entry that replaces the old one, and remind them again of its new time', async () => {
    await t.services.learning.savePlanEntry(setUp, intake, 'e1', { date: '2026-11-27', startTime: '09:00', endTime: '11:00', joinUrl: 'https://meet.example.org/e1', preWorkDueOn: '2026-11-26' });
    await deliverEvents(t);
    const moved = (await mail.to(london.person.email)).filter((m) => m.subject.startsWith('Changed:'));
    expect(moved.map((m) => m.subject)).toEqual(['Changed: Event 1: Starting out is now Friday 27 November 2026, 09:00 to 11:00, UK time (London)']);
    expect(moved[0]!.calendars[0]).toContain(`UID:${london.enrolmentId}.e1@npq.test`);
    // Reminded again of the new time (by this sweep, or by the jobs runner's own run of it just now).
    await t.services.learning.sendReminders();
    const reminders = (await mail.to(london.person.email)).filter((m) => m.subject.startsWith('Reminder:')).map((m) => m.subject);
    expect(reminders).toEqual(['Reminder: Event 1: Starting out, Friday 27 November 2026, 10:00 to 12:00, UK time (London)', 'Reminder: Event 1: Starting out, Friday 27 November 2026, 09:00 to 11:00, UK time (London)']);
  });

  it('run as the jobs runner’s sweep, which sends what is due', async () => {
    await t.services.learning.savePlanEntry(setUp, intake, 'b2', { date: '2026-11-26', startTime: '17:00', endTime: '18:00', joinUrl: 'https://meet.example.org/b2' });
    await t.services.jobs.drain();
    const subjects = (await mail.to(london.person.email)).map((m) => m.subject);
    expect(subjects).toContain('Reminder: Online briefing: Support and guidance, Thursday 26 November 2026, 17:00 to 18:00, UK time (London)');
  });
});
