import { DEFERRAL_REASONS, WITHDRAWAL_REASONS } from '../../enrolment/domain/application';

/** DfE's reason lists, exactly (§4.2): the enrolment capability holds them, as it sends them. */
export { DEFERRAL_REASONS, WITHDRAWAL_REASONS };

/*
 * DfE's reference data as the stand-in holds it: course groups, cohorts with their funding, schedules
 * with their first declaration day and the declaration types they allow, and the reason lists.
 * Source: docs/dfe-api.md (../shared/docs) §0, §2.1–2.3, §4.2.
 */

export const DECLARATION_TYPES = ['started', 'retained-1', 'retained-2', 'completed'] as const;
export type DeclarationType = (typeof DECLARATION_TYPES)[number];

export type CourseGroup = 'leadership' | 'specialist' | 'ehco' | 'support';

/** Each course's group (§0; npq-senco is leadership since 2024-07-11). */
export const COURSE_GROUPS: Record<string, CourseGroup> = {
  'npq-early-years-leadership': 'leadership',
  'npq-executive-leadership': 'leadership',
  'npq-headship': 'leadership',
  'npq-senior-leadership': 'leadership',
  'npq-senco': 'leadership',
  'npq-leading-behaviour-culture': 'specialist',
  'npq-leading-literacy': 'specialist',
  'npq-leading-primary-mathematics': 'specialist',
  'npq-leading-teaching': 'specialist',
  'npq-leading-teaching-development': 'specialist',
  'npq-early-headship-coaching-offer': 'ehco',
  'npq-additional-support-offer': 'support',
};

/** Whether a course has outcomes and needs `has_passed` on `completed` (§2.1, §3): leadership and specialist only. */
export const hasOutcomes = (course: string) => COURSE_GROUPS[course] === 'leadership' || COURSE_GROUPS[course] === 'specialist';

/** ASO and EHCO stand for each other in duplicate and course checks (§0). */
export const sameCourse = (a: string, b: string) => a === b || (COURSE_GROUPS[a] !== undefined && ['ehco', 'support'].includes(COURSE_GROUPS[a]!) && ['ehco', 'support'].includes(COURSE_GROUPS[b] ?? ''));

export type FundingType = 'full' | 'capped' | 'zero';

export interface Cohort {
  /** Start year and suffix, e.g. `2025b`. */
  identifier: string;
  startYear: number;
  suffix: string;
  funding: FundingType;
}

export interface Schedule {
  cohort: string;
  identifier: string;
  group: CourseGroup;
  /** The first UK date a declaration may carry (§2.3, `applies_from`). */
  appliesFrom: string;
  allowed: readonly DeclarationType[];
}

const cohort = (identifier: string, funding: FundingType): Cohort => ({ identifier, startYear: Number(identifier.slice(0, 4)), suffix: identifier.slice(4) || 'a', funding });

/** The cohorts the stand-in knows (§2.2): 2021–2023 full, 2024 on capped, 2026a unfunded. */
export const COHORTS: readonly Cohort[] = [cohort('2023a', 'full'), cohort('2024a', 'capped'), cohort('2025a', 'capped'), cohort('2025b', 'capped'), cohort('2026a', 'zero'), cohort('2026b', 'capped')];

const ALL: readonly DeclarationType[] = DECLARATION_TYPES;
const SPECIALIST: readonly DeclarationType[] = ['started', 'retained-1', 'completed'];

function schedulesOf(c: string, season: 'autumn' | 'spring', appliesFrom: string, ehco: readonly string[]): Schedule[] {
  return [
    { cohort: c, identifier: `npq-leadership-${season}`, group: 'leadership', appliesFrom, allowed: ALL },
    { cohort: c, identifier: `npq-specialist-${season}`, group: 'specialist', appliesFrom, allowed: SPECIALIST },
    ...ehco.map((m) => ({ cohort: c, identifier: `npq-ehco-${m}`, group: 'ehco' as const, appliesFrom, allowed: ALL })),
  ];
}

