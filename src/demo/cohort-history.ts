import { Temporal } from '@js-temporal/polyfill';
import { type Acknowledged, riskOf, riskSignalsOf } from '../engagement/domain/early-warning';
import { coachingExpectedMinutes, type ComponentMinutes, engagementOf } from '../engagement/domain/engagement';
import { catchUpKey, type ProgrammeContent, preWorkKey } from '../learning/domain/programme';
import { type AttendanceStatus, lapsesOf, type PlanEntry, progressOf } from '../learning/domain/timeline';
import { NPQH_PROGRAMME } from '../learning/seed-programmes';
import { addDays, type PlainDate } from '../platform/clock';

/*
 * The demo cohort's generated history (issue 11 items 4 and 7): participants of an NPQH intake, each
 * with a way of working (steady, patchy, or drifting away and then withdrawing), and what they did
 * week by week, drawn from a seeded generator so the same seed gives the same cohort. The demo loads
 * the cohort as it stands nine weeks in; measureLeadTime replays the whole history through the
 * platform's own rules to say how many weeks before a withdrawal the flag first appears.
 */

/** A member of the generated cohort and how they work. Weeks count from the intake's start. */
export interface CohortMember {
  index: number;
  name: string;
  profile: 'steady' | 'patchy' | 'drifting';
  /** Chance of coming to a session, and of doing a module's activity or an event's pre-work, while engaged. */
  attend: number;
  study: number;
  /** Days between sign-ins while engaged. */
  signInEveryDays: number;
  /** The week they book their first coaching (null: never). */
  booksCoachingWeek: number | null;
  /** The week they start drifting away, and the week they withdraw (null: they do not). */
  driftWeek: number | null;
  withdrawWeek: number | null;
}

const FIRST = ['Sam', 'Jo', 'Alex', 'Priya', 'Tom', 'Aisha', 'Ben', 'Chloe', 'Dev', 'Emma', 'Femi', 'Grace', 'Hamza', 'Isla', 'Jack', 'Kemi', 'Liam', 'Maya', 'Noah', 'Olu', 'Ruth', 'Saira', 'Theo', 'Uma', 'Will', 'Yasmin', 'Zac'];
const LAST = ['Whitfield', 'Marsh', 'Turner', 'Kaur', 'Hughes', 'Begum', 'Okafor', 'Price', 'Evans', 'Ahmed', 'Clarke', 'Walsh', 'Reid', 'Lewis', 'Moore', 'Shah', 'Doyle', 'Grant', 'Hart', 'Iqbal', 'Jones', 'Khan'];

/** A small seeded generator (mulberry32): the same seed gives the same numbers in [0, 1). */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** A number in [0, 1) fixed for a member and a piece of their history, so each week's replay sees the same past. */
export function chance(member: CohortMember, what: string): number {
  let h = 2166136261 ^ member.index;
  for (const c of what) h = Math.imul(h ^ c.charCodeAt(0), 16777619);
  return seeded(h)();
}

/**
 * A cohort of `size` generated members (seed 2026 unless given): about 55% steady, 30% patchy, 15%
 * drifting, each drifting member withdrawing 3 to 10 weeks after they begin to drift. The first two
 * members drift from week 5 and 6 and do not withdraw before the demo's week 9: the demo's two at risk.
 */
export function generatedCohort(size: number, seed = 2026): CohortMember[] {
  const r = seeded(seed);
  const members: CohortMember[] = [];
  for (let index = 0; index < size; index++) {
    const roll = index < 2 ? 1 : r();
    const profile = roll < 0.55 ? 'steady' : roll < 0.85 ? 'patchy' : 'drifting';
    const driftWeek = index < 2 ? 5 + index : profile === 'drifting' ? 3 + Math.floor(r() * 40) : null;
    members.push({
      index,
      name: `${FIRST[index % FIRST.length]} ${LAST[(index + Math.floor(index / FIRST.length)) % LAST.length]}`,
      profile,
      attend: profile === 'patchy' ? 0.75 + r() * 0.15 : 0.92 + r() * 0.08,
      study: profile === 'patchy' ? 0.6 + r() * 0.25 : 0.9 + r() * 0.1,
      signInEveryDays: profile === 'patchy' ? 8 + Math.floor(r() * 8) : 3 + Math.floor(r() * 5),
      booksCoachingWeek: profile === 'patchy' ? 3 + Math.floor(r() * 5) : 1 + Math.floor(r() * 3),
      driftWeek,
      withdrawWeek: driftWeek === null ? null : driftWeek + 3 + Math.floor(r() * 8),
    });
  }
  return members;
}

