import type { Email } from '../../mail/outbox';

/** To an address that asked for an account and already has one: how to sign in (the page said nothing). */
export const accountAlreadyExistsEmail = (p: { to: string; name: string; providerName: string; baseUrl: string }): Email => ({
  to: p.to,
  subject: `You already have an account with ${p.providerName}`,
  body: `Hello ${p.name},\n\nSomeone, probably you, asked to create an account with this email address. You already have one: sign in at ${p.baseUrl}/sign-in\n\nForgotten your password? Reset it at ${p.baseUrl}/password-reset\n`,
});

/** To a new applicant: the link to choose a password within `days` days. */
export const finishCreatingAccountEmail = (p: { to: string; name: string; link: string; days: number; providerName: string }): Email => ({
  to: p.to,
  subject: `Finish creating your ${p.providerName} account`,
  body: `Hello ${p.name},\n\nTo finish creating your account and start your NPQ application, choose a password within ${p.days} days:\n${p.link}\n\nIf you did not ask for this, you can ignore this email.\n`,
});
