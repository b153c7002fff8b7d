import { allowedTypes, milestoneOf } from './declarations';
import { COHORTS, type DeclarationType } from './dfe-reference-data';

/*
 * What DfE pays the provider, as the platform reckons it (issue 13 item 5). DfE's API gives no money
 * (docs/dfe-api.md §2.7 "Money"): the amounts come from the provider's contract per cohort and NPQ, and
 * DfE's side is the statement's declarations in the states DfE reports. Pure: every record is given.
 * All money is in pence, whole numbers.
 */

/** The provider's contract with DfE for one cohort (`2025a`) and NPQ, as dfe_contracts holds it. */
export interface Contract {
  cohort: string;
  courseIdentifier: string;
  perParticipantPence: number;
  recruitmentTarget: number;
  /** Whole per cent of the price paid as output payments (DfE's templates: 60). */
  outputPaymentPercent: number;
  /** Whole per cent of the price paid as the monthly service fee (DfE's templates: 40). */
  serviceFeePercent: number;
  serviceFeeInstalments: number;
}

/**
 * One output payment in pence (§2.7): `per_participant × output% / (100 × the number of declaration
 * types the schedule has)` — 4 on leadership schedules, 3 on specialist (allowedTypes) — rounded to the
 * nearest penny (DfE works in pounds to the penny; half a penny up).
 */
export function outputPaymentPence(contract: Pick<Contract, 'perParticipantPence' | 'outputPaymentPercent'>, typesInSchedule: number): number {
  if (typesInSchedule < 1) throw new RangeError('A schedule has at least one declaration type');
  return Math.round((contract.perParticipantPence * contract.outputPaymentPercent) / (100 * typesInSchedule));
}

/** The monthly service fee in pence (§2.7): `recruitment_target × per_participant × service% / (100 × instalments)`, to the nearest penny. */
export function monthlyServiceFeePence(contract: Pick<Contract, 'perParticipantPence' | 'recruitmentTarget' | 'serviceFeePercent' | 'serviceFeeInstalments'>): number {
  if (contract.serviceFeeInstalments < 1) throw new RangeError('A service fee is paid in at least one instalment');
  return Math.round((contract.recruitmentTarget * contract.perParticipantPence * contract.serviceFeePercent) / (100 * contract.serviceFeeInstalments));
}

/** The start year DfE's statements name a cohort by (§1.4: `2025` for 2025a and 2025b). */
export const startYearOf = (cohort: string): string => cohort.slice(0, 4);

/** One of DfE's output-fee statements as pulled (§1.4): `cohort` the start year only; dates UK `YYYY-MM-DD`. */
export interface Statement {
  id: string;
  cohort: string;
  month: string;
  year: string;
  cutOffDate: string;
  paymentDate: string;
  paid: boolean;
}

/** DfE's states in which a declaration is on a statement to be paid (§2.5: billable). */
const BILLABLE = ['eligible', 'payable', 'paid'];
/** DfE's states after a paid declaration was voided: still paid on its statement, taken back on the clawback statement (§2.7). */
const CLAWED = ['awaiting-clawback', 'clawed-back'];

/** A platform declaration as the reckoning reads it, with DfE's side as last pulled. */
export interface LedgerDeclaration {
  id: string;
  fullName: string;
  /** The place's DfE cohort identifier (`2026b`), NPQ and schedule. */
  cohort: string;
  courseIdentifier: string;
  schedule: string | null;
  declarationType: DeclarationType;
  /** The platform's state (proposed, approved, sent, refused, dismissed). */
  state: string;
  dfeDeclarationId: string | null;
  dfeState: string | null;
  dfeStatementId: string | null;
  dfeClawbackStatementId: string | null;
  /** Whether the admin asked DfE to void it. */
  voidRequested: boolean;
  /** UK date it went to DfE (approval: the sender sends within minutes), or null while not approved. */
  sentOn: string | null;
}

