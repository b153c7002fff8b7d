import type { Actor } from '../../platform/auth/actor';
import { hasRole, isProviderAdmin, scopesHeld } from '../../platform/auth/actor';
import { can, definePermissions, type PermissionsOf } from '../../platform/auth/permissions';

/**
 * Who sees whose engagement (issue 11 item 3): the participant their own; the provider admin
 * everyone's; a delivery partner's lead and facilitators their partner's participants; a coach or
 * personal tutor the participants they coach or tutor now.
 */
export const ENGAGEMENT_PERMISSIONS = definePermissions({
  'engagement:read': ['provider_admin', 'delivery_partner_lead', 'facilitator', 'coach'],
});
declare module '../../platform/auth/permissions' {
  interface PermissionRegistry extends PermissionsOf<typeof ENGAGEMENT_PERMISSIONS> {}
}

/** Whose engagement someone reads in lists: everyone's, or their partners' and (a coach) those they coach or tutor. */
export type EngagementScope = { all: true } | { partners: string[]; coachUserId: string | null };

export function engagementScope(actor: Actor): EngagementScope {
  if (isProviderAdmin(actor)) return { all: true };
  return { partners: [...new Set(scopesHeld(actor, ['delivery_partner_lead', 'facilitator'], 'delivery_partner'))], coachUserId: hasRole(actor, 'coach') && actor.kind === 'user' ? actor.userId : null };
}

/** The service navigation's test. */
export const readsEngagement = (actor: Actor): boolean => can(actor, 'engagement:read');
