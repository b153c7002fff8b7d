import { SEED_QUALIFICATIONS } from '../catalogue/catalogue.queries';
import type { Activity, Briefing, Course, ProgrammeContent, ProgrammeEvent } from './domain/programme';

/*
 * The programmes the platform starts with (issue 10 item 1). NPQH follows seed 001: its five events
 * with their agendas and its three online courses of four modules are read from the catalogue's own
 * seed (catalogue/seed-data.ts), so the titles live in one place; seed 001's hours are shared out
 * evenly (events 40 h → 480 minutes each; online courses 60 h → 300 minutes a module; briefings 6 h
 * → four of 90 minutes). NPQLT is a shorter reformed specialist programme of the provider's own making.
 */

const componentItems = (identifier: string, kind: string) => SEED_QUALIFICATIONS.find((q) => q.identifier === identifier)?.components?.find((c) => c.kind === kind)?.items ?? [];

/** The activities every module has: a reading, a video, a reflection; the last module of a course ends in a core task. */
function moduleActivities(moduleKey: string, moduleTitle: string, last: boolean): Activity[] {
  const activities: Activity[] = [
    {
      key: `${moduleKey}a1`,
      kind: 'page',
      title: 'Read: the evidence',
      body: `## ${moduleTitle}\n\nRead this module’s summary of the evidence, then the two pieces of research it draws on.\n\n- What does the evidence say works, and in which settings?\n- What would it look like in your school?\n\nKeep notes: you will use them in the reflection.`,
    },
    { key: `${moduleKey}a2`, kind: 'video', title: 'Watch: a school leader’s perspective', body: 'A headteacher talks through how they put this into practice (20 minutes).', url: 'https://www.youtube-nocookie.com/embed/npq-module-video' },
    { key: `${moduleKey}a3`, kind: 'reflection', title: 'Reflect: your own context', body: 'In 300 words or so: what will you do differently in your school as a result of this module, and how will you know it has worked?' },
  ];
  if (last)
    activities.push({
      key: `${moduleKey}a4`,
      kind: 'core_task',
      title: 'Core task',
      body: 'Write up, in no more than 1,000 words, how you would lead one change from this course in your school: the evidence behind it, who it involves, and how you will evaluate its impact. Your facilitator reviews it.',
    });
  return activities;
}

function courses(identifier: string, minutesPerModule: number): Course[] {
  return componentItems(identifier, 'online_courses').map((course, c) => ({
    key: `c${c + 1}`,
    title: course.title,
    modules: course.points.map((point, m) => {
      const key = `c${c + 1}m${m + 1}`;
      const title = point.replace(/^Module \d+: /, '');
      return { key, title, minutes: minutesPerModule, activities: moduleActivities(key, title, m === course.points.length - 1) };
    }),
  }));
}

function events(identifier: string, minutesPerEvent: number): ProgrammeEvent[] {
  return componentItems(identifier, 'events').map((event, e) => ({
    key: `e${e + 1}`,
    title: event.title,
    minutes: minutesPerEvent,
    agenda: event.points,
    preWork: {
      title: `Before ${event.title.split(':')[0]}`,
      body: e === 0 ? 'Read the qualification handbook and write down three things you want from the programme.' : 'Finish the online course modules released so far, and bring an example from your school to discuss.',
    },
    catchUp: {
      title: `If you missed ${event.title.split(':')[0]}`,
      body: 'Read the event’s slides and notes (your facilitator sends them), then write half a page on how its themes apply to your school. Talk it through with your coach at your next session.',
    },
  }));
}

const BRIEFINGS: Briefing[] = [
  { key: 'b1', title: 'Qualification information', minutes: 90, description: 'How the qualification runs: its parts, your commitments and who supports you.' },
  { key: 'b2', title: 'Support and guidance', minutes: 90, description: 'Your personal tutor, the online courses and how to ask for help.' },
  { key: 'b3', title: 'Assessment insight', minutes: 90, description: 'The two assessed tasks, the mark scheme and what good looks like.' },
  { key: 'b4', title: 'Preparing your submission', minutes: 90, description: 'Deadlines, word limits and how to send your written accounts.' },
];

/** NPQH from seed 001: five events, three courses of four modules, four briefings (112 hours with the 360° and coaching). */
export const NPQH_PROGRAMME: ProgrammeContent = { courses: courses('npq-headship', 300), events: events('npq-headship', 480), briefings: BRIEFINGS };

/** A shorter reformed specialist NPQ (NPQLT): one course of three modules, two events, two briefings. */
export const NPQLT_PROGRAMME: ProgrammeContent = {
  courses: [
    {
      key: 'c1',
      title: 'Leading teaching',
      modules: ['How pupils learn', 'Designing a curriculum', 'Developing teachers'].map((title, m) => ({ key: `c1m${m + 1}`, title, minutes: 240, activities: moduleActivities(`c1m${m + 1}`, title, m === 2) })),
    },
  ],
  events: [
    { key: 'e1', title: 'Event 1: Starting out', minutes: 360, agenda: ['What the qualification asks of you', 'Evidence-informed teaching', 'Planning your first change'], preWork: { title: 'Before Event 1', body: 'Bring a lesson plan you are proud of.' }, catchUp: { title: 'If you missed Event 1', body: 'Read the slides, then write how you would plan your first change.' } },
    { key: 'e2', title: 'Event 2: Leading the change', minutes: 360, agenda: ['Check-in on your change', 'Coaching colleagues', 'Preparing for the case study'], preWork: null },
  ],
  briefings: BRIEFINGS.slice(0, 2),
};

/** The programmes seeded for a new provider, by the catalogue's identifier. */
export const SEED_PROGRAMMES: Record<string, ProgrammeContent> = { 'npq-headship': NPQH_PROGRAMME, 'npq-leading-teaching': NPQLT_PROGRAMME };
