import { audit } from '../../audit/audit';
import { recordEvent } from '../../platform/events';
import { RESET_MINUTES } from '../domain/credentials';
import type { PeopleContext } from '../people.context';
import { peopleRepository } from '../people.repository';
import { issueAccountToken, spendLinkAndSetPassword, validLink } from './credentials';

/**
 * Emails a reset link to an account's address (after commit, people.events.ts); does nothing for an unknown one. The page answers the
 * same either way, and the route runs this after the response has gone (afterResponse in
 * src/platform/web.tsx), so its timing cannot tell who has an account either.
 */
export async function requestPasswordReset(ctx: PeopleContext, email: string): Promise<void> {
  const user = await peopleRepository.findUserByEmail(ctx.db, email);
  if (!user || user.deactivatedAt || !user.passwordHash) return;
  await ctx.db.transaction(async (tx) => {
    const accountTokenId = await issueAccountToken(ctx, tx, user.id, 'password_reset', new Date(ctx.now().getTime() + RESET_MINUTES * 60_000));
    await recordEvent(tx, ctx.clock, { type: 'password.reset_requested', userId: user.id, accountTokenId, minutes: RESET_MINUTES });
    await audit(tx, ctx.clock, { kind: 'system', name: 'password reset' }, { action: 'user.password_reset_requested', entityType: 'user', entityId: user.id });
  });
}

/** Whether a reset link may still be used. */
export async function passwordResetValid(ctx: PeopleContext, token: string): Promise<boolean> {
  return Boolean(await validLink(ctx, token, 'password_reset'));
}

/** Sets a new password from an emailed link; ends every session, every other link, and the waits on sign-in for the address. */
export async function resetPassword(ctx: PeopleContext, token: string, password: string): Promise<void> {
  await spendLinkAndSetPassword(ctx, token, 'password_reset', password, async (tx, user) => {
    await audit(tx, ctx.clock, { kind: 'system', name: 'password reset' }, { action: 'user.password_reset', entityType: 'user', entityId: user.id });
  });
}
