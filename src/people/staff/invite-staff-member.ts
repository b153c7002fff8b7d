import { audit } from '../../audit/audit';
import { type Actor, isSignedIn } from '../../platform/auth/actor';
import { ForbiddenError, ValidationError } from '../../platform/errors';
import { recordEvent } from '../../platform/events';
import { issueAccountToken } from '../accounts/credentials';
import { INVITATION_DAYS } from '../domain/credentials';
import { mayAssign, mayManageUser } from '../domain/people.policy';
import type { Role, ScopeType } from '../domain/roles';
import type { PeopleContext } from '../people.context';
import { peopleRepository } from '../people.repository';
import { roleAssignments, users } from '../people.schema';
import { authoriseUserManagement, checkScope } from './load-manageable';

/**
 * Invites someone new by email, with one role. An address that already has an account the inviter
 * may see is refused with ValidationError { email } (they can give the role on the person's page).
 * One the inviter may not see (a lead, and an account with roles outside their partners) is answered
 * exactly as a new invitation is, so a lead cannot use this to find out who has an account: nothing
 * changes, the person is told by email (after commit, people.events.ts), and the audit log keeps it for the provider admin.
 * Returns the new account's id, or undefined in that case. ForbiddenError for a role the actor may not give.
 */
export async function inviteStaffMember(
  ctx: PeopleContext,
  actor: Actor,
  input: { name: string; email: string; role: Role; scopeType: ScopeType; scopeId: string | null },
): Promise<{ userId: string | undefined }> {
  const { db, clock } = ctx;
  authoriseUserManagement(actor);
  checkScope(input.role, input.scopeType, input.scopeId);
  if (!mayAssign(actor, input.role, input.scopeType, input.scopeId)) throw new ForbiddenError('You cannot give that role');
  const existing = await peopleRepository.findUserByEmail(db, input.email);
  if (existing) {
    if (mayManageUser(actor, await peopleRepository.rolesOf(db, existing.id))) {
      throw new ValidationError({ email: 'This person already has an account. Find them in the list of users and give them the role there' });
    }
    await db.transaction(async (tx) => {
      // The holder is told by email (people.events.ts), after commit.
      await recordEvent(tx, clock, { type: 'user.invited_with_existing_account', userId: existing.id, inviterUserId: isSignedIn(actor) ? actor.userId : null, role: input.role });
      await audit(tx, clock, actor, { action: 'user.invitation_to_existing_account', entityType: 'user', entityId: existing.id, after: { role: input.role, scopeType: input.scopeType, scopeId: input.scopeId } });
    });
    return { userId: undefined };
  }
  const userId = await db.transaction(async (tx) => {
    const [user] = await tx
      .insert(users)
      .values({ name: input.name, email: input.email.trim(), createdAt: ctx.now(), updatedAt: ctx.now() })
      .returning({ id: users.id });
    const assignment = { userId: user!.id, role: input.role, scopeType: input.scopeType, scopeId: input.scopeId };
    await tx.insert(roleAssignments).values(assignment);
    const accountTokenId = await issueAccountToken(ctx, tx, user!.id, 'invitation', ctx.hoursFromNow(24 * INVITATION_DAYS));
    await recordEvent(tx, clock, { type: 'user.invited', userId: user!.id, accountTokenId, role: input.role, days: INVITATION_DAYS });
    await audit(tx, clock, actor, { action: 'user.invited', entityType: 'user', entityId: user!.id, after: { name: input.name, email: input.email, ...assignment } });
    return user!.id;
  });
  return { userId };
}
