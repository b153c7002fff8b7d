import type { Actor } from '../../platform/auth/actor';
import { can, definePermissions, type PermissionsOf } from '../../platform/auth/permissions';

/** Who may do what to the catalogue (docs/adr/0028): provider admins run it; everyone may read what is live. */
export const CATALOGUE_PERMISSIONS = definePermissions({ 'catalogue:manage': ['provider_admin'] });
declare module '../../platform/auth/permissions' {
  interface PermissionRegistry extends PermissionsOf<typeof CATALOGUE_PERMISSIONS> {}
}

export interface CatalogueAbilities {
  /** Create and change qualifications, components, intakes, delivery partners and venues. */
  manage: boolean;
}

export const catalogueAbilities = (actor: Actor): CatalogueAbilities => ({ manage: can(actor, 'catalogue:manage') });

/** A catalogue record (qualification, intake, partner, venue): retired ones stay for the record. */
export interface CatalogueRecord {
  retired: boolean;
}

export interface CatalogueRecordAbilities {
  edit: boolean;
  retire: boolean;
  reinstate: boolean;
}

/** What the actor may do to one catalogue record: managing it, and retiring only what is live (and the reverse). */
export function abilitiesFor(actor: Actor, record: CatalogueRecord): CatalogueRecordAbilities {
  const { manage } = catalogueAbilities(actor);
  return { edit: manage, retire: manage && !record.retired, reinstate: manage && record.retired };
}

/** What a list of the catalogue shows the actor: retired records only to those who manage it. */
export const scopeFilter = (actor: Actor): { includeRetired: boolean } => ({ includeRetired: catalogueAbilities(actor).manage });
