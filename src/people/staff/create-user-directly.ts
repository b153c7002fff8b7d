import { audit } from '../../audit/audit';
import type { RoleAssignment } from '../../platform/auth/roles';
import { hashPassword } from '../accounts/credentials';
import type { PeopleContext } from '../people.context';
import { roleAssignments, users } from '../people.schema';

/** For the demo and bootstrap: a user with a password, roles and (optionally) a second factor, created directly. Returns their id. */
export async function createUserDirectly(ctx: PeopleContext, input: { name: string; email: string; password: string; roles: RoleAssignment[]; totpSecret?: string }): Promise<string> {
  const passwordHash = await hashPassword(input.password);
  return ctx.db.transaction(async (tx) => {
    const [user] = await tx
      .insert(users)
      .values({
        name: input.name,
        email: input.email,
        passwordHash,
        totpSecret: input.totpSecret ? ctx.secrets.seal(input.totpSecret) : null,
        totpEnabledAt: input.totpSecret ? ctx.now() : null,
        createdAt: ctx.now(),
        updatedAt: ctx.now(),
      })
      .returning({ id: users.id });
    if (input.roles.length) await tx.insert(roleAssignments).values(input.roles.map((r) => ({ userId: user!.id, ...r })));
    await audit(tx, ctx.clock, { kind: 'system', name: 'setup' }, { action: 'user.created', entityType: 'user', entityId: user!.id, after: { name: input.name, email: input.email, roles: input.roles } });
    return user!.id;
  });
}
