import { describe, expect, it } from 'vitest';
import { SEED_QUALIFICATIONS } from '../../catalogue/seed-data';
import { decideFunding, type FundingQuestion } from './funding-eligibility';
import { BASE_CASE, FUNDING_PROFILES, fundingSummary } from './funding-summary';

const base = BASE_CASE;
const where = (id: string) => FUNDING_PROFILES.find((p) => p.id === id)!.where;

describe('what pages say about funding matches what the checker decides', () => {
  // Representative people, checked against the checker for every NPQ in the catalogue.
  const cases: { name: string; facts: Partial<FundingQuestion>; says: (s: ReturnType<typeof fundingSummary>) => boolean }[] = [
    { name: 'a teacher at a state school on no list', facts: {}, says: (s) => s.fundedWhere.includes(where('state_school')) },
    { name: 'a teacher at a PP50 school', facts: { school: { establishmentTypeCode: 1, onRiseList: false, onPp50List: true, onPp50FeList: false } }, says: (s) => s.fundedWhere.includes(where('state_school')) || s.fundedWhere.includes(where('pp50')) },
    { name: 'a teacher at a RISE school', facts: { school: { establishmentTypeCode: 1, onRiseList: true, onPp50List: false, onPp50FeList: false } }, says: (s) => s.fundedWhere.includes(where('state_school')) || s.fundedWhere.includes(where('rise')) },
    { name: 'a teacher at an independent school', facts: { school: { establishmentTypeCode: 11, onRiseList: false, onPp50List: false, onPp50FeList: false } }, says: (s) => s.fundedWhere.includes(where('independent')) },
    { name: 'a leader of a local-authority nursery', facts: { workSetting: 'early_years_or_childcare', school: null, kindOfNursery: 'local_authority_maintained_nursery' }, says: (s) => s.fundedWhere.includes(where('la_nursery')) },
    { name: 'a childminder on the list', facts: { workSetting: 'early_years_or_childcare', school: null, kindOfNursery: 'childminder', childminderOnList: true }, says: (s) => s.fundedWhere.includes(where('childminder')) },
    { name: 'a lead mentor of an approved ITT provider', facts: { workSetting: 'another_setting', school: null, employmentType: 'lead_mentor_for_accredited_itt_provider', ittProviderApproved: true }, says: (s) => s.fundedWhere.includes(where('lead_mentor')) },
  ];
  for (const q of SEED_QUALIFICATIONS) {
    it(`${q.identifier}: each case is funded exactly when the page says so`, () => {
      const summary = fundingSummary(q.identifier);
      for (const c of cases) {
        const decided = decideFunding({ ...base, courseIdentifier: q.identifier, ...c.facts }).funded;
        expect({ case: c.name, funded: summary.newHeadteachersOnly ? false : c.says(summary) }).toEqual({ case: c.name, funded: decided });
      }
      const newHead = decideFunding({ ...base, courseIdentifier: q.identifier, newHeadteacher: true, school: { establishmentTypeCode: 11, onRiseList: false, onPp50List: false, onPp50FeList: false } }).funded;
      expect(summary.newHeadteachersOnly).toBe(newHead && !decideFunding({ ...base, courseIdentifier: q.identifier }).funded);
      expect(decideFunding({ ...base, courseIdentifier: q.identifier, newHeadteacher: true, previouslyFunded: true }).funded).toBe(false);
      if (summary.fundedForSomeone) expect(summary.sentences).toContain('DfE funds each NPQ once for each person: not again after withdrawing or failing.');
    });
  }

  it('does not promise NPQLT to every state school: only to PP50 and RISE schools, as the checker decides', () => {
    const s = fundingSummary('npq-leading-teaching');
    expect(s.fundedWhere).not.toContain(where('state_school'));
    expect(s.sentences.join(' ')).toContain('PP50');
    expect(s.sentences).toContain('In other schools, academy trusts and 16 to 19 settings DfE does not fund it.');
    expect(s.short).toBe('Only in schools on DfE’s PP50 or RISE lists');
  });

  it('describes NPQH by the current rules, with no "category 5 and 6" areas', () => {
    const s = fundingSummary('npq-headship');
    expect(s.sentences.join(' ')).not.toMatch(/category/i);
    expect(s.fundedWhere).toEqual([where('state_school'), where('la_nursery')]);
    expect(s.reviewedWhere).toEqual([where('reviewed')]);
  });

  it('funds the Early Headship Coaching Offer for new headteachers only', () => {
    expect(fundingSummary('npq-early-headship-coaching-offer')).toMatchObject({ newHeadteachersOnly: true, short: 'For new headteachers' });
  });

  it('keeps funding prose out of the catalogue seed', () => {
    for (const q of SEED_QUALIFICATIONS) expect(q.dfeFunding).toBe('');
  });
});
