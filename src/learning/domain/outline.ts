import { MATERIAL_NAME } from './material';
import { type Activity, type ActivityKind, type MaterialRef, type Briefing, type Course, everyKey, type Module, type ProgrammeContent, programmeContentSchema, type ProgrammeEvent } from './programme';

/*
 * A programme as an outline of lines an admin edits in one text box (issue 10 item 1: "admins build
 * and edit programmes in the browser"), with no JavaScript needed and every piece on the page at once:
 *
 *   Course: Strategy & Improvement {c1}
 *     Module: Context for change {c1m1} (300 minutes)
 *       Reading: Read: the evidence {c1m1a1}
 *         | Markdown, a line at a time
 *       Video: A school leader’s perspective {c1m1a2} https://…
 *       Core task: Core task {c1m1a4}
 *   Event: Event 1: Induction {e1} (480 minutes)
 *     Agenda: Qualification outcomes, process and schedule
 *     Pre-work: Before Event 1
 *       | Read the handbook.
 *     Catch-up: If you missed Event 1
 *       | Watch the recording and write a reflection.
 *   Briefing: Qualification information {b1} (90 minutes)
 *     | What the briefing covers.
 *
 * Each line starts with what it is; indentation only helps the eye. Lines starting "|" are Markdown
 * belonging to the piece above. `{key}` keeps a piece's key (ADR 0047): a piece without one is new and
 * is given the next free key. Links are the last word of the line; so is the name of a file uploaded
 * for the programme ("File: The handbook {c1m1a3} npqh-handbook.pdf").
 */

const ACTIVITY_WORDS: Record<string, ActivityKind> = { reading: 'page', file: 'file', link: 'link', video: 'video', reflection: 'reflection', 'core task': 'core_task' };
const WORD_OF: Record<ActivityKind, string> = { page: 'Reading', file: 'File', link: 'Link', video: 'Video', reflection: 'Reflection', core_task: 'Core task' };

/** The outline of a programme, as the editor shows it. */
export function programmeToOutline(c: ProgrammeContent): string {
  const lines: string[] = [];
  const body = (text: string, indent: string) => {
    if (!text) return;
    for (const line of text.split('\n')) lines.push(`${indent}| ${line}`.trimEnd());
  };
  for (const course of c.courses) {
    lines.push(`Course: ${course.title} {${course.key}}`);
    for (const m of course.modules) {
      lines.push(`  Module: ${m.title} {${m.key}} (${m.minutes} minutes)`);
      for (const a of m.activities) {
        const where = a.url ?? a.material?.name;
        lines.push(`    ${WORD_OF[a.kind]}: ${a.title} {${a.key}}${where ? ` ${where}` : ''}`);
        body(a.body, '      ');
      }
    }
  }
  for (const e of c.events) {
    lines.push(`Event: ${e.title} {${e.key}} (${e.minutes} minutes)`);
    for (const item of e.agenda) lines.push(`  Agenda: ${item}`);
    if (e.preWork) {
      lines.push(`  Pre-work: ${e.preWork.title}`);
      body(e.preWork.body, '    ');
    }
    if (e.catchUp) {
      lines.push(`  Catch-up: ${e.catchUp.title}`);
      body(e.catchUp.body, '    ');
    }
  }
  for (const b of c.briefings) {
    lines.push(`Briefing: ${b.title} {${b.key}} (${b.minutes} minutes)`);
    body(b.description, '  ');
  }
  return lines.join('\n');
}

/** "Title {key} handbook.pdf" → the file's name and what comes before it, or undefined when the line does not end with a file's name. */
function fileNamed(rest: string): { name: string; rest: string } | undefined {
  const words = rest.trim().split(/\s+/);
  const name = words.at(-1) ?? '';
  return MATERIAL_NAME.test(name) ? { name, rest: words.slice(0, -1).join(' ') } : undefined;
}

export type OutlineResult = { ok: true; content: ProgrammeContent } | { ok: false; message: string };

/** "Title {key} (90 minutes) https://x" → its parts; each part optional. */
function headOf(rest: string): { title: string; key?: string; minutes?: number; url?: string } {
  let text = rest.trim();
  let url: string | undefined;
  const link = /\s(https?:\/\/\S+)$/i.exec(` ${text}`);
  if (link) {
    url = link[1];
    text = text.slice(0, text.length - link[1]!.length).trim();
  }
  let minutes: number | undefined;
  const m = /\((\d{1,6})\s*minutes?\)\s*$/i.exec(text);
  if (m) {
    minutes = Number(m[1]);
    text = text.slice(0, m.index).trim();
  }
  let key: string | undefined;
  const k = /\{([^{}]*)\}\s*$/.exec(text);
  if (k) {
    key = k[1]!.trim();
    text = text.slice(0, k.index).trim();
  }
  return { title: text, ...(key !== undefined ? { key } : {}), ...(minutes !== undefined ? { minutes } : {}), ...(url ? { url } : {}) };
}