/**
 * Why what the platform expects on a statement and what DfE shows differ, one per line:
 * the declaration is on another of DfE's statements, or none; DfE voided it, or holds it ineligible (a
 * duplicate) or submitted (not funded: §2.6); it still waits to be sent (due or being sent); no contract
 * prices it; DfE put it here when the platform expected it elsewhere; a void is on its way; DfE claws
 * back one the platform never voided.
 */
export const DIFFERENCE_CAUSES = {
  elsewhere_at_dfe: 'DfE has it on another statement',
  on_no_statement: 'DfE has it on no statement',
  voided_at_dfe: 'DfE shows it voided; the platform did not void it',
  ineligible_at_dfe: 'DfE shows it ineligible: a duplicate of another declaration for this person',
  not_funded_at_dfe: 'DfE shows it submitted: DfE does not fund the place',
  waiting_to_be_sent: 'Still waiting to be sent to DfE',
  no_contract: 'No contract for its cohort and NPQ: set one to price it',
  placed_here_by_dfe: 'DfE put it on this statement; the platform expected it on another',
  void_on_its_way: 'A void is on its way to DfE',
  clawback_not_asked: 'DfE claws it back; the platform did not void it',
} as const;
export type DifferenceCause = keyof typeof DIFFERENCE_CAUSES;

/**
 * What became of a line that is not a difference but would otherwise leave the statement unexplained:
 * a declaration the provider voided (§2.7) — before payment DfE pays nothing for it; after payment it
 * stays paid here and DfE claws it back on a later statement.
 */
export const LINE_NOTES = {
  voided_before_payment: 'Voided before payment: no payment',
  voided_after_payment: 'Voided after payment: clawed back on a later statement',
} as const;
export type LineNote = keyof typeof LINE_NOTES;

/** One line of a statement: a declaration's output payment (or its clawback, negative) as each side has it. */
export interface StatementLine {
  declaration: LedgerDeclaration;
  kind: 'output' | 'clawback';
  /** What the platform expects on this statement, pence; null when no contract prices it. */
  expectedPence: number | null;
  /** What DfE's statement holds for it, pence (the output payment at DfE's state); null when no contract prices it. */
  dfePence: number | null;
  cause: DifferenceCause | null;
  /** What became of it when that is not a difference (a void), or null. */
  note: LineNote | null;
  /** The other statement, for `elsewhere_at_dfe` and `placed_here_by_dfe`, and the clawback statement for `voided_after_payment`. */
  otherStatementId: string | null;
}

/** A statement reckoned: its lines, counts of DfE's states by type, the service fee, and the two totals. */
export interface StatementReckoning {
  statement: Statement;
  /** The cohort identifier it is for (`2026b`), as tellStatementCohorts tells it; null when that cannot be told. */
  cohort: string | null;
  /** How the cohort was told, and the cohorts it could be when not. */
  cohortBasis: CohortBasis;
  cohortCandidates: string[];
  lines: StatementLine[];
  /** Declarations DfE has on it (or claws back on it), by type and DfE's state. */
  counts: Partial<Record<DeclarationType, Record<string, number>>>;
  /** The monthly service fee in pence (the same on both sides: DfE pays it regardless of declarations). */
  serviceFeePence: number;
  /** Which instalment of the service fee this statement is (1 = the cohort's first statement's month). */
  instalment: number;
  expectedPence: number;
  dfePence: number;
  /** Lines with a cause or amounts that differ: only real differences. */
  differences: StatementLine[];
  /** Whole-statement notes (no contract for the cohort, how its cohort was told), apart from the differences. */
  notes: string[];
}

/** The contracts by `cohort|course`. */
const keyOf = (cohort: string, course: string) => `${cohort}|${course}`;

