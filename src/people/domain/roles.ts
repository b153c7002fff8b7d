import type { Role, ScopeType } from '../../platform/auth/roles';

// The roles themselves are the platform's (who is asking); what they are called and where they may be given are people's.
export { isRole, type Role, type RoleAssignment, ROLES, type ScopeType } from '../../platform/auth/roles';

export const ROLE_LABELS: Record<Role, string> = {
  provider_admin: 'Provider admin',
  delivery_partner_lead: 'Delivery partner lead',
  facilitator: 'Facilitator',
  coach: 'Coach or personal tutor',
  assessor: 'Assessor',
  moderator: 'Moderator',
  participant: 'Participant',
  school_approver: 'School approver',
  finance: 'Finance',
};

/** Which scopes each role may be held at. */
export const ROLE_SCOPES: Record<Role, ScopeType[]> = {
  provider_admin: ['provider'],
  delivery_partner_lead: ['delivery_partner'],
  facilitator: ['delivery_partner', 'cohort'],
  coach: ['provider', 'delivery_partner', 'cohort'],
  assessor: ['provider'],
  moderator: ['provider'],
  participant: ['cohort', 'provider'],
  school_approver: ['provider'],
  // The provider's finance team reads what DfE pays for the whole provider, never one partner's share.
  finance: ['provider'],
};

/** Staff roles must sign in with a second factor. */
export const STAFF_ROLES: ReadonlySet<Role> = new Set([
  'provider_admin',
  'delivery_partner_lead',
  'facilitator',
  'coach',
  'assessor',
  'moderator',
  'finance',
]);

/** Roles a delivery partner lead may give, always within their own partner. */
export const PARTNER_ASSIGNABLE_ROLES: ReadonlySet<Role> = new Set(['delivery_partner_lead', 'facilitator', 'coach']);