/**
 * Reads an outline into a programme, checked as programmeContentSchema checks it. Refuses with the
 * line at fault and what to write instead. `previous` gives the keys already used, so a new piece
 * never takes the key of one removed (its progress would come back to life). `materials` are the files
 * uploaded for the programme, which a "File" line names instead of an address.
 */
export function programmeFromOutline(text: string, previous?: ProgrammeContent, materials: readonly MaterialRef[] = []): OutlineResult {
  const courses: Course[] = [];
  const events: ProgrammeEvent[] = [];
  const briefings: Briefing[] = [];
  const taken = new Set(previous ? everyKey(previous) : []);
  // The piece "| " lines belong to: an activity, an event's pre-work or a briefing.
  let bodyOf: { set(text: string): void; get(): string } | undefined;
  let course: Course | undefined;
  let module: Module | undefined;
  let event: ProgrammeEvent | undefined;
  const fresh = (base: string): string => {
    for (let n = 1; ; n++) {
      const key = `${base}${n}`;
      if (!taken.has(key)) {
        taken.add(key);
        return key;
      }
    }
  };
  const keep = (key: string | undefined, base: string) => {
    if (key === undefined || key === '') return fresh(base);
    taken.add(key);
    return key;
  };
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  for (const [i, raw] of lines.entries()) {
    const at = `Line ${i + 1}`;
    const line = raw.trim();
    if (!line) {
      bodyOf?.set(`${bodyOf.get()}\n`);
      continue;
    }
    if (line.startsWith('|')) {
      if (!bodyOf) return { ok: false, message: `${at}: a “|” line is text for the activity, pre-work, catch-up or briefing above it, and there is none` };
      const said = line.slice(1).replace(/^ /, '');
      bodyOf.set(bodyOf.get() ? `${bodyOf.get()}\n${said}` : said);
      continue;
    }
    const colon = line.indexOf(':');
    const word = colon > 0 ? line.slice(0, colon).trim().toLowerCase() : '';
    const head = headOf(line.slice(colon + 1));
    bodyOf = undefined;
    if (word === 'course') {
      if (!head.title) return { ok: false, message: `${at}: give the course a title, like “Course: Strategy & Improvement”` };
      course = { key: keep(head.key, 'c'), title: head.title, modules: [] };
      courses.push(course);
      module = undefined;
      event = undefined;
    } else if (word === 'module') {
      if (!course) return { ok: false, message: `${at}: a module belongs to a course: write a “Course:” line above it` };
      if (head.minutes === undefined) return { ok: false, message: `${at}: say how much guided learning the module is worth, like “(300 minutes)” at the end of the line` };
      module = { key: keep(head.key, `${course.key}m`), title: head.title, minutes: head.minutes, activities: [] };
      course.modules.push(module);
      event = undefined;
    } else if (word in ACTIVITY_WORDS) {
      if (!module) return { ok: false, message: `${at}: an activity belongs to a module: write a “Module:” line above it` };
      const kind = ACTIVITY_WORDS[word]!;
      let material: MaterialRef | undefined;
      if (kind === 'file' && !head.url) {
        const named = fileNamed(line.slice(colon + 1));
        if (!named) return { ok: false, message: `${at}: end the line with the name of a file uploaded on the programme’s files page, like “handbook.pdf”, or with the file’s address, starting https://` };
        if (headOf(named.rest).url) return { ok: false, message: `${at}: end the line with the name of an uploaded file or with an address, not both` };
        material = materials.find((m) => m.name.toLowerCase() === named.name.toLowerCase());
        if (!material) {
          const names = materials.map((m) => m.name);
          const listed = names.length ? ` Files uploaded: ${names.slice(0, 5).join(', ')}${names.length > 5 ? ` and ${names.length - 5} more` : ''}.` : '';
          return { ok: false, message: `${at}: no file named “${named.name}” is uploaded for this programme. Upload it on the programme’s files page first, or check the name.${listed}` };
        }
        Object.assign(head, headOf(named.rest));
      }
      if ((kind === 'link' || kind === 'video') && !head.url) return { ok: false, message: `${at}: end the line with the ${kind === 'video' ? 'video’s' : 'link’s'} address, starting https://` };
      const activity: Activity = { key: keep(head.key, `${module.key}a`), kind, title: head.title, body: '', ...(head.url ? { url: head.url } : {}), ...(material ? { material: { id: material.id, name: material.name, type: material.type, size: material.size } } : {}) };
      module.activities.push(activity);
      bodyOf = {
        set: (t) => {
          activity.body = t;
        },
        get: () => activity.body,
      };
    } else if (word === 'event') {
      if (head.minutes === undefined) return { ok: false, message: `${at}: say how much guided learning the event is worth, like “(480 minutes)” at the end of the line` };
      event = { key: keep(head.key, 'e'), title: head.title, minutes: head.minutes, agenda: [], preWork: null };
      events.push(event);
      course = undefined;
      module = undefined;
    } else if (word === 'agenda') {
      if (!event) return { ok: false, message: `${at}: an agenda item belongs to an event: write an “Event:” line above it` };
      event.agenda.push(line.slice(colon + 1).trim());
    } else if (word === 'pre-work') {
      if (!event) return { ok: false, message: `${at}: pre-work belongs to an event: write an “Event:” line above it` };
      const preWork = { title: line.slice(colon + 1).trim(), body: '' };
      event.preWork = preWork;
      bodyOf = {
        set: (t) => {
          preWork.body = t;
        },
        get: () => preWork.body,
      };
    } else if (word === 'catch-up') {
      if (!event) return { ok: false, message: `${at}: a catch-up task belongs to an event: write an “Event:” line above it` };
      const catchUp = { title: line.slice(colon + 1).trim(), body: '' };
      event.catchUp = catchUp;
      bodyOf = {
        set: (t) => {
          catchUp.body = t;
        },
        get: () => catchUp.body,
      };
    } else if (word === 'briefing') {
      if (head.minutes === undefined) return { ok: false, message: `${at}: say how much guided learning the briefing is worth, like “(90 minutes)” at the end of the line` };
      const briefing: Briefing = { key: keep(head.key, 'b'), title: head.title, minutes: head.minutes, description: '' };
      briefings.push(briefing);
      bodyOf = {
        set: (t) => {
          briefing.description = t;
        },
        get: () => briefing.description,
      };
      course = undefined;
      module = undefined;
      event = undefined;
    } else {
      return { ok: false, message: `${at}: start the line with what it is: Course, Module, Reading, Video, Link, File, Reflection, Core task, Event, Agenda, Pre-work, Catch-up or Briefing, then a colon; or “|” for text` };
    }
  }
  const trim = (s: string) => s.replace(/\n+$/, '');
  for (const c of courses) for (const m of c.modules) for (const a of m.activities) a.body = trim(a.body);
  for (const e of events) {
    if (e.preWork) e.preWork.body = trim(e.preWork.body);
    if (e.catchUp) e.catchUp.body = trim(e.catchUp.body);
  }
  for (const b of briefings) b.description = trim(b.description);
  const parsed = programmeContentSchema.safeParse({ courses, events, briefings });
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return { ok: false, message: `${issue.message}${issue.path.length ? ` (${describePath(issue.path, { courses, events, briefings })})` : ''}` };
  }
  if (!courses.length && !events.length && !briefings.length) return { ok: false, message: 'Write at least one course, event or briefing' };
  return { ok: true, content: parsed.data };
}

/** Where a schema issue is, in the outline's words: "Course “…”, module “…”". */
function describePath(path: readonly PropertyKey[], c: { courses: Course[]; events: ProgrammeEvent[]; briefings: Briefing[] }): string {
  const [part, i, , j, , k] = path;
  if (part === 'courses' && typeof i === 'number') {
    const course = c.courses[i];
    const m = typeof j === 'number' ? course?.modules[j] : undefined;
    const a = typeof k === 'number' ? m?.activities[k] : undefined;
    return [`course “${course?.title ?? ''}”`, m ? `module “${m.title}”` : '', a ? `activity “${a.title}”` : ''].filter(Boolean).join(', ');
  }
  if (part === 'events' && typeof i === 'number') return `event “${c.events[i]?.title ?? ''}”`;
  if (part === 'briefings' && typeof i === 'number') return `briefing “${c.briefings[i]?.title ?? ''}”`;
  return path.join(' → ');
}
