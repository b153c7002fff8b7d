import { describe, expect, it } from 'vitest';
import { system } from '../../platform/auth/actor';
import { aPerson, leadOf, participant, providerAdmin } from '../../platform/auth/actors.fixture';
import { declarationScope, financeAbilities, managesDeclarations } from './dfe.policy';

const finance = aPerson([{ role: 'finance', scopeType: 'provider', scopeId: null }], { userId: 'finance' });

describe('who deals with DfE’s money and declarations (issue 13 items 5 and 7)', () => {
  it('lets finance read every declaration and the finance pages, and act on nothing', () => {
    expect(declarationScope(finance)).toEqual({ all: true });
    expect(managesDeclarations(finance)).toBe(false);
    expect(financeAbilities(finance)).toEqual({ read: true, manageContracts: false });
  });

  it('lets the admin (and the system) read and set the contracts; a lead reads their partner’s declarations but no money; others nothing', () => {
    expect(financeAbilities(providerAdmin)).toEqual({ read: true, manageContracts: true });
    expect(financeAbilities(system('test'))).toEqual({ read: true, manageContracts: true });
    expect(financeAbilities(leadOf('A'))).toEqual({ read: false, manageContracts: false });
    expect(declarationScope(leadOf('A'))).toEqual({ partners: ['A'] });
    expect(financeAbilities(participant('sam'))).toEqual({ read: false, manageContracts: false });
    expect(declarationScope(participant('sam'))).toBeNull();
    // Between password and second factor, nothing.
    expect(financeAbilities(aPerson([{ role: 'finance', scopeType: 'provider', scopeId: null }], { fullySignedIn: false })).read).toBe(false);
  });
});
