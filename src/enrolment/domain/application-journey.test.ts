import { describe, expect, it } from 'vitest';
import { applicationRoute, firstUnansweredApplicationStep, nextApplicationStep, withoutStaleAnswers } from './application-journey';

const mode = (m: string | undefined) => () => m;

describe('the application journey', () => {
  it('asks a school teacher about their school, then the provider’s questions', () => {
    const a = { fullName: 'Ada', trn: '1234567', course: 'npq-senior-leadership', worksInEngland: true, workSetting: 'a_school' as const, intakeId: 'i1' };
    expect(applicationRoute(a, mode('face_to_face'))).toEqual(['details', 'course', 'england', 'setting', 'school', 'job', 'line-manager', 'intake', 'funding', 'consent']);
  });

  it('asks the time zone only for distance learning from outside England', () => {
    const abroad = { course: 'npq-senco', worksInEngland: false, intakeId: 'i1' };
    expect(applicationRoute(abroad, mode('distance'))).toContain('time-zone');
    expect(nextApplicationStep('intake', abroad, mode('distance'))).toBe('time-zone');
    expect(nextApplicationStep('intake', abroad, mode('whole_school'))).toBe('funding');
    const inEngland = { course: 'npq-senco', worksInEngland: true, workSetting: 'a_school' as const, intakeId: 'i1' };
    expect(applicationRoute(inEngland, mode('distance'))).not.toContain('time-zone');
    expect(nextApplicationStep('intake', inEngland, mode('distance'))).toBe('funding');
  });

  it('takes “I do not have a TRN” as an answer, and asks a private nursery for its Ofsted URN', () => {
    expect(firstUnansweredApplicationStep({ fullName: 'Ada', noTrn: true }, mode(undefined))).toBe('course');
    expect(firstUnansweredApplicationStep({ fullName: 'Ada' }, mode(undefined))).toBe('details');
    const nursery = { fullName: 'Ada', noTrn: true, course: 'npq-early-years-leadership', worksInEngland: true, workSetting: 'early_years_or_childcare' as const, kindOfNursery: 'private_nursery' as const };
    expect(applicationRoute(nursery, mode(undefined))).toEqual(['details', 'course', 'england', 'setting', 'nursery', 'ofsted-urn', 'job', 'line-manager', 'intake', 'funding', 'consent']);
    expect(firstUnansweredApplicationStep(nursery, mode(undefined))).toBe('ofsted-urn');
  });

  it('asks the EHCO headteacher question, and skips the workplace for someone outside England', () => {
    const a = { course: 'npq-early-headship-coaching-offer', worksInEngland: false };
    expect(applicationRoute(a, mode(undefined))).toEqual(['details', 'course', 'headteacher', 'england', 'job', 'line-manager', 'intake', 'funding', 'consent']);
  });

  it('finds the first question left, and check once all are answered', () => {
    const a = { fullName: 'Ada', trn: '1234567', course: 'npq-senco', worksInEngland: false };
    expect(firstUnansweredApplicationStep(a, mode(undefined))).toBe('job');
    const done = { ...a, employmentRole: 'Teacher', lineManagerName: 'Bo', lineManagerEmail: 'bo@school.test', intakeId: 'i1', fundingChoice: 'self' as const, consent: true };
    expect(firstUnansweredApplicationStep(done, mode('face_to_face'))).toBe('check');
    expect(firstUnansweredApplicationStep(done, mode('distance'))).toBe('time-zone');
    expect(firstUnansweredApplicationStep({ ...done, worksInEngland: true, workSetting: 'a_school', schoolUrn: '140001' }, mode('distance'))).toBe('check');
  });

  it('drops an intake that belongs to another NPQ once the NPQ changes', () => {
    expect(withoutStaleAnswers({ course: 'npq-senco', intakeId: 'i1' }, () => 'npq-headship')).toEqual({ course: 'npq-senco' });
    expect(withoutStaleAnswers({ course: 'npq-senco', intakeId: 'i1', newHeadteacher: true }, () => 'npq-senco')).toEqual({ course: 'npq-senco', intakeId: 'i1' });
  });
});
