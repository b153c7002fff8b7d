import type { Email } from '../../mail/outbox';
import { formatDate } from '../../platform/clock';

/**
 * A colleague's invitation to rate a participant (or its reminder): the promise of anonymity in plain
 * words and the link, good until the round closes on `closesOn` (YYYY-MM-DD).
 */
export const raterInvitationEmail = (p: { to: string; name: string; participant: string; link: string; closesOn: string; reminder: boolean; providerName: string }): Email => ({
  to: p.to,
  subject: `${p.reminder ? 'Reminder: ' : ''}${p.participant} asks for your view of their leadership`,
  body: `Hello ${p.name},\n\n${p.participant} is taking a National Professional Qualification with ${p.providerName} and has asked you to rate their leadership: about 21 short statements and two optional questions, 10 minutes.\n\nYour answers are anonymous: ${p.participant} sees only averages of groups of at least a few people, never your name or when you answered.\n\nAnswer here, no account needed (you can save and come back):\n${p.link}\n\nThe link works until ${formatDate(p.closesOn)}.\n`,
});
