import type { Actor } from '../../platform/auth/actor';
import { can, definePermissions, type PermissionsOf } from '../../platform/auth/permissions';

/** Who may read the audit log (docs/adr/0028): provider admins, the whole of it; nobody may change it. */
export const AUDIT_PERMISSIONS = definePermissions({ 'audit:read': ['provider_admin'] });
declare module '../../platform/auth/permissions' {
  interface PermissionRegistry extends PermissionsOf<typeof AUDIT_PERMISSIONS> {}
}

export interface AuditAbilities {
  read: boolean;
}

export const auditAbilities = (actor: Actor): AuditAbilities => ({ read: can(actor, 'audit:read') });

/** Which entries a reader sees: all of them (the log is the provider's; only its admins read it), or none. */
export const scopeFilter = (actor: Actor): { all: boolean } => ({ all: auditAbilities(actor).read });
