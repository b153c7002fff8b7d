import { describe, expect, it } from 'vitest';
import { decideFunding, explainFunding, FUNDING_STATUS_CODES, type FundingQuestion, type FundingStatusCode, sameFundingCourse } from './funding-eligibility';

const eligibleSchool = { establishmentTypeCode: 1, onRiseList: false, onPp50List: false, onPp50FeList: false };
const base: FundingQuestion = {
  cohortFunded: true,
  courseIdentifier: 'npq-headship',
  worksInEngland: true,
  previouslyFunded: false,
  newHeadteacher: false,
  workSetting: 'a_school',
  school: eligibleSchool,
  kindOfNursery: null,
  childminderOnList: false,
  employmentType: null,
  ittProviderApproved: false,
  referredByReturnToTeachingAdviser: false,
};

/** One row a rule: what is asked, and the status code DfE's rules give. */
const CASES: [string, Partial<FundingQuestion>, FundingStatusCode][] = [
  // 1–3
  ['cohort not funded', { cohortFunded: false }, 'unfunded_cohort'],
  ['not in England comes after the cohort', { cohortFunded: false, worksInEngland: false }, 'unfunded_cohort'],
  ['works outside England', { worksInEngland: false }, 'not_in_england'],
  ['funded before for the same NPQ', { previouslyFunded: true }, 'previously_funded'],
  ['previously funded is checked before EHCO', { previouslyFunded: true, courseIdentifier: 'npq-early-headship-coaching-offer', newHeadteacher: true }, 'previously_funded'],
  // 4
  ['EHCO for a new headteacher', { courseIdentifier: 'npq-early-headship-coaching-offer', newHeadteacher: true }, 'funded'],
  ['EHCO for anyone else', { courseIdentifier: 'npq-early-headship-coaching-offer' }, 'not_new_headteacher_requesting_ehco'],
  ['EHCO whatever the setting', { courseIdentifier: 'npq-early-headship-coaching-offer', newHeadteacher: true, workSetting: 'other', school: null }, 'funded'],
  // 5
  ['NPQH in an eligible school', {}, 'funded'],
  ['NPQH in an academy trust', { workSetting: 'an_academy_trust' }, 'funded'],
  ['school of an ineligible type', { school: { ...eligibleSchool, establishmentTypeCode: 11 } }, 'ineligible_establishment_type'],
  ['school of unknown type', { school: { ...eligibleSchool, establishmentTypeCode: null } }, 'ineligible_establishment_type'],
  ['no school found', { school: null }, 'ineligible_establishment_type'],
  ['RISE school of any type, any course', { courseIdentifier: 'npq-leading-literacy', school: { ...eligibleSchool, establishmentTypeCode: 11, onRiseList: true } }, 'funded'],
  ['NPQEYL in an eligible school', { courseIdentifier: 'npq-early-years-leadership' }, 'funded'],
  ['PP50-only NPQ in a school on the PP50 list', { courseIdentifier: 'npq-leading-teaching', school: { ...eligibleSchool, onPp50List: true } }, 'funded'],
  ['PP50-only NPQ in a school off the list', { courseIdentifier: 'npq-leading-teaching' }, 'ineligible_establishment_not_a_pp50'],
  ['NPQEL is PP50-only', { courseIdentifier: 'npq-executive-leadership' }, 'ineligible_establishment_not_a_pp50'],
  ['16–19 setting on the PP50 FE list', { workSetting: 'a_16_to_19_educational_setting', courseIdentifier: 'npq-leading-literacy', school: { ...eligibleSchool, onPp50FeList: true } }, 'funded'],
  ['16–19 setting only on the schools list', { workSetting: 'a_16_to_19_educational_setting', courseIdentifier: 'npq-leading-literacy', school: { ...eligibleSchool, onPp50List: true } }, 'ineligible_establishment_not_a_pp50'],
  ['school only on the FE list', { courseIdentifier: 'npq-leading-literacy', school: { ...eligibleSchool, onPp50FeList: true } }, 'ineligible_establishment_not_a_pp50'],
  ['NPQ SENCO in any eligible school', { courseIdentifier: 'npq-senco' }, 'funded'],
  // 6
  ['NPQEYL in a private nursery', { workSetting: 'early_years_or_childcare', school: null, kindOfNursery: 'private_nursery', courseIdentifier: 'npq-early-years-leadership' }, 'funded'],
  ['NPQEYL in a pre-school class', { workSetting: 'early_years_or_childcare', kindOfNursery: 'preschool_class_as_part_of_school', courseIdentifier: 'npq-early-years-leadership' }, 'funded'],
  ['NPQEYL for a listed childminder', { workSetting: 'early_years_or_childcare', school: null, kindOfNursery: 'childminder', childminderOnList: true, courseIdentifier: 'npq-early-years-leadership' }, 'funded'],
  ['NPQEYL for an unlisted childminder', { workSetting: 'early_years_or_childcare', school: null, kindOfNursery: 'childminder', courseIdentifier: 'npq-early-years-leadership' }, 'not_entitled_childminder'],
  ['NPQH in a local-authority nursery school', { workSetting: 'early_years_or_childcare', kindOfNursery: 'local_authority_maintained_nursery' }, 'funded'],
  ['NPQSL in a local-authority nursery school', { workSetting: 'early_years_or_childcare', kindOfNursery: 'local_authority_maintained_nursery', courseIdentifier: 'npq-senior-leadership' }, 'funded'],
  ['NPQLT in a local-authority nursery school', { workSetting: 'early_years_or_childcare', kindOfNursery: 'local_authority_maintained_nursery', courseIdentifier: 'npq-leading-teaching' }, 'early_years_invalid_npq'],
  ['NPQH in a private nursery', { workSetting: 'early_years_or_childcare', kindOfNursery: 'private_nursery' }, 'early_years_invalid_npq'],
  // 7
  ['lead mentor on NPQLTD with an approved ITT provider', { workSetting: 'another_setting', school: null, employmentType: 'lead_mentor_for_accredited_itt_provider', ittProviderApproved: true, courseIdentifier: 'npq-leading-teaching-development' }, 'funded'],
  ['lead mentor on NPQLTD with another provider', { workSetting: 'another_setting', school: null, employmentType: 'lead_mentor_for_accredited_itt_provider', courseIdentifier: 'npq-leading-teaching-development' }, 'ineligible_establishment_type'],
  ['lead mentor on another NPQ', { workSetting: 'another_setting', school: null, employmentType: 'lead_mentor_for_accredited_itt_provider', ittProviderApproved: true }, 'not_lead_mentor_course'],
  ['hospital school teacher on NPQH', { workSetting: 'another_setting', school: null, employmentType: 'hospital_school' }, 'subject_to_review'],
  ['virtual school on NPQ SENCO', { workSetting: 'another_setting', school: null, employmentType: 'local_authority_virtual_school', courseIdentifier: 'npq-senco' }, 'subject_to_review'],
  ['supply teacher on NPQSL', { workSetting: 'another_setting', school: null, employmentType: 'local_authority_supply_teacher', courseIdentifier: 'npq-senior-leadership' }, 'subject_to_review'],
  ['young offender institution on NPQLT', { workSetting: 'another_setting', school: null, employmentType: 'young_offender_institution', courseIdentifier: 'npq-leading-teaching' }, 'ineligible_establishment_type'],
  ['another setting, other role', { workSetting: 'another_setting', school: null, employmentType: 'other' }, 'ineligible_establishment_type'],
  // 8
  ['referred by a Return to Teaching Adviser', { workSetting: 'other', school: null, referredByReturnToTeachingAdviser: true }, 'referred_by_return_to_teaching_adviser'],
  ['other setting, not referred', { workSetting: 'other', school: null }, 'ineligible_establishment_type'],
];

describe('DfE funding eligibility', () => {
  it.each(CASES)('%s', (_name, change, expected) => {
    const result = decideFunding({ ...base, ...change });
    expect(result.statusCode).toBe(expected);
    expect(result.funded).toBe(expected === 'funded');
    expect(result.subjectToReview).toBe(expected === 'subject_to_review' || expected === 'referred_by_return_to_teaching_adviser');
  });

  it('has a case for every status code', () => {
    expect(new Set(CASES.map((c) => c[2]))).toEqual(new Set(FUNDING_STATUS_CODES));
  });

  it('explains every status code in plain English, with what to do next', () => {
    for (const code of FUNDING_STATUS_CODES) {
      const text = explainFunding(code, 'NPQ for Headship');
      expect(text.length).toBeGreaterThan(40);
      if (!['funded', 'subject_to_review', 'referred_by_return_to_teaching_adviser'].includes(code)) expect(text).toContain('you pay yourself');
    }
  });

  it('counts EHCO and the additional support offer as one course', () => {
    expect(sameFundingCourse('npq-early-headship-coaching-offer', 'npq-additional-support-offer')).toBe(true);
    expect(sameFundingCourse('npq-headship', 'npq-senior-leadership')).toBe(false);
  });
});
