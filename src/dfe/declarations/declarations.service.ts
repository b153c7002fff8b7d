import { and, asc, count, desc, eq, gt, ilike, inArray, isNotNull, isNull, or, type SQL, sql } from 'drizzle-orm';
import { z } from 'zod';
import { audit } from '../../audit/audit';
import type { Db } from '../../db/client';
import { allQualificationNames } from '../../catalogue/catalogue.queries';
import { declaredPlacesSubquery } from '../../enrolment/enrolment.queries';
import type { Actor } from '../../platform/auth/actor';
import { type Clock, ukDate } from '../../platform/clock';
import { ForbiddenError, NotFoundError, ValidationError } from '../../platform/errors';
import { recordEvent } from '../../platform/events';
import { dfeDeclarationSettings, dfeDeclarations, dfeStatements } from '../dfe.schema';
import { atRisk, canVoid, DECLARATION_ACTIONS, type DeclarationState, type Milestone, milestoneOf, milestoneStanding } from '../domain/declarations';
import type { DeclarationType } from '../domain/dfe-reference-data';
import { declarationScope, managesDeclarations } from '../domain/dfe.policy';
import { declarationSettings, type ProposalRun, proposeDeclarations, scheduleAtDfe } from './propose-declarations';

declare module '../../platform/events' {
  interface DomainEvents {
    /** The admin approved declarations (or tried refused ones again): each is sent to DfE after commit. */
    'dfe.declarations_approved': { ids: string[] };
    /** The admin asked DfE to void a declaration it holds: sent after commit. */
    'dfe.declaration_void_requested': { id: string };
    /** The admin asked for DfE's declarations and statements to be read now, not at the next pull. */
    'dfe.read_back_asked': { by: string };
  }
}

/** The lists of the declarations page (issue 13 item 3), in the order the admin works through them. */
export const DECLARATION_TABS = {
  due: 'Due for approval',
  'at-risk': 'Milestone near or missed',
  sending: 'Being sent',
  refused: 'Refused by DfE',
  sent: 'Sent',
  voided: 'Voided',
  dismissed: 'Dismissed',
} as const;
export type DeclarationTab = keyof typeof DECLARATION_TABS;

const UNSENT: DeclarationState[] = ['proposed', 'approved', 'refused'];
const TAB_WHERE: Record<Exclude<DeclarationTab, 'at-risk'>, SQL | undefined> = {
  due: eq(dfeDeclarations.state, 'proposed'),
  sending: or(eq(dfeDeclarations.state, 'approved'), and(isNotNull(dfeDeclarations.voidRequestedAt), isNull(dfeDeclarations.voidedAt))),
  refused: eq(dfeDeclarations.state, 'refused'),
  // A void on its way is Being sent only: one tab each.
  sent: and(eq(dfeDeclarations.state, 'sent'), isNull(dfeDeclarations.voidedAt), isNull(dfeDeclarations.voidRequestedAt)),
  voided: isNotNull(dfeDeclarations.voidedAt),
  dismissed: eq(dfeDeclarations.state, 'dismissed'),
};

/** One declaration as the page lists it. */
export interface DeclarationRow {
  id: string;
  applicationId: string;
  fullName: string;
  courseIdentifier: string;
  /** The NPQ's name from the catalogue; the identifier where the catalogue has none. */
  courseName: string;
  cohort: string;
  declarationType: DeclarationType;
  declarationDate: Date;
  evidence: string;
  hasPassed: boolean | null;
  state: DeclarationState;
  dfeDeclarationId: string | null;
  dfeState: string | null;
  /** DfE's statement it is on, when pulled: month, year and payment date. */
  statement: { month: string; year: string; paymentDate: string; paid: boolean } | null;
  clawbackStatement: { month: string; year: string; paymentDate: string } | null;
  voidRequestedAt: Date | null;
  voidedAt: Date | null;
  milestone: Milestone | null;
  /** Against the milestone, for a declaration not yet sent (`none` once sent: DfE's state and statement say instead). */
  milestoneStanding: 'none' | 'ahead' | 'near' | 'missed';
  atRisk: boolean;
  /** DfE's words or the platform's note on why it waits or was refused. */
  answer: unknown;
  actions: readonly ('approve' | 'dismiss' | 'restore' | 'void')[];
}

