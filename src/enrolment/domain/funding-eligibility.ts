/**
 * DfE's NPQ funding rules, in the order DfE's registration service applies them (docs/domain.md,
 * "Funding eligibility"). Pure: the caller looks up the school, the yearly lists and earlier
 * applications, and passes what it found.
 */

export const WORK_SETTINGS = ['a_school', 'an_academy_trust', 'a_16_to_19_educational_setting', 'early_years_or_childcare', 'another_setting', 'other'] as const;
export type WorkSetting = (typeof WORK_SETTINGS)[number];

export const KINDS_OF_NURSERY = ['local_authority_maintained_nursery', 'preschool_class_as_part_of_school', 'private_nursery', 'another_early_years_setting', 'childminder'] as const;
export type KindOfNursery = (typeof KINDS_OF_NURSERY)[number];

export const EMPLOYMENT_TYPES = ['local_authority_virtual_school', 'hospital_school', 'young_offender_institution', 'local_authority_supply_teacher', 'lead_mentor_for_accredited_itt_provider', 'other'] as const;
export type EmploymentType = (typeof EMPLOYMENT_TYPES)[number];

export const FUNDING_STATUS_CODES = [
  'funded',
  'unfunded_cohort',
  'not_in_england',
  'previously_funded',
  'not_new_headteacher_requesting_ehco',
  'ineligible_establishment_type',
  'ineligible_establishment_not_a_pp50',
  'not_entitled_childminder',
  'early_years_invalid_npq',
  'not_lead_mentor_course',
  'subject_to_review',
  'referred_by_return_to_teaching_adviser',
] as const;
export type FundingStatusCode = (typeof FUNDING_STATUS_CODES)[number];

/** GIAS establishment type codes whose staff DfE funds (docs/domain.md). */
export const ELIGIBLE_ESTABLISHMENT_TYPES: ReadonlySet<number> = new Set([
  1, 2, 3, 5, 6, 7, 8, 10, 12, 14, 15, 18, 24, 26, 28, 31, 32, 33, 34, 35, 36, 38, 39, 40, 41, 42, 43, 44, 45, 46,
]);

/** NPQs funded in schools only where the school is on the PP50 list (PP50 FE list for 16–19 settings). */
export const PP50_ONLY_COURSES: ReadonlySet<string> = new Set([
  'npq-leading-primary-mathematics',
  'npq-leading-behaviour-culture',
  'npq-leading-literacy',
  'npq-leading-teaching',
  'npq-leading-teaching-development',
  'npq-executive-leadership',
]);

const EYL = 'npq-early-years-leadership';
const EHCO_COURSES: ReadonlySet<string> = new Set(['npq-early-headship-coaching-offer', 'npq-additional-support-offer']);
const LA_NURSERY_COURSES: ReadonlySet<string> = new Set(['npq-senco', 'npq-headship', 'npq-senior-leadership']);
const REVIEWABLE_EMPLOYMENT: ReadonlySet<string> = new Set(['local_authority_virtual_school', 'hospital_school', 'young_offender_institution', 'local_authority_supply_teacher']);
const REVIEWABLE_COURSES: ReadonlySet<string> = new Set(['npq-headship', 'npq-senco', 'npq-senior-leadership']);

/** EHCO and the retired additional support offer count as one course for "funded once". */
export const sameFundingCourse = (a: string, b: string): boolean => a === b || (EHCO_COURSES.has(a) && EHCO_COURSES.has(b));

export interface SchoolFacts {
  establishmentTypeCode: number | null;
  onRiseList: boolean;
  onPp50List: boolean;
  /** By the school's UKPRN, for 16–19 settings. */
  onPp50FeList: boolean;
}

export interface FundingQuestion {
  cohortFunded: boolean;
  courseIdentifier: string;
  worksInEngland: boolean;
  previouslyFunded: boolean;
  newHeadteacher: boolean;
  workSetting: WorkSetting;
  school: SchoolFacts | null;
  kindOfNursery: KindOfNursery | null;
  childminderOnList: boolean;
  employmentType: EmploymentType | null;
  ittProviderApproved: boolean;
  referredByReturnToTeachingAdviser: boolean;
}

export interface FundingDecision {
  funded: boolean;
  statusCode: FundingStatusCode;
  subjectToReview: boolean;
}

const decision = (statusCode: FundingStatusCode): FundingDecision => ({
  funded: statusCode === 'funded',
  statusCode,
  subjectToReview: statusCode === 'subject_to_review' || statusCode === 'referred_by_return_to_teaching_adviser',
});

