import type { Actor } from './actor';
import type { RoleAssignment } from './roles';

/**
 * People to try a policy on, for domain tests: `aPerson(roles)` fully signed in unless told, and the
 * usual cast. Plain values, no database.
 */
export const aPerson = (roles: RoleAssignment[], opts: { userId?: string; fullySignedIn?: boolean } = {}): Actor => ({
  kind: 'user',
  userId: opts.userId ?? 'user-1',
  sessionId: 'session-1',
  name: 'Ann Lee',
  email: 'ann@example.com',
  roles,
  fullySignedIn: opts.fullySignedIn ?? true,
});

export const providerAdmin = aPerson([{ role: 'provider_admin', scopeType: 'provider', scopeId: null }], { userId: 'admin' });
export const leadOf = (partnerId: string) => aPerson([{ role: 'delivery_partner_lead', scopeType: 'delivery_partner', scopeId: partnerId }], { userId: `lead-${partnerId}` });
export const facilitatorOfCohort = (cohortId: string) => aPerson([{ role: 'facilitator', scopeType: 'cohort', scopeId: cohortId }], { userId: `facilitator-${cohortId}` });
export const participant = (userId: string) => aPerson([{ role: 'participant', scopeType: 'provider', scopeId: null }], { userId });