/**
 * How the platform tells a statement's cohort (DfE's record names the start year only, §1.4):
 * `declarations` — the platform's declarations DfE put on it (or claws back on it) are of that cohort;
 * `elimination` — the other statements of its start year paid that month are told, and one cohort is left;
 * `contract` — the only one of the year's cohorts the provider has a contract for, with no other statement of the year that month to share it;
 * `assumed` — the only one of the year's cohorts with a contract, but DfE lists several of the year's statements that month and nothing yet tells which is which: the first by DfE's id takes it (its fee is the month's either way), the others the year's other cohorts;
 * `no_contract` — not told, and no cohort left of its year has a contract (nothing to price either way);
 * `ambiguous` — not told, and more than one cohort left of its year has a contract.
 */
export type CohortBasis = 'declarations' | 'elimination' | 'contract' | 'assumed' | 'no_contract' | 'ambiguous';

/** A statement's cohort as told (null when it cannot be), how, and the cohorts it could be when not told. */
export interface StatementCohort {
  cohort: string | null;
  basis: CohortBasis;
  candidates: string[];
}

/**
 * Which cohort identifier each statement is for, and how that is told (CohortBasis). DfE's statement
 * record carries only the start year (§1.4: `cohort`, month, year, cut-off and payment dates, paid), and
 * 2025a and 2025b each have a statement a month, alike but for DfE's id: the declarations DfE put on a
 * statement tell it; else, among the statements of its start year paid in the same month, by elimination;
 * else by the provider's contracts (DfE issues a cohort's statements to the providers it contracts with):
 * the only contracted cohort of the year left, on the only untold statement that month, or — where DfE
 * lists more than one — on the first by DfE's id, the assumption said as such (`assumed`).
 */
export function tellStatementCohorts(statements: readonly Statement[], declarations: readonly LedgerDeclaration[], contracts: readonly Contract[]): Map<string, StatementCohort> {
  const onIt = new Map<string, Set<string>>();
  for (const d of declarations) {
    for (const id of [d.dfeStatementId, d.dfeClawbackStatementId]) if (id) onIt.set(id, (onIt.get(id) ?? new Set()).add(d.cohort));
  }
  const out = new Map<string, StatementCohort>();
  const months = new Map<string, Statement[]>();
  for (const s of statements) {
    const held = [...(onIt.get(s.id) ?? [])].sort();
    out.set(s.id, held.length === 1 ? { cohort: held[0]!, basis: 'declarations', candidates: held } : { cohort: null, basis: 'ambiguous', candidates: held });
    const key = `${s.cohort}|${s.paymentDate.slice(0, 7)}`;
    months.set(key, [...(months.get(key) ?? []), s]);
  }
  const sorted = (xs: Iterable<string>) => [...new Set(xs)].sort();
  for (const group of months.values()) {
    const startYear = group[0]!.cohort;
    const ofYear = (c: string) => startYearOf(c) === startYear;
    const taken = new Set(group.map((s) => out.get(s.id)!.cohort).filter((c): c is string => Boolean(c)));
    // Statements with declarations of two cohorts on them stay ambiguous: DfE would not mix them.
    const untold = group.filter((s) => !out.get(s.id)!.cohort && !(onIt.get(s.id)?.size ?? 0)).sort((a, b) => a.id.localeCompare(b.id));
    if (!untold.length) continue;
    const left = sorted([...COHORTS.map((c) => c.identifier), ...contracts.map((c) => c.cohort), ...declarations.map((d) => d.cohort)].filter((c) => ofYear(c) && !taken.has(c)));
    const contracted = sorted(contracts.map((c) => c.cohort).filter((c) => ofYear(c) && !taken.has(c)));
    if (untold.length === 1 && left.length === 1) out.set(untold[0]!.id, { cohort: left[0]!, basis: 'elimination', candidates: left });
    else if (untold.length === 1 && contracted.length === 1) out.set(untold[0]!.id, { cohort: contracted[0]!, basis: 'contract', candidates: left });
    else if (contracted.length === 1) {
      const others = left.filter((c) => c !== contracted[0]);
      untold.forEach((s, i) => {
        const cohort = i === 0 ? contracted[0]! : untold.length - 1 === others.length ? others[i - 1]! : null;
        out.set(s.id, cohort ? { cohort, basis: 'assumed', candidates: left } : { cohort: null, basis: 'no_contract', candidates: others });
      });
    } else for (const s of untold) out.set(s.id, { cohort: null, basis: contracted.length ? 'ambiguous' : 'no_contract', candidates: contracted.length ? contracted : left });
  }
  return out;
}

