import type { Email } from '../../mail/outbox';

/** The provider's rejection with its reason, as the provider wrote it. */
export function applicationRejectedEmail(p: { to: string; fullName: string; courseName: string; courseShortName: string; reason: string }): Email {
  return {
    to: p.to,
    subject: `Your application for the ${p.courseShortName}`,
    body: `Hello ${p.fullName},\n\nWe are sorry: we cannot offer you a place on the ${p.courseName}.\n\nThe reason: ${p.reason}\n\nIf you would like to talk about it, reply to this email.\n`,
  };
}
