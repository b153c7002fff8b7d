import type { Email } from '../../mail/outbox';
import { formatDate } from '../../platform/clock';

/**
 * The line manager's request to approve (or, with `reminder`, the same request again): the link works
 * without an account until `expires`.
 */
export function approvalRequestEmail(p: {
  to: string;
  lineManagerName: string;
  applicantName: string;
  providerName: string;
  courseName: string;
  approvalUrl: string;
  expires: Date;
  reminder: boolean;
}): Email {
  return {
    to: p.to,
    // Worded for both ways a line manager comes to be asked: named by the applicant, or by the provider for an application registered at DfE (ADR 0071).
    subject: `${p.reminder ? 'Reminder: ' : ''}Please approve ${p.applicantName}’s NPQ application`,
    body: `Hello ${p.lineManagerName},\n\n${p.applicantName} has applied to ${p.providerName} for the ${p.courseName}, and you are named as their line manager. The course needs your school's support: time to study, attend sessions and complete a school-based project.\n\nPlease approve or decline their application (no account needed):\n${p.approvalUrl}\n\nThe link works until ${formatDate(p.expires)}. If you did not expect this email, you can ignore it.\n`,
  };
}
