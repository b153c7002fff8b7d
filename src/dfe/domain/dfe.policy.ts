import { type Actor, hasRole, isProviderAdmin, scopesHeld } from '../../platform/auth/actor';
import { can, definePermissions, type PermissionsOf } from '../../platform/auth/permissions';

/**
 * Who deals with DfE's Lead Provider API (issue 13 items 3, 4 and 7): the provider's admin reads the
 * calls and pulls, and approves, dismisses and voids declarations; a delivery partner's lead reads
 * their own partner's declarations only. Finance (issue 13 items 5 and 7) reads every declaration, DfE's
 * statements, expected against paid, the forecast, the reconciliation with DfE and their exports, and
 * acts on none (asking for a comparison changes nothing); the contract
 * with DfE the statements are reckoned from is the admin's to set.
 */
export const DFE_PERMISSIONS = definePermissions({
  'dfe:read': ['provider_admin'],
  'dfe:declarations:read': ['provider_admin', 'delivery_partner_lead', 'finance'],
  'dfe:declarations:manage': ['provider_admin'],
  'dfe:finance:read': ['provider_admin', 'finance'],
  // Reconciliation is what finance checks the money against: finance reads it and may ask for a comparison (a read of DfE, changing nothing).
  'dfe:reconciliation:read': ['provider_admin', 'finance'],
  'dfe:contracts:manage': ['provider_admin'],
});
declare module '../../platform/auth/permissions' {
  interface PermissionRegistry extends PermissionsOf<typeof DFE_PERMISSIONS> {}
}

/**
 * What `actor` may do with the DfE sync's records: `read` the calls made and where each pull stands (the
 * admin); `reconcile`, read the comparison with DfE and ask for one now (the admin and finance).
 */
export const dfeAbilities = (actor: Actor) => ({ read: can(actor, 'dfe:read'), reconcile: can(actor, 'dfe:reconciliation:read') });

/**
 * Whose declarations `actor` reads (issue 13 item 7): every place's (the admin, finance, the system),
 * their own partners' places' (a delivery partner's lead: never another partner's), or none (null).
 */
export function declarationScope(actor: Actor): { all: true } | { partners: string[] } | null {
  if (!can(actor, 'dfe:declarations:read')) return null;
  // Finance reckons what DfE pays the whole provider, so reads every partner's declarations.
  if (actor.kind === 'system' || isProviderAdmin(actor) || hasRole(actor, 'finance')) return { all: true };
  return { partners: [...new Set(scopesHeld(actor, ['delivery_partner_lead'], 'delivery_partner'))] };
}

/** Whether `actor` approves, dismisses and voids declarations and sets the provider's rules: the provider's admin. */
export const managesDeclarations = (actor: Actor): boolean => can(actor, 'dfe:declarations:manage');

/**
 * What `actor` may do on the finance pages (issue 13 items 5 and 7): `read` DfE's statements, expected
 * against paid, the forecast and the exports (the admin and finance); `manageContracts`, set the
 * contract with DfE per cohort and NPQ that the money is reckoned from (the admin alone: finance reads it).
 */
export const financeAbilities = (actor: Actor) => ({ read: can(actor, 'dfe:finance:read'), manageContracts: can(actor, 'dfe:contracts:manage') });