export interface DeclarationFilter {
  tab: DeclarationTab;
  search?: string;
  type?: DeclarationType;
  /** Just this declaration, whichever tab it is in. */
  id?: string;
  /** Walks the tab by id, after this one (an export reading every page while the list changes: ADR 0044); ordered by id. */
  afterId?: string;
}

/**
 * The declarations `actor` may read (issue 13 items 3 and 7): a tab's, a page at a time (`page` from 1),
 * the participant's name containing `search`, of one type; with how many each tab holds. A delivery
 * partner's lead sees only their own partners' places. ForbiddenError for anyone else. The admin's
 * actions on each row come with it (none for a lead).
 */
export async function listDeclarations(deps: { db: Db; clock: Clock }, actor: Actor, filter: DeclarationFilter, page: number, perPage: number): Promise<{ rows: DeclarationRow[]; total: number; counts: Record<DeclarationTab, number> }> {
  const scope = declarationScope(actor);
  if (!scope) throw new ForbiddenError();
  const { db, clock } = deps;
  const places = declaredPlacesSubquery(db);
  const statement = sql`(select json_build_object('month', s.month, 'year', s.year, 'paymentDate', s.payment_date, 'paid', s.paid) from ${dfeStatements} s where s.dfe_statement_id = ${dfeDeclarations.dfeStatementId})`;
  const clawback = sql`(select json_build_object('month', s.month, 'year', s.year, 'paymentDate', s.payment_date) from ${dfeStatements} s where s.dfe_statement_id = ${dfeDeclarations.dfeClawbackStatementId})`;
  const search = filter.search?.trim();
  const base = and(
    'partners' in scope ? (scope.partners.length ? inArray(places.deliveryPartnerId, scope.partners) : sql`false`) : undefined,
    search ? ilike(places.fullName, `%${search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`) : undefined,
    filter.type ? eq(dfeDeclarations.declarationType, filter.type) : undefined,
  );
  const select = () =>
    db
      .select({ d: dfeDeclarations, fullName: places.fullName, courseIdentifier: places.courseIdentifier, cohort: places.cohort, schedule: places.schedule, decidedAt: places.decidedAt, statement: sql<DeclarationRow['statement']>`${statement}`, clawbackStatement: sql<DeclarationRow['clawbackStatement']>`${clawback}` })
      .from(dfeDeclarations)
      .innerJoin(places, eq(places.enrolmentId, dfeDeclarations.applicationId));
  const today = ukDate(clock.now());
  const manage = managesDeclarations(actor);
  const names = new Map((await allQualificationNames(db)).map((q) => [q.identifier, q.name]));
  const toRow = (r: Awaited<ReturnType<ReturnType<typeof select>['where']>>[number]): DeclarationRow => {
    const schedule = scheduleAtDfe({ schedule: r.schedule, courseIdentifier: r.courseIdentifier, cohort: r.cohort, decidedAt: r.decidedAt ? new Date(r.decidedAt) : null });
    const milestone = milestoneOf(r.courseIdentifier, r.cohort, schedule, r.d.declarationType as DeclarationType);
    const state = r.d.state as DeclarationState;
    const actions = manage ? DECLARATION_ACTIONS[state].filter((a) => (a === 'void' ? canVoid({ state, dfeState: r.d.dfeState, voidRequestedAt: r.d.voidRequestedAt }) : true)) : [];
    return {
      id: r.d.id,
      applicationId: r.d.applicationId,
      fullName: r.fullName,
      courseIdentifier: r.courseIdentifier,
      courseName: names.get(r.courseIdentifier) ?? r.courseIdentifier,
      cohort: r.cohort,
      declarationType: r.d.declarationType as DeclarationType,
      declarationDate: r.d.declarationDate,
      evidence: (r.d.evidence as { summary?: string }).summary ?? '',
      hasPassed: r.d.hasPassed,
      state,
      dfeDeclarationId: r.d.dfeDeclarationId,
      dfeState: r.d.dfeState,
      statement: r.statement,
      clawbackStatement: r.clawbackStatement,
      voidRequestedAt: r.d.voidRequestedAt,
      voidedAt: r.d.voidedAt,
      milestone,
      milestoneStanding: UNSENT.includes(state) && !r.d.voidedAt ? milestoneStanding(milestone, today) : 'none',
      atRisk: UNSENT.includes(state) && atRisk(milestone, today),
      answer: r.d.answer,
      actions,
    };
  };
  if (filter.id) {
    const one = (await select().where(and(base, eq(dfeDeclarations.id, filter.id)))).map(toRow);
    return { rows: one, total: one.length, counts: {} as Record<DeclarationTab, number> };
  }
  // At risk is read from DfE's milestone table, not the database: weighed over every declaration not yet sent, a batch at a time.
  const unsent: DeclarationRow[] = [];
  for (let after: string | undefined; ; ) {
    const batch = await select()
      .where(and(base, inArray(dfeDeclarations.state, UNSENT), after ? gt(dfeDeclarations.id, after) : undefined))
      .orderBy(asc(dfeDeclarations.id))
      .limit(5_000);
    unsent.push(...batch.map(toRow).filter((r) => r.atRisk));
    if (batch.length < 5_000) break;
    after = batch.at(-1)!.d.id;
  }
  unsent.sort((a, b) => a.declarationDate.getTime() - b.declarationDate.getTime() || a.id.localeCompare(b.id));
  const counts = { 'at-risk': unsent.length } as Record<DeclarationTab, number>;
  const counted = await Promise.all(
    (Object.keys(TAB_WHERE) as (keyof typeof TAB_WHERE)[]).map(async (tab) => {
      const [c] = await db.select({ n: count() }).from(dfeDeclarations).innerJoin(places, eq(places.enrolmentId, dfeDeclarations.applicationId)).where(and(base, TAB_WHERE[tab]));
      return [tab, c?.n ?? 0] as const;
    }),
  );
  for (const [tab, n] of counted) counts[tab] = n;
  if (filter.tab === 'at-risk') {
    const from = filter.afterId ? unsent.filter((r) => r.id > filter.afterId!).sort((a, b) => a.id.localeCompare(b.id)) : unsent;
    return { rows: filter.afterId !== undefined ? from.slice(0, perPage) : unsent.slice((page - 1) * perPage, page * perPage), total: unsent.length, counts };
  }
  if (filter.afterId !== undefined) {
    const walked = await select()
      .where(and(base, TAB_WHERE[filter.tab], filter.afterId ? gt(dfeDeclarations.id, filter.afterId) : undefined))
      .orderBy(asc(dfeDeclarations.id))
      .limit(perPage);
    return { rows: walked.map(toRow), total: counts[filter.tab], counts };
  }
  const order = filter.tab === 'due' ? [asc(dfeDeclarations.declarationDate), asc(dfeDeclarations.id)] : [desc(dfeDeclarations.updatedAt), desc(dfeDeclarations.id)];
  const rows = await select()
    .where(and(base, TAB_WHERE[filter.tab]))
    .orderBy(...order)
    .limit(perPage)
    .offset((page - 1) * perPage);
  return { rows: rows.map(toRow), total: counts[filter.tab], counts };
}

