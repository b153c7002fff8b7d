import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { type AcceptanceFacts, allows, DEFERRAL_REASONS, decideSchedule, WITHDRAWAL_REASONS, approvalExpiry, approvalReminderDue, decideAcceptance, decideFundedPlaceChange, decideParticipantChange, ineligibleForFundingReason, isOwnAddress } from './application';

const ready: AcceptanceFacts = {
  status: 'pending',
  approvalStatus: 'approved',
  gatewayStatus: 'not_required',
  cohortFunding: 'full',
  eligibleForFunding: true,
  requestedFundedPlace: undefined,
  fundedPlacesTaken: 0,
  fundedPlaceLimit: 0,
  intake: { capacity: 10, placed: 0, waitingList: true },
};

describe('accepting an application', () => {
  it.each<[string, Partial<AcceptanceFacts>, string]>([
    ['a draft', { status: 'draft' }, 'application_not_submitted'],
    ['a rejected application', { status: 'rejected' }, 'application_rejected'],
    ['an accepted application', { status: 'accepted' }, 'application_already_accepted'],
    ['one the school has not approved', { approvalStatus: 'pending' }, 'awaiting_school_approval'],
    ['one the school declined', { approvalStatus: 'declined' }, 'awaiting_school_approval'],
    ['one whose gateway answers are not sent', { gatewayStatus: 'awaiting_submission' }, 'gateway_not_finished'],
    ['one whose gateway is being reviewed', { gatewayStatus: 'submitted' }, 'gateway_not_finished'],
    ['one that failed the gateway', { gatewayStatus: 'failed' }, 'gateway_failed'],
    ['a capped cohort without a funded-place answer', { cohortFunding: 'capped', fundedPlaceLimit: 5 }, 'funded_place_required'],
    ['a funded place for an ineligible application', { cohortFunding: 'capped', fundedPlaceLimit: 5, requestedFundedPlace: true, eligibleForFunding: false }, 'funded_place_not_eligible'],
    ['a funded place beyond the limit', { cohortFunding: 'capped', fundedPlaceLimit: 5, fundedPlacesTaken: 5, requestedFundedPlace: true }, 'funded_place_limit_reached'],
    ['a full intake without a waiting list', { intake: { capacity: 2, placed: 2, waitingList: false } }, 'intake_full'],
  ])('refuses %s', (_name, facts, code) => {
    const decision = decideAcceptance({ ...ready, ...facts });
    expect(decision).toMatchObject({ ok: false, code });
  });

  it('takes a funded place in a capped cohort while places remain', () => {
    expect(decideAcceptance({ ...ready, cohortFunding: 'capped', fundedPlaceLimit: 5, fundedPlacesTaken: 4, requestedFundedPlace: true })).toEqual({ ok: true, fundedPlace: true, onWaitingList: false });
  });

  it('accepts without a funded place beyond the limit, or when not eligible', () => {
    expect(decideAcceptance({ ...ready, cohortFunding: 'capped', fundedPlaceLimit: 5, fundedPlacesTaken: 5, requestedFundedPlace: false })).toEqual({ ok: true, fundedPlace: false, onWaitingList: false });
    expect(decideAcceptance({ ...ready, cohortFunding: 'capped', fundedPlaceLimit: 5, eligibleForFunding: false, requestedFundedPlace: false })).toMatchObject({ ok: true, fundedPlace: false });
  });

  it('leaves funded_place unset outside capped cohorts, whatever was asked', () => {
    expect(decideAcceptance({ ...ready, requestedFundedPlace: true })).toEqual({ ok: true, fundedPlace: null, onWaitingList: false });
    expect(decideAcceptance({ ...ready, cohortFunding: 'none' })).toMatchObject({ ok: true, fundedPlace: null });
  });

  it('puts the applicant on the waiting list of a full intake that keeps one', () => {
    expect(decideAcceptance({ ...ready, intake: { capacity: 2, placed: 2, waitingList: true } })).toEqual({ ok: true, fundedPlace: null, onWaitingList: true });
  });

  it('accepts after a passed gateway, and into an intake with no capacity set', () => {
    expect(decideAcceptance({ ...ready, gatewayStatus: 'passed', intake: { capacity: null, placed: 500, waitingList: false } })).toMatchObject({ ok: true, onWaitingList: false });
  });
});