/** The NPQH intake's plan as the demo dates it, in days from the start (src/demo/programme-demo.ts: the start is 63 days before today). */
export const DEMO_PLAN_DAYS = {
  sessions: { b1: 1, e1: 3, b2: 49, e2: 64, b3: 84, e3: 105, e4: 161, b4: 213, e5: 223 } as Record<string, number>,
  /** Modules a fortnight apart, the first on the first day. */
  moduleReleases: [0, 14, 28, 42, 56, 84, 112, 140, 168, 196, 224, 252],
  /** Pre-work due two days before its event. */
  preWorkDaysBefore: 2,
};

/** The plan of an intake starting on `startDate` as the domain reads it: sessions 09:30–16:00 UK time (briefings 17:00–18:30), modules released, pre-work due. */
export function demoPlan(content: ProgrammeContent, startDate: PlainDate): Map<string, PlanEntry> {
  const plan = new Map<string, PlanEntry>();
  const at = (date: PlainDate, time: string) => new Date(Temporal.PlainDateTime.from(`${date}T${time}`).toZonedDateTime('Europe/London').epochMilliseconds);
  const empty = { runsUntil: null, releasesOn: null, preWorkDueOn: null, venueId: null, room: '', joinUrl: null };
  for (const [key, day] of Object.entries(DEMO_PLAN_DAYS.sessions)) {
    const date = addDays(startDate, day);
    const briefing = key.startsWith('b');
    plan.set(key, { ...empty, itemKey: key, startsAt: at(date, briefing ? '17:00' : '09:30'), endsAt: at(date, briefing ? '18:30' : '16:00'), preWorkDueOn: briefing ? null : addDays(date, -DEMO_PLAN_DAYS.preWorkDaysBefore) });
  }
  for (const [i, m] of content.courses.flatMap((c) => c.modules).entries()) plan.set(m.key, { ...empty, itemKey: m.key, startsAt: null, endsAt: null, releasesOn: addDays(startDate, DEMO_PLAN_DAYS.moduleReleases[i] ?? 280) });
  return plan;
}

/** Whether the member is engaged on a day `day` days from the start: before they drift. */
const engagedOn = (m: CohortMember, day: number) => m.driftWeek === null || day < m.driftWeek * 7;

/** The member is engaged on day `day` from the start (before any drift): the demo's loader asks. */
export { engagedOn };

/** What the member has done by `today` (days from the start `startDate`): their register marks, pieces done, last sign-in and coaching booked and held. */
export function historyAsOf(m: CohortMember, content: ProgrammeContent, plan: ReadonlyMap<string, PlanEntry>, startDate: PlainDate, today: number) {
  const dayOf = (date: PlainDate) => Temporal.PlainDate.from(startDate).until(Temporal.PlainDate.from(date)).days;
  const attendance = new Map<string, AttendanceStatus>();
  const done = new Map<string, Date>();
  const doneOn = (key: string, day: number) => done.set(key, new Date(Temporal.PlainDate.from(addDays(startDate, day)).toZonedDateTime({ timeZone: 'Europe/London', plainTime: '20:00' }).epochMilliseconds));
  // Sessions: marked once they have happened (the register), a little less likely when drifting.
  for (const [key, day] of Object.entries(DEMO_PLAN_DAYS.sessions)) {
    if (day >= today) continue;
    const p = engagedOn(m, day) ? m.attend : 0.15;
    attendance.set(key, chance(m, key) < p ? 'present' : chance(m, `${key}-excused`) < 0.3 ? 'excused' : 'absent');
    const event = content.events.find((e) => e.key === key);
    // A missed event's catch-up task, done within a fortnight by one engaged.
    if (event?.catchUp && attendance.get(key) !== 'present' && engagedOn(m, day + 14) && chance(m, `${key}-catch-up`) < m.study && day + 14 < today) doneOn(catchUpKey(key), day + 14);
  }
  for (const event of content.events) {
    const due = plan.get(event.key)?.preWorkDueOn;
    if (!event.preWork || !due) continue;
    const day = dayOf(due) - 1;
    if (day < today && engagedOn(m, day) && chance(m, preWorkKey(event.key)) < m.study) doneOn(preWorkKey(event.key), day);
  }
  for (const module of content.courses.flatMap((c) => c.modules)) {
    const release = plan.get(module.key)?.releasesOn;
    if (!release) continue;
    for (const a of module.activities) {
      const day = dayOf(release) + 2 + Math.floor(chance(m, `${a.key}-when`) * 24);
      if (day < today && engagedOn(m, day) && chance(m, a.key) < m.study) doneOn(a.key, day);
    }
  }
  // Sign-ins every few days while engaged; once drifting, one more a week or so later, then none.
  let lastSeenDay: number | null = null;
  for (let day = 0; day < today; day += m.signInEveryDays) if (engagedOn(m, day)) lastSeenDay = day;
  if (m.driftWeek !== null && m.driftWeek * 7 + 8 < today && chance(m, 'last-sign-in') < 0.5) lastSeenDay = m.driftWeek * 7 + 8;
  const booked = m.booksCoachingWeek !== null && engagedOn(m, m.booksCoachingWeek * 7) && m.booksCoachingWeek * 7 < today;
  // Coaching held: an hour every eight weeks from the first booking while engaged.
  let heldMinutes = 0;
  if (booked) for (let day = m.booksCoachingWeek! * 7 + 7; day < today && engagedOn(m, day); day += 56) heldMinutes += 60;
  return { record: { done, attendance }, lastSeenOn: lastSeenDay === null ? null : addDays(startDate, lastSeenDay), coachingBooked: booked ? 1 : 0, heldMinutes };
}

