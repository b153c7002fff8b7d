import type { Email } from '../../mail/outbox';

/** The applicant's notice that their line manager's link ran out unanswered. */
export function approvalExpiredEmail(p: { to: string; fullName: string; lineManagerName: string | null; courseName: string; applicationUrl: string }): Email {
  return {
    to: p.to,
    subject: 'Your school has not answered your NPQ application',
    body: `Hello ${p.fullName},\n\n${p.lineManagerName} did not answer the request to approve your application for the ${p.courseName}, and the link has expired. You can send the request again, or to someone else: ${p.applicationUrl}\n`,
  };
}
