import type { Actor } from '../../platform/auth/actor';
import { isProviderAdmin, ledPartners, scopesHeld } from '../../platform/auth/actor';
import { can, definePermissions, type PermissionsOf } from '../../platform/auth/permissions';

/**
 * Who may do what with programmes and their delivery (issue 10 item 7): the provider admin builds
 * programmes and sees every intake; a delivery partner's lead plans their own partner's intakes; a
 * facilitator sees the plans of their partner's intakes and takes their registers; a participant
 * sees their own programme only.
 */
export const LEARNING_PERMISSIONS = definePermissions({
  'learning:manage': ['provider_admin'],
  'learning:deliver': ['provider_admin', 'delivery_partner_lead', 'facilitator'],
});
declare module '../../platform/auth/permissions' {
  interface PermissionRegistry extends PermissionsOf<typeof LEARNING_PERMISSIONS> {}
}

/** An intake as the policy needs it: whose it is. */
export interface IntakeRecord {
  deliveryPartnerId: string;
}

export interface IntakeAbilities {
  /** Read its plan and registers. */
  see: boolean;
  /** Set its dates, venues and links. */
  plan: boolean;
  /** Take and change its registers. */
  takeRegister: boolean;
  /** Review its participants' core tasks. */
  reviewCoreTasks: boolean;
  /** Move it on to a newer version of its programme. */
  changeVersion: boolean;
}

/** What the actor may do with one intake's delivery: the admin everything; a lead their own partner's; a facilitator of that partner its registers. */
export function intakeAbilities(actor: Actor, intake: IntakeRecord): IntakeAbilities {
  // Roles count only once a person is fully signed in (rolesOf), and an API token's always.
  const admin = isProviderAdmin(actor);
  const lead = ledPartners(actor).includes(intake.deliveryPartnerId);
  const facilitator = scopesHeld(actor, ['facilitator'], 'delivery_partner').includes(intake.deliveryPartnerId);
  return { see: admin || lead || facilitator, plan: admin || lead, takeRegister: admin || lead || facilitator, reviewCoreTasks: admin || lead || facilitator, changeVersion: admin };
}

/** The service navigation's test: whether the actor delivers programmes at all. */
export const deliversProgrammes = (actor: Actor): boolean => can(actor, 'learning:deliver');

/** Which intakes' delivery someone sees in lists: all, or those of their partners (as lead or facilitator). */
export type IntakeScope = { all: true } | { partners: string[] };

export function intakeScope(actor: Actor): IntakeScope {
  if (isProviderAdmin(actor)) return { all: true };
  return { partners: [...new Set(scopesHeld(actor, ['delivery_partner_lead', 'facilitator'], 'delivery_partner'))] };
}
