import { describe, expect, it } from 'vitest';
import { type Contract, expectedStatementOf, tellStatementCohorts, forecastOutputPayments, formatPounds, type LedgerDeclaration, monthlyServiceFeePence, outputPaymentPence, parsePounds, reckonStatement, type Statement, statementCohorts } from './finance';

/** Issue 13 item 5's money, by docs/dfe-api.md §2.7 "Money": pure, in pence, no mocks. */

const npqh: Contract = { cohort: '2025a', courseIdentifier: 'npq-headship', perParticipantPence: 300_000, recruitmentTarget: 20, outputPaymentPercent: 60, serviceFeePercent: 40, serviceFeeInstalments: 2 };
const npqlt: Contract = { ...npqh, courseIdentifier: 'npq-leading-teaching', perParticipantPence: 100_000, recruitmentTarget: 10 };
const statement = (id: string, paymentDate: string, cutOffDate: string, paid = false, cohort = '2025'): Statement => ({ id, cohort, month: paymentDate.slice(5, 7), year: paymentDate.slice(0, 4), cutOffDate, paymentDate, paid });
const june = statement('june', '2025-06-25', '2025-05-31', true);
const july = statement('july', '2025-07-25', '2025-06-30');
const august = statement('august', '2025-08-25', '2025-07-31');
const statements = [june, july, august];
let n = 0;
const declaration = (over: Partial<LedgerDeclaration>): LedgerDeclaration => ({
  id: `d${++n}`,
  fullName: `Person ${n}`,
  cohort: '2025a',
  courseIdentifier: 'npq-headship',
  schedule: 'npq-leadership-spring',
  declarationType: 'started',
  state: 'sent',
  dfeDeclarationId: `dfe-${n}`,
  dfeState: 'eligible',
  dfeStatementId: 'july',
  dfeClawbackStatementId: null,
  voidRequested: false,
  sentOn: '2025-06-10',
  ...over,
});
const today = '2025-06-15';

describe('the amounts', () => {
  it('pays an output payment of the price × output% over the schedule’s declaration types: 4 on leadership, 3 on specialist', () => {
    expect(outputPaymentPence(npqh, 4)).toBe(45_000); // £3,000 × 60% / 4 = £450
    expect(outputPaymentPence(npqlt, 3)).toBe(20_000); // £1,000 × 60% / 3 = £200
    expect(outputPaymentPence({ perParticipantPence: 100_001, outputPaymentPercent: 60 }, 3)).toBe(20_000); // £200.002 to the penny
    expect(() => outputPaymentPence(npqh, 0)).toThrow(RangeError);
  });

  it('pays a monthly service fee of the target × price × service% over the instalments', () => {
    expect(monthlyServiceFeePence(npqh)).toBe(1_200_000); // 20 × £3,000 × 40% / 2 = £12,000
    expect(monthlyServiceFeePence({ ...npqh, serviceFeeInstalments: 3, recruitmentTarget: 1, perParticipantPence: 1000 })).toBe(133); // £1.333… to the penny
  });

  it('reads pounds as typed to pence without floating point, and writes them back', () => {
    expect(parsePounds('£1,234.50')).toBe(123_450);
    expect(parsePounds('0.29')).toBe(29);
    expect(parsePounds(' 2500 ')).toBe(250_000);
    for (const bad of ['', '12.345', '-5', 'ten', '1,23.00', '£']) expect(parsePounds(bad), bad).toBeNull();
    expect(formatPounds(123_450)).toBe('£1,234.50');
    expect(formatPounds(-45_000)).toBe('−£450.00');
  });
});

