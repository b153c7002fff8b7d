import type { Email } from '../../mail/outbox';

/** The gateway's result and the reviewer's feedback, to the applicant. */
export function gatewayReviewedEmail(p: { to: string; fullName: string; courseShortName: string; result: 'passed' | 'failed'; feedback: string; applicationUrl: string }): Email {
  return {
    to: p.to,
    subject: p.result === 'passed' ? `You have passed the ${p.courseShortName} gateway assessment` : `Your ${p.courseShortName} gateway assessment`,
    body: `Hello ${p.fullName},\n\n${p.result === 'passed' ? 'You have passed the gateway assessment.' : 'You did not pass the gateway assessment this time.'}\n\nFeedback from your reviewer:\n${p.feedback}\n\nYour application: ${p.applicationUrl}\n`,
  };
}
