import { audit } from '../../audit/audit';
import type { Actor } from '../../platform/auth/actor';
import { UnauthenticatedError, ValidationError } from '../../platform/errors';
import { recordEvent } from '../../platform/events';
import type { PeopleContext } from '../people.context';
import { peopleRepository } from '../people.repository';
import { checkNewPassword, hashPassword, setPassword } from './credentials';
import { requireFullySignedIn } from '../../platform/auth/require-signed-in';

/**
 * A signed-in person changes their password: the current one first (ValidationError { currentPassword }),
 * then the new one as every new password is judged (ValidationError { password }). Ends their other
 * sessions and every emailed link of the account, and tells them by email (after commit, people.events.ts).
 */
export async function changePassword(ctx: PeopleContext, actor: Actor, currentPassword: string, newPassword: string): Promise<void> {
  const me = requireFullySignedIn(actor);
  const user = await peopleRepository.findUser(ctx.db, me.userId);
  if (!user?.passwordHash || user.deactivatedAt) throw new UnauthenticatedError();
  if (!(await ctx.verifyPassword(user.passwordHash, currentPassword))) throw new ValidationError({ currentPassword: 'Your current password is not correct' });
  checkNewPassword(newPassword, user);
  const passwordHash = await hashPassword(newPassword);
  await ctx.db.transaction(async (tx) => {
    await setPassword(ctx, tx, user, passwordHash, me.sessionId);
    await audit(tx, ctx.clock, actor, { action: 'user.password_changed', entityType: 'user', entityId: user.id });
    await recordEvent(tx, ctx.clock, { type: 'password.changed', userId: user.id });
  });
  await ctx.forget(user.id);
}
