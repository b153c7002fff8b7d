import { describe, expect, it } from 'vitest';
import type { Actor } from '../../platform/auth/actor';
import type { Role, ScopeType } from '../../people/domain/roles';
import { homeSectionsFor } from './sections';

const someone = (...roles: [Role, ScopeType?][]): Actor => ({
  kind: 'user',
  userId: 'u',
  sessionId: 's',
  name: 'N',
  email: 'n@example.test',
  fullySignedIn: true,
  roles: roles.map(([role, scopeType = 'provider']) => ({ role, scopeType, scopeId: scopeType === 'provider' ? null : 'partner-1' })),
});
const none = { hasOwnApplications: false, hasOwnRounds: false };

describe('homeSectionsFor', () => {
  it('gives each role what is theirs, and only that', () => {
    expect(homeSectionsFor(someone(['provider_admin']), none)).toEqual(['inbox', 'gateway', 'cohorts_360', 'users']);
    expect(homeSectionsFor(someone(['delivery_partner_lead', 'delivery_partner']), none)).toEqual(['partner_applications', 'cohorts_360', 'users']);
    expect(homeSectionsFor(someone(['facilitator', 'delivery_partner']), none)).toEqual(['cohorts_360']);
    expect(homeSectionsFor(someone(['school_approver']), none)).toEqual(['approvals']);
    expect(homeSectionsFor(someone(['coach']), none)).toEqual(['coaching']);
    // Not the gateway: its answers name the applicant, and assessors mark blind.
    expect(homeSectionsFor(someone(['assessor']), none)).toEqual(['marking']);
    expect(homeSectionsFor(someone(['moderator']), none)).toEqual(['marking']);
    expect(homeSectionsFor(someone(['participant']), none)).toEqual(['own_applications', 'own_360']);
  });

  it('shows an applicant with no role yet their applications', () => {
    expect(homeSectionsFor(someone(), none)).toEqual(['own_applications']);
  });

  it('shows staff who have applied themselves their own applications and 360° too', () => {
    expect(homeSectionsFor(someone(['facilitator', 'delivery_partner']), { hasOwnApplications: true, hasOwnRounds: true })).toEqual(['cohorts_360', 'own_applications', 'own_360']);
  });

  it('has nothing for someone not signed in', () => {
    expect(homeSectionsFor({ kind: 'anonymous' }, none)).toEqual([]);
  });
});
