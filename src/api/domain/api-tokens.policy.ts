import type { Actor } from '../../platform/auth/actor';
import { can, definePermissions, type PermissionsOf } from '../../platform/auth/permissions';

/** Who may make and revoke API tokens (docs/adr/0028, 0020): provider admins. */
export const API_TOKEN_PERMISSIONS = definePermissions({ 'api_tokens:manage': ['provider_admin'] });
declare module '../../platform/auth/permissions' {
  interface PermissionRegistry extends PermissionsOf<typeof API_TOKEN_PERMISSIONS> {}
}

export interface ApiTokenAbilities {
  /** List tokens and make new ones. */
  manage: boolean;
}

export const apiTokenAbilities = (actor: Actor): ApiTokenAbilities => ({ manage: can(actor, 'api_tokens:manage') });

/** What the actor may do to one token: revoke it while it works; a revoked token stays revoked. */
export const abilitiesFor = (actor: Actor, token: { revokedAt: Date | null }): { revoke: boolean } => ({
  revoke: apiTokenAbilities(actor).manage && token.revokedAt === null,
});

/** Which tokens a list shows: every token of the provider to those who manage them, none to anyone else. */
export const scopeFilter = (actor: Actor): { all: boolean } => ({ all: apiTokenAbilities(actor).manage });
