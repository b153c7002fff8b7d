import type { Email } from '../../mail/outbox';
import type { PlainDate } from '../../platform/clock';
import type { EmailSite } from './interest-registered';

/** The invitation sent to a person who registered interest, once applications for the NPQ open. */
export interface InterestInvitedToApplyEmail {
  to: string;
  name: string;
  course: { identifier: string; name: string; shortName: string };
  /** The next intake when the invitations went out. */
  intake: { name: string; startDate: PlainDate; applicationDeadline: PlainDate };
}

/** Tells a person who asked to hear that applications for their NPQ are open, and by when to apply. */
export function interestInvitedToApplyEmail(m: InterestInvitedToApplyEmail, site: EmailSite): Email {
  return {
    to: m.to,
    subject: `Applications are open: ${m.course.shortName}`,
    body: `Hello ${m.name},\n\nYou asked us to tell you when applications open for the ${m.course.name}. The next intake, ${m.intake.name}, starts on ${m.intake.startDate}; apply by ${m.intake.applicationDeadline}.\n\nRead about it and apply: ${site.baseUrl}/qualifications/${m.course.identifier}\n`,
  };
}
