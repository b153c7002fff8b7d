import { describe, expect, it } from 'vitest';
import { type Actor, anonymous, isFullySignedIn, isSignedIn, ledPartners, rolesOf, system } from './actor';
import { can, declaredPermissions, definePermissions, type Permission } from './permissions';

// Declared here only: left out of the registry's type, so that no code can name it.
definePermissions({ 'test:read': ['facilitator'] });
const TEST_READ = 'test:read' as Permission;

const person = (fullySignedIn: boolean): Actor => ({
  kind: 'user',
  userId: 'u',
  sessionId: 's',
  name: 'Ann',
  email: 'ann@example.com',
  roles: [{ role: 'facilitator', scopeType: 'delivery_partner', scopeId: 'A' }],
  fullySignedIn,
});

describe('one meaning of signed in', () => {
  it('is a person with a session, fully so once past the second factor', () => {
    expect(isSignedIn(person(false))).toBe(true);
    expect(isFullySignedIn(person(false))).toBe(false);
    expect(isFullySignedIn(person(true))).toBe(true);
    expect(isSignedIn(anonymous)).toBe(false);
    expect(isSignedIn(system('sweep'))).toBe(false);
  });

  it('gives a person no roles until fully signed in', () => {
    expect(rolesOf(person(false))).toEqual([]);
    expect(rolesOf(person(true))).toHaveLength(1);
  });
});

describe('the permission registry', () => {
  it('grants a declared permission to the roles named, and everything to the system', () => {
    expect(can(person(true), TEST_READ)).toBe(true);
    expect(can(person(false), TEST_READ)).toBe(false);
    expect(can(anonymous, TEST_READ)).toBe(false);
    expect(can(system('sweep'), TEST_READ)).toBe(true);
    expect(declaredPermissions().get('test:read')).toEqual(['facilitator']);
  });

  it('refuses a second declaration of a permission with other roles, and an undeclared one', () => {
    expect(() => definePermissions({ 'test:read': ['provider_admin'] })).toThrow(/declared twice/);
    expect(() => definePermissions({ 'test:read': ['facilitator'] })).not.toThrow();
    expect(() => can(person(true), 'nobody:declared' as never)).toThrow(/No capability declares/);
  });

  it('reads the partners a lead leads from their roles, nothing for a facilitator', () => {
    expect(ledPartners(person(true))).toEqual([]);
  });
});
