import { describe, expect, it } from 'vitest';
import { NPQH_PROGRAMME, NPQLT_PROGRAMME } from '../seed-programmes';
import { catchUpKey, programmeContentSchema, programmeMinutes, preWorkKey } from './programme';
import { catchUpState, joinMark, mayMarkDone, mayReply, type PlanEntry, progressOf, sessionState, timeline } from './timeline';

const entry = (itemKey: string, over: Partial<PlanEntry> = {}): [string, PlanEntry] => [
  itemKey,
  { itemKey, startsAt: null, endsAt: null, runsUntil: null, releasesOn: null, preWorkDueOn: null, venueId: null, room: '', joinUrl: null, ...over },
];
const nothingDone = { done: new Map<string, Date>(), attendance: new Map() };
const LONDON = 'Europe/London';

describe('the seeded programmes (seed 001)', () => {
  it('NPQH has five events, three courses of four modules and its hours: events 40, online courses 60, briefings 6', () => {
    expect(programmeContentSchema.safeParse(NPQH_PROGRAMME).success).toBe(true);
    expect(NPQH_PROGRAMME.events.map((e) => e.title)).toEqual(['Event 1: Induction', 'Event 2: Strategy & Improvement', 'Event 3: Teaching & Curriculum Excellence', 'Event 4: Managing Resources & Risk', 'Event 5: Readiness']);
    expect(NPQH_PROGRAMME.courses.map((c) => c.modules.length)).toEqual([4, 4, 4]);
    expect(NPQH_PROGRAMME.courses[0]!.modules[0]!.title).toBe('Context for change & strategic development');
    expect(NPQH_PROGRAMME.events[0]!.agenda).toContain('Qualification outcomes, process and schedule');
    expect(programmeMinutes(NPQH_PROGRAMME)).toEqual({ events: 40 * 60, onlineCourses: 60 * 60, briefings: 6 * 60 });
    // A core task in each online course (seed 001: "complete 3 online courses and associated core tasks").
    expect(NPQH_PROGRAMME.courses.map((c) => c.modules.flatMap((m) => m.activities).filter((a) => a.kind === 'core_task').length)).toEqual([1, 1, 1]);
  });

  it('the shorter specialist programme is valid too', () => {
    expect(programmeContentSchema.safeParse(NPQLT_PROGRAMME).success).toBe(true);
  });

  it('refuses a programme that uses a key twice, or a link that is not https', () => {
    const twice = { ...NPQLT_PROGRAMME, briefings: [...NPQLT_PROGRAMME.briefings, { key: 'e1', title: 'Again', minutes: 10, description: '' }] };
    expect(programmeContentSchema.safeParse(twice).error?.issues[0]?.message).toBe('The key “e1” is used twice: each piece of a programme needs its own');
    const script = structuredClone(NPQLT_PROGRAMME);
    script.courses[0]!.modules[0]!.activities[1]!.url = 'javascript:alert(1)';
    expect(programmeContentSchema.safeParse(script).error?.issues[0]?.message).toBe('Enter a link that starts with https://');
  });
});

describe('a session’s state', () => {
  const face = entry('e1', { startsAt: new Date('2027-03-10T09:00:00Z'), endsAt: new Date('2027-03-10T16:00:00Z') })[1];
  it('is upcoming, in progress and past by its times; unscheduled with none', () => {
    expect(sessionState(null, new Date('2027-03-10T08:00:00Z'), LONDON)).toBe('unscheduled');
    expect(sessionState(face, new Date('2027-03-10T08:59:59Z'), LONDON)).toBe('upcoming');
    expect(sessionState(face, new Date('2027-03-10T12:00:00Z'), LONDON)).toBe('in_progress');
    expect(sessionState(face, new Date('2027-03-10T16:00:00Z'), LONDON)).toBe('past');
  });
  it('for distance learning runs to the end of its last day, in the intake’s zone', () => {
    const distance = { ...face, runsUntil: '2027-03-24' };
    expect(sessionState(distance, new Date('2027-03-24T23:59:00Z'), LONDON)).toBe('in_progress');
    expect(sessionState(distance, new Date('2027-03-25T00:00:00Z'), LONDON)).toBe('past');
  });
});

