import type { Email } from '../../mail/outbox';

/** The school's answer to the applicant: an approval with its optional comment, or a decline with its reason. */
export function schoolDecidedEmail(p: { to: string; fullName: string; approverName: string; courseName: string; decision: 'approved' | 'declined'; comment: string; applicationUrl: string }): Email {
  return p.decision === 'approved'
    ? {
        to: p.to,
        subject: 'Your school has approved your NPQ application',
        body: `Hello ${p.fullName},\n\n${p.approverName} has approved your application for the ${p.courseName}.${p.comment ? `\n\nTheir comment: ${p.comment}` : ''}\n\nWhat happens next: ${p.applicationUrl}\n`,
      }
    : {
        to: p.to,
        subject: 'Your school has declined your NPQ application',
        body: `Hello ${p.fullName},\n\n${p.approverName} has declined your application for the ${p.courseName}.\n\nTheir reason: ${p.comment}\n\nYou can talk to them, or ask another senior leader to approve it: ${p.applicationUrl}\n`,
      };
}
