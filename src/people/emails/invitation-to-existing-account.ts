import type { Email } from '../../mail/outbox';

/** To someone invited who already has an account: nothing changed, and whom to ask for the role. */
export const invitationToExistingAccountEmail = (p: { to: string; name: string; inviter: string; roleLabel: string; providerName: string; baseUrl: string }): Email => ({
  to: p.to,
  subject: `An invitation to ${p.providerName}'s NPQ Platform`,
  body: `Hello ${p.name},\n\n${p.inviter} tried to invite you to NPQ Platform as ${p.roleLabel}. You already have an account, so nothing has changed.\n\nIf you expect this role, ask your provider admin to add it to your account. You sign in as usual at ${p.baseUrl}/sign-in\n`,
});