describe('which statement', () => {
  it('tells a statement’s cohort by the declarations on it, or the only cohort of its start year', () => {
    const twoOf2026 = [statement('a', '2026-12-25', '2026-11-30', false, '2026'), statement('b', '2026-12-25', '2026-11-30', false, '2026'), statement('c', '2027-01-25', '2026-12-31', false, '2026'), statement('d', '2027-01-25', '2026-12-31', false, '2026')];
    const onB = declaration({ cohort: '2026b', dfeStatementId: 'b' });
    const cohorts = statementCohorts([...statements, ...twoOf2026], [onB], [npqh, { ...npqh, cohort: '2026b' }]);
    expect(cohorts.get('july')).toBe('2025a');
    expect(cohorts.get('b')).toBe('2026b');
    // 2026a and 2026b each have a statement a month: December's other is 2026a's; January's two are alike, so not known for certain.
    expect(cohorts.get('a')).toBe('2026a');
    expect([cohorts.get('c'), cohorts.get('d')]).toEqual([null, null]);
    // …but 2026b is the only 2026 cohort with a contract: the first by DfE's id is taken to be its, the other 2026a's.
    const told = tellStatementCohorts([...statements, ...twoOf2026], [onB], [npqh, { ...npqh, cohort: '2026b' }]);
    expect([told.get('c'), told.get('d')]).toEqual([
      { cohort: '2026b', basis: 'assumed', candidates: ['2026a', '2026b'] },
      { cohort: '2026a', basis: 'assumed', candidates: ['2026a', '2026b'] },
    ]);
    expect(told.get('july')?.basis).toBe('contract');
    expect(told.get('b')?.basis).toBe('declarations');
    expect(told.get('a')?.basis).toBe('elimination');
  });

  it('tells the statements of a month with no declarations on them by the contracts (the demo: 2025a contracted, DfE lists one a month, or two alike)', () => {
    // One 2025 statement a month and a contract for 2025a alone: every month's is 2025a's, and its fee reckoned.
    const told = tellStatementCohorts(statements, [], [npqh]);
    expect([...told.values()].map((t) => [t.cohort, t.basis])).toEqual([
      ['2025a', 'contract'],
      ['2025a', 'contract'],
      ['2025a', 'contract'],
    ]);
    expect(reckonStatement(june, { statements, declarations: [], contracts: [npqh], today }).serviceFeePence).toBe(1_200_000);
    // The stand-in's shape: 2025a and 2025b each with a statement a month, alike but for DfE's id.
    const pair = [statement('p-2', '2025-07-25', '2025-06-30'), statement('p-1', '2025-07-25', '2025-06-30')];
    const both = pair.map((s) => reckonStatement(s, { statements: pair, declarations: [], contracts: [npqh], today }));
    expect(both.map((r) => [r.statement.id, r.cohort, r.cohortBasis, r.serviceFeePence])).toEqual([
      ['p-2', '2025b', 'assumed', 0],
      ['p-1', '2025a', 'assumed', 1_200_000],
    ]);
    // The month's fee once, not twice; the assumption said once per statement, as a note, not a difference.
    expect(both.map((r) => r.differences)).toEqual([[], []]);
    expect(both[1]!.notes).toEqual([expect.stringMatching(/^Taken to be 2025a’s/)]);
    // Once a declaration lands on the other, that one is 2025a's, and the first 2025b's by elimination.
    const landed = tellStatementCohorts(pair, [declaration({ dfeStatementId: 'p-2' })], [npqh]);
    expect([landed.get('p-2'), landed.get('p-1')].map((t) => [t?.cohort, t?.basis])).toEqual([
      ['2025a', 'declarations'],
      ['2025b', 'elimination'],
    ]);
    // A year with no contract for any of its cohorts: nothing to price, said as that, not as 'not known'.
    const of2026 = [statement('x', '2026-12-25', '2026-11-30', false, '2026'), statement('y', '2026-12-25', '2026-11-30', false, '2026')];
    expect(reckonStatement(of2026[0]!, { statements: of2026, declarations: [], contracts: [npqh], today }).cohortBasis).toBe('no_contract');
    // Contracts for both of the year's cohorts and nothing on either: truly ambiguous, and said so with what to do.
    const r = reckonStatement(pair[0]!, { statements: pair, declarations: [], contracts: [npqh, { ...npqh, cohort: '2025b' }], today });
    expect([r.cohort, r.cohortBasis, r.cohortCandidates, r.serviceFeePence, r.differences]).toEqual([null, 'ambiguous', ['2025a', '2025b'], 0, []]);
    expect(r.notes).toEqual([expect.stringMatching(/not known until one of the platform’s declarations is on it\. Find statement p-2 in DfE’s portal/)]);
  });

  it('expects a sent declaration on the earliest statement whose cut-off follows its sending, and one still to send on the next unpaid', () => {
    const cohorts = statementCohorts(statements, [], [npqh]);
    expect(expectedStatementOf(declaration({ sentOn: '2025-05-31' }), statements, cohorts, today)).toBe('june');
    expect(expectedStatementOf(declaration({ sentOn: '2025-06-01' }), statements, cohorts, today)).toBe('july');
    expect(expectedStatementOf(declaration({ state: 'proposed', sentOn: null }), statements, cohorts, '2025-05-20')).toBe('july');
    expect(expectedStatementOf(declaration({ sentOn: '2025-09-01' }), statements, cohorts, today)).toBeNull();
  });
});

