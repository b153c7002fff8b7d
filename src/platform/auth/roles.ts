/**
 * The roles a person or an API token can hold, and where each is held. They are the platform's
 * vocabulary for "who is asking"; which role may do what is each capability's own business
 * (its `definePermissions` and its policy), and what a role is called or where it may be given is
 * people's (src/people/domain/roles.ts).
 */
export const ROLES = [
  'provider_admin',
  'delivery_partner_lead',
  'facilitator',
  'coach',
  'assessor',
  'moderator',
  'participant',
  'school_approver',
  'finance',
] as const;
export type Role = (typeof ROLES)[number];

/** Where a role is held: across the provider, within one delivery partner, or within one cohort. */
export type ScopeType = 'provider' | 'delivery_partner' | 'cohort';

/** One role held at one scope; `scopeId` is the partner's or cohort's id, null at provider scope. */
export interface RoleAssignment {
  role: Role;
  scopeType: ScopeType;
  scopeId: string | null;
}

export const isRole = (v: unknown): v is Role => typeof v === 'string' && (ROLES as readonly string[]).includes(v);