describe('the timeline and progress', () => {
  const plan = new Map([
    entry('e1', { startsAt: new Date('2027-02-03T09:00:00Z'), endsAt: new Date('2027-02-03T16:00:00Z') }),
    entry('b1', { startsAt: new Date('2027-02-01T17:00:00Z'), endsAt: new Date('2027-02-01T18:30:00Z') }),
    entry('c1m1', { releasesOn: '2027-02-01' }),
    entry('c1m2', { releasesOn: '2027-03-01' }),
  ]);
  const now = new Date('2027-03-05T12:00:00Z');

  it('puts dated pieces in date order (a module at the start of its day) and undated ones last, in the programme’s order', () => {
    const keys = timeline(NPQLT_PROGRAMME, plan, nothingDone, now, LONDON).map((i) => i.key);
    expect(keys).toEqual(['c1m1', 'b1', 'e1', 'c1m2', 'e2', 'b2', 'c1m3']);
  });

  it('marks modules released by the participant’s own day, and counts activities done', () => {
    const record = { done: new Map([['c1m1a1', now], ['c1m1a2', now], ['c1m1a3', now]]), attendance: new Map() };
    const items = timeline(NPQLT_PROGRAMME, plan, record, now, LONDON);
    const m1 = items.find((i) => i.key === 'c1m1');
    expect(m1).toMatchObject({ kind: 'module', released: true, activitiesDone: 3, complete: true });
    expect(items.find((i) => i.key === 'c1m3')).toMatchObject({ released: false });
    // In Sydney it is already 1 March when London is still on 28 February.
    const lateFeb = new Date('2027-02-28T14:00:00Z');
    expect(timeline(NPQLT_PROGRAMME, plan, nothingDone, lateFeb, 'Australia/Sydney').find((i) => i.key === 'c1m2')).toMatchObject({ released: true });
    expect(timeline(NPQLT_PROGRAMME, plan, nothingDone, lateFeb, LONDON).find((i) => i.key === 'c1m2')).toMatchObject({ released: false });
  });

  it('computes minutes expected by now and evidenced, per component', () => {
    const record = { done: new Map([['c1m1a1', now], ['c1m1a2', now]]), attendance: new Map([['e1', 'late' as const], ['b1', 'absent' as const]]) };
    expect(progressOf(NPQLT_PROGRAMME, plan, record, now, LONDON)).toEqual([
      { component: 'events', expectedMinutes: 360, evidencedMinutes: 360, itemsDone: 1, itemsTotal: 2 },
      // c1m1 released 1 February: expected by 1 March; two of its three activities done: two thirds of its 240 minutes.
      { component: 'online_courses', expectedMinutes: 240, evidencedMinutes: 160, itemsDone: 0, itemsTotal: 3 },
      { component: 'briefings', expectedMinutes: 90, evidencedMinutes: 0, itemsDone: 0, itemsTotal: 2 },
    ]);
  });

  it('lets a participant mark released activities and pre-work done, never a core task or an unreleased module', () => {
    const today = '2027-03-05';
    expect(mayMarkDone(NPQLT_PROGRAMME, plan, nothingDone, 'c1m1a1', today)).toBe(true);
    expect(mayMarkDone(NPQLT_PROGRAMME, plan, nothingDone, 'c1m3a1', today)).toBe(false);
    expect(mayMarkDone(NPQLT_PROGRAMME, plan, nothingDone, preWorkKey('e1'), today)).toBe(true);
    expect(mayMarkDone(NPQLT_PROGRAMME, plan, nothingDone, preWorkKey('e2'), today)).toBe(false);
    expect(mayMarkDone(NPQLT_PROGRAMME, new Map([...plan, entry('c1m3', { releasesOn: '2027-01-01' })]), nothingDone, 'c1m3a4', today)).toBe(false);
    expect(mayMarkDone(NPQLT_PROGRAMME, plan, nothingDone, 'nope', today)).toBe(false);
  });
});