describe('expected against paid', () => {
  it('agrees where DfE has what the platform sent, and adds the service fee while its instalments last', () => {
    const ok = declaration({});
    const r = reckonStatement(july, { statements, declarations: [ok], contracts: [npqh], today });
    expect(r.cohort).toBe('2025a');
    expect(r.instalment).toBe(2);
    expect(r.serviceFeePence).toBe(1_200_000);
    expect(r.lines).toEqual([expect.objectContaining({ kind: 'output', expectedPence: 45_000, dfePence: 45_000, cause: null })]);
    expect(r.expectedPence).toBe(1_245_000);
    expect(r.dfePence).toBe(1_245_000);
    expect(r.differences).toEqual([]);
    expect(r.counts).toEqual({ started: { eligible: 1 } });
    // The third month: two instalments paid, no fee.
    expect(reckonStatement(august, { statements, declarations: [], contracts: [npqh], today }).serviceFeePence).toBe(0);
  });

  it('counts a cohort’s instalments from its own first statement: 2025b’s fee is not cut short by 2025a’s statements, which also say 2025 (the break-it review)', () => {
    const b = { ...npqh, cohort: '2025b' };
    const bNov = statement('b-nov', '2025-11-25', '2025-10-31');
    const bDec = statement('b-dec', '2025-12-24', '2025-11-30');
    const bJan = statement('b-jan', '2026-01-26', '2025-12-31');
    // 2025a's statements go on through the months 2025b's run (September to January here).
    const aMonths = ['2025-09', '2025-10', '2025-11', '2025-12', '2026-01'].map((m) => statement(`a-${m}`, `${m}-25`, `${m}-01`));
    const all = [...statements, ...aMonths, bNov, bDec, bJan];
    const ofB = [bNov, bDec, bJan].map((s) => declaration({ cohort: '2025b', schedule: 'npq-leadership-autumn', dfeStatementId: s.id }));
    const reckon = (s: Statement) => reckonStatement(s, { statements: all, declarations: [declaration({}), ...ofB], contracts: [npqh, b], today: '2026-02-01' });
    expect([bNov, bDec, bJan].map((s) => [reckon(s).cohort, reckon(s).instalment, reckon(s).serviceFeePence])).toEqual([
      ['2025b', 1, 1_200_000],
      ['2025b', 2, 1_200_000],
      ['2025b', 3, 0],
    ]);
  });

  it('lists each difference with its cause', () => {
    const elsewhere = declaration({ dfeStatementId: 'august' });
    const none = declaration({ dfeState: 'eligible', dfeStatementId: null });
    const voided = declaration({ dfeState: 'voided', dfeStatementId: null });
    const ineligible = declaration({ dfeState: 'ineligible', dfeStatementId: null });
    const notFunded = declaration({ dfeState: 'submitted', dfeStatementId: null });
    const waiting = declaration({ state: 'approved', dfeDeclarationId: null, dfeState: null, dfeStatementId: null, sentOn: null });
    const unpriced = declaration({ courseIdentifier: 'npq-senco' });
    const voidSent = declaration({ voidRequested: true });
    const voidedByUs = declaration({ voidRequested: true, dfeState: 'voided', dfeStatementId: null });
    const r = reckonStatement(july, { statements, declarations: [elsewhere, none, voided, ineligible, notFunded, waiting, unpriced, voidSent, voidedByUs], contracts: [npqh], today });
    const cause = (d: LedgerDeclaration) => r.lines.filter((l) => l.declaration.id === d.id).map((l) => [l.cause, l.expectedPence, l.dfePence, l.otherStatementId]);
    expect(cause(elsewhere)).toEqual([['elsewhere_at_dfe', 45_000, 0, 'august']]);
    expect(cause(none)).toEqual([['on_no_statement', 45_000, 0, null]]);
    expect(cause(voided)).toEqual([['voided_at_dfe', 45_000, 0, null]]);
    expect(cause(ineligible)).toEqual([['ineligible_at_dfe', 45_000, 0, null]]);
    expect(cause(notFunded)).toEqual([['not_funded_at_dfe', 45_000, 0, null]]);
    expect(cause(waiting)).toEqual([['waiting_to_be_sent', 45_000, 0, null]]);
    expect(cause(unpriced)).toEqual([['no_contract', null, null, null]]);
    expect(cause(voidSent)).toEqual([['void_on_its_way', 45_000, 45_000, null]]);
    // Voided before payment, as the admin asked: nothing on either side, but the line stays, saying so; not a difference.
    expect(cause(voidedByUs)).toEqual([[null, 0, 0, null]]);
    expect(r.lines.find((l) => l.declaration.id === voidedByUs.id)?.note).toBe('voided_before_payment');
    expect(r.differences).toHaveLength(8);
    // DfE's August statement has it, which the platform expected on July's.
    const aug = reckonStatement(august, { statements, declarations: [elsewhere], contracts: [npqh], today });
    expect(aug.lines.map((l) => [l.cause, l.expectedPence, l.dfePence, l.otherStatementId])).toEqual([['placed_here_by_dfe', 0, 45_000, 'july']]);
    // Counts are of what DfE put on the statement.
    expect(r.counts).toEqual({ started: { eligible: 2 } });
  });

  it('takes a clawback off the statement DfE claws it back on, and the paid statement keeps the payment', () => {
    const clawed = declaration({ dfeState: 'awaiting-clawback', dfeStatementId: 'june', dfeClawbackStatementId: 'july', voidRequested: true, sentOn: '2025-05-20' });
    const paid = reckonStatement(june, { statements, declarations: [clawed], contracts: [npqh], today });
    expect(paid.lines.map((l) => [l.kind, l.expectedPence, l.dfePence, l.cause, l.note, l.otherStatementId])).toEqual([['output', 45_000, 45_000, null, 'voided_after_payment', 'july']]);
    const next = reckonStatement(july, { statements, declarations: [clawed], contracts: [npqh], today });
    expect(next.lines.map((l) => [l.kind, l.expectedPence, l.dfePence, l.cause])).toEqual([['clawback', -45_000, -45_000, null]]);
    expect(next.counts).toEqual({ started: { 'awaiting-clawback': 1 } });
    // DfE claws back one the platform never voided.
    const theirs = reckonStatement(july, { statements, declarations: [{ ...clawed, voidRequested: false }], contracts: [npqh], today });
    expect(theirs.lines.find((l) => l.kind === 'clawback')).toMatchObject({ expectedPence: 0, dfePence: -45_000, cause: 'clawback_not_asked' });
  });

  it('says when a statement’s cohort has no contract, apart from the differences', () => {
    const r = reckonStatement(july, { statements, declarations: [declaration({})], contracts: [], today });
    expect(r.notes).toEqual(['No contract for cohort 2025a: its service fee and output payments cannot be reckoned; set a contract below if the provider holds one']);
    expect(r.differences).toHaveLength(1); // the declaration's own line (no contract prices it), not the note
    const s = statement('x', '2026-12-25', '2026-11-30', false, '2026');
    const empty = reckonStatement(s, { statements: [s], declarations: [], contracts: [], today });
    expect(empty.notes).toEqual(['No contract for DfE’s 2026 cohorts (2026a or 2026b): no service fee or output payment is reckoned on it; set a contract below if the provider holds one']);
    expect(empty.differences).toEqual([]);
  });
});

