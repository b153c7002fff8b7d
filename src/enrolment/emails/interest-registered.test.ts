import { describe, expect, it } from 'vitest';
import { interestInvitedToApplyEmail } from './interest-invited-to-apply';
import { interestRegisteredEmail } from './interest-registered';

const site = { baseUrl: 'https://npq.example', providerName: 'Northern Lights Leadership' };
const course = { identifier: 'npq-headship', name: 'National Professional Qualification for Headship', shortName: 'NPQH' };
const facts = { to: 'ivy@school.test', name: 'Ivy Teacher', course, startPreference: 'Not sure yet', updated: false, applyBy: null };

describe('the email confirming interest', () => {
  it('thanks a new registrant and promises an email when applications open', () => {
    expect(interestRegisteredEmail(facts, site)).toEqual({
      to: 'ivy@school.test',
      subject: 'Your interest in the NPQH',
      body:
        'Hello Ivy Teacher,\n\nThank you for your interest in the National Professional Qualification for Headship with Northern Lights Leadership. We will email you when applications open for the intake you chose (Not sure yet).\n\n' +
        'Read about the course: https://npq.example/qualifications/npq-headship\nCheck whether DfE will fund you: https://npq.example/funding\n\nIf you did not ask for this, you can ignore this email.\n',
    });
  });

  it('says an update is an update, and gives the deadline and link when applications are open', () => {
    const body = interestRegisteredEmail({ ...facts, updated: true, applyBy: '2026-12-11' }, site).body;
    expect(body).toContain('We have updated your interest in the National Professional Qualification for Headship');
    expect(body).toContain('Applications are open now: apply by 11 December 2026 at https://npq.example/apply?npq=npq-headship');
  });
});

describe('the invitation to apply', () => {
  it('names the next intake, its start and deadline', () => {
    const email = interestInvitedToApplyEmail({ to: 'ivy@school.test', name: 'Ivy Teacher', course, intake: { name: 'January 2027', startDate: '2027-01-18', applicationDeadline: '2026-12-11' } }, site);
    expect(email.subject).toBe('Applications are open: NPQH');
    expect(email.body).toContain('The next intake, January 2027, starts on 2027-01-18; apply by 2026-12-11.');
  });
});