/** The declarations of these ids the actor's scope holds, for an action on them. */
async function declarationsFor(db: Db, actor: Actor, ids: readonly string[]) {
  if (!managesDeclarations(actor)) throw new ForbiddenError();
  // An id that is no UUID names no declaration (and would make PostgreSQL refuse the whole query).
  const real = ids.filter((id) => z.uuid().safeParse(id).success);
  if (!real.length) return [];
  return db.select().from(dfeDeclarations).where(inArray(dfeDeclarations.id, real));
}

/**
 * Approves declarations (issue 13 item 3): proposed ones, and refused ones the admin put right and
 * tries again. Each is sent to DfE after commit, exactly once (send-declarations). ValidationError
 * `{ ids }` when none was chosen, or none of those chosen can be approved now (sent since, say);
 * ForbiddenError for anyone but the admin. Audited, each. Returns how many were approved.
 */
export async function approveDeclarations(deps: { db: Db; clock: Clock }, actor: Actor, ids: readonly string[]): Promise<number> {
  const rows = await declarationsFor(deps.db, actor, ids);
  if (!ids.length) throw new ValidationError({ ids: 'Select the declarations to approve' });
  const open = rows.filter((r) => DECLARATION_ACTIONS[r.state as DeclarationState].includes('approve') && !r.voidedAt);
  if (!open.length) throw new ValidationError({ ids: 'None of the declarations selected can be approved now: they were approved or sent since' });
  return deps.db.transaction(async (tx) => {
    const approved = await tx
      .update(dfeDeclarations)
      .set({ state: 'approved', approvedBy: actor.kind === 'user' ? actor.userId : null, approvedAt: deps.clock.now(), answer: null, updatedAt: deps.clock.now() })
      .where(and(inArray(dfeDeclarations.id, open.map((r) => r.id)), inArray(dfeDeclarations.state, ['proposed', 'refused'])))
      .returning({ id: dfeDeclarations.id, state: dfeDeclarations.state });
    // Another admin approved (or the evidence took back) every one of them since they were read.
    if (!approved.length) throw new ValidationError({ ids: 'None of the declarations selected can be approved now: they were approved or sent since' });
    for (const a of approved) await audit(tx, deps.clock, actor, { action: 'dfe.declaration_approved', entityType: 'dfe_declaration', entityId: a.id, after: { state: 'approved' } });
    if (approved.length) await recordEvent(tx, deps.clock, { type: 'dfe.declarations_approved', ids: approved.map((a) => a.id) });
    return approved.length;
  });
}