/**
 * The cohort each statement is for where it is known, not assumed (tellStatementCohorts): null where it
 * is assumed or cannot be told.
 */
export function statementCohorts(statements: readonly Statement[], declarations: readonly LedgerDeclaration[], contracts: readonly Contract[]): Map<string, string | null> {
  return new Map([...tellStatementCohorts(statements, declarations, contracts)].map(([id, t]) => [id, t.basis === 'assumed' ? null : t.cohort]));
}

/** DfE's statement id in short, to tell apart statements alike in all else (the first 8 characters). */
export const shortId = (id: string): string => id.slice(0, 8);

/**
 * The statement the platform expects a declaration on (§2.7: the earliest open output-fee statement of
 * its cohort whose cut-off is on or after the day it was submitted — for one not yet sent, `today`, and
 * only statements not paid), or null when there is none. Where two statements of the start year share
 * that cut-off (2026a's and 2026b's), the one DfE put it on, else one for its cohort.
 */
export function expectedStatementOf(d: LedgerDeclaration, statements: readonly Statement[], cohorts: ReadonlyMap<string, string | null>, today: string): string | null {
  const waiting = d.state === 'proposed' || d.state === 'approved';
  const from = waiting ? today : d.sentOn;
  if (!from) return null;
  const candidates = statements
    .filter((s) => s.cohort === startYearOf(d.cohort) && (cohorts.get(s.id) ?? d.cohort) === d.cohort && s.cutOffDate >= from && !(waiting && s.paid))
    .sort((a, b) => a.cutOffDate.localeCompare(b.cutOffDate) || a.id.localeCompare(b.id));
  const first = candidates[0];
  if (!first) return null;
  const same = candidates.filter((s) => s.cutOffDate === first.cutOffDate);
  return (same.find((s) => s.id === d.dfeStatementId) ?? same.find((s) => cohorts.get(s.id) === d.cohort) ?? first).id;
}

/** The output payment of a declaration under its contract, pence, or null with no contract. */
function priceOf(d: LedgerDeclaration, contracts: ReadonlyMap<string, Contract>): number | null {
  const contract = contracts.get(keyOf(d.cohort, d.courseIdentifier));
  return contract ? outputPaymentPence(contract, allowedTypes(d.courseIdentifier, d.cohort, d.schedule).length) : null;
}

/** Why a declaration's output line on a statement differs, or null when both sides agree. */
function outputCause(d: LedgerDeclaration, here: boolean, expectedHere: boolean, price: number | null): DifferenceCause | null {
  if (price === null) return 'no_contract';
  if (d.state === 'proposed' || d.state === 'approved') return 'waiting_to_be_sent';
  if (d.voidRequested && BILLABLE.includes(d.dfeState ?? '') && here) return 'void_on_its_way';
  if (!expectedHere) return 'placed_here_by_dfe';
  if (d.dfeState === 'voided' && !d.voidRequested) return 'voided_at_dfe';
  if (d.dfeState === 'ineligible') return 'ineligible_at_dfe';
  if (d.dfeState === 'submitted') return 'not_funded_at_dfe';
  if (!here) return d.dfeStatementId ? 'elsewhere_at_dfe' : 'on_no_statement';
  return null;
}

