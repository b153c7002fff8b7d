import type { Email } from '../../mail/outbox';
import { formatDate } from '../../platform/clock';

/**
 * The applicant's place: the intake and its start (UK date), a waiting list or DfE not funding it when
 * so. On a waiting list the subject says so: "You have a place" would promise what the body takes back.
 */
export function applicationAcceptedEmail(p: {
  to: string;
  fullName: string;
  courseName: string;
  courseShortName: string;
  intake: { name: string; startDate: string } | undefined;
  onWaitingList: boolean;
  fundedPlace: boolean | null;
  applicationUrl: string;
}): Email {
  return {
    to: p.to,
    subject: p.onWaitingList ? `You are on the waiting list for the ${p.courseShortName}` : `You have a place on the ${p.courseShortName}`,
    body: `Hello ${p.fullName},\n\nWe have accepted your application for the ${p.courseName}${p.intake ? `, in ${p.intake.name} starting on ${formatDate(p.intake.startDate)}` : ''}.${p.onWaitingList ? ' The intake is full, so you are on its waiting list: we will email you as soon as a place comes up.' : ''}${p.fundedPlace === false ? ' DfE is not funding your place: we will be in touch about payment.' : ''}\n\nYour application: ${p.applicationUrl}\n`,
  };
}
