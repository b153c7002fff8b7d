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
    subject: `${p.reminder ? 'Reminder: ' : ''}${p.applicantName} asks you to approve their NPQ application`,
    body: `Hello ${p.lineManagerName},\n\n${p.applicantName} has applied to ${p.providerName} for the ${p.courseName} and named you as their line manager. The course needs your school's support: time to study, attend sessions and complete a school-based project.\n\nPlease approve or decline their application (no account needed):\n${p.approvalUrl}\n\nThe link works until ${formatDate(p.expires)}. If you did not expect this email, you can ignore it.\n`,
  };
}