/**
 * Reckons one of DfE's statements (issue 13 item 5): for each declaration DfE put on it, or the
 * platform expects on it (expectedStatementOf), the output payment each side has — the platform's for
 * every declaration it sent and did not void before payment, and for those still to be sent; DfE's for
 * those it holds eligible, payable or paid on it (§2.5) — and each clawback on it (negative: DfE's when
 * it shows awaiting-clawback or clawed-back there, the platform's when it asked the void). Adds the
 * monthly service fee (monthlyServiceFeePence) of each contract of the statement's cohort while its
 * instalments last, counted by payment month from the cohort's first statement: DfE pays it regardless
 * of declarations, so it is the same on both sides. Each line that differs carries its cause
 * (DIFFERENCE_CAUSES). `today` is a UK date. Amounts in pence.
 */
export function reckonStatement(statement: Statement, all: { statements: readonly Statement[]; declarations: readonly LedgerDeclaration[]; contracts: readonly Contract[]; today: string }): StatementReckoning {
  const contracts = new Map(all.contracts.map((c) => [keyOf(c.cohort, c.courseIdentifier), c]));
  const told = tellStatementCohorts(all.statements, all.declarations, all.contracts);
  const cohorts = new Map([...told].map(([id, t]) => [id, t.basis === 'assumed' ? null : t.cohort]));
  const { cohort, basis: cohortBasis, candidates: cohortCandidates } = told.get(statement.id) ?? { cohort: null, basis: 'ambiguous' as const, candidates: [] };
  const lines: StatementLine[] = [];
  const counts: StatementReckoning['counts'] = {};
  const count = (d: LedgerDeclaration) => {
    const byState = counts[d.declarationType] ?? {};
    counts[d.declarationType] = byState;
    const state = d.dfeState ?? 'unknown';
    byState[state] = (byState[state] ?? 0) + 1;
  };
  for (const d of all.declarations) {
    if (d.state === 'refused' || d.state === 'dismissed') continue;
    const price = priceOf(d, contracts);
    const here = d.dfeStatementId === statement.id;
    const expectedId = expectedStatementOf(d, all.statements, cohorts, all.today);
    const expectedHere = expectedId === statement.id;
    // DfE's count is of what DfE put on it: its declarations and the clawbacks on it.
    if (here || d.dfeClawbackStatementId === statement.id) count(d);
    if (here || expectedHere) {
      // Voided before payment at the platform's asking: nothing expected, nothing owed.
      const voidedBeforePayment = d.voidRequested && d.dfeState === 'voided';
      const platformExpects = expectedHere && !voidedBeforePayment;
      const dfeHolds = here && [...BILLABLE, ...CLAWED].includes(d.dfeState ?? '');
      if (platformExpects || dfeHolds) {
        const cause = outputCause(d, here, expectedHere, price);
        const clawedLater = here && CLAWED.includes(d.dfeState ?? '');
        const other = cause === 'elsewhere_at_dfe' ? d.dfeStatementId : cause === 'placed_here_by_dfe' ? expectedId : clawedLater ? d.dfeClawbackStatementId : null;
        lines.push({ declaration: d, kind: 'output', expectedPence: price === null ? null : platformExpects ? price : 0, dfePence: price === null ? null : dfeHolds ? price : 0, cause, note: clawedLater ? 'voided_after_payment' : null, otherStatementId: other });
      } else if (voidedBeforePayment && expectedHere) {
        // It was (or would have been) on this statement until the provider voided it: shown, with nothing owed.
        lines.push({ declaration: d, kind: 'output', expectedPence: price === null ? null : 0, dfePence: price === null ? null : 0, cause: price === null ? 'no_contract' : null, note: 'voided_before_payment', otherStatementId: null });
      }
    }
    if (d.dfeClawbackStatementId === statement.id) {
      const cause: DifferenceCause | null = price === null ? 'no_contract' : !d.voidRequested ? 'clawback_not_asked' : null;
      lines.push({ declaration: d, kind: 'clawback', expectedPence: price === null ? null : d.voidRequested ? -price : 0, dfePence: price === null ? null : CLAWED.includes(d.dfeState ?? '') ? -price : 0, cause, note: null, otherStatementId: null });
    }
  }
  lines.sort((a, b) => a.declaration.fullName.localeCompare(b.declaration.fullName) || a.declaration.declarationType.localeCompare(b.declaration.declarationType) || a.kind.localeCompare(b.kind));
  const instalment = instalmentOf(statement, all.statements, cohort);
  const notes: string[] = [];
  let serviceFeePence = 0;
  const either = cohortCandidates.join(' or ');
  if (cohortBasis === 'no_contract') {
    notes.push(`No contract for ${cohortCandidates.length > 1 ? `DfE’s ${statement.cohort} cohorts (${either})` : `cohort ${either || statement.cohort}`}: no service fee or output payment is reckoned on it; set a contract below if the provider holds one`);
  } else if (!cohort) {
    notes.push(`DfE names this statement’s cohort by its start year only, and the provider has contracts for ${either || `more than one of DfE’s ${statement.cohort} cohorts`}: which one’s service fee it pays is not known until one of the platform’s declarations is on it. Find statement ${shortId(statement.id)} in DfE’s portal to see its cohort`);
  } else {
    if (cohortBasis === 'assumed') notes.push(`Taken to be ${cohort}’s: DfE lists more than one ${statement.cohort} statement paid this month, alike but for their ids, and none of the platform’s declarations is on them yet; ${cohort} is the only ${statement.cohort} cohort with a contract, so its service fee is reckoned on the first by DfE’s id (the month’s total is the same either way)`);
    const ofCohort = all.contracts.filter((c) => c.cohort === cohort);
    if (!ofCohort.length) notes.push(`No contract for cohort ${cohort}: its service fee and output payments cannot be reckoned; set a contract below if the provider holds one`);
    for (const c of ofCohort) if (instalment <= c.serviceFeeInstalments) serviceFeePence += monthlyServiceFeePence(c);
  }
  const sum = (side: 'expectedPence' | 'dfePence') => lines.reduce((n, l) => n + (l[side] ?? 0), 0) + serviceFeePence;
  const differences = lines.filter((l) => l.cause !== null || l.expectedPence !== l.dfePence);
  return { statement, cohort, cohortBasis, cohortCandidates, lines, counts, serviceFeePence, instalment, expectedPence: sum('expectedPence'), dfePence: sum('dfePence'), differences, notes };
}

