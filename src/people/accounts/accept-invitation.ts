import { audit } from '../../audit/audit';
import type { PeopleContext } from '../people.context';
import { spendLinkAndSetPassword, validLink } from './credentials';

/** Whom an invitation link is for, while it is valid; undefined for an expired, spent or unknown one. */
export async function invitationFor(ctx: PeopleContext, token: string): Promise<{ name: string; email: string } | undefined> {
  const found = await validLink(ctx, token, 'invitation');
  return found ? { name: found.user.name, email: found.user.email } : undefined;
}

/** Sets the invited person's first password through their link (once; AppError link_expired after). */
export async function acceptInvitation(ctx: PeopleContext, token: string, password: string): Promise<void> {
  await spendLinkAndSetPassword(ctx, token, 'invitation', password, async (tx, user) => {
    await audit(tx, ctx.clock, { kind: 'system', name: 'invitation' }, { action: 'user.invitation_accepted', entityType: 'user', entityId: user.id });
  });
}
