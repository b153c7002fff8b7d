import type { Email } from '../../mail/outbox';
import { formatDate, type PlainDate } from '../../platform/clock';

/** What the confirmation of an expression of interest says; every fact as it was when the person registered. */
export interface InterestRegisteredEmail {
  to: string;
  name: string;
  course: { identifier: string; name: string; shortName: string };
  startPreference: string;
  /** True when the person had registered interest in this NPQ before: the email says it was updated. */
  updated: boolean;
  /** The application deadline of the first intake open when they registered; null when none was open. */
  applyBy: PlainDate | null;
}

/** Where links in emails point and whose name they carry (the deployment's settings). */
export interface EmailSite {
  baseUrl: string;
  providerName: string;
}

/** The email confirming an expression of interest, with what to do next (apply now, or wait for us). */
export function interestRegisteredEmail(m: InterestRegisteredEmail, site: EmailSite): Email {
  const next = m.applyBy
    ? `Applications are open now: apply by ${formatDate(m.applyBy)} at ${site.baseUrl}/apply?npq=${m.course.identifier}`
    : `We will email you when applications open for the intake you chose (${m.startPreference}).`;
  const thanks = m.updated ? `We have updated your interest in the ${m.course.name} with ${site.providerName}.` : `Thank you for your interest in the ${m.course.name} with ${site.providerName}.`;
  return {
    to: m.to,
    subject: `Your interest in the ${m.course.shortName}`,
    body: `Hello ${m.name},\n\n${thanks} ${next}\n\nRead about the course: ${site.baseUrl}/qualifications/${m.course.identifier}\nCheck whether DfE will fund you: ${site.baseUrl}/funding\n\nIf you did not ask for this, you can ignore this email.\n`,
  };
}