describe('replies, joining online and catch-up (issue 10 items 5 and 6)', () => {
  const briefing = entry('b1', { startsAt: new Date('2027-03-10T17:00:00Z'), endsAt: new Date('2027-03-10T18:30:00Z'), joinUrl: 'https://meet.example.org/b1' })[1];
  it('counts opening the join link from 15 minutes before to the end: present, then late after 10 minutes', () => {
    expect(joinMark(briefing, new Date('2027-03-10T16:44:59Z'))).toBeUndefined();
    expect(joinMark(briefing, new Date('2027-03-10T16:45:00Z'))).toBe('present');
    expect(joinMark(briefing, new Date('2027-03-10T17:10:00Z'))).toBe('present');
    expect(joinMark(briefing, new Date('2027-03-10T17:10:01Z'))).toBe('late');
    expect(joinMark(briefing, new Date('2027-03-10T18:30:00Z'))).toBe('late');
    expect(joinMark(briefing, new Date('2027-03-10T18:30:01Z'))).toBeUndefined();
    expect(joinMark({ ...briefing, joinUrl: null }, new Date('2027-03-10T17:00:00Z'))).toBeUndefined();
  });
  it('takes replies until the session starts', () => {
    expect(mayReply(briefing, new Date('2027-03-10T16:59:59Z'))).toBe(true);
    expect(mayReply(briefing, new Date('2027-03-10T17:00:00Z'))).toBe(false);
    expect(mayReply(null, new Date('2027-03-10T16:00:00Z'))).toBe(false);
  });
  it('offers an event’s catch-up task once the register says it was missed, and counts the event when it is done', () => {
    const plan = new Map([entry('e1', { startsAt: new Date('2027-02-03T09:00:00Z'), endsAt: new Date('2027-02-03T16:00:00Z') })]);
    const now = new Date('2027-02-10T12:00:00Z');
    const e1 = NPQLT_PROGRAMME.events[0]!;
    expect(catchUpState(e1, { done: new Map(), attendance: new Map([['e1', 'present']]) })).toBe('none');
    expect(catchUpState(e1, { done: new Map(), attendance: new Map() })).toBe('none');
    const excused = { done: new Map<string, Date>(), attendance: new Map([['e1', 'excused' as const]]) };
    expect(catchUpState(e1, excused)).toBe('to_do');
    expect(mayMarkDone(NPQLT_PROGRAMME, plan, excused, catchUpKey('e1'), '2027-02-10')).toBe(true);
    expect(mayMarkDone(NPQLT_PROGRAMME, plan, nothingDone, catchUpKey('e1'), '2027-02-10')).toBe(false);
    // Event 2 has no catch-up task: missing it is never made up this way.
    expect(mayMarkDone(NPQLT_PROGRAMME, plan, { done: new Map(), attendance: new Map([['e2', 'absent']]) }, catchUpKey('e2'), '2027-02-10')).toBe(false);
    const caughtUp = { done: new Map([[catchUpKey('e1'), now]]), attendance: new Map([['e1', 'absent' as const]]) };
    expect(catchUpState(e1, caughtUp)).toBe('done');
    expect(progressOf(NPQLT_PROGRAMME, plan, caughtUp, now, LONDON)[0]).toMatchObject({ component: 'events', evidencedMinutes: 360, itemsDone: 1 });
    expect(progressOf(NPQLT_PROGRAMME, plan, excused, now, LONDON)[0]).toMatchObject({ evidencedMinutes: 0, itemsDone: 0 });
    // A programme saved before catch-up tasks existed has no field at all: none is offered.
    const { catchUp: _, ...old } = e1;
    expect(catchUpState(old, excused)).toBe('none');
  });
});
