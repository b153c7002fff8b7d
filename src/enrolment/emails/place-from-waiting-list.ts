import type { Email } from '../../mail/outbox';
import { formatDate } from '../../platform/clock';

/** A place freed in an intake goes to the longest-waiting person on its list. */
export function placeFromWaitingListEmail(p: { to: string; fullName: string; intake: { name: string; startDate: string } }): Email {
  return {
    to: p.to,
    subject: 'You have a place on your NPQ',
    body: `Hello ${p.fullName},\n\nA place has come up in ${p.intake.name}, starting on ${formatDate(p.intake.startDate)}, and it is yours. We will be in touch about your first session.\n`,
  };
}
