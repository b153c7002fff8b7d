import type { Email } from '../../mail/outbox';
import { MESSAGE_ROLE_LABELS, type MessageAuthorRole } from '../domain/messages';

/**
 * A new message waits (issue 11 item 2). It says who wrote and where to read it, never what the
 * message says nor the name of a file sent with it: email passes through hands the platform does not
 * control, and the message stays behind sign-in.
 */
export const newMessageEmail = (p: { to: string; name: string; from: string; fromRole: MessageAuthorRole; participant: string; toParticipant: boolean; mayReply: boolean; link: string; providerName: string }): Email => {
  const who = p.fromRole === 'participant' ? p.from : `${p.from} (${MESSAGE_ROLE_LABELS[p.fromRole].toLowerCase()})`;
  return {
    to: p.to,
    subject: p.toParticipant ? `New message from ${who}` : `New message about ${p.participant}`,
    body: `Hello ${p.name},\n\n${who} has sent you a message${p.toParticipant ? '' : p.fromRole === 'participant' ? '' : ` about ${p.participant}`}.\n\n${p.mayReply ? 'Read it and reply' : 'Read it'} (you will be asked to sign in):\n${p.link}\n\nMessages are not copied into emails, so that they stay private. We will not email you about further messages until you have read this one.\n\n${p.providerName}\n`,
  };
};
