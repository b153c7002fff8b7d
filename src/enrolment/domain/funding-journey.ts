import type { EmploymentType, KindOfNursery, WorkSetting } from './funding-eligibility';

/**
 * The public funding checker, one question a page. Each step says which answer it records and what
 * comes next given the answers so far: a table, so the route through it can be read and tested.
 *
 * It asks nothing that identifies a person (no TRN, no name): an anonymous visitor is answered from
 * DfE's rules and the published lists only, never from anyone's records (ADR 0022). "Funded once per
 * NPQ" is checked on the signed-in applicant's own application and in the provider's review.
 */
export interface FundingAnswers {
  cohort?: string;
  course?: string;
  newHeadteacher?: boolean;
  worksInEngland?: boolean;
  workSetting?: WorkSetting;
  kindOfNursery?: KindOfNursery;
  schoolUrn?: string;
  /** A childminder's or private nursery's Ofsted URN, in Ofsted's form (see ofsted-urn.ts). */
  ofstedUrn?: string;
  employmentType?: EmploymentType;
  ittProvider?: string;
  referred?: boolean;
}

export const FUNDING_STEPS = ['start-date', 'course', 'headteacher', 'england', 'setting', 'nursery', 'school', 'ofsted-urn', 'role', 'itt-provider', 'referred'] as const;
export type FundingStep = (typeof FUNDING_STEPS)[number];
export const isFundingStep = (s: string): s is FundingStep => (FUNDING_STEPS as readonly string[]).includes(s);

const SCHOOL_SETTINGS: ReadonlySet<string> = new Set(['a_school', 'an_academy_trust', 'a_16_to_19_educational_setting']);
const EHCO = 'npq-early-headship-coaching-offer';
/** Childcare providers Ofsted registers, asked for its URN: DfE's `private_childcare_provider_urn`. */
const OFSTED_REGISTERED: ReadonlySet<string> = new Set(['childminder', 'private_nursery']);

/** The step after `step`, or 'check' when every question the answers call for has been asked. */
export function nextStep(step: FundingStep, a: FundingAnswers): FundingStep | 'check' {
  switch (step) {
    case 'start-date':
      return 'course';
    case 'course':
      return a.course === EHCO ? 'headteacher' : 'england';
    case 'headteacher':
      return 'england';
    case 'england':
      return a.worksInEngland ? 'setting' : 'check';
    case 'setting':
      if (SCHOOL_SETTINGS.has(a.workSetting ?? '')) return 'school';
      if (a.workSetting === 'early_years_or_childcare') return 'nursery';
      if (a.workSetting === 'another_setting') return 'role';
      return 'referred';
    case 'nursery':
      if (a.kindOfNursery === 'local_authority_maintained_nursery' || a.kindOfNursery === 'preschool_class_as_part_of_school') return 'school';
      if (OFSTED_REGISTERED.has(a.kindOfNursery ?? '')) return 'ofsted-urn';
      return 'check';
    case 'role':
      return a.employmentType === 'lead_mentor_for_accredited_itt_provider' ? 'itt-provider' : 'check';
    case 'school':
    case 'ofsted-urn':
    case 'itt-provider':
    case 'referred':
      return 'check';
  }
}

/** The steps a person with these answers walks through, in order: for back links and check-your-answers. */
export function route(a: FundingAnswers): FundingStep[] {
  const steps: FundingStep[] = [];
  let step: FundingStep | 'check' = 'start-date';
  while (step !== 'check' && steps.length < FUNDING_STEPS.length) {
    steps.push(step);
    step = nextStep(step, a);
  }
  return steps;
}

/** Whether a step's answer is present. */
export function answered(step: FundingStep, a: FundingAnswers): boolean {
  switch (step) {
    case 'start-date':
      return Boolean(a.cohort);
    case 'course':
      return Boolean(a.course);
    case 'headteacher':
      return a.newHeadteacher !== undefined;
    case 'england':
      return a.worksInEngland !== undefined;
    case 'setting':
      return Boolean(a.workSetting);
    case 'nursery':
      return Boolean(a.kindOfNursery);
    case 'school':
      return Boolean(a.schoolUrn);
    case 'ofsted-urn':
      return Boolean(a.ofstedUrn);
    case 'role':
      return Boolean(a.employmentType);
    case 'itt-provider':
      return Boolean(a.ittProvider);
    case 'referred':
      return a.referred !== undefined;
  }
}

/** The first question still to answer on the way, or 'check' when all are. */
export const firstUnanswered = (a: FundingAnswers): FundingStep | 'check' => route(a).find((s) => !answered(s, a)) ?? 'check';

/** The answers as the funding check's question (the JSON API's field names). */
export function toQuestion(a: FundingAnswers): Record<string, unknown> {
  return {
    cohort: a.cohort,
    course_identifier: a.course,
    works_in_england: a.worksInEngland,
    work_setting: a.worksInEngland ? a.workSetting : (a.workSetting ?? 'other'),
    school_urn: a.schoolUrn,
    kind_of_nursery: a.kindOfNursery,
    private_childcare_provider_urn: a.ofstedUrn,
    employment_type: a.employmentType,
    itt_provider: a.ittProvider,
    new_headteacher: a.newHeadteacher ?? false,
    referred_by_return_to_teaching_adviser: a.referred ?? false,
  };
}
