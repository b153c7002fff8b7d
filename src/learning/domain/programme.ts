import { z } from 'zod';

/*
 * A programme as data (issue 10 item 1): what an NPQ's participants study, per version. Online
 * courses hold modules, modules hold activities; events have agendas and the self-directed pre-work
 * due before them; briefings are short online sessions. Every piece carries the guided learning it
 * is worth, in minutes (seed 001 counts hours: events 40, online courses 60, briefings 6).
 *
 * Every piece has a key ("e1", "c2m3", "c2m3a1") that stays the same across versions, so that what a
 * participant has done, and an intake's dates, still point at the same piece when an admin edits the
 * programme and moves the intake on to the new version.
 */

export const ACTIVITY_KINDS = ['page', 'file', 'link', 'video', 'reflection', 'core_task'] as const;
export type ActivityKind = (typeof ACTIVITY_KINDS)[number];
export const ACTIVITY_KIND_LABELS: Record<ActivityKind, string> = {
  page: 'Reading',
  file: 'Download',
  link: 'Link',
  video: 'Video',
  reflection: 'Reflection',
  core_task: 'Core task',
};

const KEY = /^[a-z0-9-]{1,40}$/;
const key = z.string().regex(KEY, 'A key is 1 to 40 lower-case letters, digits or hyphens');
const title = z.string().trim().min(1, 'Enter a title').max(200, 'A title must be 200 characters or fewer');
const markdown = z.string().max(50_000, 'Text must be 50,000 characters or fewer');
const minutes = z.number().int('Minutes are a whole number').min(0, 'Minutes cannot be negative').max(100_000, 'Minutes must be 100,000 or fewer');
/** A link people may follow: https (or http) only, so no `javascript:` or `data:` link reaches a page. */
export const safeUrl = z
  .string()
  .trim()
  .max(2_000, 'A link must be 2,000 characters or fewer')
  .refine((s) => {
    try {
      const u = new URL(s);
      return u.protocol === 'https:' || u.protocol === 'http:';
    } catch {
      return false;
    }
  }, 'Enter a link that starts with https://');

/** An uploaded file as a programme names it: its id, the name it is kept under, its kind (FILE_TYPES) and size in bytes. */
export const materialRefSchema = z.object({ id: z.uuid(), name: z.string().max(200), type: z.string().max(10), size: z.number().int().min(0) });
export type MaterialRef = z.infer<typeof materialRefSchema>;

export const activitySchema = z.object({
  key,
  kind: z.enum(ACTIVITY_KINDS),
  title,
  /** Markdown: the page itself, the reflection's prompt, the core task's brief. */
  body: markdown.default(''),
  /** For a link or a video, or a file kept elsewhere. */
  url: safeUrl.optional(),
  /**
   * For a file uploaded to the programme (programme_materials): which, and what it is. An uploaded file
   * never changes, so a version keeps the file it was saved with and its pages need not look it up.
   */
  material: materialRefSchema.optional(),
});
export type Activity = z.infer<typeof activitySchema>;

export const moduleSchema = z.object({ key, title, minutes, activities: z.array(activitySchema).max(50) });
export type Module = z.infer<typeof moduleSchema>;

export const courseSchema = z.object({ key, title, modules: z.array(moduleSchema).max(20) });
export type Course = z.infer<typeof courseSchema>;

export const eventSchema = z.object({
  key,
  title,
  minutes,
  agenda: z.array(z.string().trim().min(1).max(300)).max(30),
  /** Self-directed study due before the event (Markdown), or none. */
  preWork: z.object({ title, body: markdown }).nullable().default(null),
  /**
   * What a participant who missed the event does instead (Markdown), or none. Optional in the type:
   * versions saved before catch-up tasks existed have no such field (ADR 0048).
   */
  catchUp: z.object({ title, body: markdown }).nullable().optional(),
});
export type ProgrammeEvent = z.infer<typeof eventSchema>;

export const briefingSchema = z.object({ key, title, minutes, description: markdown.default('') });
export type Briefing = z.infer<typeof briefingSchema>;

export const programmeContentSchema = z
  .object({
    courses: z.array(courseSchema).max(20),
    events: z.array(eventSchema).max(30),
    briefings: z.array(briefingSchema).max(30),
  })
  .superRefine((c, ctx) => {
    const seen = new Set<string>();
    for (const k of everyKey(c)) {
      if (seen.has(k)) ctx.addIssue({ code: 'custom', message: `The key “${k}” is used twice: each piece of a programme needs its own` });
      seen.add(k);
    }
  });
export type ProgrammeContent = z.infer<typeof programmeContentSchema>;

/** Every key in a programme: courses, modules, activities, events and briefings. */
export function everyKey(c: Pick<ProgrammeContent, 'courses' | 'events' | 'briefings'>): string[] {
  return [
    ...c.courses.flatMap((course) => [course.key, ...course.modules.flatMap((m) => [m.key, ...m.activities.map((a) => a.key)])]),
    ...c.events.map((e) => e.key),
    ...c.briefings.map((b) => b.key),
  ];
}

/** The key of an event's pre-work, as a participant's progress records it. */
export const preWorkKey = (eventKey: string): string => `${eventKey}-pre-work`;

/** The key of an event's catch-up task, as a participant's progress records it. */
export const catchUpKey = (eventKey: string): string => `${eventKey}-catch-up`;

/** The guided learning of each component of a programme, in minutes. */
export interface ProgrammeMinutes {
  events: number;
  onlineCourses: number;
  briefings: number;
}

/** What a programme's pieces add up to, per component, in minutes. */
export function programmeMinutes(c: ProgrammeContent): ProgrammeMinutes {
  const sum = (xs: { minutes: number }[]) => xs.reduce((n, x) => n + x.minutes, 0);
  return { events: sum(c.events), onlineCourses: sum(c.courses.flatMap((x) => x.modules)), briefings: sum(c.briefings) };
}

/** Every module of a programme with its course, in order. */
export const modulesOf = (c: ProgrammeContent): { course: Course; module: Module }[] => c.courses.flatMap((course) => course.modules.map((module) => ({ course, module })));

/** A module and its course by the module's key, or undefined. */
export const findModule = (c: ProgrammeContent, moduleKey: string) => modulesOf(c).find((m) => m.module.key === moduleKey);

/**
 * How an activity comes to be done (issue 10 item 1: "a reflection to write, a core task to submit"):
 * a core task when its reviewer accepts it; a reflection when the participant writes it; anything
 * else when the participant says they have done it.
 */
export const howDone = (a: Activity): 'reviewed' | 'written' | 'marked' => (a.kind === 'core_task' ? 'reviewed' : a.kind === 'reflection' ? 'written' : 'marked');

/** Whether the participant marks an activity done themselves (a reading, a video, a link, a file). */
export const markedDoneByParticipant = (a: Activity): boolean => howDone(a) === 'marked';

/** The longest reflection, in characters (about 3,000 words). */
export const REFLECTION_MAX_CHARACTERS = 20_000;

/** The ids of the uploaded files a programme's "File" activities name, each once. */
export const materialIdsOf = (c: ProgrammeContent): string[] => [...new Set(modulesOf(c).flatMap(({ module }) => module.activities.flatMap((a) => (a.material ? [a.material.id] : []))))];
