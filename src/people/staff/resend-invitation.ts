import { and, eq, isNull } from 'drizzle-orm';
import { audit } from '../../audit/audit';
import type { Actor } from '../../platform/auth/actor';
import { ConflictError } from '../../platform/errors';
import { recordEvent } from '../../platform/events';
import { issueAccountToken } from '../accounts/credentials';
import { INVITATION_DAYS } from '../domain/credentials';
import type { PeopleContext } from '../people.context';
import { accountTokens } from '../people.schema';
import { authoriseUserManagement, loadManageable } from './load-manageable';

/** Sends an invitation again with a new link (emailed after commit, people.events.ts), ending the old ones; ConflictError once the password is set. */
export async function resendInvitation(ctx: PeopleContext, actor: Actor, userId: string): Promise<void> {
  authoriseUserManagement(actor);
  const { user } = await loadManageable(ctx, actor, userId);
  if (user.passwordHash) throw new ConflictError('already_accepted', 'This person has already set their password');
  await ctx.db.transaction(async (tx) => {
    await tx.update(accountTokens).set({ usedAt: ctx.now() }).where(and(eq(accountTokens.userId, userId), eq(accountTokens.purpose, 'invitation'), isNull(accountTokens.usedAt)));
    const accountTokenId = await issueAccountToken(ctx, tx, userId, 'invitation', ctx.hoursFromNow(24 * INVITATION_DAYS));
    await recordEvent(tx, ctx.clock, { type: 'user.invitation_resent', userId, accountTokenId, days: INVITATION_DAYS });
    await audit(tx, ctx.clock, actor, { action: 'user.invitation_resent', entityType: 'user', entityId: userId });
  });
}
