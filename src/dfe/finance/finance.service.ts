import { and, asc, desc, eq, isNull, like, sql } from 'drizzle-orm';
import { audit } from '../../audit/audit';
import { allQualificationNames } from '../../catalogue/catalogue.queries';
import type { Db } from '../../db/client';
import { declaredPlacesSubquery, placesAtDfe } from '../../enrolment/enrolment.queries';
import { cohorts as platformCohorts } from '../../enrolment/enrolment.schema';
import type { Actor } from '../../platform/auth/actor';
import { type Clock, ukDate } from '../../platform/clock';
import { ForbiddenError, NotFoundError, ValidationError } from '../../platform/errors';
import { scheduleAtDfe } from '../declarations/propose-declarations';
import { dfeContracts, dfeDeclarations, dfeStatements } from '../dfe.schema';
import { COHORTS, COURSE_GROUPS, type DeclarationType } from '../domain/dfe-reference-data';
import { financeAbilities } from '../domain/dfe.policy';
import { type CohortBasis, type Contract, type ForecastGroup, forecastOutputPayments, type LedgerDeclaration, parsePounds, reckonStatement, type Statement, type StatementReckoning } from '../domain/finance';

/*
 * The finance pages' use cases (issue 13 items 5 and 7): DfE's statements reckoned against what the
 * platform expects, the forecast of output payments to come, and the contracts they are priced by.
 * Each checks who asks first: the admin and finance read; only the admin sets a contract.
 */

type Deps = { db: Db; clock: Clock };

const mayRead = (actor: Actor) => {
  if (!financeAbilities(actor).read) throw new ForbiddenError();
};

/** The contracts the provider holds with DfE, by cohort then NPQ. ForbiddenError for anyone but the admin and finance. */
export async function listContracts(deps: { db: Db }, actor: Actor): Promise<Contract[]> {
  mayRead(actor);
  return loadContracts(deps.db);
}

const loadContracts = (db: Db): Promise<Contract[]> =>
  db
    .select({ cohort: dfeContracts.cohort, courseIdentifier: dfeContracts.courseIdentifier, perParticipantPence: dfeContracts.perParticipantPence, recruitmentTarget: dfeContracts.recruitmentTarget, outputPaymentPercent: dfeContracts.outputPaymentPercent, serviceFeePercent: dfeContracts.serviceFeePercent, serviceFeeInstalments: dfeContracts.serviceFeeInstalments })
    .from(dfeContracts)
    .orderBy(asc(dfeContracts.cohort), asc(dfeContracts.courseIdentifier));

/** The contracts form's fields as typed (strings), kept to show again on an error. */
export interface ContractInput {
  cohort: string;
  courseIdentifier: string;
  /** Pounds as typed: `£2,500`, `2500.00`. */
  perParticipant: string;
  recruitmentTarget: string;
  outputPaymentPercent: string;
  serviceFeePercent: string;
  serviceFeeInstalments: string;
}

/** The NPQs a contract can be for: DfE's course identifiers (docs/dfe-api.md §0). */
export const CONTRACT_COURSES = Object.keys(COURSE_GROUPS);

const whole = (typed: string, min: number, max: number): number | 'nan' | 'range' => {
  const t = typed.trim().replace(/,/g, '');
  if (!/^\d+$/.test(t)) return 'nan';
  const n = Number(t);
  return n < min || n > max ? 'range' : n;
};

/**
 * Sets the contract for a cohort and NPQ (issue 13 item 5; docs/dfe-api.md §2.7 "Money"), replacing any
 * there was: the price per participant (pounds to the penny, stored in pence), the recruitment target,
 * the output payment and service fee shares (whole per cent, 60 and 40 in DfE's templates, together at
 * most 100) and the service fee's instalments. ValidationError per field (`cohort`, `courseIdentifier`,
 * `perParticipant`, …); ForbiddenError for anyone but the admin (finance reads contracts, never sets
 * them). Audited (`dfe.contract_set`) with before and after. `cohorts` are the cohort identifiers the
 * platform knows (`2025a`).
 */
