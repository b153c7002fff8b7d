import type { Actor } from '../../platform/auth/actor';
import { hasRole, isProviderAdmin, scopesHeld } from '../../platform/auth/actor';
import { can, definePermissions, type PermissionsOf } from '../../platform/auth/permissions';

/**
 * Who reads participants' feedback (issue 11 item 5): the provider's admin all of it; a delivery
 * partner's lead their partner's; a facilitator or coach what they led, from FEEDBACK_THRESHOLD
 * responses up. Nobody reads whose a response is: responses are not kept against anyone.
 */
export const FEEDBACK_PERMISSIONS = definePermissions({
  'feedback:read': ['provider_admin', 'delivery_partner_lead', 'facilitator', 'coach'],
});
declare module '../../platform/auth/permissions' {
  interface PermissionRegistry extends PermissionsOf<typeof FEEDBACK_PERMISSIONS> {}
}

/** Whose feedback someone reads: everyone's; their partners' (leads) and what they led (facilitators and coaches, with the threshold). */
export type FeedbackScope = { all: true } | { partners: string[]; ledBy: string | null };

export function feedbackScope(actor: Actor): FeedbackScope {
  if (isProviderAdmin(actor)) return { all: true };
  const leads = hasRole(actor, 'facilitator') || hasRole(actor, 'coach');
  return { partners: [...new Set(scopesHeld(actor, ['delivery_partner_lead'], 'delivery_partner'))], ledBy: leads && actor.kind === 'user' ? actor.userId : null };
}

export const readsFeedback = (actor: Actor): boolean => can(actor, 'feedback:read');
