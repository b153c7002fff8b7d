import { describe, expect, it } from 'vitest';
import { anonymous } from '../../platform/auth/actor';
import { leadOf, providerAdmin } from '../../platform/auth/actors.fixture';
import { abilitiesFor, catalogueAbilities, scopeFilter } from './catalogue.policy';

describe('catalogue policy', () => {
  it('lets provider admins manage the catalogue, retiring what is live and reinstating what is retired', () => {
    expect(catalogueAbilities(providerAdmin).manage).toBe(true);
    expect(abilitiesFor(providerAdmin, { retired: false })).toEqual({ edit: true, retire: true, reinstate: false });
    expect(abilitiesFor(providerAdmin, { retired: true })).toEqual({ edit: true, retire: false, reinstate: true });
  });

  it('lets nobody else change it, and shows them only what is live', () => {
    for (const actor of [leadOf('A'), anonymous]) {
      expect(abilitiesFor(actor, { retired: false })).toEqual({ edit: false, retire: false, reinstate: false });
      expect(scopeFilter(actor)).toEqual({ includeRetired: false });
    }
    expect(scopeFilter(providerAdmin)).toEqual({ includeRetired: true });
  });
});
