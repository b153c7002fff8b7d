import type { Actor } from '../../platform/auth/actor';
import { isProviderAdmin, scopesHeld } from '../../platform/auth/actor';
import { can, definePermissions, type PermissionsOf } from '../../platform/auth/permissions';

/**
 * Who reads a participant's assessment evidence (issue 12 item 2) beside the participant: the
 * provider's admin every place's, a delivery partner's lead their partner's places'. Assessors do not
 * read evidence by name: marking is blind (issue 12 item 4).
 */
export const ASSESSMENT_PERMISSIONS = definePermissions({
  'assessment:read-evidence': ['provider_admin', 'delivery_partner_lead'],
  /** Setting when accounts are due, and granting one person more time (issue 12 item 3). */
  'assessment:manage': ['provider_admin'],
  /** Marking the scripts allocated to them, blind (issue 12 item 4). */
  'assessment:mark': ['assessor'],
  /** Second-marking sampled scripts, blind, and deciding on them; third-marking disagreements (issue 12 item 5). */
  'assessment:moderate': ['moderator'],
});
declare module '../../platform/auth/permissions' {
  interface PermissionRegistry extends PermissionsOf<typeof ASSESSMENT_PERMISSIONS> {}
}

/** Whether `actor` may read the evidence of a place with this delivery partner. */
export function readsEvidenceOf(actor: Actor, deliveryPartnerId: string | null): boolean {
  if (!can(actor, 'assessment:read-evidence')) return false;
  if (isProviderAdmin(actor)) return true;
  return deliveryPartnerId !== null && scopesHeld(actor, ['delivery_partner_lead'], 'delivery_partner').includes(deliveryPartnerId);
}

/** Whether `actor` sets submission windows and grants extensions: the provider's admin. */
export const managesAssessment = (actor: Actor): boolean => can(actor, 'assessment:manage');

/** Whether `actor` marks scripts: an assessor, who reads only those allocated to them, by candidate number. */
export const marksScripts = (actor: Actor): boolean => can(actor, 'assessment:mark');

/** Whether `actor` moderates: a moderator, who reads only the sampled scripts given to them, by candidate number. */
export const moderatesScripts = (actor: Actor): boolean => can(actor, 'assessment:moderate');

/** Whose places' submissions `actor` lists: every place's (the admin), their partners' (a lead), or none. */
export function submissionScope(actor: Actor): { all: true } | { partners: string[] } {
  if (isProviderAdmin(actor)) return { all: true };
  return { partners: can(actor, 'assessment:read-evidence') ? [...new Set(scopesHeld(actor, ['delivery_partner_lead'], 'delivery_partner'))] : [] };
}
