import type { Actor } from './actor';
import { rolesOf } from './actor';
import type { Role } from './roles';

/**
 * Every permission a capability has declared, by name. Each capability adds its own in its domain:
 *
 *   export const CATALOGUE_PERMISSIONS = definePermissions({ 'catalogue:manage': ['provider_admin'] });
 *   declare module '../../platform/auth/permissions' {
 *     interface PermissionRegistry extends PermissionsOf<typeof CATALOGUE_PERMISSIONS> {}
 *   }
 *
 * so that `can(actor, 'catalogue:manage')` is checked by the compiler, and the platform knows no capability.
 */
// biome-ignore lint/suspicious/noEmptyInterface: filled in by each capability through declaration merging
export interface PermissionRegistry {}
export type Permission = keyof PermissionRegistry & string;

/** The permission names a `definePermissions` call declared, as the registry's members. */
export type PermissionsOf<T> = { [K in keyof T]: true };

const GRANTS = new Map<string, readonly Role[]>();

/**
 * Declares a capability's permissions and the roles that grant each (the rule, in one place). Throws
 * when another capability has already declared the same name with other roles: a permission means one thing.
 */
export function definePermissions<const P extends string>(grants: Record<P, readonly Role[]>): Record<P, readonly Role[]> {
  for (const [name, roles] of Object.entries(grants) as [string, readonly Role[]][]) {
    const known = GRANTS.get(name);
    if (known && (known.length !== roles.length || known.some((r) => !roles.includes(r)))) {
      throw new Error(`Permission ${name} is declared twice with different roles`);
    }
    GRANTS.set(name, roles);
  }
  return grants;
}

/**
 * Whether the actor holds a role that grants `permission`. The system may do anything; a person
 * between password and second factor nothing (see `rolesOf`). Throws for a permission no loaded
 * capability declared, which is a mistake in the code, never a refusal.
 */
export function can(actor: Actor, permission: Permission): boolean {
  if (actor.kind === 'system') return true;
  const granted = GRANTS.get(permission);
  if (!granted) throw new Error(`No capability declares the permission ${permission}`);
  return rolesOf(actor).some((r) => granted.includes(r.role));
}

/** Every declared permission and the roles that grant it: for documentation and tests. */
export const declaredPermissions = (): ReadonlyMap<string, readonly Role[]> => GRANTS;
