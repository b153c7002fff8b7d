import type { Actor } from './actor';
import type { Role, RoleAssignment, ScopeType } from './roles';
import { PARTNER_ASSIGNABLE_ROLES } from './roles';

export type Permission =
  | 'catalogue:manage'
  | 'users:manage'
  | 'audit:read'
  | 'api_tokens:manage'
  | 'outbox:read'
  | 'reference:manage'
  | 'cohorts:manage'
  | 'applications:manage'
  | 'gateway:review'
  | 'diagnostic:manage'
  | 'diagnostic:cohort_view';

/** Declarative rules: which roles grant each permission. */
const GRANTS: Record<Permission, Role[]> = {
  'catalogue:manage': ['provider_admin'],
  'users:manage': ['provider_admin', 'delivery_partner_lead'],
  'audit:read': ['provider_admin'],
  'api_tokens:manage': ['provider_admin'],
  'outbox:read': ['provider_admin'],
  'reference:manage': ['provider_admin'],
  'cohorts:manage': ['provider_admin'],
  'applications:manage': ['provider_admin'],
  'gateway:review': ['provider_admin', 'assessor'],
  'diagnostic:manage': ['provider_admin'],
  'diagnostic:cohort_view': ['provider_admin', 'delivery_partner_lead', 'facilitator'],
};

function rolesOf(actor: Actor): RoleAssignment[] {
  if (actor.kind === 'user') return actor.fullySignedIn ? actor.roles : [];
  if (actor.kind === 'api') return actor.roles;
  return [];
}

export function can(actor: Actor, permission: Permission): boolean {
  if (actor.kind === 'system') return true;
  const granted = GRANTS[permission];
  return rolesOf(actor).some((r) => granted.includes(r.role));
}

export const hasRole = (actor: Actor, role: Role): boolean => rolesOf(actor).some((r) => r.role === role);

export const isProviderAdmin = (actor: Actor): boolean => actor.kind === 'system' || hasRole(actor, 'provider_admin');

/** The delivery partners a lead manages; empty for anyone else. */
export function ledPartners(actor: Actor): string[] {
  return rolesOf(actor)
    .filter((r) => r.role === 'delivery_partner_lead' && r.scopeType === 'delivery_partner' && r.scopeId)
    .map((r) => r.scopeId!);
}

/** Whether the actor may give (or take away) this role at this scope. */
export function mayAssign(actor: Actor, role: Role, scopeType: ScopeType, scopeId: string | null): boolean {
  if (isProviderAdmin(actor)) return true;
  if (!PARTNER_ASSIGNABLE_ROLES.has(role) || scopeType !== 'delivery_partner' || !scopeId) return false;
  return ledPartners(actor).includes(scopeId);
}

/** Whether the actor may see and manage this user, given the roles the user holds. */
export function mayManageUser(actor: Actor, target: RoleAssignment[]): boolean {
  if (isProviderAdmin(actor)) return true;
  const partners = ledPartners(actor);
  if (partners.length === 0 || target.length === 0) return false;
  // A lead manages only people whose every role sits within one of their partners.
  return target.every((r) => r.scopeType === 'delivery_partner' && r.scopeId !== null && partners.includes(r.scopeId));
}

/**
 * Whose participants a person may see as a group (the 360° cohort view): the provider sees all; a
 * delivery partner lead or facilitator those of their own partners, or of the cohorts they facilitate.
 */
export function participantScope(actor: Actor): { all: true } | { partners: string[]; cohorts: string[] } {
  if (isProviderAdmin(actor)) return { all: true };
  const roles = rolesOf(actor).filter((r) => (r.role === 'delivery_partner_lead' || r.role === 'facilitator') && r.scopeId);
  return {
    partners: roles.filter((r) => r.scopeType === 'delivery_partner').map((r) => r.scopeId!),
    cohorts: roles.filter((r) => r.scopeType === 'cohort').map((r) => r.scopeId!),
  };
}