describe('changing a participant', () => {
  it.each<[Parameters<typeof decideParticipantChange>[0], 'active' | 'deferred' | 'withdrawn', string | undefined, string]>([
    ['defer', 'active', 'parental-leave', 'deferred'],
    ['resume', 'deferred', undefined, 'active'],
    ['withdraw', 'active', 'personal-reason-moving-school', 'withdrawn'],
    ['withdraw', 'deferred', 'career-break', 'withdrawn'],
    ['move', 'deferred', undefined, 'deferred'],
  ])('%s from %s', (change, from, reason, to) => {
    const r = decideParticipantChange(change, from, change === 'withdraw' && reason === 'career-break' ? 'insufficient-capacity' : reason);
    expect(r).toEqual({ ok: true, to });
  });

  it.each<[Parameters<typeof decideParticipantChange>[0], 'active' | 'deferred' | 'withdrawn' | null, string | undefined, string]>([
    ['defer', 'deferred', 'parental-leave', 'cannot_defer'],
    ['resume', 'active', undefined, 'cannot_resume'],
    ['withdraw', 'withdrawn', 'insufficient-capacity', 'cannot_withdraw'],
    ['move', 'withdrawn', undefined, 'cannot_move'],
    ['defer', 'active', undefined, 'reason_required'],
    ['defer', 'active', 'made-up-reason', 'reason_required'],
    ['withdraw', 'active', 'parental-leave', 'reason_required'],
    ['defer', null, 'parental-leave', 'not_a_participant'],
  ])('refuses to %s from %s', (change, from, reason, code) => {
    expect(decideParticipantChange(change, from, reason)).toMatchObject({ ok: false, code });
  });
});

describe('school approval timing', () => {
  const asked = new Date('2026-11-01T09:00:00Z');
  const day = (n: number) => new Date(asked.getTime() + n * 86_400_000); // November is all GMT: days are 24 hours
  it('reminds after 4 days, then after 10, then no more', () => {
    expect(approvalReminderDue(asked, 0, day(3.9))).toBe(false);
    expect(approvalReminderDue(asked, 0, day(4))).toBe(true);
    expect(approvalReminderDue(asked, 1, day(9))).toBe(false);
    expect(approvalReminderDue(asked, 1, day(10))).toBe(true);
    expect(approvalReminderDue(asked, 2, day(13))).toBe(false);
  });
  it('expires the link 14 days after asking', () => {
    expect(approvalExpiry(asked)).toEqual(day(14));
  });

  // Asked at 09:00 UK time just before each clock change: reminders and expiry fall at 09:00 UK time.
  it.each([
    ['the clocks go back (last Sunday of October)', '2026-10-22T08:00:00Z', '2026-10-26T09:00:00Z', '2026-11-01T09:00:00Z', '2026-11-05T09:00:00Z'],
    ['the clocks go forward (last Sunday of March)', '2026-03-26T09:00:00Z', '2026-03-30T08:00:00Z', '2026-04-05T08:00:00Z', '2026-04-09T08:00:00Z'],
  ])('counts calendar days when %s', (_, askedAt, fourth, tenth, fourteenth) => {
    const at = new Date(askedAt);
    const justBefore = (iso: string) => new Date(new Date(iso).getTime() - 60_000);
    expect(approvalReminderDue(at, 0, justBefore(fourth))).toBe(false);
    expect(approvalReminderDue(at, 0, new Date(fourth))).toBe(true);
    expect(approvalReminderDue(at, 1, justBefore(tenth))).toBe(false);
    expect(approvalReminderDue(at, 1, new Date(tenth))).toBe(true);
    expect(approvalExpiry(at).toISOString()).toBe(new Date(fourteenth).toISOString());
  });

  it('counts from 00:30 BST as from that UK day', () => {
    const at = new Date('2026-06-14T23:30:00Z'); // 00:30 on 15 June
    expect(approvalExpiry(at).toISOString()).toBe('2026-06-28T23:30:00.000Z'); // 00:30 on 29 June
  });
});

describe("DfE's ineligible_for_funding_reason", () => {
  it('names previously funded and establishment reasons, nothing for the funded', () => {
    expect(ineligibleForFundingReason('previously_funded', false)).toBe('previously-funded');
    expect(ineligibleForFundingReason('ineligible_establishment_type', false)).toBe('establishment-ineligible');
    expect(ineligibleForFundingReason('ineligible_establishment_not_a_pp50', false)).toBe('establishment-ineligible');
    expect(ineligibleForFundingReason('not_in_england', false)).toBeNull();
    expect(ineligibleForFundingReason('funded', true)).toBeNull();
  });
});