/**
 * Which instalment of its cohort's service fee a statement pays (1 = the cohort's first month). DfE
 * names a statement's cohort by its start year only (§1.4), and 2025a's and 2025b's both say 2025: the
 * months the year's statements run in are counted from the month the statement's own cohort begins,
 * which for a later cohort of the year (suffix b) is the first month in which the year has a statement
 * for each of its cohorts (2025a's run from March, 2025b's join them from October). `cohort` is the
 * statement's, when known.
 */
function instalmentOf(statement: Statement, statements: readonly Statement[], cohort: string | null): number {
  const perMonth = new Map<string, number>();
  for (const s of statements) if (s.cohort === statement.cohort) perMonth.set(s.paymentDate.slice(0, 7), (perMonth.get(s.paymentDate.slice(0, 7)) ?? 0) + 1);
  const months = [...perMonth.keys()].sort();
  const most = Math.max(1, ...perMonth.values());
  // The cohort's place among the year's (a first, then b), no more than the year's statements a month show.
  const rank = Math.min(cohort ? Math.max(0, cohort.charCodeAt(4) - 'a'.charCodeAt(0)) : 0, most - 1);
  const first = months.find((m) => perMonth.get(m)! > rank) ?? months[0];
  const month = statement.paymentDate.slice(0, 7);
  return first === undefined || month < first ? 0 : months.filter((m) => m >= first && m <= month).length;
}

/** A place in training as the forecast reads it: its NPQ, cohort, schedule and the types DfE already has (sent, not voided). */
export interface ForecastPlace {
  cohort: string;
  courseIdentifier: string;
  schedule: string | null;
  trainingStatus: 'active' | 'deferred' | 'withdrawn';
  made: readonly DeclarationType[];
  /** Whether DfE pays for the place (§2.6): not where the place is unfunded or the cohort is. */
  fundable: boolean;
}