export function decideFunding(q: FundingQuestion): FundingDecision {
  // 1–3: the cohort, the country, and "funded once per NPQ".
  if (!q.cohortFunded) return decision('unfunded_cohort');
  if (!q.worksInEngland) return decision('not_in_england');
  if (q.previouslyFunded) return decision('previously_funded');
  // 4: EHCO is for headteachers in their first five years.
  if (EHCO_COURSES.has(q.courseIdentifier)) return decision(q.newHeadteacher ? 'funded' : 'not_new_headteacher_requesting_ehco');

  switch (q.workSetting) {
    // 5: schools, academy trusts and 16–19 settings.
    case 'a_school':
    case 'an_academy_trust':
    case 'a_16_to_19_educational_setting': {
      const school = q.school;
      if (school?.onRiseList) return decision('funded');
      if (!school || school.establishmentTypeCode === null || !ELIGIBLE_ESTABLISHMENT_TYPES.has(school.establishmentTypeCode)) {
        return decision('ineligible_establishment_type');
      }
      if (q.courseIdentifier === EYL) return decision('funded');
      if (PP50_ONLY_COURSES.has(q.courseIdentifier)) {
        const onList = q.workSetting === 'a_16_to_19_educational_setting' ? school.onPp50FeList : school.onPp50List;
        return decision(onList ? 'funded' : 'ineligible_establishment_not_a_pp50');
      }
      return decision('funded');
    }
    // 6: early years and childcare.
    case 'early_years_or_childcare': {
      if (q.courseIdentifier === EYL) {
        if (q.kindOfNursery === 'childminder') return decision(q.childminderOnList ? 'funded' : 'not_entitled_childminder');
        return decision('funded');
      }
      const laNursery = q.kindOfNursery === 'local_authority_maintained_nursery';
      return decision(laNursery && LA_NURSERY_COURSES.has(q.courseIdentifier) ? 'funded' : 'early_years_invalid_npq');
    }
    // 7: another setting: lead mentors, and staff DfE reviews case by case.
    case 'another_setting': {
      if (q.employmentType === 'lead_mentor_for_accredited_itt_provider') {
        if (q.courseIdentifier !== 'npq-leading-teaching-development') return decision('not_lead_mentor_course');
        return decision(q.ittProviderApproved ? 'funded' : 'ineligible_establishment_type');
      }
      if (q.employmentType && REVIEWABLE_EMPLOYMENT.has(q.employmentType) && REVIEWABLE_COURSES.has(q.courseIdentifier)) {
        return decision('subject_to_review');
      }
      return decision('ineligible_establishment_type');
    }
    // 8: anywhere else.
    case 'other':
      return decision(q.referredByReturnToTeachingAdviser ? 'referred_by_return_to_teaching_adviser' : 'ineligible_establishment_type');
  }
}

/** What the result means for the person, and what they can do instead. */
export function explainFunding(statusCode: FundingStatusCode, courseName: string): string {
  const selfFund = 'You can still take it if your school, trust or employer pays, or you pay yourself.';
  switch (statusCode) {
    case 'funded':
      return `DfE will fund your place on the ${courseName}: it costs you and your school nothing.`;
    case 'unfunded_cohort':
      return `DfE is not funding places on the ${courseName} in this cohort. ${selfFund}`;
    case 'not_in_england':
      return `DfE funds NPQs only for people who work in England. ${selfFund}`;
    case 'previously_funded':
      return `DfE has already funded you for the ${courseName}, and funds each NPQ once, including after withdrawing or failing. ${selfFund}`;
    case 'not_new_headteacher_requesting_ehco':
      return `The Early Headship Coaching Offer is funded only for headteachers in their first five years of headship. ${selfFund}`;
    case 'ineligible_establishment_type':
      return `DfE does not fund this NPQ for people who work where you do: funding is for state-funded schools, trusts and 16 to 19 settings, and some other settings. ${selfFund}`;
    case 'ineligible_establishment_not_a_pp50':
      return `DfE funds the ${courseName} only in schools and colleges with the most pupils eligible for pupil premium (the PP50 lists), and yours is not on them. Other NPQs may be funded for you. ${selfFund}`;
    case 'not_entitled_childminder':
      return `The ${courseName} is funded for childminders only when they are on DfE's list of eligible childminders, and you are not on it. ${selfFund}`;
    case 'early_years_invalid_npq':
      return `In an early years setting DfE funds the Early Years Leadership NPQ; the SENCO, Headship and Senior Leadership NPQs are funded only in local-authority nursery schools. ${selfFund}`;
    case 'not_lead_mentor_course':
      return `For lead mentors of an accredited initial teacher training provider DfE funds only the Leading Teacher Development NPQ. ${selfFund}`;
    case 'subject_to_review':
      return `DfE decides case by case whether to fund people in your role. We will tell you when DfE has decided; you can apply now.`;
    case 'referred_by_return_to_teaching_adviser':
      return `As you were referred by a Return to Teaching Adviser, DfE will review whether to fund you. We will tell you when DfE has decided; you can apply now.`;
  }
}

/** Each funding status code as the provider's staff read it, beside an application. */
export const FUNDING_STATUS_LABELS: Record<FundingStatusCode, string> = {
  funded: 'Funded',
  unfunded_cohort: 'DfE does not fund this cohort',
  not_in_england: 'Does not work in England',
  previously_funded: 'DfE has funded them for this NPQ before',
  not_new_headteacher_requesting_ehco: 'Not a headteacher in their first five years (EHCO)',
  ineligible_establishment_type: 'Where they work is not eligible',
  ineligible_establishment_not_a_pp50: 'School or college not on the PP50 list',
  not_entitled_childminder: 'Childminder not on DfE’s list',
  early_years_invalid_npq: 'NPQ not funded in their early years setting',
  not_lead_mentor_course: 'Lead mentors are funded only for NPQLTD',
  subject_to_review: 'DfE decides case by case',
  referred_by_return_to_teaching_adviser: 'Referred by a Return to Teaching Adviser: DfE reviews',
};
export const fundingStatusText = (code: string | null): string => (code ? (FUNDING_STATUS_LABELS[code as FundingStatusCode] ?? 'Unknown') : '');
