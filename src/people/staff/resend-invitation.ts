import { and, eq, isNull } from 'drizzle-orm';
import { audit } from '../../audit/audit';
import { enqueueEmail } from '../../mail/outbox';
import type { Actor } from '../../platform/auth/actor';
import { ConflictError } from '../../platform/errors';
import { accountLink } from '../accounts/credentials';
import { INVITATION_DAYS } from '../domain/credentials';
import { invitationResentEmail } from '../emails/staff-invitation';
import type { PeopleContext } from '../people.context';
import { accountTokens } from '../people.schema';
import { authoriseUserManagement, loadManageable } from './load-manageable';

/** Sends an invitation again with a new link, ending the old ones; ConflictError once the password is set. */
export async function resendInvitation(ctx: PeopleContext, actor: Actor, userId: string): Promise<void> {
  authoriseUserManagement(actor);
  const { user } = await loadManageable(ctx, actor, userId);
  if (user.passwordHash) throw new ConflictError('already_accepted', 'This person has already set their password');
  await ctx.db.transaction(async (tx) => {
    await tx.update(accountTokens).set({ usedAt: ctx.now() }).where(and(eq(accountTokens.userId, userId), eq(accountTokens.purpose, 'invitation'), isNull(accountTokens.usedAt)));
    const link = await accountLink(ctx, tx, userId, 'invitation', ctx.hoursFromNow(24 * INVITATION_DAYS));
    await enqueueEmail(tx, ctx.clock, invitationResentEmail({ to: user.email, name: user.name, link, days: INVITATION_DAYS, providerName: ctx.providerName }));
    await audit(tx, ctx.clock, actor, { action: 'user.invitation_resent', entityType: 'user', entityId: userId });
  });
}
