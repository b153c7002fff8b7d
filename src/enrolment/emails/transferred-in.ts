import type { Email } from '../../mail/outbox';
import { formatDate } from '../../platform/clock';

/**
 * To a participant whose place DfE moved to this provider from another (docs/dfe-api.md §4.4): their NPQ
 * goes on here, in the intake they were placed in (its start a UK date) or, with none, with word that
 * the provider will place them. Nothing for them to apply for again: DfE moved the place whole.
 */
export function transferredInEmail(p: { to: string; fullName: string; courseName: string; courseShortName: string; intake: { name: string; startDate: string } | undefined; applicationUrl: string }): Email {
  const where = p.intake ? ` You are in ${p.intake.name}, which started on ${formatDate(p.intake.startDate)}.` : ' We will place you in one of our intakes and email you when we have.';
  return {
    to: p.to,
    subject: `Your ${p.courseShortName} has moved to us`,
    body: `Hello ${p.fullName},\n\nDfE has moved your place on the ${p.courseName} to us from your previous provider. You do not need to apply again: your place, and what DfE already holds for it, came with you.${where}\n\nYour place: ${p.applicationUrl}\n`,
  };
}
