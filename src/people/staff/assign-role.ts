import { and, eq, isNull } from 'drizzle-orm';
import { audit } from '../../audit/audit';
import type { Actor } from '../../platform/auth/actor';
import { ForbiddenError, NotFoundError, ValidationError } from '../../platform/errors';
import { mayAssign } from '../domain/people.policy';
import type { Role, ScopeType } from '../domain/roles';
import type { PeopleContext } from '../people.context';
import { roleAssignments } from '../people.schema';
import { authoriseUserManagement, checkScope, loadManageable } from './load-manageable';

/** Gives someone the actor manages a role at a scope (once: giving it again changes nothing); ForbiddenError for a role the actor may not give. */
export async function assignRole(ctx: PeopleContext, actor: Actor, userId: string, input: { role: Role; scopeType: ScopeType; scopeId: string | null }): Promise<void> {
  authoriseUserManagement(actor);
  await loadManageable(ctx, actor, userId);
  checkScope(input.role, input.scopeType, input.scopeId);
  if (!mayAssign(actor, input.role, input.scopeType, input.scopeId)) throw new ForbiddenError('You cannot give that role');
  await ctx.db.transaction(async (tx) => {
    const dup = await tx
      .select({ id: roleAssignments.id })
      .from(roleAssignments)
      .where(and(eq(roleAssignments.userId, userId), eq(roleAssignments.role, input.role), eq(roleAssignments.scopeType, input.scopeType), input.scopeId ? eq(roleAssignments.scopeId, input.scopeId) : isNull(roleAssignments.scopeId)));
    if (dup.length) return; // already held: giving it again changes nothing
    const [row] = await tx.insert(roleAssignments).values({ userId, ...input }).returning();
    await audit(tx, ctx.clock, actor, { action: 'role.assigned', entityType: 'user', entityId: userId, after: { id: row!.id, ...input } });
  });
  await ctx.forget(userId);
}

/**
 * Takes one role away. ForbiddenError for a role the actor may not give; ValidationError { role } for
 * one's own provider admin role (another admin must take it, so the provider always keeps one).
 */
export async function removeRole(ctx: PeopleContext, actor: Actor, userId: string, assignmentId: string): Promise<void> {
  authoriseUserManagement(actor);
  const { roles, may } = await loadManageable(ctx, actor, userId);
  const assignment = roles.find((r) => r.id === assignmentId);
  if (!assignment) throw new NotFoundError('role');
  if (!mayAssign(actor, assignment.role, assignment.scopeType, assignment.scopeId)) throw new ForbiddenError('You cannot remove that role');
  if (!may.removeRole(assignment)) throw new ValidationError({ role: 'You cannot remove your own provider admin role; ask another admin' });
  await ctx.db.transaction(async (tx) => {
    await tx.delete(roleAssignments).where(eq(roleAssignments.id, assignmentId));
    await audit(tx, ctx.clock, actor, { action: 'role.removed', entityType: 'user', entityId: userId, before: assignment });
  });
  await ctx.forget(userId);
}
