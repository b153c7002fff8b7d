import { describe, expect, it } from 'vitest';
import { applicationAcceptedEmail } from './application-accepted';

const accepted = {
  to: 'hana.head@school.test',
  fullName: 'Hana Head',
  courseName: 'National Professional Qualification for Headship',
  courseShortName: 'NPQH',
  intake: { name: 'January 2027', startDate: '2027-01-14' },
  onWaitingList: false,
  fundedPlace: true,
  applicationUrl: 'http://npq.test/applications/1',
};

describe('the email of an accepted application', () => {
  it('tells of the place, its intake and start', () => {
    const email = applicationAcceptedEmail(accepted);
    expect(email.subject).toBe('You have a place on the NPQH');
    expect(email.body).toContain('in January 2027 starting on 14 January 2027');
    expect(email.body).not.toContain('waiting list');
  });

  it('says in its subject, not only its body, that the place is on a waiting list', () => {
    const email = applicationAcceptedEmail({ ...accepted, onWaitingList: true });
    expect(email.subject).toBe('You are on the waiting list for the NPQH');
    expect(email.body).toContain('you are on its waiting list');
  });

  it('says when DfE is not funding the place', () => {
    expect(applicationAcceptedEmail({ ...accepted, fundedPlace: false }).body).toContain('DfE is not funding your place');
  });
});
