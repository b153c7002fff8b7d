import { describe, expect, it } from 'vitest';
import type { Actor } from '../../platform/auth/actor';
import { can } from '../../platform/auth/permissions';
import '../../catalogue/domain/catalogue.policy';
import { mayAssign, mayManageUser } from './people.policy';
import type { RoleAssignment } from '../../platform/auth/roles';

const user = (roles: RoleAssignment[], fullySignedIn = true): Actor => ({
  kind: 'user',
  userId: 'u',
  sessionId: 's',
  name: 'N',
  email: 'n@example.com',
  roles,
  fullySignedIn,
});

const admin = user([{ role: 'provider_admin', scopeType: 'provider', scopeId: null }]);
const leadA = user([{ role: 'delivery_partner_lead', scopeType: 'delivery_partner', scopeId: 'A' }]);
const participant = user([{ role: 'participant', scopeType: 'provider', scopeId: null }]);

describe('policy', () => {
  it('gives catalogue management to provider admins only', () => {
    expect(can(admin, 'catalogue:manage')).toBe(true);
    expect(can(leadA, 'catalogue:manage')).toBe(false);
    expect(can(participant, 'catalogue:manage')).toBe(false);
    expect(can({ kind: 'anonymous' }, 'catalogue:manage')).toBe(false);
  });

  it('grants nothing before the second factor', () => {
    const halfway = user([{ role: 'provider_admin', scopeType: 'provider', scopeId: null }], false);
    expect(can(halfway, 'users:manage')).toBe(false);
  });

  it('lets a delivery partner lead assign partner roles within their own partner only', () => {
    expect(mayAssign(leadA, 'facilitator', 'delivery_partner', 'A')).toBe(true);
    expect(mayAssign(leadA, 'facilitator', 'delivery_partner', 'B')).toBe(false);
    expect(mayAssign(leadA, 'provider_admin', 'provider', null)).toBe(false);
    expect(mayAssign(leadA, 'assessor', 'delivery_partner', 'A')).toBe(false);
  });

  it('lets a lead manage only people wholly within their partner', () => {
    expect(mayManageUser(leadA, [{ role: 'facilitator', scopeType: 'delivery_partner', scopeId: 'A' }])).toBe(true);
    expect(mayManageUser(leadA, [{ role: 'facilitator', scopeType: 'delivery_partner', scopeId: 'B' }])).toBe(false);
    expect(
      mayManageUser(leadA, [
        { role: 'facilitator', scopeType: 'delivery_partner', scopeId: 'A' },
        { role: 'provider_admin', scopeType: 'provider', scopeId: null },
      ]),
    ).toBe(false);
    expect(mayManageUser(admin, [{ role: 'facilitator', scopeType: 'delivery_partner', scopeId: 'B' }])).toBe(true);
  });
});