/** The longest reason for dismissing a declaration, in characters (the form's character count says it). */
export const REASON_MAX = 500;

/**
 * Dismisses a proposed or refused declaration the provider will not make (`reason`, kept), or restores
 * a dismissed one to proposed (`reason` null). ValidationError `{ reason }` without a reason to dismiss;
 * `{ id }` when it is no longer in a state that allows it; NotFoundError; ForbiddenError. Audited.
 */
export async function dismissDeclaration(deps: { db: Db; clock: Clock }, actor: Actor, id: string, reason: string | null): Promise<void> {
  const [row] = await declarationsFor(deps.db, actor, [id]);
  if (!row) throw new NotFoundError('declaration');
  const action = reason === null ? 'restore' : 'dismiss';
  if (action === 'dismiss' && !reason?.trim()) throw new ValidationError({ reason: 'Enter why this declaration is not to be made' });
  if (action === 'dismiss' && reason!.trim().length > REASON_MAX) throw new ValidationError({ reason: `Enter a reason of ${REASON_MAX} characters or fewer` });
  if (!DECLARATION_ACTIONS[row.state as DeclarationState].includes(action)) throw new ValidationError({ id: action === 'dismiss' ? 'This declaration can no longer be dismissed: it was approved or sent since' : 'This declaration is not dismissed' });
  await deps.db.transaction(async (tx) => {
    const to = action === 'dismiss' ? 'dismissed' : 'proposed';
    const [changed] = await tx
      .update(dfeDeclarations)
      .set({ state: to, answer: action === 'dismiss' ? { note: `Dismissed: ${reason!.trim()}` } : null, updatedAt: deps.clock.now() })
      .where(and(eq(dfeDeclarations.id, id), eq(dfeDeclarations.state, row.state)))
      .returning({ id: dfeDeclarations.id });
    if (!changed) throw new ValidationError({ id: 'This declaration changed while you were looking at it: look again' });
    await audit(tx, deps.clock, actor, { action: `dfe.declaration_${action === 'dismiss' ? 'dismissed' : 'restored'}`, entityType: 'dfe_declaration', entityId: id, before: { state: row.state }, after: { state: to, reason } });
  });
}

/**
 * Asks DfE to void a declaration it holds (issue 13 item 3; docs/dfe-api.md §2.7): before payment it is
 * voided; after, clawed back on the next statement. Sent after commit. ValidationError `{ id }` when
 * DfE's state does not allow it or a void is already asked; NotFoundError; ForbiddenError. Audited.
 */
