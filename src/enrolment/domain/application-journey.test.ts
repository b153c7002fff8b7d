import { describe, expect, it } from 'vitest';
import { applicationRoute, firstUnansweredApplicationStep, nextApplicationStep, withoutStaleAnswers } from './application-journey';

const mode = (m: string | undefined) => () => m;

describe('the application journey', () => {
  it('asks a school teacher about their school, then the provider’s questions', () => {
    const a = { fullName: 'Ada', trn: '1234567', course: 'npq-senior-leadership', worksInEngland: true, workSetting: 'a_school' as const, intakeId: 'i1' };
    expect(applicationRoute(a, mode('face_to_face'))).toEqual(['details', 'course', 'england', 'setting', 'school', 'job', 'line-manager', 'intake', 'funding', 'consent']);
  });

  it('asks the time zone only for distance learning', () => {
    const a = { course: 'npq-senco', worksInEngland: true, workSetting: 'a_school' as const, intakeId: 'i1' };
    expect(applicationRoute(a, mode('distance'))).toContain('time-zone');
    expect(nextApplicationStep('intake', a, mode('distance'))).toBe('time-zone');
    expect(nextApplicationStep('intake', a, mode('whole_school'))).toBe('funding');
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
  });

  it('drops an intake that belongs to another NPQ once the NPQ changes', () => {
    expect(withoutStaleAnswers({ course: 'npq-senco', intakeId: 'i1' }, () => 'npq-headship')).toEqual({ course: 'npq-senco' });
    expect(withoutStaleAnswers({ course: 'npq-senco', intakeId: 'i1', newHeadteacher: true }, () => 'npq-senco')).toEqual({ course: 'npq-senco', intakeId: 'i1' });
  });
});
