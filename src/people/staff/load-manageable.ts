import type { Actor } from '../../platform/auth/actor';
import { ForbiddenError, NotFoundError, ValidationError } from '../../platform/errors';
import { mayManageUser, peopleAbilities, userAbilities } from '../domain/people.policy';
import { ROLE_LABELS, ROLE_SCOPES, type Role, type ScopeType } from '../domain/roles';
import type { PeopleContext } from '../people.context';
import { peopleRepository } from '../people.repository';

/** Raises ForbiddenError unless the actor may manage users at all (people policy). */
export function authoriseUserManagement(actor: Actor): void {
  if (!peopleAbilities(actor).manageUsers) throw new ForbiddenError();
}

/**
 * One account the actor may manage, its roles and what the actor may do to it. An account they may
 * not manage is NotFoundError, exactly as one that does not exist: a lead learns nothing of others.
 */
export async function loadManageable(ctx: PeopleContext, actor: Actor, userId: string) {
  const user = await peopleRepository.findUser(ctx.db, userId);
  if (!user) throw new NotFoundError('user');
  const roles = await peopleRepository.rolesOf(ctx.db, userId);
  if (!mayManageUser(actor, roles)) throw new NotFoundError('user');
  const may = userAbilities(actor, { id: user.id, roles, deactivated: Boolean(user.deactivatedAt), invitationPending: !user.passwordHash && !user.deactivatedAt });
  return { user, roles, may };
}

/** Raises ValidationError when `role` cannot be held at `scopeType`, or a partner is missing. */
export function checkScope(role: Role, scopeType: ScopeType, scopeId: string | null): void {
  if (!ROLE_SCOPES[role].includes(scopeType)) {
    throw new ValidationError({ scopeType: `${ROLE_LABELS[role]} cannot be given at that level` });
  }
  if (scopeType !== 'provider' && !scopeId) throw new ValidationError({ scopeId: 'Select a delivery partner' });
}