export async function saveContract(deps: Deps, actor: Actor, input: ContractInput, cohorts: readonly string[]): Promise<Contract> {
  if (!financeAbilities(actor).manageContracts) throw new ForbiddenError();
  const errors: Record<string, string> = {};
  if (!cohorts.includes(input.cohort)) errors.cohort = 'Select the cohort';
  if (!CONTRACT_COURSES.includes(input.courseIdentifier)) errors.courseIdentifier = 'Select the NPQ';
  const price = parsePounds(input.perParticipant);
  if (!input.perParticipant.trim()) errors.perParticipant = 'Enter the price per participant';
  else if (price === null) errors.perParticipant = 'Enter the price per participant in pounds and pence, like 2,500 or 2500.00';
  else if (price < 1 || price > 10_000_000) errors.perParticipant = 'The price per participant must be between £0.01 and £100,000';
  const numbers = {
    recruitmentTarget: ['the recruitment target', 1, 100_000],
    outputPaymentPercent: ['the output payment share', 0, 100],
    serviceFeePercent: ['the service fee share', 0, 100],
    serviceFeeInstalments: ['the number of service fee instalments', 1, 120],
  } as const;
  const read: Partial<Record<keyof typeof numbers, number>> = {};
  for (const [field, [label, min, max]] of Object.entries(numbers) as [keyof typeof numbers, (typeof numbers)[keyof typeof numbers]][]) {
    const typed = input[field];
    const n = whole(typed, min, max);
    if (!typed.trim()) errors[field] = `Enter ${label}`;
    else if (n === 'nan') errors[field] = `Enter ${label} as a whole number`;
    else if (n === 'range') errors[field] = `Enter ${label} from ${min} to ${max.toLocaleString('en-GB')}`;
    else read[field] = n;
  }
  if (read.outputPaymentPercent !== undefined && read.serviceFeePercent !== undefined && read.outputPaymentPercent + read.serviceFeePercent > 100) errors.serviceFeePercent = 'The output payment and service fee shares together must be 100% or less';
  if (Object.keys(errors).length) throw new ValidationError(errors);
  const after: Contract = { cohort: input.cohort, courseIdentifier: input.courseIdentifier, perParticipantPence: price!, recruitmentTarget: read.recruitmentTarget!, outputPaymentPercent: read.outputPaymentPercent!, serviceFeePercent: read.serviceFeePercent!, serviceFeeInstalments: read.serviceFeeInstalments! };
  await deps.db.transaction(async (tx) => {
    const [before] = await tx.select().from(dfeContracts).where(and(eq(dfeContracts.cohort, after.cohort), eq(dfeContracts.courseIdentifier, after.courseIdentifier)));
    const { cohort: _c, courseIdentifier: _n, ...terms } = after;
    await tx
      .insert(dfeContracts)
      .values({ ...after, updatedAt: deps.clock.now() })
      .onConflictDoUpdate({ target: [dfeContracts.cohort, dfeContracts.courseIdentifier], set: { ...terms, updatedAt: deps.clock.now() } });
    const { updatedAt: _u, ...was } = before ?? { updatedAt: null };
    await audit(tx, deps.clock, actor, { action: 'dfe.contract_set', entityType: 'dfe_contract', entityId: `${after.cohort}/${after.courseIdentifier}`, before: before ? was : null, after });
  });
  return after;
}

/** DfE's statements of one start-year cohort (`2026`), or all, by payment date. */
async function loadStatements(db: Db, cohort?: string): Promise<Statement[]> {
  const rows = await db
    .select()
    .from(dfeStatements)
    .where(cohort ? eq(dfeStatements.cohort, cohort) : undefined)
    .orderBy(asc(dfeStatements.paymentDate), asc(dfeStatements.dfeStatementId));
  return rows.map((s) => ({ id: s.dfeStatementId, cohort: s.cohort, month: s.month, year: s.year, cutOffDate: s.cutOffDate, paymentDate: s.paymentDate, paid: s.paid }));
}

/**
 * The platform's declarations of places in cohorts starting in `startYear` (or every one), with DfE's
 * side as last pulled, as the reckoning reads them: refused and dismissed ones are left out (the
 * platform expects nothing of them), and so are voided ones DfE holds nowhere.
 */
