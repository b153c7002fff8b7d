import { describe, expect, it } from 'vitest';
import { anonymous } from '../../platform/auth/actor';
import { aPerson, leadOf, participant, providerAdmin } from '../../platform/auth/actors.fixture';
import { mayAssign, mayManageUser, peopleAbilities, roleChoices, userAbilities, userScopeFilter } from './people.policy';

const leadA = leadOf('A');
const facilitatorIn = (partner: string) => ({ role: 'facilitator' as const, scopeType: 'delivery_partner' as const, scopeId: partner });
const account = (roles: Parameters<typeof mayManageUser>[1], more: { id?: string; invitationPending?: boolean } = {}) => ({ id: more.id ?? 'someone', roles, deactivated: false, invitationPending: more.invitationPending ?? false });

describe('people policy', () => {
  it('lets provider admins and partner leads manage users, nobody else, and nobody before the second factor', () => {
    expect(peopleAbilities(providerAdmin).manageUsers).toBe(true);
    expect(peopleAbilities(leadA).manageUsers).toBe(true);
    expect(peopleAbilities(participant('p')).manageUsers).toBe(false);
    expect(peopleAbilities(anonymous).manageUsers).toBe(false);
    expect(peopleAbilities(aPerson([{ role: 'provider_admin', scopeType: 'provider', scopeId: null }], { fullySignedIn: false })).manageUsers).toBe(false);
  });

  it('lets a delivery partner lead assign partner roles within their own partner only', () => {
    expect(mayAssign(leadA, 'facilitator', 'delivery_partner', 'A')).toBe(true);
    expect(mayAssign(leadA, 'facilitator', 'delivery_partner', 'B')).toBe(false);
    expect(mayAssign(leadA, 'provider_admin', 'provider', null)).toBe(false);
    expect(mayAssign(leadA, 'assessor', 'delivery_partner', 'A')).toBe(false);
  });

  it('lets a lead manage only people wholly within their partner', () => {
    expect(mayManageUser(leadA, [facilitatorIn('A')])).toBe(true);
    expect(mayManageUser(leadA, [facilitatorIn('B')])).toBe(false);
    expect(mayManageUser(leadA, [facilitatorIn('A'), { role: 'provider_admin', scopeType: 'provider', scopeId: null }])).toBe(false);
    expect(mayManageUser(providerAdmin, [facilitatorIn('B')])).toBe(true);
  });

  it('never lets a delivery partner lead see another partner’s people, in a list or one by one', () => {
    expect(userScopeFilter(leadA)).toEqual({ partnerIds: ['A'] });
    expect(userScopeFilter(providerAdmin)).toEqual({ all: true });
    const theirs = userAbilities(leadA, account([facilitatorIn('B')]));
    expect(theirs).toMatchObject({ see: false, deactivate: false, assignRoles: false, revokeSessions: false, resendInvitation: false });
    expect(theirs.removeRole(facilitatorIn('B'))).toBe(false);
    expect(userAbilities(leadA, account([facilitatorIn('A')])).see).toBe(true);
  });

  it('offers a new invitation only while one is pending, and never lets anyone deactivate themselves or drop their own admin role', () => {
    expect(userAbilities(providerAdmin, account([facilitatorIn('A')], { invitationPending: true })).resendInvitation).toBe(true);
    expect(userAbilities(providerAdmin, account([facilitatorIn('A')])).resendInvitation).toBe(false);
    const self = userAbilities(providerAdmin, account([{ role: 'provider_admin', scopeType: 'provider', scopeId: null }], { id: 'admin' }));
    expect(self.deactivate).toBe(false);
    expect(self.removeRole({ role: 'provider_admin', scopeType: 'provider', scopeId: null })).toBe(false);
    expect(self.removeRole(facilitatorIn('A'))).toBe(true);
  });
});

describe('role choices', () => {
  it('offers a provider admin every role across the provider, and a lead only partner roles within their partners', () => {
    expect(roleChoices(providerAdmin).roles).toContain('provider_admin');
    expect(roleChoices(providerAdmin).providerWide).toBe(true);
    const lead = roleChoices(leadA);
    expect(lead.roles).toEqual(['delivery_partner_lead', 'facilitator', 'coach']);
    expect(lead.providerWide).toBe(false);
    expect([lead.partnerOffered('A'), lead.partnerOffered('B')]).toEqual([true, false]);
  });
});
