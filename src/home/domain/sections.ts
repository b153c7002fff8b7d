import type { Actor } from '../../platform/auth/actor';
import { hasRole, isSignedIn, ledPartners } from '../../platform/auth/actor';
import { can } from '../../platform/auth/permissions';
import { diagnosticAbilities } from '../../diagnostic/domain/diagnostic.policy';
import '../../enrolment/domain/enrolment.permissions';
import { peopleAbilities } from '../../people/domain/people.policy';
import { marksScripts, moderatesScripts } from '../../assessment/domain/assessment.policy';

/** The parts of someone's home page, in the order they show. */
export type HomeSection = 'inbox' | 'partner_applications' | 'gateway' | 'approvals' | 'cohorts_360' | 'users' | 'coaching' | 'marking' | 'own_applications' | 'own_360';

/**
 * Which sections of the home page apply to `actor`, from their roles and permissions alone (what they
 * hold decides; the data then fills them). `hasOwnApplications` says whether they have applied for an
 * NPQ themselves, as staff sometimes do: applicants and participants always see their own.
 */
export function homeSectionsFor(actor: Actor, facts: { hasOwnApplications: boolean; hasOwnRounds: boolean }): HomeSection[] {
  if (!isSignedIn(actor)) return [];
  const roles = actor.roles.map((r) => r.role);
  const applicant = roles.length === 0 || hasRole(actor, 'participant');
  const wanted: Record<HomeSection, boolean> = {
    inbox: can(actor, 'applications:manage'),
    partner_applications: !can(actor, 'applications:manage') && ledPartners(actor).length > 0,
    gateway: can(actor, 'gateway:review'),
    approvals: hasRole(actor, 'school_approver'),
    cohorts_360: diagnosticAbilities(actor).viewCohorts,
    users: peopleAbilities(actor).manageUsers,
    coaching: hasRole(actor, 'coach'),
    marking: marksScripts(actor) || moderatesScripts(actor),
    own_applications: applicant || facts.hasOwnApplications,
    own_360: hasRole(actor, 'participant') || facts.hasOwnRounds,
  };
  return (Object.keys(wanted) as HomeSection[]).filter((s) => wanted[s]);
}
