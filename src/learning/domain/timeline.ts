import { Temporal } from '@js-temporal/polyfill';
import { type Activity, type Briefing, catchUpKey, markedDoneByParticipant, type Module, type ProgrammeContent, type ProgrammeEvent, preWorkKey } from './programme';

/*
 * A participant's programme as a timeline, and their progress per component (issue 10 items 3 and 8):
 * pure functions of the programme, the intake's plan, what the participant has done and the time now.
 */

/** One dated piece of an intake's plan (plan_entries), as the domain reads it. */
export interface PlanEntry {
  itemKey: string;
  startsAt: Date | null;
  endsAt: Date | null;
  runsUntil: string | null;
  releasesOn: string | null;
  preWorkDueOn: string | null;
  venueId: string | null;
  room: string;
  joinUrl: string | null;
  /** A session's recording, added afterwards. */
  recordingUrl?: string | null;
  /** Who leads the session. */
  facilitatorUserId?: string | null;
}

/** Attendance at an event or briefing as a register records it; present, late and left early are attended. */
export const ATTENDANCE_STATUSES = ['present', 'late', 'left_early', 'absent', 'excused'] as const;
export type AttendanceStatus = (typeof ATTENDANCE_STATUSES)[number];
export const ATTENDED: ReadonlySet<AttendanceStatus> = new Set(['present', 'late', 'left_early']);

/** What a participant said before a session (issue 10 item 5): they will come, or they cannot (with a reason). */
export const SESSION_REPLIES = ['attending', 'cannot_attend'] as const;
export type SessionReply = (typeof SESSION_REPLIES)[number];
export interface Reply {
  reply: SessionReply;
  reason: string;
}

export interface ParticipantRecord {
  /** Pieces done (activities, pre-work, catch-up tasks, accepted core tasks) and when. */
  done: ReadonlyMap<string, Date>;
  /** Registers' marks for events and briefings. */
  attendance: ReadonlyMap<string, AttendanceStatus>;
  /** Their replies to sessions, where the page shows them (progress does not need them). */
  replies?: ReadonlyMap<string, Reply>;
}

/** Whether a register's mark says the participant missed the session: absent or excused (no mark is not yet known). */
export const missed = (mark: AttendanceStatus | null | undefined): boolean => Boolean(mark && !ATTENDED.has(mark));

/**
 * An event's catch-up task for this participant: none (the event has none, or they did not miss it),
 * to do, or done. It is offered once the register says they missed the event (ADR 0048).
 */
export type CatchUpState = 'none' | 'to_do' | 'done';
export function catchUpState(event: ProgrammeEvent, record: ParticipantRecord): CatchUpState {
  if (!event.catchUp || !missed(record.attendance.get(event.key))) return 'none';
  return record.done.has(catchUpKey(event.key)) ? 'done' : 'to_do';
}

/**
 * Whether an event counts as attended for guided learning: the register says so, or they missed it and
 * did its catch-up task (the provider's rule: ADR 0048). Briefings have no catch-up task.
 */
export function eventEvidenced(event: ProgrammeEvent, record: ParticipantRecord): boolean {
  const mark = record.attendance.get(event.key);
  return Boolean(mark && ATTENDED.has(mark)) || catchUpState(event, record) === 'done';
}

/** How long before a session starts its join link opens, and after what lateness joining counts as late: 15 and 10 minutes. */
export const JOIN_OPENS_MINUTES_BEFORE = 15;
export const JOINED_LATE_AFTER_MINUTES = 10;

/**
 * Whether a participant opening the join link now counts towards the register (issue 10 item 6), and
 * how: from 15 minutes before the start to the end, present, or late once 10 minutes have passed.
 * Undefined outside that time, or for a session without a time or a join link.
 */
export function joinMark(plan: PlanEntry | null, now: Date): 'present' | 'late' | undefined {
  if (!plan?.startsAt || !plan.joinUrl) return undefined;
  const start = plan.startsAt.getTime();
  const end = (plan.endsAt ?? plan.startsAt).getTime();
  const t = now.getTime();
  if (t < start - JOIN_OPENS_MINUTES_BEFORE * 60_000 || t > end) return undefined;
  return t > start + JOINED_LATE_AFTER_MINUTES * 60_000 ? 'late' : 'present';
}

