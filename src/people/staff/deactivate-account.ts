import { and, eq, isNull } from 'drizzle-orm';
import { audit } from '../../audit/audit';
import type { Actor } from '../../platform/auth/actor';
import { ValidationError } from '../../platform/errors';
import type { PeopleContext } from '../people.context';
import { accountTokens, sessions, users } from '../people.schema';
import { authoriseUserManagement, loadManageable } from './load-manageable';

/**
 * Deactivates (or reactivates) an account the actor manages; never their own (ValidationError { form }).
 * Deactivating ends its sessions and emailed links, so reactivating brings none of them back.
 */
export async function setDeactivated(ctx: PeopleContext, actor: Actor, userId: string, deactivated: boolean): Promise<void> {
  authoriseUserManagement(actor);
  const { user, may } = await loadManageable(ctx, actor, userId);
  if (!may.deactivate) throw new ValidationError({ form: 'You cannot deactivate your own account' });
  const now = ctx.now();
  await ctx.db.transaction(async (tx) => {
    await tx.update(users).set({ deactivatedAt: deactivated ? now : null, updatedAt: now }).where(eq(users.id, userId));
    if (deactivated) {
      // Reactivating must not bring back a session or an emailed link from before.
      await tx.update(sessions).set({ revokedAt: now }).where(and(eq(sessions.userId, userId), isNull(sessions.revokedAt)));
      await tx.update(accountTokens).set({ usedAt: now }).where(and(eq(accountTokens.userId, userId), isNull(accountTokens.usedAt)));
    }
    await audit(tx, ctx.clock, actor, {
      action: deactivated ? 'user.deactivated' : 'user.reactivated',
      entityType: 'user',
      entityId: userId,
      before: { deactivatedAt: user.deactivatedAt },
      after: { deactivatedAt: deactivated ? now : null },
    });
  });
  await ctx.forget(userId);
}
