import { describe, expect, it } from 'vitest';
import { anonymous } from '../../platform/auth/actor';
import { abilitiesFor as apiTokens, scopeFilter as tokenScope } from '../../api/domain/api-tokens.policy';
import { auditAbilities, scopeFilter as auditScope } from '../../audit/domain/audit.policy';
import { outboxAbilities } from '../../mail/domain/outbox.policy';
import { aPerson, leadOf, participant, providerAdmin } from '../../platform/auth/actors.fixture';
import { abilitiesFor } from './home.policy';

describe('home, audit, API token and outbox policies', () => {
  it('offers a provider admin every tool, a participant none, and a partner lead only their partner’s declarations to DfE', () => {
    expect(Object.values(abilitiesFor(providerAdmin)).every(Boolean)).toBe(true);
    for (const [actor, declarations] of [
      [participant('sam'), false],
      [leadOf('A'), true],
    ] as const) {
      const { see, readDeclarations, ...tools } = abilitiesFor(actor);
      expect(see).toBe(true);
      expect(readDeclarations).toBe(declarations);
      expect(Object.values(tools).some(Boolean)).toBe(false);
    }
    expect(abilitiesFor(anonymous).see).toBe(false);
  });

  it('offers finance the finance page and the declarations (to read), and no other tool', () => {
    const { see, readDeclarations, readFinance, ...tools } = abilitiesFor(aPerson([{ role: 'finance', scopeType: 'provider', scopeId: null }]));
    expect([see, readDeclarations, readFinance]).toEqual([true, true, true]);
    expect(Object.values(tools).some(Boolean)).toBe(false);
    expect(abilitiesFor(leadOf('A')).readFinance).toBe(false);
  });

  it('lets only provider admins read the audit log and the outbox', () => {
    expect(auditAbilities(providerAdmin).read).toBe(true);
    expect(auditScope(leadOf('A'))).toEqual({ all: false });
    expect(outboxAbilities(providerAdmin).read).toBe(true);
    expect(outboxAbilities(participant('sam')).read).toBe(false);
  });

  it('lets provider admins revoke a token while it works, once', () => {
    expect(apiTokens(providerAdmin, { revokedAt: null }).revoke).toBe(true);
    expect(apiTokens(providerAdmin, { revokedAt: new Date('2026-01-01T00:00:00Z') }).revoke).toBe(false);
    expect(apiTokens(leadOf('A'), { revokedAt: null }).revoke).toBe(false);
    expect(tokenScope(leadOf('A'))).toEqual({ all: false });
  });
});
