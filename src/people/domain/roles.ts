export const ROLES = [
  'provider_admin',
  'delivery_partner_lead',
  'facilitator',
  'coach',
  'assessor',
  'moderator',
  'participant',
  'school_approver',
] as const;
export type Role = (typeof ROLES)[number];

export type ScopeType = 'provider' | 'delivery_partner' | 'cohort';

export const ROLE_LABELS: Record<Role, string> = {
  provider_admin: 'Provider admin',
  delivery_partner_lead: 'Delivery partner lead',
  facilitator: 'Facilitator',
  coach: 'Coach or personal tutor',
  assessor: 'Assessor',
  moderator: 'Moderator',
  participant: 'Participant',
  school_approver: 'School approver',
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
};

/** Staff roles must sign in with a second factor. */
export const STAFF_ROLES: ReadonlySet<Role> = new Set([
  'provider_admin',
  'delivery_partner_lead',
  'facilitator',
  'coach',
  'assessor',
  'moderator',
]);

/** Roles a delivery partner lead may give, always within their own partner. */
export const PARTNER_ASSIGNABLE_ROLES: ReadonlySet<Role> = new Set(['delivery_partner_lead', 'facilitator', 'coach']);

export interface RoleAssignment {
  role: Role;
  scopeType: ScopeType;
  scopeId: string | null;
}

export const isRole = (v: unknown): v is Role => typeof v === 'string' && (ROLES as readonly string[]).includes(v);
