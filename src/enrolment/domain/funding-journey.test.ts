import { describe, expect, it } from 'vitest';
import { firstUnanswered, route, toQuestion } from './funding-journey';

describe('the funding checker route', () => {
  it('asks a school teacher for their school', () => {
    expect(route({ course: 'npq-headship', worksInEngland: true, workSetting: 'a_school' })).toEqual(['start-date', 'course', 'england', 'setting', 'school']);
  });
  it('asks about headship only for EHCO', () => {
    expect(route({ course: 'npq-early-headship-coaching-offer', worksInEngland: true, workSetting: 'a_school' })).toContain('headteacher');
  });
  it('skips the setting for someone outside England', () => {
    expect(route({ course: 'npq-headship', worksInEngland: false })).toEqual(['start-date', 'course', 'england']);
  });
  it('asks childminders and private nurseries for their Ofsted URN, and lead mentors for their ITT provider', () => {
    expect(route({ worksInEngland: true, workSetting: 'early_years_or_childcare', kindOfNursery: 'childminder' })).toContain('ofsted-urn');
    expect(route({ worksInEngland: true, workSetting: 'early_years_or_childcare', kindOfNursery: 'private_nursery' })).toContain('ofsted-urn');
    expect(route({ worksInEngland: true, workSetting: 'early_years_or_childcare', kindOfNursery: 'another_early_years_setting' })).not.toContain('ofsted-urn');
    expect(route({ worksInEngland: true, workSetting: 'early_years_or_childcare', kindOfNursery: 'local_authority_maintained_nursery' })).toContain('school');
    expect(route({ worksInEngland: true, workSetting: 'another_setting', employmentType: 'lead_mentor_for_accredited_itt_provider' })).toContain('itt-provider');
    expect(route({ worksInEngland: true, workSetting: 'other' })).toContain('referred');
  });
  it('finds the first question still to answer, and knows when all are', () => {
    expect(firstUnanswered({})).toBe('start-date');
    expect(firstUnanswered({ cohort: '2026a', course: 'npq-senco', worksInEngland: true, workSetting: 'a_school' })).toBe('school');
    expect(firstUnanswered({ cohort: '2026a', course: 'npq-senco', worksInEngland: false })).toBe('check');
  });
  it('asks nothing that names a person: no TRN, no name', () => {
    const everything = route({ course: 'npq-early-headship-coaching-offer', worksInEngland: true, workSetting: 'early_years_or_childcare', kindOfNursery: 'childminder' });
    expect(everything).not.toContain('trn');
    expect(Object.keys(toQuestion({ cohort: '2026a', course: 'npq-senco', worksInEngland: true, workSetting: 'a_school', schoolUrn: '140001' }))).not.toContain('teacher_reference_number');
  });
  it('turns answers into the check question', () => {
    expect(toQuestion({ cohort: '2026a', course: 'npq-senco', worksInEngland: true, workSetting: 'a_school', schoolUrn: '140001' })).toMatchObject({ cohort: '2026a', course_identifier: 'npq-senco', work_setting: 'a_school', school_urn: '140001', new_headteacher: false });
  });
});