/** NPQH's coaching entitlement in the catalogue (seed 001: 3 hours) and its shortest duration in months. */
const NPQH_COACHING_MINUTES = 180;
const NPQH_MONTHS = 18;

/** The member's early warning on `today` (days from the start), through the platform's own rules: learning's progress and lapses, engagement, the signals and the flag. */
export function riskAsOf(m: CohortMember, startDate: PlainDate, today: number, opts: { content?: ProgrammeContent; plan?: ReadonlyMap<string, PlanEntry>; lastFollowUp?: Acknowledged; withoutCoaching?: boolean } = {}) {
  const content = opts.content ?? NPQH_PROGRAMME;
  const plan = opts.plan ?? demoPlan(content, startDate);
  const lastFollowUp = opts.lastFollowUp;
  const whole = historyAsOf(m, content, plan, startDate, today);
  // The demo books no coaching for its classmates: what the platform computes for them has none.
  const h = opts.withoutCoaching ? { ...whole, coachingBooked: 0, heldMinutes: 0 } : whole;
  const date = addDays(startDate, today);
  const now = new Date(Temporal.PlainDate.from(date).toZonedDateTime({ timeZone: 'Europe/London', plainTime: '02:00' }).epochMilliseconds);
  const components: ComponentMinutes[] = progressOf(content, plan, h.record, now, 'Europe/London').map((c) => ({ component: c.component, expectedMinutes: c.expectedMinutes, evidencedMinutes: c.evidencedMinutes }));
  components.push({ component: 'coaching', expectedMinutes: coachingExpectedMinutes(NPQH_COACHING_MINUTES, startDate, NPQH_MONTHS, date), evidencedMinutes: h.heldMinutes });
  const engagement = engagementOf(components, 90);
  const signals = riskSignalsOf({ ...lapsesOf(content, plan, h.record, now, 'Europe/London'), lastSeenOn: h.lastSeenOn, startDate, coachingEntitledMinutes: NPQH_COACHING_MINUTES, coachAllocated: !opts.withoutCoaching, coachingBooked: h.coachingBooked, engagement }, date);
  return { history: h, engagement, risk: riskOf(signals, lastFollowUp) };
}

/** What measureLeadTime finds. */
export interface LeadTime {
  members: number;
  withdrawn: number;
  /** For each withdrawal, the weeks between the first flag and the withdrawal (null: never flagged before it). */
  leadWeeks: (number | null)[];
  /** Members who never withdrew but were flagged at some week, and in how many member-weeks all told. */
  flaggedNeverWithdrew: number;
  /** Members who never withdrew (nor began to drift). */
  stayed: number;
  falseAlarmWeeks: number;
  memberWeeks: number;
}

/**
 * Replays a generated cohort's history week by week (each Monday's nightly run, no follow-ups) for
 * `weeks` weeks, and says, for each who withdrew, how many weeks before it the flag first appeared;
 * and how often someone who stayed was flagged (the price of the warning).
 */
export function measureLeadTime(size = 200, weeks = 52, seed = 2026, startDate: PlainDate = '2026-09-28'): LeadTime {
  const cohort = generatedCohort(size, seed).slice(2);
  const plan = demoPlan(NPQH_PROGRAMME, startDate);
  const leadWeeks: (number | null)[] = [];
  let flaggedNeverWithdrew = 0;
  let falseAlarmWeeks = 0;
  let memberWeeks = 0;
  for (const m of cohort) {
    const until = m.withdrawWeek ?? weeks;
    let first: number | null = null;
    let flaggedWeeks = 0;
    for (let week = 1; week <= Math.min(until, weeks); week++) {
      if (m.withdrawWeek !== null && week >= m.withdrawWeek) break;
      memberWeeks++;
      if (riskAsOf(m, startDate, week * 7, { plan }).risk.atRisk) {
        first ??= week;
        flaggedWeeks++;
      }
    }
    if (m.withdrawWeek !== null && m.withdrawWeek <= weeks) leadWeeks.push(first === null ? null : m.withdrawWeek - first);
    else if (first !== null && m.withdrawWeek === null) {
      flaggedNeverWithdrew++;
      falseAlarmWeeks += flaggedWeeks;
    }
  }
  return { members: cohort.length, withdrawn: leadWeeks.length, leadWeeks, flaggedNeverWithdrew, stayed: cohort.filter((m) => m.withdrawWeek === null).length, falseAlarmWeeks, memberWeeks };
}
