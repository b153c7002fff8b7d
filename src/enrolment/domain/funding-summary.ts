/**
 * What pages say about DfE funding for an NPQ, generated from the rules the checker runs
 * (`decideFunding`), never written by hand: each sentence comes from deciding a representative case.
 * Pure.
 */
import { decideFunding, type FundingQuestion } from './funding-eligibility';

/** Someone in a funded cohort, working in England, not funded for this NPQ before, at a state school not on any list. */
export const BASE_CASE: Omit<FundingQuestion, 'courseIdentifier'> = {
  cohortFunded: true,
  worksInEngland: true,
  previouslyFunded: false,
  newHeadteacher: false,
  workSetting: 'a_school',
  school: { establishmentTypeCode: 1, onRiseList: false, onPp50List: false, onPp50FeList: false },
  kindOfNursery: null,
  childminderOnList: false,
  employmentType: null,
  ittProviderApproved: false,
  referredByReturnToTeachingAdviser: false,
};

/**
 * Where people work, as the summary names them, each with the facts of a representative case.
 * A place `within` another is named only when the wider one is not funded (a PP50 school is a state school).
 */
export const FUNDING_PROFILES: { id: string; where: string; within?: string; facts: Partial<FundingQuestion> }[] = [
  { id: 'state_school', where: 'a state-funded school, academy trust or 16 to 19 setting', facts: {} },
  { id: 'pp50', where: 'a state-funded school or 16 to 19 setting on DfE’s PP50 lists (those with the most pupils eligible for pupil premium)', within: 'state_school', facts: { school: { establishmentTypeCode: 1, onRiseList: false, onPp50List: true, onPp50FeList: true } } },
  { id: 'rise', where: 'a school on DfE’s RISE list', within: 'state_school', facts: { school: { establishmentTypeCode: 1, onRiseList: true, onPp50List: false, onPp50FeList: false } } },
  { id: 'la_nursery', where: 'a local-authority maintained nursery', facts: { workSetting: 'early_years_or_childcare', school: null, kindOfNursery: 'local_authority_maintained_nursery' } },
  { id: 'early_years', where: 'another early years or childcare setting', facts: { workSetting: 'early_years_or_childcare', school: null, kindOfNursery: 'private_nursery' } },
  { id: 'childminder', where: 'childminding, if you are on DfE’s list of eligible childminders', facts: { workSetting: 'early_years_or_childcare', school: null, kindOfNursery: 'childminder', childminderOnList: true } },
  { id: 'lead_mentor', where: 'an accredited initial teacher training provider, as its lead mentor', facts: { workSetting: 'another_setting', school: null, employmentType: 'lead_mentor_for_accredited_itt_provider', ittProviderApproved: true } },
  { id: 'reviewed', where: 'a local-authority virtual school, a hospital school or a young offender institution, or as a local-authority supply teacher', facts: { workSetting: 'another_setting', school: null, employmentType: 'hospital_school' } },
  { id: 'independent', where: 'an independent school', facts: { school: { establishmentTypeCode: 11, onRiseList: false, onPp50List: false, onPp50FeList: false } } },
];

export interface FundingSummary {
  /** Whether DfE funds the NPQ for anyone, in a funded cohort. */
  fundedForSomeone: boolean;
  /** For the Early Headship Coaching Offer: funded for headteachers in their first five years, whatever their setting. */
  newHeadteachersOnly: boolean;
  /** Where people work for DfE to fund them, as sentences' endings: "a state-funded school, …". */
  fundedWhere: string[];
  /** Where DfE decides case by case. */
  reviewedWhere: string[];
  /** "Available", "Only for schools on DfE's PP50 or RISE lists" …: one line, for the comparison table. */
  short: string;
  /** The summary as sentences, in order. */
  sentences: string[];
}

const decide = (courseIdentifier: string, facts: Partial<FundingQuestion>) => decideFunding({ ...BASE_CASE, courseIdentifier, ...facts });

/** What DfE's rules fund for an NPQ, for people to read; the same rules as the checker, by construction. */
export function fundingSummary(courseIdentifier: string): FundingSummary {
  const outcome = new Map(FUNDING_PROFILES.map((p) => [p.id, decide(courseIdentifier, p.facts)]));
  const funded = (id: string) => outcome.get(id)?.funded === true;
  // Funded for a new headteacher and not for anyone else in the same school: the rule is about headship, not the setting.
  const newHeadteachersOnly = decide(courseIdentifier, { newHeadteacher: true }).funded && !funded('state_school');
  const fundedWhere = FUNDING_PROFILES.filter((p) => funded(p.id) && !(p.within && funded(p.within))).map((p) => p.where);
  const reviewedWhere = FUNDING_PROFILES.filter((p) => outcome.get(p.id)?.subjectToReview).map((p) => p.where);
  const fundedOnce = !decide(courseIdentifier, { ...FUNDING_PROFILES.find((p) => funded(p.id))?.facts, newHeadteacher: true, previouslyFunded: true }).funded;
  const sentences: string[] = [];
  if (newHeadteachersOnly) sentences.push('DfE funds it, at no cost to you or your school, for headteachers in their first five years of headship who work in England.');
  else if (fundedWhere.length) sentences.push(`DfE funds it, at no cost to you or your school, if you work in England in ${listOf(fundedWhere)}.`);
  if (!newHeadteachersOnly && fundedWhere.length && !funded('state_school') && (funded('pp50') || funded('rise'))) sentences.push('In other schools, academy trusts and 16 to 19 settings DfE does not fund it.');
  if (reviewedWhere.length) sentences.push(`If you work in ${listOf(reviewedWhere)}, DfE decides case by case.`);
  if (!fundedWhere.length && !reviewedWhere.length && !newHeadteachersOnly) sentences.push('DfE does not fund it: your school, trust or employer may pay, or you may pay yourself.');
  if (fundedOnce && (fundedWhere.length || newHeadteachersOnly)) sentences.push('DfE funds each NPQ once for each person: not again after withdrawing or failing.');
  if (fundedWhere.length || reviewedWhere.length || newHeadteachersOnly) sentences.push('Funding depends on your cohort too: DfE decides each year which cohorts it funds.');
  const short = newHeadteachersOnly
    ? 'For new headteachers'
    : funded('state_school')
      ? 'Available'
      : funded('pp50') || funded('rise')
        ? `Only in schools on DfE’s ${[funded('pp50') ? 'PP50' : '', funded('rise') ? 'RISE' : ''].filter(Boolean).join(' or ')} lists${fundedWhere.length > 2 ? ', and some other settings' : ''}`
        : fundedWhere.length
          ? 'In some settings'
          : 'Not available';
  return { fundedForSomeone: fundedWhere.length > 0 || newHeadteachersOnly, newHeadteachersOnly, fundedWhere, reviewedWhere, short, sentences };
}

function listOf(items: string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join('; ')}; or ${items.at(-1)}`;
}
