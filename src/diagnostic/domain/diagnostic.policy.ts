import type { Actor } from '../../platform/auth/actor';
import { isFullySignedIn, isProviderAdmin, rolesOf } from '../../platform/auth/actor';
import { can, definePermissions, type PermissionsOf } from '../../platform/auth/permissions';

/**
 * Who may do what in the 360° diagnostic (docs/adr/0028, 0012): provider admins run it (settings,
 * instrument, dates, rounds, reports by API); a delivery partner's lead or facilitator sees the
 * cohorts of their own partner or the cohorts they facilitate, and only as the anonymity rule shows
 * them; a participant works in their own rounds and reads only their own report, once the round has closed.
 */
export const DIAGNOSTIC_PERMISSIONS = definePermissions({
  'diagnostic:manage': ['provider_admin'],
  'diagnostic:cohort_view': ['provider_admin', 'delivery_partner_lead', 'facilitator'],
});
declare module '../../platform/auth/permissions' {
  interface PermissionRegistry extends PermissionsOf<typeof DIAGNOSTIC_PERMISSIONS> {}
}

export interface DiagnosticAbilities {
  /** Settings, instrument, cohorts' dates, extending and closing rounds, reports by API. */
  manage: boolean;
  /** The cohort view and its list of rounds (scoped by `scopeFilter`). */
  viewCohorts: boolean;
  /** Work in one's own rounds: a fully signed-in person. */
  takePart: boolean;
}

export const diagnosticAbilities = (actor: Actor): DiagnosticAbilities => ({
  manage: can(actor, 'diagnostic:manage'),
  viewCohorts: can(actor, 'diagnostic:cohort_view'),
  takePart: isFullySignedIn(actor),
});

/** Where a round is in its dates (see roundState in ../rounds/round-state.ts). */
export type RoundState = 'not_open' | 'open' | 'closed';

/** One round as the policy needs it: whose it is and where it is in its dates. */
export interface RoundRecord {
  participantUserId: string | null;
  state: RoundState;
  selfSubmitted: boolean;
}

export interface RoundAbilities {
  /** See the round at all: its participant, and those who manage the diagnostic. */
  see: boolean;
  /** Work in it as its participant: their own round's page, whatever its state. */
  workIn: boolean;
  rateSelf: boolean;
  askColleagues: boolean;
  remind: boolean;
  /** Read the report: its participant, once the round has closed (never while answers can arrive). */
  readReport: boolean;
  /** The provider's copy of the report (by API), also only once closed. */
  readReportAsProvider: boolean;
  extend: boolean;
  closeEarly: boolean;
}

/** What the actor may do with one round: own record or the manage permission, with the round's state. */
export function abilitiesFor(actor: Actor, round: RoundRecord): RoundAbilities {
  const own = isFullySignedIn(actor) && round.participantUserId !== null && actor.userId === round.participantUserId;
  const manage = can(actor, 'diagnostic:manage');
  const open = round.state === 'open';
  return {
    see: own || manage,
    workIn: own,
    rateSelf: own && open && !round.selfSubmitted,
    askColleagues: own && open,
    remind: own && open,
    readReport: own && round.state === 'closed',
    readReportAsProvider: manage && round.state === 'closed',
    extend: manage && round.state !== 'closed',
    closeEarly: manage && round.state !== 'closed',
  };
}

/**
 * Whose participants a person may see as a group (the cohort view): the provider all; a delivery
 * partner's lead or facilitator those of their own partners, or of the cohorts they facilitate;
 * anyone else none (empty lists). The repository turns it into SQL.
 */
export type ParticipantScope = { all: true } | { partners: string[]; cohorts: string[] };

export function scopeFilter(actor: Actor): ParticipantScope {
  if (isProviderAdmin(actor)) return { all: true };
  if (!can(actor, 'diagnostic:cohort_view')) return { partners: [], cohorts: [] };
  const roles = rolesOf(actor).filter((r) => (r.role === 'delivery_partner_lead' || r.role === 'facilitator') && r.scopeId);
  return {
    partners: roles.filter((r) => r.scopeType === 'delivery_partner').map((r) => r.scopeId!),
    cohorts: roles.filter((r) => r.scopeType === 'cohort').map((r) => r.scopeId!),
  };
}
