import type { Actor } from '../../platform/auth/actor';
import { can, definePermissions, type PermissionsOf } from '../../platform/auth/permissions';

/** Who may read the email the platform has sent (docs/adr/0028, 0014): provider admins. */
export const OUTBOX_PERMISSIONS = definePermissions({ 'outbox:read': ['provider_admin'] });
declare module '../../platform/auth/permissions' {
  interface PermissionRegistry extends PermissionsOf<typeof OUTBOX_PERMISSIONS> {}
}

export interface OutboxAbilities {
  read: boolean;
}

export const outboxAbilities = (actor: Actor): OutboxAbilities => ({ read: can(actor, 'outbox:read') });

/** Which messages a reader sees: all of them to those who may read the outbox. */
export const scopeFilter = (actor: Actor): { all: boolean } => ({ all: outboxAbilities(actor).read });