describe('who may approve', () => {
  it('knows the applicant’s own address whatever its case, spaces or +tag', () => {
    for (const lm of ['ada@school.test', 'ADA@School.Test', ' ada@school.test ', 'ada+npq@school.test', 'Ada + approve @school.test']) expect(isOwnAddress('ada@school.test', lm), lm).toBe(true);
    expect(isOwnAddress('Ada+me@school.test', 'ada@school.test')).toBe(true);
    expect(isOwnAddress('ada@school.test', 'grace@school.test')).toBe(false);
    expect(isOwnAddress('ada@school.test', 'ada@other.test')).toBe(false);
  });
});

describe('what may happen to an application', () => {
  it('closes every action on a withdrawn application', () => {
    for (const event of ['accept', 'reject', 'withdraw', 'reopen', 'askApproval', 'decideApproval', 'answerGateway', 'reviewGateway'] as const) expect(allows(event, 'withdrawn'), event).toBe(false);
    expect(decideAcceptance({ ...ready, status: 'withdrawn' })).toMatchObject({ ok: false, code: 'application_withdrawn' });
  });
  it('refuses a funded place in an unfunded cohort instead of ignoring it', () => {
    expect(decideAcceptance({ ...ready, cohortFunding: 'none', requestedFundedPlace: true })).toMatchObject({ ok: false, code: 'funded_place_unfunded_cohort' });
    expect(decideAcceptance({ ...ready, cohortFunding: 'none', requestedFundedPlace: false })).toMatchObject({ ok: true, fundedPlace: null });
  });
});

describe('DfE’s reasons for withdrawing and deferring a participant', () => {
  const dfe = YAML.parse(readFileSync(path.resolve(import.meta.dirname, '../../../docs/reference/dfe-npq-lead-provider-api-v3.yaml'), 'utf8'));
  const reasonsOf = (schema: string): string[] => dfe.components.schemas[schema].properties.data.properties.attributes.properties.reason.enum;

  it('are exactly the lists in DfE’s OpenAPI document, in its order', () => {
    expect([...WITHDRAWAL_REASONS]).toEqual(reasonsOf('ParticipantWithdrawRequest'));
    expect([...DEFERRAL_REASONS]).toEqual(reasonsOf('ParticipantDeferRequest'));
  });
});

describe('the schedule named at acceptance', () => {
  const leadership = ['npq-leadership-autumn', 'npq-leadership-spring'];
  it('may be left out: the intake decides it', () => {
    expect(decideSchedule(undefined, leadership, 'npq-leadership-spring')).toEqual({ ok: true });
    expect(decideSchedule(null, leadership, 'npq-leadership-spring')).toEqual({ ok: true });
  });
  it('is refused when it is not one of the course’s, never replaced by another', () => {
    expect(decideSchedule('npq-aso-march', leadership, 'npq-leadership-spring')).toMatchObject({ ok: false, code: 'schedule_not_valid_for_course' });
  });
  it('is refused when the course has it but the intake follows another', () => {
    expect(decideSchedule('npq-leadership-autumn', leadership, 'npq-leadership-spring')).toMatchObject({ ok: false, code: 'schedule_not_the_intakes' });
    expect(decideSchedule('npq-leadership-spring', leadership, 'npq-leadership-spring')).toEqual({ ok: true });
  });
});

describe('changing a participant’s funded place', () => {
  const accepted = { status: 'accepted' as const, cohortFunding: 'capped' as const, eligibleForFunding: true, current: false, requested: true, fundedPlacesTaken: 4, fundedPlaceLimit: 5 };
  it('gives a funded place to an eligible participant while the cohort has one left, and takes one away at any time', () => {
    expect(decideFundedPlaceChange(accepted)).toEqual({ ok: true });
    expect(decideFundedPlaceChange({ ...accepted, current: true, requested: false, fundedPlacesTaken: 5 })).toEqual({ ok: true });
  });
  it.each([
    ['application_not_accepted', { status: 'pending' as const }],
    ['funded_place_not_capped', { cohortFunding: 'full' as const }],
    ['funded_place_not_capped', { cohortFunding: 'none' as const }],
    ['funded_place_unchanged', { current: true }],
    ['funded_place_not_eligible', { eligibleForFunding: false }],
    ['funded_place_limit_reached', { fundedPlacesTaken: 5 }],
  ])('refuses with %s', (code, facts) => {
    expect(decideFundedPlaceChange({ ...accepted, ...facts })).toMatchObject({ ok: false, code });
  });
});