describe('the forecast', () => {
  it('prices the types still to come of places in training, by milestone month, or by cohort where none is published', () => {
    const forecast = forecastOutputPayments(
      [
        { cohort: '2025a', courseIdentifier: 'npq-headship', schedule: 'npq-leadership-spring', trainingStatus: 'active', made: ['started'] , fundable: true },
        { cohort: '2025a', courseIdentifier: 'npq-leading-teaching', schedule: 'npq-specialist-spring', trainingStatus: 'active', made: ['started', 'retained-1'] , fundable: true },
        { cohort: '2025a', courseIdentifier: 'npq-headship', schedule: 'npq-leadership-spring', trainingStatus: 'withdrawn', made: [] , fundable: true },
        { cohort: '2026b', courseIdentifier: 'npq-headship', schedule: 'npq-leadership-autumn', trainingStatus: 'active', made: ['started', 'retained-1', 'retained-2'] , fundable: true },
      ],
      [npqh, npqlt],
      '2025-06-15',
    );
    expect(forecast).toEqual([
      { milestoneMonth: '2025-12', missed: false, cohort: null, declarations: 1, pence: 45_000, withoutContract: 0 },
      { milestoneMonth: '2026-07', missed: false, cohort: null, declarations: 1, pence: 45_000, withoutContract: 0 },
      { milestoneMonth: '2026-08', missed: false, cohort: null, declarations: 1, pence: 20_000, withoutContract: 0 },
      { milestoneMonth: '2027-02', missed: false, cohort: null, declarations: 1, pence: 45_000, withoutContract: 0 },
      { milestoneMonth: null, missed: false, cohort: '2026b', declarations: 1, pence: 0, withoutContract: 1 },
    ]);
  });

  it('keeps milestones that passed unsent apart, as missed, never among those to come (today 2026-12-03, as in the demo)', () => {
    const places = [
      { cohort: '2025a', courseIdentifier: 'npq-headship', schedule: 'npq-leadership-spring', trainingStatus: 'active' as const, made: ['started' as const], fundable: true },
      { cohort: '2025a', courseIdentifier: 'npq-leading-teaching', schedule: 'npq-specialist-spring', trainingStatus: 'active' as const, made: ['started' as const, 'retained-1' as const], fundable: true },
    ];
    const groups = forecastOutputPayments(places, [npqh, npqlt], '2026-12-03');
    expect(groups.filter((g) => !g.missed).map((g) => g.milestoneMonth)).toEqual(['2027-02']);
    expect(groups.filter((g) => g.missed).map((g) => g.milestoneMonth)).toEqual(['2025-12', '2026-07', '2026-08']);
  });
});
