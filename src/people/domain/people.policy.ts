import type { Actor } from '../../platform/auth/actor';
import { isProviderAdmin, isSignedIn, ledPartners } from '../../platform/auth/actor';
import { can, definePermissions, type PermissionsOf } from '../../platform/auth/permissions';
import type { Role, RoleAssignment, ScopeType } from '../../platform/auth/roles';
import { ROLES } from '../../platform/auth/roles';
import { PARTNER_ASSIGNABLE_ROLES } from './roles';

/**
 * Who may do what to people's accounts (docs/adr/0028). A provider admin manages everyone; a delivery
 * partner lead manages the people whose every role sits within one of the partners they lead, and
 * gives or takes only the partner roles within them; nobody else manages anyone.
 */
export const PEOPLE_PERMISSIONS = definePermissions({ 'users:manage': ['provider_admin', 'delivery_partner_lead'] });
declare module '../../platform/auth/permissions' {
  interface PermissionRegistry extends PermissionsOf<typeof PEOPLE_PERMISSIONS> {}
}

/** Whether the actor may give (or take away) this role at this scope. */
export function mayAssign(actor: Actor, role: Role, scopeType: ScopeType, scopeId: string | null): boolean {
  if (isProviderAdmin(actor)) return true;
  if (!PARTNER_ASSIGNABLE_ROLES.has(role) || scopeType !== 'delivery_partner' || !scopeId) return false;
  return ledPartners(actor).includes(scopeId);
}

/** Whether the actor may see and manage this user, given the roles the user holds. */
export function mayManageUser(actor: Actor, target: readonly RoleAssignment[]): boolean {
  if (isProviderAdmin(actor)) return true;
  const partners = ledPartners(actor);
  if (partners.length === 0 || target.length === 0) return false;
  // A lead manages only people whose every role sits within one of their partners.
  return target.every((r) => r.scopeType === 'delivery_partner' && r.scopeId !== null && partners.includes(r.scopeId));
}

/** What the actor may do with people in general: reach the list of users and invite staff. */
export interface PeopleAbilities {
  /** See the list of users (scoped by `userScopeFilter`) and invite staff to it. */
  manageUsers: boolean;
}

export const peopleAbilities = (actor: Actor): PeopleAbilities => ({
  manageUsers: can(actor, 'users:manage') && (isProviderAdmin(actor) || ledPartners(actor).length > 0),
});

/** The roles a user holds and whether they are the actor: what the abilities on one account depend on. */
export interface UserRecord {
  id: string;
  roles: readonly RoleAssignment[];
  deactivated: boolean;
  invitationPending: boolean;
}

/** What the actor may do to one account. `see` false means the account must look as if it did not exist. */
export interface UserAbilities {
  see: boolean;
  resendInvitation: boolean;
  /** Deactivate or reactivate: never one's own account. */
  deactivate: boolean;
  /** Give roles (which roles and where: `mayAssign`). */
  assignRoles: boolean;
  /** Take this one role away: one's own provider admin role needs another admin. */
  removeRole: (role: RoleAssignment) => boolean;
  revokeSessions: boolean;
}

/** Abilities on one account: permission (users:manage), scope (the lead's partners) and state (invited, self). */
export function userAbilities(actor: Actor, user: UserRecord): UserAbilities {
  const see = peopleAbilities(actor).manageUsers && mayManageUser(actor, user.roles);
  const self = isSignedIn(actor) && actor.userId === user.id;
  return {
    see,
    resendInvitation: see && user.invitationPending,
    deactivate: see && !self,
    assignRoles: see,
    removeRole: (r) => see && mayAssign(actor, r.role, r.scopeType, r.scopeId) && !(self && r.role === 'provider_admin'),
    revokeSessions: see,
  };
}

/** Which users a list shows: everyone for a provider admin, else those within the partners led. */
export type UserScope = { all: true } | { partnerIds: string[] };

export const userScopeFilter = (actor: Actor): UserScope => (isProviderAdmin(actor) ? { all: true } : { partnerIds: ledPartners(actor) });

/**
 * What a role form offers the actor: every role across the provider for a provider admin; for a lead,
 * the partner roles within the partners they lead (`mayAssign` then checks what is sent).
 */
export function roleChoices(actor: Actor): { roles: Role[]; providerWide: boolean; partnerOffered: (partnerId: string) => boolean } {
  const admin = isProviderAdmin(actor);
  const mine = ledPartners(actor);
  return { roles: ROLES.filter((r) => admin || PARTNER_ASSIGNABLE_ROLES.has(r)), providerWide: admin, partnerOffered: (id) => admin || mine.includes(id) };
}
