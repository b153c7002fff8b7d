import { z } from 'zod';
import { wholeNumber } from '../../platform/forms';

export const KINDS = ['leadership', 'specialist', 'early_years', 'coaching'] as const;
export type Kind = (typeof KINDS)[number];
export const KIND_LABELS: Record<Kind, string> = {
  leadership: 'Leadership',
  specialist: 'Specialist',
  early_years: 'Early years',
  coaching: 'Coaching',
};

export const AUDIENCES = [
  'teachers',
  'middle-leaders',
  'senior-leaders',
  'headteachers',
  'executive-leaders',
  'early-years-leaders',
  'sencos',
] as const;
export type Audience = (typeof AUDIENCES)[number];
export const AUDIENCE_LABELS: Record<Audience, string> = {
  teachers: 'Teachers',
  'middle-leaders': 'Middle leaders',
  'senior-leaders': 'Senior leaders',
  headteachers: 'Headteachers and heads of school',
  'executive-leaders': 'Executive leaders',
  'early-years-leaders': 'Early years leaders',
  sencos: 'SENCOs',
};

export const DELIVERY_MODES = ['face_to_face', 'distance', 'whole_school'] as const;
export type DeliveryMode = (typeof DELIVERY_MODES)[number];
export const DELIVERY_MODE_LABELS: Record<DeliveryMode, string> = {
  face_to_face: 'Face to face at a regional training centre',
  distance: 'Distance learning',
  whole_school: 'Whole-school, in-house',
};
export const DELIVERY_MODE_DESCRIPTIONS: Record<DeliveryMode, string> = {
  face_to_face: 'Events at a regional training centre near you, led by experienced school leaders.',
  distance:
    'Each event is delivered over two weeks through online briefings and activities, with live sessions scheduled in your time zone and extra support from your personal tutor.',
  whole_school:
    'For a school or cluster with several people taking the NPQ: delivered in-house, tailored to your context and scheduled to suit you.',
};

export const COMPONENT_KINDS = ['diagnostic', 'events', 'online_courses', 'coaching', 'briefings', 'project', 'placement', 'assessment', 'other'] as const;
export type ComponentKind = (typeof COMPONENT_KINDS)[number];
export const COMPONENT_KIND_LABELS: Record<ComponentKind, string> = {
  diagnostic: '360° diagnostic',
  events: 'Events',
  online_courses: 'Online courses',
  coaching: 'Coaching',
  briefings: 'Online briefings',
  project: 'School project',
  placement: 'Placement',
  assessment: 'Assessment',
  other: 'Other',
};

/** DfE's course identifiers, and ours for NPQs DfE no longer lists: lower-case words joined by hyphens. */
export const identifierSchema = z
  .string()
  .trim()
  .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'Use lower-case letters, numbers and hyphens, like npq-headship');

const optionalInt = (label: string, max: number) => wholeNumber(label, { min: 0, max, optional: true });
const requiredInt = (label: string, min: number, max: number) => wholeNumber(label, { min, max });
const text = (max: number) => z.string().trim().max(max, `Must be ${max} characters or fewer`).default('');
const lines = z.preprocess(
  (v) => (v === undefined || v === null ? [] : typeof v === 'string' ? v.split(/\r?\n/).map((l) => l.trim()).filter(Boolean) : v),
  z.array(z.string().max(300)).max(50),
);
const tickList = <T extends readonly [string, ...string[]]>(values: T) =>
  z.preprocess((v) => (v === undefined || v === '' ? [] : Array.isArray(v) ? v : [v]), z.array(z.enum(values)));

/** The engagement threshold an NPQ has until an admin sets another, in per cent (issue 11 item 3: "90% by default"). */
export const DEFAULT_ENGAGEMENT_THRESHOLD = 90;