export async function requestVoid(deps: { db: Db; clock: Clock }, actor: Actor, id: string): Promise<void> {
  const [row] = await declarationsFor(deps.db, actor, [id]);
  if (!row) throw new NotFoundError('declaration');
  if (!canVoid({ state: row.state as DeclarationState, dfeState: row.dfeState, voidRequestedAt: row.voidRequestedAt })) throw new ValidationError({ id: 'This declaration cannot be voided now: it is not at DfE, was voided already, or a void is on its way' });
  await deps.db.transaction(async (tx) => {
    const [asked] = await tx
      .update(dfeDeclarations)
      .set({ voidRequestedAt: deps.clock.now(), answer: null, updatedAt: deps.clock.now() })
      .where(and(eq(dfeDeclarations.id, id), isNull(dfeDeclarations.voidRequestedAt)))
      .returning({ id: dfeDeclarations.id });
    if (!asked) throw new ValidationError({ id: 'A void of this declaration is already on its way' });
    await audit(tx, deps.clock, actor, { action: 'dfe.declaration_void_requested', entityType: 'dfe_declaration', entityId: id, before: { dfeState: row.dfeState } });
    await recordEvent(tx, deps.clock, { type: 'dfe.declaration_void_requested', id });
  });
}

/**
 * Proposes a voided declaration again at the admin's asking (issue 13 item 3): the evidence alone does
 * not propose again what was voided from the same evidence (propose-declarations). A new proposal of
 * the same type, from the voided one's date and evidence (the next weighing moves it to the evidence as
 * it stands, or takes it back if none supports it), for the admin to approve as any other.
 * ValidationError `{ id }` when it is not voided, or the place has a live one of that type already;
 * NotFoundError; ForbiddenError. Audited.
 */
export async function proposeAgain(deps: { db: Db; clock: Clock }, actor: Actor, id: string): Promise<string> {
  const [row] = await declarationsFor(deps.db, actor, [id]);
  if (!row) throw new NotFoundError('declaration');
  if (!row.voidedAt) throw new ValidationError({ id: 'Only a voided declaration can be proposed again' });
  const now = deps.clock.now();
  return deps.db.transaction(async (tx) => {
    const [made] = await tx
      .insert(dfeDeclarations)
      .values({ applicationId: row.applicationId, declarationType: row.declarationType, declarationDate: row.declarationDate, evidence: row.evidence, hasPassed: row.hasPassed, state: 'proposed', createdAt: now, updatedAt: now })
      .onConflictDoNothing()
      .returning({ id: dfeDeclarations.id });
    if (!made) throw new ValidationError({ id: 'This participant already has a declaration of this type that is not voided: find it in the other lists' });
    await audit(tx, deps.clock, actor, { action: 'dfe.declaration_proposed_again', entityType: 'dfe_declaration', entityId: made.id, before: { voided: id }, after: { state: 'proposed' } });
    return made.id;
  });
}

/** The declaration of this id, as the page shows it before a void; NotFoundError outside the actor's scope. */
export async function declarationById(deps: { db: Db; clock: Clock }, actor: Actor, id: string): Promise<DeclarationRow> {
  if (!z.uuid().safeParse(id).success) throw new NotFoundError('declaration');
  const [found] = (await listDeclarations(deps, actor, { tab: 'sent', id }, 1, 1)).rows;
  if (!found) throw new NotFoundError('declaration');
  return found;
}

/**
 * A count of sessions for a retention rule, as the settings form takes it (issue 13 item 3), each
 * message naming its field: blank is "Enter the number …"; anything but a whole number from 1 to 200
 * (text, a fraction, `0x10`, `-3`, twenty digits) is told the range. Digits only: `0x10` or `1e2` are
 * not how anyone writes a count, though Number() reads them.
 */
