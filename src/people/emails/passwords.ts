import type { Email } from '../../mail/outbox';

/** A password reset link, good once for `minutes` minutes. */
export const passwordResetEmail = (p: { to: string; name: string; link: string; minutes: number }): Email => ({
  to: p.to,
  subject: 'Reset your NPQ Platform password',
  body: `Hello ${p.name},\n\nUse this link within ${p.minutes} minutes to choose a new password. It works once.\n${p.link}\n\nIf you did not ask for this, you can ignore this email: your password has not changed.\n`,
});

/** After a signed-in person changed their password: what happened, and what to do if it was not them. */
export const passwordChangedEmail = (p: { to: string; name: string; providerName: string; baseUrl: string }): Email => ({
  to: p.to,
  subject: `Your ${p.providerName} password has been changed`,
  body: `Hello ${p.name},\n\nThe password for your account was changed, and every other device was signed out.\n\nIf you did not do this, reset your password now at ${p.baseUrl}/password-reset and tell your provider admin.\n`,
});