/** Whether a participant may still say they will come or cannot: until the session starts. */
export const mayReply = (plan: PlanEntry | null, now: Date): boolean => Boolean(plan?.startsAt && now.getTime() < plan.startsAt.getTime());

/** Where a dated piece is for the participant now. */
export type TimelineState = 'unscheduled' | 'upcoming' | 'in_progress' | 'past';

export type TimelineItem =
  | { kind: 'event'; key: string; event: ProgrammeEvent; plan: PlanEntry | null; state: TimelineState; preWorkDone: boolean; attendance: AttendanceStatus | null; reply: Reply | null; catchUp: CatchUpState; sortAt: number }
  | { kind: 'briefing'; key: string; briefing: Briefing; plan: PlanEntry | null; state: TimelineState; attendance: AttendanceStatus | null; reply: Reply | null; sortAt: number }
  | { kind: 'module'; key: string; courseTitle: string; module: Module; plan: PlanEntry | null; released: boolean; activitiesDone: number; complete: boolean; sortAt: number };

/*
 * Calendar arithmetic with the Temporal polyfill costs tens of microseconds a call, and every page of a
 * programme asks the same few questions (when does this release day begin in this zone? what is four
 * weeks after it?): the answers are kept, a bounded number of them.
 */
const MEMO_LIMIT = 20_000;
const memo = <T>(compute: (key: string) => T) => {
  const kept = new Map<string, T>();
  return (key: string): T => {
    let value = kept.get(key);
    if (value === undefined) {
      if (kept.size >= MEMO_LIMIT) kept.clear();
      value = compute(key);
      kept.set(key, value);
    }
    return value;
  };
};
const dayStartsMemo = memo((key) => {
  const [date, timeZone] = key.split('|') as [string, string];
  return Temporal.PlainDate.from(date).toZonedDateTime({ timeZone }).epochMilliseconds;
});
/** When a plain date begins in a zone, in epoch milliseconds: to order modules among sessions. */
const dayStarts = (date: string, timeZone: string): number => dayStartsMemo(`${date}|${timeZone}`);
/** A plain date `MODULE_EXPECTED_WITHIN_DAYS` after another. */
const expectedBy = memo((date) => Temporal.PlainDate.from(date).add({ days: MODULE_EXPECTED_WITHIN_DAYS }).toString());
// Intl formatters are costly to make: one per zone, kept.
const dayFormats = new Map<string, Intl.DateTimeFormat>();
/** The plain date (YYYY-MM-DD) an instant falls on in a zone. */
function dayIn(instant: Date, timeZone: string): string {
  let f = dayFormats.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    dayFormats.set(timeZone, f);
  }
  return f.format(instant);
}

/** Where a session is: not dated yet, to come, happening (for distance learning, the two weeks it runs), or over. */
export function sessionState(plan: PlanEntry | null, now: Date, timeZone: string): TimelineState {
  if (!plan?.startsAt) return 'unscheduled';
  const start = plan.startsAt.getTime();
  const end = plan.runsUntil ? dayStarts(plan.runsUntil, timeZone) + 86_400_000 : (plan.endsAt ?? plan.startsAt).getTime();
  if (now.getTime() < start) return 'upcoming';
  return now.getTime() < end ? 'in_progress' : 'past';
}

/** Whether a module's activities are all done: those a participant marks, and core tasks once accepted. */
export const activitiesDone = (activities: readonly Activity[], done: ReadonlyMap<string, Date>): number => activities.filter((a) => done.has(a.key)).length;

/**
 * The participant's timeline: every event, briefing and module of the programme, dated pieces in
 * date order (modules at the start of their release day in `timeZone`), undated ones last in the
 * programme's order. `today` is the plain date in `timeZone`.
 */