/** One month's (or, where DfE published no milestones, one cohort's) output payments still to come. */
export interface ForecastGroup {
  /** `YYYY-MM` of the milestone, or null for a cohort without published milestones. */
  milestoneMonth: string | null;
  /** Whether the milestone has passed (its date before today) with these declarations unsent: DfE pays them only if it agrees. */
  missed: boolean;
  /** The cohort, when grouped by it. */
  cohort: string | null;
  declarations: number;
  /** Output payments of those priced by a contract, pence. */
  pence: number;
  /** Declarations no contract prices (not in `pence`). */
  withoutContract: number;
}

/**
 * A forecast of output payments from declarations still to come (issue 13 item 5): for each place in
 * training (active; deferred and withdrawn places make none) that DfE funds (§2.6: not an unfunded place, nor one of an unfunded cohort) each type of its schedule (allowedTypes)
 * not yet made, priced at its contract's output payment, grouped by the month of its milestone
 * (milestoneOf, docs/dfe-api.md §2.3) or, for cohorts with none published, by cohort. Months first, in
 * order, then cohorts. A milestone whose date is before `today` (a UK date) has passed with the
 * declaration unsent: such declarations are grouped apart, by month, `missed` (DfE's API checks no
 * milestone, §2.4, so one sent late goes on the next open statement; whether it is paid is DfE's to
 * agree), never among those to come. Pence.
 */
export function forecastOutputPayments(places: readonly ForecastPlace[], contracts: readonly Contract[], today: string): ForecastGroup[] {
  const priced = new Map(contracts.map((c) => [keyOf(c.cohort, c.courseIdentifier), c]));
  const groups = new Map<string, ForecastGroup>();
  for (const p of places) {
    // DfE keeps an unfunded place's declarations `submitted` and pays nothing for them (§2.6).
    if (p.trainingStatus !== 'active' || !p.fundable) continue;
    const types = allowedTypes(p.courseIdentifier, p.cohort, p.schedule);
    const contract = priced.get(keyOf(p.cohort, p.courseIdentifier));
    for (const type of types) {
      if (p.made.includes(type)) continue;
      const milestone = milestoneOf(p.courseIdentifier, p.cohort, p.schedule, type);
      const month = milestone ? milestone.milestoneDate.slice(0, 7) : null;
      const missed = milestone ? milestone.milestoneDate < today : false;
      const key = month ? `${missed ? 'missed' : 'to-come'}|${month}` : `~${p.cohort}`;
      const g = groups.get(key) ?? { milestoneMonth: month, missed, cohort: month ? null : p.cohort, declarations: 0, pence: 0, withoutContract: 0 };
      g.declarations++;
      if (contract) g.pence += outputPaymentPence(contract, types.length);
      else g.withoutContract++;
      groups.set(key, g);
    }
  }
  return [...groups.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, g]) => g);
}

/** Pence as pounds for people, `£1,234.50`; negative `−£12.00`. */
export function formatPounds(pence: number): string {
  const pounds = (Math.abs(pence) / 100).toLocaleString('en-GB', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  return `${pence < 0 ? '−' : ''}£${pounds}`;
}

/**
 * Pounds as typed on the contracts form (`£1,234.50`, `1234.5`, `1234`) to pence, or null when it is not
 * an amount of money to the penny. No floating point: "0.29" is 29 pence, not 28.999….
 */
export function parsePounds(input: string): number | null {
  const m = /^£?\s*(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d{1,2}))?$/.exec(input.trim());
  if (!m) return null;
  const pence = Number(m[1]!.replace(/,/g, '')) * 100 + Number((m[2] ?? '0').padEnd(2, '0'));
  return Number.isSafeInteger(pence) ? pence : null;
}
