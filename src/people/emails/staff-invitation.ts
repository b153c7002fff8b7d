import type { Email } from '../../mail/outbox';

/** A new member of staff's invitation, with the link to set their password within `days` days. */
export const staffInvitationEmail = (p: { to: string; name: string; roleLabel: string; link: string; days: number; providerName: string }): Email => ({
  to: p.to,
  subject: `You have been invited to ${p.providerName}'s NPQ Platform`,
  body: `Hello ${p.name},\n\nYou have been invited to NPQ Platform as ${p.roleLabel}.\n\nSet your password within ${p.days} days:\n${p.link}\n\nIf you were not expecting this, you can ignore this email.\n`,
});

/** The same invitation sent again, with a new link (the old one no longer works). */
export const invitationResentEmail = (p: { to: string; name: string; link: string; days: number; providerName: string }): Email => ({
  to: p.to,
  subject: `Your invitation to ${p.providerName}'s NPQ Platform`,
  body: `Hello ${p.name},\n\nHere is a new link to set your password (valid for ${p.days} days):\n${p.link}\n`,
});
