import type { Email } from '../../mail/outbox';

/** The applicant's receipt when they send their application: who was asked to approve it, and the gateway if the NPQ has one. */
export function applicationReceivedEmail(p: {
  to: string;
  fullName: string;
  courseName: string;
  courseShortName: string;
  lineManagerName: string | null;
  hasGateway: boolean;
  applicationUrl: string;
}): Email {
  return {
    to: p.to,
    subject: `We have your application for the ${p.courseShortName}`,
    body: `Hello ${p.fullName},\n\nThank you for applying for the ${p.courseName}. We have asked ${p.lineManagerName} to approve it for your school.${p.hasGateway ? '\n\nThis NPQ has a gateway assessment: answer its questions from your application page.' : ''}\n\nFollow your application: ${p.applicationUrl}\n`,
  };
}