async function loadLedger(db: Db, startYear?: string): Promise<LedgerDeclaration[]> {
  const places = declaredPlacesSubquery(db);
  const rows = await db
    .select({ d: dfeDeclarations, fullName: places.fullName, courseIdentifier: places.courseIdentifier, cohort: places.cohort, schedule: places.schedule, decidedAt: places.decidedAt })
    .from(dfeDeclarations)
    .innerJoin(places, eq(places.enrolmentId, dfeDeclarations.applicationId))
    .where(and(startYear ? like(places.cohort, `${startYear}%`) : undefined, sql`${dfeDeclarations.state} in ('proposed', 'approved', 'sent')`))
    .orderBy(asc(dfeDeclarations.createdAt), asc(dfeDeclarations.id));
  return rows.map((r) => ({
    id: r.d.id,
    fullName: r.fullName,
    cohort: r.cohort,
    courseIdentifier: r.courseIdentifier,
    schedule: scheduleAtDfe({ schedule: r.schedule, courseIdentifier: r.courseIdentifier, cohort: r.cohort, decidedAt: r.decidedAt ? new Date(r.decidedAt) : null }),
    declarationType: r.d.declarationType as DeclarationType,
    state: r.d.state,
    dfeDeclarationId: r.d.dfeDeclarationId,
    dfeState: r.d.dfeState,
    dfeStatementId: r.d.dfeStatementId,
    dfeClawbackStatementId: r.d.dfeClawbackStatementId,
    voidRequested: r.d.voidRequestedAt !== null,
    // Sent within minutes of approval (the job after commit), so approval's day is the day DfE dates it by.
    sentOn: r.d.state === 'sent' ? ukDate(r.d.approvedAt ?? r.d.updatedAt) : null,
  }));
}

/** One statement in the list: when DfE pays it and what each side reckons. */
export interface StatementSummary {
  statement: Statement;
  cohort: string | null;
  /** How its cohort was told (domain/finance.ts tellStatementCohorts) and what it could be when not. */
  cohortBasis: CohortBasis;
  cohortCandidates: string[];
  declarations: number;
  expectedPence: number;
  dfePence: number;
  /** Lines that really differ; the statement's notes are apart. */
  differences: number;
  notes: string[];
}

/**
 * DfE's statements (issue 13 item 5), latest payment first, a page at a time (`page` from 1), of one
 * start-year cohort (`2026`) when given, up to each cohort's statement open now (its cut-off the first
 * on or after today) unless `future` asks for those after it too: each with the cohort it is for, how many declarations DfE has
 * on it, what the platform expects and what DfE's statement holds (pence), and how many lines differ.
 * With the start years there are statements for, for the filter. ForbiddenError for anyone but the
 * admin and finance.
 */
export async function listStatements(deps: Deps, actor: Actor, filter: { cohort?: string; future?: boolean }, page: number, perPage: number): Promise<{ rows: StatementSummary[]; total: number; cohorts: string[] }> {
  mayRead(actor);
  const cohorts = (await deps.db.selectDistinct({ cohort: dfeStatements.cohort }).from(dfeStatements).orderBy(desc(dfeStatements.cohort))).map((r) => r.cohort);
  const statements = await loadStatements(deps.db, filter.cohort);
  const today = ukDate(deps.clock.now());
  // DfE lists three years of statements ahead; unless asked, those after the one open now (per cohort) hold nothing yet but the fee.
  const openNow = new Map<string, string>();
  for (const s of statements) if (s.cutOffDate >= today && !openNow.has(s.cohort)) openNow.set(s.cohort, s.cutOffDate);
  const listed = filter.future ? statements : statements.filter((s) => s.cutOffDate <= (openNow.get(s.cohort) ?? s.cutOffDate));
  const shown = [...listed].reverse().slice((page - 1) * perPage, page * perPage);
  const contracts = await loadContracts(deps.db);
  const ledgers = new Map<string, LedgerDeclaration[]>();
  const rows: StatementSummary[] = [];
  for (const s of shown) {
    if (!ledgers.has(s.cohort)) ledgers.set(s.cohort, await loadLedger(deps.db, s.cohort));
    const r = reckonStatement(s, { statements: statements.filter((o) => o.cohort === s.cohort), declarations: ledgers.get(s.cohort)!, contracts, today });
    rows.push({ statement: s, cohort: r.cohort, cohortBasis: r.cohortBasis, cohortCandidates: r.cohortCandidates, declarations: Object.values(r.counts).reduce((n, byState) => n + Object.values(byState).reduce((m, k) => m + k, 0), 0), expectedPence: r.expectedPence, dfePence: r.dfePence, differences: r.differences.length, notes: r.notes });
  }
  return { rows, total: listed.length, cohorts };
}