/** A qualification as an admin edits it and the API describes it. */
export const qualificationInputSchema = z
  .object({
    identifier: identifierSchema,
    shortName: z.string().trim().min(1, 'Enter the short name, like NPQH').max(20, 'Short name must be 20 characters or fewer'),
    name: z.string().trim().min(1, 'Enter the full name').max(200, 'Name must be 200 characters or fewer'),
    kind: z.enum(KINDS, { error: 'Select the kind of NPQ' }),
    framework: z.enum(['reformed', 'legacy']).default('reformed'),
    summary: text(2000),
    whoFor: text(1000),
    audiences: tickList(AUDIENCES),
    whoCanApply: text(1000),
    intakesDescription: text(200),
    durationMonthsMin: requiredInt('Shortest duration in months', 1, 60),
    durationMonthsMax: requiredInt('Longest duration in months', 1, 60),
    weeklyStudyHoursMin: optionalInt('Least weekly study', 40),
    weeklyStudyHoursMax: optionalInt('Most weekly study', 40),
    studyType: text(200),
    faceToFaceDays: optionalInt('Face-to-face days', 100),
    faceToFaceNote: text(200),
    onlineCourses: optionalInt('Online courses', 50),
    personalTutor: z.preprocess((v) => v === true || v === 'yes', z.boolean()),
    coaching: z.preprocess((v) => v === true || v === 'yes', z.boolean()),
    guidedLearningHours: optionalInt('Guided learning hours', 2000),
    // Reformed NPQs expect at least 90% engagement to pass (issue 11 item 3): the share of the guided learning expected by now that a participant must evidence.
    engagementThresholdPercent: z.preprocess((v) => (v === undefined || v === null || v === '' ? DEFAULT_ENGAGEMENT_THRESHOLD : v), wholeNumber('Engagement threshold', { min: 1, max: 100 })),
    assessmentType: text(500),
    mastersCredits: optionalInt("Master's credits", 360),
    dfeFunding: text(1000),
    learningThemes: lines,
    deliveryModes: tickList(DELIVERY_MODES),
  })
  .superRefine((q, ctx) => {
    if (q.durationMonthsMax < q.durationMonthsMin) {
      ctx.addIssue({ code: 'custom', path: ['durationMonthsMax'], message: 'Longest duration must be the same as or more than the shortest' });
    }
    if (q.weeklyStudyHoursMin !== null && q.weeklyStudyHoursMax !== null && q.weeklyStudyHoursMax < q.weeklyStudyHoursMin) {
      ctx.addIssue({ code: 'custom', path: ['weeklyStudyHoursMax'], message: 'Most weekly study must be the same as or more than the least' });
    }
  });
export type QualificationInput = z.infer<typeof qualificationInputSchema>;

export const componentInputSchema = z.object({
  kind: z.enum(COMPONENT_KINDS, { error: 'Select the kind of component' }),
  title: z.string().trim().min(1, 'Enter a title').max(200, 'Title must be 200 characters or fewer'),
  description: text(2000),
  guidedLearningHours: z.coerce
    .number({ error: 'Guided learning hours must be a number' })
    .min(0, 'Guided learning hours must be 0 or more')
    .max(1000, 'Guided learning hours must be 1,000 or less')
    .refine((h) => Number.isInteger(h * 4), 'Use whole hours or quarter hours, like 1.25'),
  /** One item per block: first line the title, following lines its points. */
  items: z.preprocess(
    (v) =>
      v === undefined || v === null
        ? []
        : typeof v === 'string'
        ? v
            .split(/\r?\n\s*\r?\n/)
            .map((block) => block.split(/\r?\n/).map((l) => l.trim()).filter(Boolean))
            .filter((b) => b.length > 0)
            .map(([title, ...points]) => ({ title, points }))
        : v,
    z.array(z.object({ title: z.string().max(300), points: z.array(z.string().max(500)).max(30) })).max(30),
  ),
});
export type ComponentInput = z.infer<typeof componentInputSchema>;

export const formatDuration = (min: number, max: number) => (min === max ? `${min} months` : `${min}–${max} months`);
export const formatRange = (min: number | null, max: number | null, unit: string) =>
  min === null && max === null ? null : min === max || max === null ? `${min} ${unit}` : min === null ? `up to ${max} ${unit}` : `${min} to ${max} ${unit}`;

/** Minutes are stored; people read hours. */
export const hoursFromMinutes = (m: number) => Math.round((m / 60) * 100) / 100;
export const minutesFromHours = (h: number) => Math.round(h * 60);