export function timeline(content: ProgrammeContent, plan: ReadonlyMap<string, PlanEntry>, record: ParticipantRecord, now: Date, timeZone: string): TimelineItem[] {
  const today = dayIn(now, timeZone);
  const undated = Number.MAX_SAFE_INTEGER;
  const items: TimelineItem[] = [];
  for (const event of content.events) {
    const p = plan.get(event.key) ?? null;
    items.push({
      kind: 'event',
      key: event.key,
      event,
      plan: p,
      state: sessionState(p, now, timeZone),
      preWorkDone: record.done.has(preWorkKey(event.key)),
      attendance: record.attendance.get(event.key) ?? null,
      reply: record.replies?.get(event.key) ?? null,
      catchUp: catchUpState(event, record),
      sortAt: p?.startsAt?.getTime() ?? undated,
    });
  }
  for (const briefing of content.briefings) {
    const p = plan.get(briefing.key) ?? null;
    items.push({ kind: 'briefing', key: briefing.key, briefing, plan: p, state: sessionState(p, now, timeZone), attendance: record.attendance.get(briefing.key) ?? null, reply: record.replies?.get(briefing.key) ?? null, sortAt: p?.startsAt?.getTime() ?? undated });
  }
  for (const course of content.courses) {
    for (const module of course.modules) {
      const p = plan.get(module.key) ?? null;
      const n = activitiesDone(module.activities, record.done);
      items.push({
        kind: 'module',
        key: module.key,
        courseTitle: course.title,
        module,
        plan: p,
        released: Boolean(p?.releasesOn && p.releasesOn <= today),
        activitiesDone: n,
        complete: module.activities.length > 0 && n === module.activities.length,
        sortAt: p?.releasesOn ? dayStarts(p.releasesOn, timeZone) : undated,
      });
    }
  }
  const order = new Map(items.map((it, i) => [it, i]));
  return items.sort((a, b) => a.sortAt - b.sortAt || order.get(a)! - order.get(b)!);
}

/** How long after its release a module is expected to be finished: four weeks (the provider's pacing; seed 001 sets none). */
export const MODULE_EXPECTED_WITHIN_DAYS = 28;

/** One component's progress: guided learning expected by now and evidenced, in minutes, and its pieces done of all. */
export interface ComponentProgress {
  component: 'events' | 'online_courses' | 'briefings';
  expectedMinutes: number;
  evidencedMinutes: number;
  itemsDone: number;
  itemsTotal: number;
}

/** Guided learning expected by now per component, in minutes: the same for everyone of an intake in one time zone. */
export interface ExpectedByNow {
  events: number;
  online_courses: number;
  briefings: number;
}

/**
 * What is expected by now of an intake's participants in one zone: events and briefings that have
 * ended, modules `MODULE_EXPECTED_WITHIN_DAYS` after their release (by the participant's day). Computed
 * once per zone when many participants' progress is read together (`progressOf`'s last argument).
 */
export function expectedByNow(content: ProgrammeContent, plan: ReadonlyMap<string, PlanEntry>, now: Date, timeZone: string): ExpectedByNow {
  // Plain dates written YYYY-MM-DD compare as strings (a plan's dates are four-digit years: plan-intake.ts).
  const today = dayIn(now, timeZone);
  const ended = (pieces: readonly { key: string; minutes: number }[]) => pieces.reduce((n, piece) => n + (sessionState(plan.get(piece.key) ?? null, now, timeZone) === 'past' ? piece.minutes : 0), 0);
  let onlineCourses = 0;
  for (const m of content.courses.flatMap((c) => c.modules)) {
    const releasesOn = plan.get(m.key)?.releasesOn;
    if (releasesOn && expectedBy(releasesOn) <= today) onlineCourses += m.minutes;
  }
  return { events: ended(content.events), online_courses: onlineCourses, briefings: ended(content.briefings) };
}

/**
 * Progress per component (issue 10 item 8). Expected by now: `expectedByNow` (given when already
 * computed for the participant's zone). Evidenced: events and briefings attended (the register; for a
 * missed event, its catch-up task done: `eventEvidenced`), and a
 * module's minutes in proportion to its activities done (rounded down), so half a module is half its
 * hours. Items done: sessions attended, modules complete.
 */
