import type { Actor } from '../../platform/auth/actor';
import { can, definePermissions, type PermissionsOf } from '../../platform/auth/permissions';

/**
 * Who reads the platform's dealings with DfE's Lead Provider API (issue 13 items 4 and 7): the
 * provider's admin. (The finance role the issue adds will join here.)
 */
export const DFE_PERMISSIONS = definePermissions({
  'dfe:read': ['provider_admin'],
});
declare module '../../platform/auth/permissions' {
  interface PermissionRegistry extends PermissionsOf<typeof DFE_PERMISSIONS> {}
}

/** What `actor` may do with the DfE sync's records: read the calls made and where each pull stands. */
export const dfeAbilities = (actor: Actor) => ({ read: can(actor, 'dfe:read') });
