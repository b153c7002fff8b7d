import type { Actor } from '../../platform/auth/actor';
import { isProviderAdmin, ledPartners } from '../../platform/auth/actor';
import { can, definePermissions, type PermissionsOf } from '../../platform/auth/permissions';

/**
 * Who may do what with coaching (issue 11 item 1): the provider admin allocates coaches and tutors to
 * any participant and sets the notice period; a delivery partner's lead allocates their own partner's
 * participants; a coach publishes slots and records the sessions of their own participants; a
 * participant books with their own coach. A personal tutor and a group's facilitator write to their own
 * participants (messages/messages.ts checks whose).
 */
export const COACHING_PERMISSIONS = definePermissions({
  'coaching:allocate': ['provider_admin', 'delivery_partner_lead'],
  'coaching:coach': ['coach'],
  'coaching:settings': ['provider_admin'],
  // Who may have participants to write to (issue 11 item 2): tutors hold the coach role; group facilitators are facilitators or partner leads. Which participants is decided per conversation.
  'coaching:message': ['coach', 'facilitator', 'delivery_partner_lead'],
});
declare module '../../platform/auth/permissions' {
  interface PermissionRegistry extends PermissionsOf<typeof COACHING_PERMISSIONS> {}
}

/** Whose participants someone allocates: every partner's (the admin) or those they lead. */
export const allocationScope = (actor: Actor): readonly string[] | 'all' => (isProviderAdmin(actor) ? 'all' : ledPartners(actor));

/** The service navigation's tests. */
export const allocatesCoaches = (actor: Actor): boolean => can(actor, 'coaching:allocate');
export const coaches = (actor: Actor): boolean => can(actor, 'coaching:coach');
export const supportsParticipants = (actor: Actor): boolean => can(actor, 'coaching:message');