/**
 * One of DfE's statements reckoned (issue 13 item 5; domain/finance.ts reckonStatement): its lines,
 * counts by type and DfE state, the service fee, the totals and each difference with its cause; with
 * DfE's other statements by id, to name the one a declaration is on instead. NotFoundError for a
 * statement not pulled; ForbiddenError for anyone but the admin and finance.
 */
export async function statementReckoning(deps: Deps, actor: Actor, id: string): Promise<StatementReckoning & { statements: Map<string, Statement> }> {
  mayRead(actor);
  const [row] = await deps.db.select({ cohort: dfeStatements.cohort }).from(dfeStatements).where(eq(dfeStatements.dfeStatementId, id));
  if (!row) throw new NotFoundError('statement');
  const statements = await loadStatements(deps.db, row.cohort);
  const statement = statements.find((s) => s.id === id)!;
  const r = reckonStatement(statement, { statements, declarations: await loadLedger(deps.db, row.cohort), contracts: await loadContracts(deps.db), today: ukDate(deps.clock.now()) });
  return { ...r, statements: new Map(statements.map((s) => [s.id, s])) };
}

/**
 * A forecast of output payments from declarations still to come (issue 13 item 5;
 * domain/finance.ts forecastOutputPayments): every place DfE holds, read a page at a time, with the
 * types DfE already has for it (sent and not voided), priced by the contracts, grouped by milestone
 * month or, where none is published, by cohort. ForbiddenError for anyone but the admin and finance.
 */
export async function forecast(deps: Deps, actor: Actor): Promise<ForecastGroup[]> {
  mayRead(actor);
  const made = new Map<string, DeclarationType[]>();
  const sent = await deps.db
    .select({ applicationId: dfeDeclarations.applicationId, type: dfeDeclarations.declarationType })
    .from(dfeDeclarations)
    .where(and(eq(dfeDeclarations.state, 'sent'), isNull(dfeDeclarations.voidedAt)));
  for (const s of sent) made.set(s.applicationId, [...(made.get(s.applicationId) ?? []), s.type as DeclarationType]);
  const places = [];
  for (let after: string | undefined; ; ) {
    const page = await placesAtDfe(deps.db, { after, limit: 1000 });
    places.push(...page.map((p) => ({ cohort: p.cohort, courseIdentifier: p.courseIdentifier, schedule: scheduleAtDfe(p), trainingStatus: p.trainingStatus, made: made.get(p.enrolmentId) ?? [], fundable: p.fundedPlace !== false && COHORTS.find((c) => c.identifier === p.cohort)?.funding !== 'zero' })));
    if (page.length < 1000) break;
    after = page.at(-1)!.enrolmentId;
  }
  return forecastOutputPayments(places, await loadContracts(deps.db), ukDate(deps.clock.now()));
}

/**
 * The NPQs' names by DfE's course identifier (`npq-leading-teaching` → its name in the catalogue), for
 * the finance pages, the contracts form and the exports: every NPQ a contract may be for, the
 * identifier itself where the catalogue has no such NPQ. ForbiddenError for anyone but the admin and finance.
 */
export async function npqNames(deps: { db: Db }, actor: Actor): Promise<Map<string, string>> {
  mayRead(actor);
  const names = new Map(CONTRACT_COURSES.map((c) => [c, c]));
  for (const q of await allQualificationNames(deps.db)) names.set(q.identifier, q.name);
  return names;
}

/**
 * The cohorts a contract may be for (DfE's identifiers, `2025a`): those the platform runs and DfE's
 * reference cohorts, in order. ForbiddenError for anyone but the admin and finance.
 */
export async function contractCohorts(deps: { db: Db }, actor: Actor): Promise<string[]> {
  mayRead(actor);
  const held = await deps.db.select({ identifier: platformCohorts.identifier }).from(platformCohorts);
  return [...new Set([...COHORTS.map((c) => c.identifier), ...held.map((c) => c.identifier)])].sort();
}
