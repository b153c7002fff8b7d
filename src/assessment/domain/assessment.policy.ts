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
