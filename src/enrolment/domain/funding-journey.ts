import type { EmploymentType, KindOfNursery, WorkSetting } from './funding-eligibility';

/**
 * The public funding checker, one question a page. Each step says which answer it records and what
 * comes next given the answers so far: a table, so the route through it can be read and tested.
 */
export interface FundingAnswers {
  cohort?: string;
  course?: string;
  newHeadteacher?: boolean;
  worksInEngland?: boolean;
  workSetting?: WorkSetting;
  kindOfNursery?: KindOfNursery;
  schoolUrn?: string;
  childminderUrn?: string;
  employmentType?: EmploymentType;
  ittProvider?: string;
  referred?: boolean;
  trn?: string;
  trnSkipped?: boolean;
}

export const FUNDING_STEPS = ['start-date', 'course', 'headteacher', 'england', 'setting', 'nursery', 'school', 'childminder', 'role', 'itt-provider', 'referred', 'trn'] as const;
export type FundingStep = (typeof FUNDING_STEPS)[number];
export const isFundingStep = (s: string): s is FundingStep => (FUNDING_STEPS as readonly string[]).includes(s);

const SCHOOL_SETTINGS: ReadonlySet<string> = new Set(['a_school', 'an_academy_trust', 'a_16_to_19_educational_setting']);
const EHCO = 'npq-early-headship-coaching-offer';

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
      return a.worksInEngland ? 'setting' : 'trn';
    case 'setting':
      if (SCHOOL_SETTINGS.has(a.workSetting ?? '')) return 'school';
      if (a.workSetting === 'early_years_or_childcare') return 'nursery';
      if (a.workSetting === 'another_setting') return 'role';
      return 'referred';
    case 'nursery':
      if (a.kindOfNursery === 'local_authority_maintained_nursery' || a.kindOfNursery === 'preschool_class_as_part_of_school') return 'school';
      if (a.kindOfNursery === 'childminder') return 'childminder';
      return 'trn';
    case 'role':
      return a.employmentType === 'lead_mentor_for_accredited_itt_provider' ? 'itt-provider' : 'trn';
    case 'school':
    case 'childminder':
    case 'itt-provider':
    case 'referred':
      return 'trn';
    case 'trn':
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

/** Whether a step's answer is present (the TRN may be skipped on purpose). */
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
    case 'childminder':
      return Boolean(a.childminderUrn);
    case 'role':
      return Boolean(a.employmentType);
    case 'itt-provider':
      return Boolean(a.ittProvider);
    case 'referred':
      return a.referred !== undefined;
    case 'trn':
      return Boolean(a.trn) || a.trnSkipped === true;
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
    private_childcare_provider_urn: a.childminderUrn,
    employment_type: a.employmentType,
    itt_provider: a.ittProvider,
    new_headteacher: a.newHeadteacher ?? false,
    referred_by_return_to_teaching_adviser: a.referred ?? false,
    teacher_reference_number: a.trn,
  };
}
