import { describe, expect, it } from 'vitest';
import { anonymous } from '../../platform/auth/actor';
import { aPerson, facilitatorOfCohort, leadOf, participant, providerAdmin } from '../../platform/auth/actors.fixture';
import { abilitiesFor, diagnosticAbilities, scopeFilter } from './diagnostic.policy';

const round = (participantUserId: string, state: 'not_open' | 'open' | 'closed', selfSubmitted = false) => ({ participantUserId, state, selfSubmitted });

describe('360° policy', () => {
  it('never lets a participant see another’s round or 360 report', () => {
    const sam = participant('sam');
    const theirs = abilitiesFor(sam, round('kim', 'closed'));
    expect(theirs).toEqual({ see: false, workIn: false, rateSelf: false, askColleagues: false, remind: false, readReport: false, readReportAsProvider: false, extend: false, closeEarly: false });
    expect(abilitiesFor(sam, round('sam', 'closed')).readReport).toBe(true);
  });

  it('opens the report only once the round has closed, to its participant and (by API) the provider', () => {
    for (const state of ['not_open', 'open'] as const) {
      expect(abilitiesFor(participant('sam'), round('sam', state)).readReport).toBe(false);
      expect(abilitiesFor(providerAdmin, round('sam', state)).readReportAsProvider).toBe(false);
    }
    expect(abilitiesFor(providerAdmin, round('sam', 'closed')).readReportAsProvider).toBe(true);
    // An admin reads the provider's copy, never the participant's own.
    expect(abilitiesFor(providerAdmin, round('sam', 'closed')).readReport).toBe(false);
  });

  it('lets the participant rate themselves once, ask and remind colleagues only while the round is open', () => {
    const sam = participant('sam');
    expect(abilitiesFor(sam, round('sam', 'open'))).toMatchObject({ rateSelf: true, askColleagues: true, remind: true });
    expect(abilitiesFor(sam, round('sam', 'open', true)).rateSelf).toBe(false);
    expect(abilitiesFor(sam, round('sam', 'not_open'))).toMatchObject({ rateSelf: false, askColleagues: false, remind: false });
    expect(abilitiesFor(sam, round('sam', 'closed'))).toMatchObject({ rateSelf: false, askColleagues: false, remind: false });
  });

  it('lets those who run the 360° extend or close a round only while it is not closed', () => {
    expect(abilitiesFor(providerAdmin, round('sam', 'open'))).toMatchObject({ extend: true, closeEarly: true });
    expect(abilitiesFor(providerAdmin, round('sam', 'closed'))).toMatchObject({ extend: false, closeEarly: false });
    expect(abilitiesFor(leadOf('A'), round('sam', 'open'))).toMatchObject({ see: false, extend: false, closeEarly: false });
  });

  it('shows a partner’s staff only their own partner’s or cohorts’ participants, and nobody else any', () => {
    expect(scopeFilter(providerAdmin)).toEqual({ all: true });
    expect(scopeFilter(leadOf('A'))).toEqual({ partners: ['A'], cohorts: [] });
    expect(scopeFilter(facilitatorOfCohort('2026a'))).toEqual({ partners: [], cohorts: ['2026a'] });
    expect(scopeFilter(participant('sam'))).toEqual({ partners: [], cohorts: [] });
    expect(diagnosticAbilities(leadOf('A'))).toEqual({ manage: false, viewCohorts: true, takePart: true });
    expect(diagnosticAbilities(anonymous)).toEqual({ manage: false, viewCohorts: false, takePart: false });
  });

  it('grants nothing between password and second factor', () => {
    const halfway = aPerson([{ role: 'provider_admin', scopeType: 'provider', scopeId: null }], { userId: 'sam', fullySignedIn: false });
    expect(diagnosticAbilities(halfway)).toEqual({ manage: false, viewCohorts: false, takePart: false });
    expect(abilitiesFor(halfway, round('sam', 'closed')).readReport).toBe(false);
  });
});
