import { eq } from 'drizzle-orm';
import type { Db } from '../db/client';
import { type Email, enqueueEmail } from '../mail/outbox';
import type { Clock } from '../platform/clock';
import type { SecretBox } from '../platform/crypto';
import type { EventHandlers } from '../platform/events';
import type { JobContext } from '../platform/jobs';
import { accountLinkUrl, type LinkPurpose } from './accounts/credentials';
import { ROLE_LABELS, type Role } from './domain/roles';
import { accountAlreadyExistsEmail, finishCreatingAccountEmail } from './emails/applicant-account';
import { invitationToExistingAccountEmail } from './emails/invitation-to-existing-account';
import { passwordChangedEmail, passwordResetEmail } from './emails/passwords';
import { secondFactorLockedEmail } from './emails/second-factor-locked';
import { invitationResentEmail, staffInvitationEmail } from './emails/staff-invitation';
import { accountTokens, users } from './people.schema';

/** An emailed link's token (account_tokens), by id: its handler opens the sealed token, never the event. */
interface LinkIssued {
  userId: string;
  accountTokenId: string;
}

declare module '../platform/events' {
  interface DomainEvents {
    /** A member of staff was invited with a new account and one role; the link works for `days` days. */
    'user.invited': LinkIssued & { role: Role; days: number };
    /** An invitation was sent again with a new link, the old ones ended. */
    'user.invitation_resent': LinkIssued & { days: number };
    /**
     * Someone invited an address that has an account they may not see: nothing changed, the holder is
     * told. `inviterUserId` is null when the inviter was not a person (a system actor).
     */
    'user.invited_with_existing_account': { userId: string; inviterUserId: string | null; role: Role };
    /** Someone asked for an applicant's account for a new address: it waits for its password. */
    'applicant_account.requested': LinkIssued & { days: number };
    /** Someone asked for an applicant's account for an address that has one: its holder is told how to sign in. */
    'applicant_account.requested_for_existing_account': { userId: string };
    /** A password reset link was issued, working for `minutes` minutes. */
    'password.reset_requested': LinkIssued & { minutes: number };
    /** A signed-in person changed their password. */
    'password.changed': { userId: string };
    /** An account's second factor waits `minutes` minutes after `failures` wrong codes. */
    'second_factor.locked': { userId: string; failures: number; minutes: number };
  }
}

/**
 * What follows people's changes, after commit: the emails (docs/adr/0030). Each handler reads the
 * account it writes to (and opens the link's sealed token), then queues its mail in the transaction that
 * marks its job done, so a retry never sends twice. An account deleted since has nobody to write to.
 */
export function peopleEventHandlers(events: EventHandlers, deps: { db: Db; clock: Clock; secrets: SecretBox; site: { baseUrl: string; providerName: string } }) {
  const { db, clock, secrets, site } = deps;
  const { providerName, baseUrl } = site;
  const account = async (userId: string) => (await db.select({ name: users.name, email: users.email }).from(users).where(eq(users.id, userId)))[0];
  const send = (ctx: JobContext, email: Email) => ctx.transaction((tx) => enqueueEmail(tx, clock, email));
  /** The account and its link, rebuilt from the sealed token; undefined when either is gone. */
  const linked = async (p: LinkIssued, purpose: LinkPurpose) => {
    const [person, [token]] = await Promise.all([account(p.userId), db.select({ sealed: accountTokens.tokenSealed }).from(accountTokens).where(eq(accountTokens.id, p.accountTokenId))]);
    if (!person || !token?.sealed) return undefined;
    return { to: person.email, name: person.name, link: accountLinkUrl(baseUrl, purpose, secrets.open(token.sealed)) };
  };
  events
    .on('user.invited', 'email', async ({ payload }, ctx) => {
      const to = await linked(payload, 'invitation');
      if (to) await send(ctx, staffInvitationEmail({ ...to, roleLabel: ROLE_LABELS[payload.role], days: payload.days, providerName }));
    })
    .on('user.invitation_resent', 'email', async ({ payload }, ctx) => {
      const to = await linked(payload, 'invitation');
      if (to) await send(ctx, invitationResentEmail({ ...to, days: payload.days, providerName }));
    })
    .on('user.invited_with_existing_account', 'email', async ({ payload }, ctx) => {
      const [person, inviter] = await Promise.all([account(payload.userId), payload.inviterUserId ? account(payload.inviterUserId) : undefined]);
      if (person) await send(ctx, invitationToExistingAccountEmail({ to: person.email, name: person.name, inviter: inviter?.name ?? 'Someone', roleLabel: ROLE_LABELS[payload.role], providerName, baseUrl }));
    })
    .on('applicant_account.requested', 'email', async ({ payload }, ctx) => {
      const to = await linked(payload, 'invitation');
      if (to) await send(ctx, finishCreatingAccountEmail({ ...to, days: payload.days, providerName }));
    })
    .on('applicant_account.requested_for_existing_account', 'email', async ({ payload }, ctx) => {
      const person = await account(payload.userId);
      if (person) await send(ctx, accountAlreadyExistsEmail({ to: person.email, name: person.name, providerName, baseUrl }));
    })
    .on('password.reset_requested', 'email', async ({ payload }, ctx) => {
      const to = await linked(payload, 'password_reset');
      if (to) await send(ctx, passwordResetEmail({ ...to, minutes: payload.minutes }));
    })
    .on('password.changed', 'email', async ({ payload }, ctx) => {
      const person = await account(payload.userId);
      if (person) await send(ctx, passwordChangedEmail({ to: person.email, name: person.name, providerName, baseUrl }));
    })
    .on('second_factor.locked', 'email', async ({ payload }, ctx) => {
      const person = await account(payload.userId);
      if (person) await send(ctx, secondFactorLockedEmail({ to: person.email, name: person.name, providerName, baseUrl, failures: payload.failures, minutes: payload.minutes }));
    });
}