/** The schedules per cohort (§2.2, §2.3): first declaration days from DfE's table, read as the doc reads them. */
export const SCHEDULES: readonly Schedule[] = [
  ...schedulesOf('2023a', 'autumn', '2023-10-01', ['november', 'december']),
  ...schedulesOf('2023a', 'spring', '2024-01-01', ['march', 'june']),
  ...schedulesOf('2024a', 'autumn', '2024-10-01', ['june', 'november', 'december']),
  ...schedulesOf('2025a', 'spring', '2025-02-01', ['march', 'june']),
  ...schedulesOf('2025b', 'autumn', '2025-08-01', ['november', 'december']),
  ...schedulesOf('2026a', 'spring', '2026-02-01', ['march', 'june']),
  ...schedulesOf('2026b', 'autumn', '2026-08-01', ['november', 'december']),
];

/** The default schedule on accept (§2.2), from the acceptance's UTC date (`YYYY-MM-DD`). */
export function defaultScheduleIdentifier(course: string, c: Cohort, acceptedOn: string): string {
  const group = COURSE_GROUPS[course];
  if (group === 'support') return 'npq-aso-december';
  if (group === 'ehco') {
    const y = c.startYear;
    if (acceptedOn >= `${y}-09-01` && acceptedOn <= `${y}-11-30`) return 'npq-ehco-november';
    if (acceptedOn >= `${y}-12-01` && acceptedOn < `${y + 1}-03-01`) return 'npq-ehco-december';
    if (acceptedOn >= `${y + 1}-03-01` && acceptedOn <= `${y + 1}-05-31`) return 'npq-ehco-march';
    return 'npq-ehco-june';
  }
  let season: 'autumn' | 'spring';
  if (c.identifier === '2026a') season = 'spring';
  else if (c.identifier === '2026b') season = 'autumn';
  else if (c.startYear === 2025 && acceptedOn >= '2025-08-01' && acceptedOn <= '2026-04-30') season = 'autumn';
  else if (c.startYear === 2025 && acceptedOn >= '2024-06-28' && acceptedOn <= '2025-06-06') season = 'spring';
  else if (c.startYear === 2024 && acceptedOn >= '2024-06-28' && acceptedOn <= '2025-06-06') season = 'autumn';
  else {
    const md = acceptedOn.slice(5);
    season = md <= '04-02' || md >= '12-26' ? 'spring' : 'autumn';
  }
  return `npq-${group}-${season}`;
}

/**
 * The schedule the provider must name when accepting, or null to leave it to DfE: null when DfE's
 * default (defaultScheduleIdentifier, from the acceptance's UTC date `acceptedOn`) exists in the
 * cohort; otherwise — DfE's own gap, where its lookup of a missing default answers 404 (docs/dfe-api.md
 * §1.1) — the cohort's first schedule for the course's group. Null too for a cohort or course this
 * reference data does not know (DfE then answers for itself).
 */
export function scheduleToName(course: string, cohortIdentifier: string, acceptedOn: string): string | null {
  const c = COHORTS.find((x) => x.identifier === cohortIdentifier);
  const group = COURSE_GROUPS[course];
  if (!c || !group) return null;
  const inCohort = SCHEDULES.filter((s) => s.cohort === c.identifier);
  const fallback = defaultScheduleIdentifier(course, c, acceptedOn);
  if (inCohort.some((s) => s.identifier === fallback) || group === 'support') return null;
  return inCohort.find((s) => s.group === group)?.identifier ?? null;
}

/**
 * The schedules DfE has in a cohort (§2.2), or null for a cohort this reference data does not know.
 * A schedule named for a participant that their cohort lacks is looked up in another cohort of the same
 * start year (§4.3), moving them there, perhaps unfunded.
 */
export function schedulesOfCohort(cohortIdentifier: string): string[] | null {
  if (!COHORTS.some((c) => c.identifier === cohortIdentifier)) return null;
  return SCHEDULES.filter((s) => s.cohort === cohortIdentifier).map((s) => s.identifier);
}

/**
 * When DfE lacks `schedule` in a cohort it knows, the cohort's schedules of the same kind (leadership,
 * specialist, ehco, aso) to choose from instead, perhaps none; null when DfE has it there, or does not
 * know the cohort. Sent for such a cohort's participant, DfE would look it up in another cohort (§4.3).
 */
export function scheduleMissingFromCohort(cohortIdentifier: string, schedule: string): string[] | null {
  const inCohort = schedulesOfCohort(cohortIdentifier);
  if (!inCohort || inCohort.includes(schedule)) return null;
  return inCohort.filter((s) => s.split('-')[1] === schedule.split('-')[1]);
}
