import type { Email } from '../../mail/outbox';

/** To the account's owner when wrong security codes have locked its second factor (docs/adr/0019). */
export const secondFactorLockedEmail = (p: { to: string; name: string; providerName: string; baseUrl: string; failures: number; minutes: number }): Email => ({
  to: p.to,
  subject: `Too many wrong security codes for your ${p.providerName} account`,
  body: `Hello ${p.name},\n\nSomeone signed in to your account with your password, then entered ${p.failures} wrong security codes. We have signed them out, and no code will be accepted for ${p.minutes} minutes.\n\nIf this was you, wait, then sign in again. If it was not, someone knows your password: reset it now at ${p.baseUrl}/password-reset\n`,
});
