/**
 * The NPQ course identifiers of DfE's Lead Provider API v3 (its document's `course_identifier` enum
 * on applications), the Additional Support Offer and the Early Headship Coaching Offer among them.
 */
export const DFE_COURSES = [
  'npq-senior-leadership',
  'npq-headship',
  'npq-executive-leadership',
  'npq-early-years-leadership',
  'npq-leading-teaching',
  'npq-leading-behaviour-culture',
  'npq-leading-teaching-development',
  'npq-leading-literacy',
  'npq-leading-primary-mathematics',
  'npq-additional-support-offer',
  'npq-early-headship-coaching-offer',
  'npq-senco',
] as const;
export type DfeCourse = (typeof DFE_COURSES)[number];

/**
 * The courses DfE keeps outcomes for: leadership and specialist NPQs, never the Additional Support
 * Offer or the Early Headship Coaching Offer (docs/dfe-api.md §3; the `course_identifier` enum of
 * DfE's `ParticipantOutcome`).
 */
export const DFE_OUTCOME_COURSES = DFE_COURSES.filter((c): c is Exclude<DfeCourse, 'npq-additional-support-offer' | 'npq-early-headship-coaching-offer'> => c !== 'npq-additional-support-offer' && c !== 'npq-early-headship-coaching-offer');

/** Whether DfE keeps outcomes for this course (DFE_OUTCOME_COURSES). */
export const hasDfeOutcomes = (course: string): course is (typeof DFE_OUTCOME_COURSES)[number] => (DFE_OUTCOME_COURSES as readonly string[]).includes(course);