export function progressOf(content: ProgrammeContent, plan: ReadonlyMap<string, PlanEntry>, record: ParticipantRecord, now: Date, timeZone: string, expected: ExpectedByNow = expectedByNow(content, plan, now, timeZone)): ComponentProgress[] {
  const sessions = <P extends { key: string; minutes: number }>(component: 'events' | 'briefings', pieces: readonly P[], evidenced: (piece: P) => boolean): ComponentProgress => {
    let evidencedMinutes = 0;
    let itemsDone = 0;
    for (const piece of pieces) {
      if (evidenced(piece)) {
        evidencedMinutes += piece.minutes;
        itemsDone++;
      }
    }
    return { component, expectedMinutes: expected[component], evidencedMinutes, itemsDone, itemsTotal: pieces.length };
  };
  let evidencedMinutes = 0;
  let itemsDone = 0;
  let modules = 0;
  for (const c of content.courses) {
    for (const m of c.modules) {
      modules++;
      const n = activitiesDone(m.activities, record.done);
      if (m.activities.length) evidencedMinutes += Math.floor((m.minutes * n) / m.activities.length);
      if (m.activities.length && n === m.activities.length) itemsDone++;
    }
  }
  const attended = (piece: { key: string }) => {
    const mark = record.attendance.get(piece.key);
    return Boolean(mark && ATTENDED.has(mark));
  };
  return [sessions('events', content.events, (e) => eventEvidenced(e, record)), { component: 'online_courses', expectedMinutes: expected.online_courses, evidencedMinutes, itemsDone, itemsTotal: modules }, sessions('briefings', content.briefings, attended)];
}

/** What a participant has let lapse by now (issue 11 item 4's signals): the pieces, by key. */
export interface Lapses {
  /** Events and briefings the register marks absent (not excused), less events whose catch-up task is done. */
  missedSessions: string[];
  /** Pre-work past its due date not done (its pre-work key), and modules not complete after the day they were expected finished by (their core tasks among their activities). */
  overdueWork: string[];
}

/**
 * What has lapsed by `now` in the participant's `timeZone`: sessions missed without leave or catch-up,
 * and work overdue (pre-work after its due date; a module after MODULE_EXPECTED_WITHIN_DAYS from its
 * release). Excused absences are not lapses: the participant told the provider.
 */
export function lapsesOf(content: ProgrammeContent, plan: ReadonlyMap<string, PlanEntry>, record: ParticipantRecord, now: Date, timeZone: string): Lapses {
  const today = dayIn(now, timeZone);
  const missedSessions: string[] = [];
  const overdueWork: string[] = [];
  for (const event of content.events) {
    if (record.attendance.get(event.key) === 'absent' && catchUpState(event, record) !== 'done') missedSessions.push(event.key);
    const due = plan.get(event.key)?.preWorkDueOn;
    if (event.preWork && due && due < today && !record.done.has(preWorkKey(event.key))) overdueWork.push(preWorkKey(event.key));
  }
  for (const briefing of content.briefings) if (record.attendance.get(briefing.key) === 'absent') missedSessions.push(briefing.key);
  for (const m of content.courses.flatMap((c) => c.modules)) {
    const releasesOn = plan.get(m.key)?.releasesOn;
    if (releasesOn && m.activities.length && expectedBy(releasesOn) < today && activitiesDone(m.activities, record.done) < m.activities.length) overdueWork.push(m.key);
  }
  return { missedSessions, overdueWork };
}

/**
 * Whether the participant may mark this piece done: an activity they mark themselves, in a released
 * module; an event's pre-work; an event's catch-up task once the register says they missed it.
 */
export function mayMarkDone(content: ProgrammeContent, plan: ReadonlyMap<string, PlanEntry>, record: ParticipantRecord, itemKey: string, today: string): boolean {
  for (const e of content.events) {
    if (preWorkKey(e.key) === itemKey) return e.preWork !== null;
    if (catchUpKey(e.key) === itemKey) return catchUpState(e, record) !== 'none';
  }
  for (const c of content.courses)
    for (const m of c.modules) {
      const a = m.activities.find((x) => x.key === itemKey);
      if (a) {
        const releasesOn = plan.get(m.key)?.releasesOn;
        return markedDoneByParticipant(a) && Boolean(releasesOn && releasesOn <= today);
      }
    }
  return false;
}
