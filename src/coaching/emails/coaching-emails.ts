import ical, { ICalEventStatus } from 'ical-generator';
import type { Email } from '../../mail/outbox';
import { spanText } from '../../platform/clock';
import { timeZoneLabel } from '../../enrolment/domain/time-zones';

/** One coaching session as its emails and calendar entry tell it. */
export interface SessionFacts {
  calendarUid: string;
  sequence: number;
  startsAt: Date;
  minutes: number;
  mode: string;
  joinUrl: string | null;
  location: string | null;
  participant: { name: string; email: string; timeZone: string };
  coach: { name: string; email: string; timeZone: string };
  providerName: string;
  /** The participant's coaching page and the coach's session page. */
  participantLink: string;
  coachLink: string;
  /** For a move: when it was. */
  previousStartsAt?: Date | undefined;
}

const where = (s: SessionFacts) => (s.mode === 'online' ? `Online: ${s.joinUrl ?? ''}` : `In person: ${s.location ?? ''}`);

/**
 * The session as an iCalendar entry (written by ical-generator, as programme sessions are: docs/adr/0047),
 * in UTC, so every calendar shows it at the right local time wherever its owner is. The same UID across a
 * move and a higher SEQUENCE make a calendar move its entry; a cancelled one is marked CANCELLED.
 */
export function sessionCalendar(s: SessionFacts, host: string, cancelled = false): string {
  const cal = ical({ name: `${s.providerName}: coaching`, prodId: { company: s.providerName, product: 'NPQ Platform', language: 'EN' } });
  cal.createEvent({
    id: `${s.calendarUid}.coaching@${host}`,
    sequence: s.sequence,
    start: s.startsAt,
    end: new Date(s.startsAt.getTime() + s.minutes * 60_000),
    summary: `NPQ coaching: ${s.participant.name} with ${s.coach.name}`,
    description: `${where(s)}\n\n${s.participantLink}`,
    location: s.mode === 'online' ? 'Online' : s.location,
    url: s.mode === 'online' ? s.joinUrl : null,
    status: cancelled ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
    stamp: s.startsAt,
  });
  return cal.toString();
}

const when = (s: SessionFacts, zone: string) => `${spanText(s.startsAt, new Date(s.startsAt.getTime() + s.minutes * 60_000), zone)}, ${timeZoneLabel(zone)}`;

type Change = 'booked' | 'cancelled' | 'late_cancelled' | 'moved' | 'rescheduled_by_coach' | 'moved_by_coach';

const SUBJECTS: Record<Change, string> = {
  booked: 'Coaching session booked',
  cancelled: 'Coaching session cancelled',
  late_cancelled: 'Coaching session cancelled',
  moved: 'Coaching session moved',
  rescheduled_by_coach: 'Coaching session moved',
  moved_by_coach: 'Coaching session to be rebooked',
};

/**
 * The two emails about one change to a session (issue 11 item 1: "both get email with an .ics"): to
 * the participant, with times in their own zone, and to the coach, in theirs; each with the calendar
 * entry. Never the coach's notes.
 */
export function sessionEmails(s: SessionFacts, change: Change, host: string): Email[] {
  const cancelled = change === 'cancelled' || change === 'late_cancelled' || change === 'moved_by_coach';
  const calendar = sessionCalendar(s, host, cancelled);
  const toParticipant: Record<Change, string> = {
    booked: `Your coaching session with ${s.coach.name} is booked.`,
    cancelled: `Your coaching session with ${s.coach.name} is cancelled. It does not count against your coaching hours.`,
    late_cancelled: `Your coaching session with ${s.coach.name} is cancelled. It was cancelled within the notice period, so it counts against your coaching hours.`,
    moved: `Your coaching session with ${s.coach.name} has moved to a new time.`,
    rescheduled_by_coach: `${s.coach.name} has moved your coaching session to a new time. If it does not suit you, move or cancel it from your coaching page.`,
    moved_by_coach: `${s.coach.name} cannot hold your coaching session at this time. It does not count against your coaching hours: please book another time.`,
  };
  const toCoach: Record<Change, string> = {
    booked: `${s.participant.name} has booked a coaching session with you.`,
    cancelled: `${s.participant.name} has cancelled their coaching session. The time is free for others to book.`,
    late_cancelled: `${s.participant.name} has cancelled their coaching session within the notice period. It counts against their hours; the time is free for others to book.`,
    moved: `${s.participant.name} has moved their coaching session to a new time.`,
    rescheduled_by_coach: `You moved the coaching session with ${s.participant.name} to a new time. They have been told.`,
    moved_by_coach: `You recorded the coaching session with ${s.participant.name} as moved. They have been asked to book another time.`,
  };
  const was = (zone: string) => (s.previousStartsAt ? `\nIt was: ${when({ ...s, startsAt: s.previousStartsAt }, zone)}` : '');
  const body = (hello: string, line: string, zone: string, link: string) =>
    `Hello ${hello},\n\n${line}\n\nWhen: ${when(s, zone)}${was(zone)}\n${where(s)}\n\n${link}\n\n${cancelled ? 'The attached calendar entry marks it cancelled in your calendar.' : 'The attached calendar entry puts it in your calendar at the right time.'}\n\n${s.providerName}\n`;
  return [
    { to: s.participant.email, subject: `${SUBJECTS[change]}: ${when(s, s.participant.timeZone)}`, body: body(s.participant.name, toParticipant[change], s.participant.timeZone, s.participantLink), calendar },
    { to: s.coach.email, subject: `${SUBJECTS[change]}: ${s.participant.name}, ${when(s, s.coach.timeZone)}`, body: body(s.coach.name, toCoach[change], s.coach.timeZone, s.coachLink), calendar },
  ];
}