const aCount = (type: 'retained-1' | 'retained-2') => {
  const named = `the number of sessions for ${type}`;
  return z.string({ error: `Enter ${named}` }).transform((v, ctx) => {
    const t = v.trim();
    if (!t) ctx.addIssue({ code: 'custom', message: `Enter ${named}` });
    // Up to three digits after any leading zeros: twenty digits is out of range, not "not a number".
    else if (!/^\d+$/.test(t) || !/^0*\d{1,3}$/.test(t) || Number(t) < 1 || Number(t) > 200) ctx.addIssue({ code: 'custom', message: `Enter ${named} as a whole number from 1 to 200` });
    else return Number(t);
    return z.NEVER;
  });
};
export const declarationSettingsSchema = z.object({
  retained1Activities: aCount('retained-1'),
  retained2Activities: aCount('retained-2'),
  sendAutomatically: z.enum(['yes', 'no'], { error: 'Select whether due declarations are sent without approval' }),
});

/** The provider's rules now: how many pieces of evidence make each retention declaration due, and whether due ones are sent without approval. */
export async function currentDeclarationSettings(deps: { db: Db }, actor: Actor) {
  if (!declarationScope(actor)) throw new ForbiddenError();
  return declarationSettings(deps.db);
}

/**
 * Sets the provider's rules (issue 13 item 3). ValidationError per field (retained-2 must need more
 * evidence than retained-1); ForbiddenError for anyone but the admin. Audited with before and after.
 * Proposals already made follow the new rules on the next weighing.
 */
export async function saveDeclarationSettings(deps: { db: Db; clock: Clock }, actor: Actor, input: unknown): Promise<void> {
  if (!managesDeclarations(actor)) throw new ForbiddenError();
  const parsed = declarationSettingsSchema.safeParse(input);
  if (!parsed.success) throw new ValidationError(Object.fromEntries(parsed.error.issues.map((i) => [String(i.path[0]), i.message])));
  const v = parsed.data;
  if (v.retained2Activities <= v.retained1Activities) throw new ValidationError({ retained2Activities: 'Enter the number of sessions for retained-2 as more than for retained-1' });
  const before = await declarationSettings(deps.db);
  const after = { retained1Activities: v.retained1Activities, retained2Activities: v.retained2Activities, sendAutomatically: v.sendAutomatically === 'yes' };
  await deps.db.transaction(async (tx) => {
    await tx
      .insert(dfeDeclarationSettings)
      .values({ id: 'provider', ...after, updatedAt: deps.clock.now() })
      .onConflictDoUpdate({ target: dfeDeclarationSettings.id, set: { ...after, updatedAt: deps.clock.now() } });
    await audit(tx, deps.clock, actor, { action: 'dfe.declaration_settings_changed', entityType: 'dfe_declaration_settings', entityId: 'provider', before, after });
  });
}

/**
 * Weighs every place's evidence now rather than at the next hourly run (proposeDeclarations), for the
 * admin who has just corrected a register. Declarations approved automatically are sent after commit.
 * ForbiddenError for anyone but the admin. Audited.
 */
export async function weighEvidenceNow(deps: { db: Db; clock: Clock }, actor: Actor): Promise<ProposalRun> {
  if (!managesDeclarations(actor)) throw new ForbiddenError();
  const run = await proposeDeclarations(deps);
  await deps.db.transaction(async (tx) => {
    await audit(tx, deps.clock, actor, { action: 'dfe.declarations_weighed', entityType: 'dfe_declaration', entityId: 'all', after: { proposed: run.proposed, changed: run.changed, withdrawn: run.withdrawn } });
    if (run.approved.length) await recordEvent(tx, deps.clock, { type: 'dfe.declarations_approved', ids: run.approved });
  });
  return run;
}

/**
 * Asks for DfE's declarations and statements to be read now rather than at the next pull (a job after
 * commit: pullDeclarations and pullStatements). ForbiddenError for anyone but the admin.
 */
export async function askReadBack(deps: { db: Db; clock: Clock }, actor: Actor): Promise<void> {
  if (!managesDeclarations(actor)) throw new ForbiddenError();
  await deps.db.transaction((tx) => recordEvent(tx, deps.clock, { type: 'dfe.read_back_asked', by: actor.kind === 'user' ? actor.userId : actor.kind }));
}
