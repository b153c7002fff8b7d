import { randomInt } from 'node:crypto';
import { and, asc, eq, inArray, isNotNull, isNull, ne, notInArray, or, type SQL, sql } from 'drizzle-orm';
import { audit } from '../../audit/audit';
import type { Executor } from '../../db/client';
import { participantsByEnrolment } from '../../enrolment/enrolment.queries';
import { markersWithPartners, namesOfAccounts } from '../../people/people.queries';
import type { Actor } from '../../platform/auth/actor';
import { actorLabel, isSignedIn } from '../../platform/auth/actor';
import { ForbiddenError, NotFoundError, ValidationError } from '../../platform/errors';
import type { FileType } from '../../platform/file-types';
import { one } from '../../platform/forms';
import { clip } from '../../platform/text';
import { guardOf, inGroup } from '../../platform/workflow';
import { type AssessmentContext, refuse } from '../assessment.context';
import { moderationSamples, moderationSettings, scriptAllocations, scriptMarkings, submissions } from '../assessment.schema';
import { allocateEvenly, type AssessorLoad, type ScriptTies } from '../domain/allocation';
import { managesAssessment, moderatesScripts } from '../domain/assessment.policy';
import { MARK_COMMENT_MAX, MARKING_WORKFLOW, readMarks } from '../domain/mark-scheme';
import { agreementOf, beyondTolerance, DEFAULT_SAMPLE_RULES, drawSample, type EarlierDraws, MODERATION_WORKFLOW, type MarkPair, type MarkedScript, readSampleRules, type SampleRules } from '../domain/moderation';
import type { AccountBlock } from '../domain/word-count';
import { type BlindScript, blind, fileOfScript, type Marking, type ModerationSample, type ScriptRow, sentScripts, textOfScript, tiesOf, writeMarking } from './scripts';

/** The provider's moderation rules: as the admin last saved them, or DEFAULT_SAMPLE_RULES. */
async function rulesOf(db: Executor): Promise<SampleRules> {
  const [row] = await db.select().from(moderationSettings).where(eq(moderationSettings.id, 1));
  return { ...DEFAULT_SAMPLE_RULES, ...(row?.rules ?? {}) };
}

/** The moderation rules (issue 12 item 5) for the provider admin's page. ForbiddenError for anyone else. */
export async function moderationRules(ctx: AssessmentContext, actor: Actor): Promise<SampleRules> {
  if (!managesAssessment(actor)) throw new ForbiddenError();
  return rulesOf(ctx.db);
}

/** Saves the provider's moderation rules from the admin's form (domain/moderation.ts readSampleRules). ValidationError by field. Audited. */
export async function setModerationRules(ctx: AssessmentContext, actor: Actor, body: unknown): Promise<SampleRules> {
  if (!managesAssessment(actor)) throw new ForbiddenError();
  const { rules, errors } = readSampleRules((body ?? {}) as Record<string, unknown>);
  if (Object.keys(errors).length) throw new ValidationError(errors);
  await ctx.db.transaction(async (tx) => {
    const before = await rulesOf(tx);
    await tx.insert(moderationSettings).values({ id: 1, rules, updatedBy: actorLabel(actor) }).onConflictDoUpdate({ target: moderationSettings.id, set: { rules, updatedBy: actorLabel(actor), updatedAt: ctx.clock.now() } });
    await audit(tx, ctx.clock, actor, { action: 'moderation.rules_set', entityType: 'moderation_settings', entityId: '1', before, after: rules });
  });
  return rules;
}

/** The moderators, each with the sampled scripts they hold open now (to second-mark, decide or third-mark). */
async function moderatorLoads(db: Executor): Promise<AssessorLoad[]> {
  const [moderators, open] = await Promise.all([
    markersWithPartners(db, 'moderator'),
    db.select({ moderator: moderationSamples.moderatorUserId, third: moderationSamples.thirdMarkerUserId, status: moderationSamples.status }).from(moderationSamples).where(inArray(moderationSamples.status, [...MODERATION_WORKFLOW.groups.open!])),
  ]);
  const load = new Map<string, number>();
  for (const o of open) {
    const holder = o.status === 'third_marking' ? o.third : o.moderator;
    if (holder) load.set(holder, (load.get(holder) ?? 0) + 1);
  }
  return moderators.map((m) => ({ userId: m.userId, name: m.name, partnerIds: new Set(m.partnerIds), load: load.get(m.userId) ?? 0 }));
}

/** Ties for moderation: those of allocation, and whoever has marked the script already (a marker never moderates their own marks). */
const withMarkers = (ties: ScriptTies, markers: readonly (string | null | undefined)[]): ScriptTies => ({ ...ties, taughtBy: new Set([...ties.taughtBy, ...markers.filter((m): m is string => Boolean(m))]) });

/** What earlier draws took (domain/moderation.ts EarlierDraws): the random share's base and take, and the assessors already in the sample. */
async function earlierDraws(db: Executor): Promise<EarlierDraws> {
  const [counts, assessors] = await Promise.all([
    db
      .select({
        rest: sql<number>`count(*) filter (where ${moderationSamples.reason} is null or ${moderationSamples.reason} in ('random', 'per_assessor'))::int`,
        random: sql<number>`count(*) filter (where ${moderationSamples.reason} = 'random')::int`,
      })
      .from(moderationSamples),
    db
      .selectDistinct({ userId: scriptMarkings.markerUserId })
      .from(moderationSamples)
      .innerJoin(scriptMarkings, and(eq(scriptMarkings.submissionId, moderationSamples.submissionId), eq(scriptMarkings.round, 'first')))
      .where(isNotNull(moderationSamples.reason)),
  ]);
  return { restConsidered: counts[0]?.rest ?? 0, randomTaken: counts[0]?.random ?? 0, assessorsSampled: new Set(assessors.map((a) => a.userId)) };
}

/**
 * Draws the moderation sample (issue 12 item 5) from every first marking submitted and not drawn on
 * before, by the provider's rules (domain/moderation.ts drawSample), weighed with what earlier draws
 * took. Each script taken records the tolerance in force now, and then every sampled script without
 * a moderator who may hold it — these and any left waiting before — is given out (giveOutWaiting);
 * each left out keeps its first marks. Returns how many were drawn on, how many sampled, and how
 * many wait for a moderator (none free). Provider admin only. Audited.
 */
export async function drawModerationSample(ctx: AssessmentContext, actor: Actor): Promise<{ drawn: number; sampled: number; withoutModerator: number }> {
  if (!managesAssessment(actor)) throw new ForbiddenError();
  const all = await sentScripts(ctx);
  const [rules, earlier] = await Promise.all([rulesOf(ctx.db), earlierDraws(ctx.db)]);
  // Every assessor's marked scripts in the order they submitted them: the first few of a new one are sampled.
  const marked = all.filter((s) => s.marking?.status === 'submitted' && s.allocation).sort((a, b) => a.marking!.submittedAt!.getTime() - b.marking!.submittedAt!.getTime() || a.submission.id.localeCompare(b.submission.id));
  const order = new Map<string, number>();
  const weighed: MarkedScript[] = [];
  for (const s of marked) {
    const assessor = s.marking!.markerUserId;
    order.set(assessor, (order.get(assessor) ?? 0) + 1);
    if (!s.moderation) weighed.push({ submissionId: s.submission.id, assessorUserId: assessor, total: s.marking!.total, result: s.marking!.result as 'pass' | 'fail', passMark: s.task.markScheme.passMark, assessorOrder: order.get(assessor)! });
  }
  if (!weighed.length) return { drawn: 0, sampled: 0, withoutModerator: (await giveOutWaiting(ctx, actor)).waiting };
  const sample = drawSample(weighed, rules, () => randomInt(0, 2 ** 32) / 2 ** 32, earlier);
  const now = ctx.clock.now();
  await ctx.db.transaction(async (tx) => {
    const rows = weighed.map((w) => {
      const reason = sample.get(w.submissionId) ?? null;
      return { submissionId: w.submissionId, reason, drawnAt: now, status: reason ? ('second_marking' as const) : null, tolerance: reason ? rules.tolerance : null };
    });
    // Drawn on meanwhile by another press: those rows stay as they were.
    await tx.insert(moderationSamples).values(rows).onConflictDoNothing();
    await audit(tx, ctx.clock, actor, { action: 'moderation.sample_drawn', entityType: 'moderation_settings', entityId: '1', after: { drawn: rows.length, sampled: sample.size, rules } });
  });
  // Given out after the draw is saved: should this fail, the scripts wait, and the next draw or the admin's button gives them out.
  const { waiting } = await giveOutWaiting(ctx, actor);
  return { drawn: weighed.length, sampled: sample.size, withoutModerator: waiting };
}

/**
 * Gives out every sampled script that waits for a moderator (issue 12 item 5): drawn while none was
 * free, sent to a third marker while none was free, or held by someone who no longer holds the
 * moderator role (or cannot mark blind). Each goes evenly to a moderator free of ties who has not
 * marked it — never its assessor, and a third marker never the first two markers — and a departed
 * holder's draft marks are let go, so the new holder marks afresh. Provider admin only. Audited.
 * Returns how many were given out and how many still wait.
 */
export async function giveOutWaitingScripts(ctx: AssessmentContext, actor: Actor): Promise<{ given: number; waiting: number }> {
  if (!managesAssessment(actor)) throw new ForbiddenError();
  return giveOutWaiting(ctx, actor);
}

/** The states in which the moderator holds a script (in third marking, the third marker does). */
const MODERATOR_HOLDS = ['second_marking', 'to_decide', 'sent_back'] as const;

async function giveOutWaiting(ctx: AssessmentContext, actor: Actor): Promise<{ given: number; waiting: number }> {
  const loads = await moderatorLoads(ctx.db);
  const eligible = loads.map((l) => l.userId);
  const waitingRows = await ctx.db
    .select({ submissionId: moderationSamples.submissionId, status: moderationSamples.status, moderator: moderationSamples.moderatorUserId, third: moderationSamples.thirdMarkerUserId })
    .from(moderationSamples)
    .innerJoin(submissions, and(eq(submissions.id, moderationSamples.submissionId), eq(submissions.status, 'submitted')))
    .where(waitingForModerator(eligible));
  if (!waitingRows.length) return { given: 0, waiting: 0 };
  const scripts = await sentScripts(ctx, { submissionIds: waitingRows.map((w) => w.submissionId) });
  const byId = new Map(scripts.map((s) => [s.submission.id, s]));
  const [ties, later] = await Promise.all([tiesOf(ctx, scripts), laterMarkings(ctx.db, scripts.map((s) => s.submission.id))]);
  const tiesById = new Map(ties.map((t) => [t.submissionId, t]));
  const rows = waitingRows.filter((w) => byId.has(w.submissionId));
  // A third marker is kept clear of the first two markers; a moderator, of the assessor (and of a departed moderator's marks, which stay).
  const needs = rows.map((w) => {
    const script = byId.get(w.submissionId)!;
    // Never its moderator either (for a third marking: they have seen both marks), nor an assessor it was moved away from.
    return withMarkers(tiesById.get(w.submissionId)!, [script.marking?.markerUserId, later.get(w.submissionId)?.second?.markerUserId, w.moderator ?? undefined, ...(script.moderation?.earlierAssessorIds ?? [])]);
  });
  const plan = allocateEvenly(needs, loads);
  const holderOf = new Map(plan.allocations.map((a) => [a.submissionId, a.assessorUserId]));
  let given = 0;
  await ctx.db.transaction(async (tx) => {
    for (const w of rows) {
      const to = holderOf.get(w.submissionId);
      if (!to) continue;
      const third = w.status === 'third_marking';
      // Only if it is as read: a decision, a save or another give-out meanwhile wins.
      const moved = await tx
        .update(moderationSamples)
        .set(third ? { thirdMarkerUserId: to } : { moderatorUserId: to })
        .where(and(eq(moderationSamples.submissionId, w.submissionId), eq(moderationSamples.status, w.status!), third ? holderIs(moderationSamples.thirdMarkerUserId, w.third) : holderIs(moderationSamples.moderatorUserId, w.moderator)))
        .returning({ id: moderationSamples.submissionId });
      if (!moved.length) continue;
      const round = third ? 'third' : 'second';
      // Drafts of whoever held it before are theirs: the new holder marks afresh. Submitted marks stay.
      await tx.delete(scriptMarkings).where(and(eq(scriptMarkings.submissionId, w.submissionId), eq(scriptMarkings.round, round), eq(scriptMarkings.status, 'draft'), ne(scriptMarkings.markerUserId, to)));
      await audit(tx, ctx.clock, actor, { action: 'moderation.given_out', entityType: 'submission', entityId: w.submissionId, before: { holder: third ? w.third : w.moderator }, after: { holder: to, round } });
      given++;
    }
  });
  return { given, waiting: rows.length - given };
}

const holderIs = (column: typeof moderationSamples.moderatorUserId | typeof moderationSamples.thirdMarkerUserId, userId: string | null) => (userId ? eq(column, userId) : isNull(column));

/**
 * A sampled script waiting for a moderator: open, and held by no one, or by someone not among
 * `eligible` (the moderators now) — its moderator while it is to second-mark, decide or come back,
 * its third marker in third marking.
 */
function waitingForModerator(eligible: readonly string[]): SQL {
  const away = (column: typeof moderationSamples.moderatorUserId | typeof moderationSamples.thirdMarkerUserId) => (eligible.length ? or(isNull(column), notInArray(column, [...eligible]))! : sql`true`);
  return or(and(inArray(moderationSamples.status, [...MODERATOR_HOLDS]), away(moderationSamples.moderatorUserId)), and(eq(moderationSamples.status, 'third_marking'), away(moderationSamples.thirdMarkerUserId)))!;
}

/** Which sampled scripts the admin's moderation list shows. */
export interface ModerationFilter {
  show?: 'open' | 'done' | 'third' | 'waiting' | undefined;
  q?: string | undefined;
}

/**
 * The provider admin's moderation page (issue 12 item 5): the rules, how many marked scripts wait to
 * be drawn on, and the sample — each script with its participant, candidate number, why it was
 * taken, assessor, moderator, state, and first, second, third and final totals — filtered and paged.
 * The state filter, the count and the page are the database's: only the page's scripts are read
 * whole. A search by name reads the names of the filtered sample only. The assessor is named as their
 * account is, whether or not they assess still; a moderator who no longer moderates is "A former
 * moderator". ForbiddenError for anyone else.
 */
export async function moderationList(ctx: AssessmentContext, actor: Actor, filter: ModerationFilter, page: { page: number; perPage: number } = { page: 1, perPage: 50 }) {
  if (!managesAssessment(actor)) throw new ForbiddenError();
  const [rules, moderators, waitingToDraw] = await Promise.all([rulesOf(ctx.db), markersWithPartners(ctx.db, 'moderator'), notDrawnOn(ctx.db)]);
  const names = new Map(moderators.map((m) => [m.userId, m.name]));
  const st = moderationSamples.status;
  const state =
    filter.show === 'open'
      ? inArray(st, [...MODERATION_WORKFLOW.groups.open!])
      : filter.show === 'done'
        ? inArray(st, [...MODERATION_WORKFLOW.groups.done!])
        : filter.show === 'third'
          ? inArray(st, ['third_marking', 'third_marked'])
          : filter.show === 'waiting'
            ? waitingForModerator(moderators.map((m) => m.userId))
            : undefined;
  const where = and(isNotNull(moderationSamples.reason), state);
  const countOf = async (condition: SQL | undefined) => {
    const [counted] = await ctx.db
      .select({ n: sql<number>`count(*)::int` })
      .from(moderationSamples)
      .innerJoin(submissions, and(eq(submissions.id, moderationSamples.submissionId), eq(submissions.status, 'submitted')))
      .where(condition);
    return counted?.n ?? 0;
  };
  const waitingForModeratorNow = countOf(and(isNotNull(moderationSamples.reason), waitingForModerator(moderators.map((m) => m.userId))));
  const sampled = () => ctx.db.select({ submissionId: moderationSamples.submissionId, enrolmentId: submissions.enrolmentId, candidateNumber: scriptAllocations.candidateNumber }).from(moderationSamples).innerJoin(submissions, and(eq(submissions.id, moderationSamples.submissionId), eq(submissions.status, 'submitted'))).leftJoin(scriptAllocations, eq(scriptAllocations.submissionId, moderationSamples.submissionId));
  // Those being moderated first, then in the order drawn.
  const ordered = [sql`${inArray(st, [...MODERATION_WORKFLOW.groups.done!])}`, asc(moderationSamples.drawnAt), asc(moderationSamples.submissionId)];
  const q = (filter.q ?? '').trim().toLocaleLowerCase('en-GB');
  let total: number;
  let ids: string[];
  let at: number;
  if (q) {
    // Names live with enrolment: read for the filtered sample only, then matched and paged here.
    const found = await sampled()
      .where(where)
      .orderBy(...ordered);
    const people = await participantsByEnrolment(ctx.db, [...new Set(found.map((f) => f.enrolmentId))]);
    const shown = found.filter((f) => (people.get(f.enrolmentId)?.fullName ?? '').toLocaleLowerCase('en-GB').includes(q) || f.candidateNumber?.toLowerCase() === q);
    total = shown.length;
    at = Math.min(Math.max(1, page.page), Math.max(1, Math.ceil(total / page.perPage)));
    ids = shown.slice((at - 1) * page.perPage, at * page.perPage).map((f) => f.submissionId);
  } else {
    total = await countOf(where);
    at = Math.min(Math.max(1, page.page), Math.max(1, Math.ceil(total / page.perPage)));
    ids = (
      await sampled()
        .where(where)
        .orderBy(...ordered)
        .limit(page.perPage)
        .offset((at - 1) * page.perPage)
    ).map((f) => f.submissionId);
  }
  const [scripts, later] = await Promise.all([sentScripts(ctx, { submissionIds: ids }), laterMarkings(ctx.db, ids)]);
  const byId = new Map(scripts.map((s) => [s.submission.id, s]));
  // The first markers' names, of the page's scripts only: every assessor's, with their roles, is a read of every role held (50,000 participants').
  const assessorNames = await namesOfAccounts(ctx.db, scripts.flatMap((s) => (s.marking ? [s.marking.markerUserId] : [])));
  const rowOf = (s: ScriptRow) => ({ ...s, second: later.get(s.submission.id)?.second ?? null, third: later.get(s.submission.id)?.third ?? null, assessorName: assessorNames.get(s.marking?.markerUserId ?? '') ?? '', moderatorName: s.moderation?.moderatorUserId ? (names.get(s.moderation.moderatorUserId) ?? 'A former moderator') : null, thirdMarkerName: s.moderation?.thirdMarkerUserId ? (names.get(s.moderation.thirdMarkerUserId) ?? 'A former moderator') : null });
  return {
    rules,
    moderators: moderators.length,
    waitingToDraw,
    /** Sampled scripts no moderator may hold now: giveOutWaitingScripts gives them out. */
    waitingForModerator: await waitingForModeratorNow,
    rows: ids.flatMap((id) => {
      const s = byId.get(id);
      return s ? [rowOf(s)] : [];
    }),
    total,
    page: at,
  };
}

/** How many first markings are submitted and not yet drawn on, of accounts still sent. */
async function notDrawnOn(db: Executor): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(scriptMarkings)
    .innerJoin(submissions, and(eq(submissions.id, scriptMarkings.submissionId), eq(submissions.status, 'submitted')))
    .leftJoin(moderationSamples, eq(moderationSamples.submissionId, scriptMarkings.submissionId))
    .where(and(eq(scriptMarkings.round, 'first'), eq(scriptMarkings.status, 'submitted'), isNull(moderationSamples.submissionId)));
  return row?.n ?? 0;
}

/** The second and third markings of these scripts, by submission id. */
async function laterMarkings(db: Executor, submissionIds: readonly string[]): Promise<Map<string, { second: Marking | null; third: Marking | null }>> {
  const out = new Map<string, { second: Marking | null; third: Marking | null }>();
  if (!submissionIds.length) return out;
  const rows = await db.select().from(scriptMarkings).where(and(inArray(scriptMarkings.submissionId, [...submissionIds]), inArray(scriptMarkings.round, ['second', 'third'])));
  for (const r of rows) {
    const o = out.get(r.submissionId) ?? { second: null, third: null };
    if (r.round === 'second') o.second = r;
    else o.third = r;
    out.set(r.submissionId, o);
  }
  return out;
}

function moderatorOf(actor: Actor): string {
  if (!moderatesScripts(actor) || !isSignedIn(actor)) throw new ForbiddenError();
  return actor.userId;
}

/** What a moderator does with a script now: second-mark it, decide on it, wait for its assessor or third marker, third-mark it, or nothing (done). */
export type ModerationStage = 'second' | 'decide' | 'sent_back' | 'with_third' | 'third' | 'done';

function stageFor(me: string, sample: ModerationSample): ModerationStage | null {
  const st = sample.status;
  if (sample.thirdMarkerUserId === me && (st === 'third_marking' || st === 'third_marked')) return st === 'third_marking' ? 'third' : 'done';
  if (sample.moderatorUserId !== me) return null;
  switch (st) {
    case 'second_marking':
      return 'second';
    case 'to_decide':
      return 'decide';
    case 'sent_back':
      return 'sent_back';
    case 'third_marking':
      return 'with_third';
    default:
      return 'done';
  }
}

/** A sampled script as its moderator or third marker sees it: blind, the stage, and the markings they may see now. */
export interface ModeratedScript {
  script: BlindScript;
  /** For the service's own use: a random id that names no one. */
  submissionId: string;
  stage: ModerationStage;
  reason: string;
  /** The first marks: hidden from the moderator until their own are submitted, and from a third marker until theirs are. */
  first: Marking | null;
  second: Marking | null;
  third: Marking | null;
  sentBackNote: string | null;
  final: { total: number; result: string } | null;
  tolerance: number;
  /** The second marks are another moderator's: given this script to decide after its moderator left the role. */
  secondByAnother: boolean;
}

async function moderatedScripts(ctx: AssessmentContext, me: string, candidateNumber?: string): Promise<ModeratedScript[]> {
  const mine = await ctx.db
    .select({ submissionId: moderationSamples.submissionId })
    .from(moderationSamples)
    .innerJoin(scriptAllocations, eq(scriptAllocations.submissionId, moderationSamples.submissionId))
    .where(and(or(eq(moderationSamples.moderatorUserId, me), eq(moderationSamples.thirdMarkerUserId, me)), candidateNumber ? eq(scriptAllocations.candidateNumber, candidateNumber) : undefined));
  const scripts = await sentScripts(ctx, { submissionIds: mine.map((m) => m.submissionId) });
  const later = await laterMarkings(ctx.db, scripts.map((s) => s.submission.id));
  const rules = await rulesOf(ctx.db);
  return scripts.flatMap((s) => {
    const stage = s.moderation ? stageFor(me, s.moderation) : null;
    if (!stage || !s.allocation) return [];
    const l = later.get(s.submission.id);
    const isThird = s.moderation!.thirdMarkerUserId === me && (stage === 'third' || (stage === 'done' && s.moderation!.status === 'third_marked'));
    // Blind to the first marks until one's own are in: the moderator from deciding on, a third marker once done.
    const seesOthers = isThird ? stage === 'done' : stage !== 'second';
    return [
      {
        script: blind(s),
        submissionId: s.submission.id,
        stage,
        reason: s.moderation!.reason!,
        // Only marks submitted: a draft re-marking after a send-back is the assessor's until they submit it.
        first: seesOthers && s.marking?.status === 'submitted' ? s.marking : null,
        second: isThird && !seesOthers ? null : (l?.second ?? null),
        third: isThird || seesOthers ? (l?.third ?? null) : null,
        sentBackNote: s.moderation!.sentBackNote,
        final: s.moderation!.finalTotal !== null ? { total: s.moderation!.finalTotal, result: s.moderation!.finalResult! } : null,
        tolerance: s.moderation!.tolerance ?? rules.tolerance,
        secondByAnother: Boolean(l?.second && l.second.markerUserId !== me && !isThird),
      },
    ];
  });
}

/**
 * The sampled scripts given to the signed-in moderator (issue 12 item 5), blind: to second-mark, to
 * decide, sent back, with a third marker, to third-mark, and done. Those to act on first.
 * ForbiddenError for anyone who is not a moderator.
 */
export async function myModeration(ctx: AssessmentContext, actor: Actor): Promise<ModeratedScript[]> {
  const me = moderatorOf(actor);
  const rank: Record<ModerationStage, number> = { third: 0, second: 1, decide: 2, sent_back: 3, with_third: 4, done: 5 };
  return (await moderatedScripts(ctx, me)).sort((a, b) => rank[a.stage] - rank[b.stage] || a.script.allocatedAt.getTime() - b.script.allocatedAt.getTime() || a.script.candidateNumber.localeCompare(b.script.candidateNumber));
}

/** One sampled script given to the signed-in moderator or third marker. NotFoundError for any other. */
export async function moderationScript(ctx: AssessmentContext, actor: Actor, candidateNumber: string): Promise<ModeratedScript> {
  const [m] = await moderatedScripts(ctx, moderatorOf(actor), candidateNumber);
  if (!m) throw new NotFoundError('script');
  return m;
}

/** A sampled script's text, for its moderator or third marker to read on the page (null when unreadable). NotFoundError for a script not theirs. */
export async function moderationScriptText(ctx: AssessmentContext, actor: Actor, candidateNumber: string): Promise<AccountBlock[] | null> {
  const m = await moderationScript(ctx, actor, candidateNumber);
  const [script] = await sentScripts(ctx, { submissionIds: [m.submissionId] });
  return script ? textOfScript(ctx, script) : null;
}

/** The script's file for its moderator or third marker, named by the candidate number (marking.ts scriptFile). NotFoundError for a script not theirs. */
export async function moderationScriptFile(ctx: AssessmentContext, actor: Actor, candidateNumber: string): Promise<{ name: string; type: FileType; bytes: Buffer }> {
  const m = await moderationScript(ctx, actor, candidateNumber);
  const [script] = await sentScripts(ctx, { submissionIds: [m.submissionId] });
  if (!script) throw new NotFoundError('file');
  return fileOfScript(ctx, script);
}

/**
 * Chooses a third marker for a script whose totals differ beyond the tolerance: a moderator free of
 * ties and who has not marked it, holding fewest open scripts. Null when none is free (the admin's
 * list shows it waiting).
 */
async function thirdMarkerFor(tx: Executor, ties: ScriptTies, markers: readonly string[]): Promise<string | null> {
  const plan = allocateEvenly([withMarkers(ties, markers)], await moderatorLoads(tx));
  return plan.allocations[0]?.assessorUserId ?? null;
}

/** Assessors a sent-back script was moved away from (their marks let go), read as it is now. */
async function earlierAssessorsOf(tx: Executor, submissionId: string): Promise<string[]> {
  const [row] = await tx.select({ ids: moderationSamples.earlierAssessorIds }).from(moderationSamples).where(eq(moderationSamples.submissionId, submissionId));
  return row?.ids ?? [];
}

/** The tolerance a sampled script was drawn under (ADR 0064: a new setting applies to the next draw); the setting now for one drawn before it was recorded. */
async function toleranceOf(tx: Executor, submissionId: string): Promise<number> {
  const [row] = await tx.select({ tolerance: moderationSamples.tolerance }).from(moderationSamples).where(eq(moderationSamples.submissionId, submissionId));
  return row?.tolerance ?? (await rulesOf(tx)).tolerance;
}

/** Moves a sample on once both first and second marks are in: to the moderator to decide, or to a third marker beyond the tolerance. */
async function compareMarks(tx: Executor, script: ScriptRow, ties: ScriptTies, firstTotal: number, second: { total: number; markerUserId: string }, event: 'secondMarked' | 'remarked') {
  if (beyondTolerance(firstTotal, second.total, await toleranceOf(tx, script.submission.id))) {
    // Never its moderator now either: one given the script after the second marks were in has seen both.
    const third = await thirdMarkerFor(tx, ties, [script.marking?.markerUserId ?? '', second.markerUserId, script.moderation?.moderatorUserId ?? '', ...(await earlierAssessorsOf(tx, script.submission.id))]);
    await tx
      .update(moderationSamples)
      .set({ status: 'third_marking', thirdMarkerUserId: third })
      .where(and(eq(moderationSamples.submissionId, script.submission.id), guardOf(MODERATION_WORKFLOW, event === 'remarked' ? 'remarked' : 'beyondTolerance', moderationSamples.status)));
    return 'third_marking' as const;
  }
  await tx
    .update(moderationSamples)
    .set({ status: 'to_decide' })
    .where(and(eq(moderationSamples.submissionId, script.submission.id), guardOf(MODERATION_WORKFLOW, event, moderationSamples.status)));
  return 'to_decide' as const;
}

/**
 * After an assessor marks again a script moderation sent back to them (called in saveMarking's
 * transaction, with the script's ties read before it: the embedded database has one connection): it goes back to its moderator to decide, or to a third marker if the totals now
 * differ beyond the tolerance.
 */
export async function afterRemarking(tx: Executor, script: ScriptRow, ties: ScriptTies, firstTotal: number): Promise<void> {
  const [second] = await tx.select().from(scriptMarkings).where(and(eq(scriptMarkings.submissionId, script.submission.id), eq(scriptMarkings.round, 'second')));
  if (!second) return;
  await compareMarks(tx, script, ties, firstTotal, second, 'remarked');
}

/**
 * Saves the moderator's second marks (blind to the first) or a third marker's marks on a sampled
 * script (issue 12 item 5), as a draft or submitted, under the script's mark scheme
 * (domain/mark-scheme.ts readMarks). Submitted second marks send the script to its moderator to decide,
 * or to a third marker when the totals differ by more than the tolerance; submitted third marks
 * stand as the final marks. ValidationError by field; AppError already_submitted; NotFoundError for a
 * script not theirs to mark now. Audited. Returns where the script went.
 */
export async function saveModerationMarking(ctx: AssessmentContext, actor: Actor, candidateNumber: string, body: unknown, submit: boolean): Promise<{ total: number; result: 'pass' | 'fail' | null; next: 'to_decide' | 'third_marking' | 'third_marked' | null }> {
  const me = moderatorOf(actor);
  const m = await moderationScript(ctx, actor, candidateNumber);
  if (m.stage !== 'second' && m.stage !== 'third') throw refuse('already_submitted', 'Your marks for this script are submitted: they cannot be changed.');
  const [script] = await sentScripts(ctx, { submissionIds: [m.submissionId] });
  if (!script?.marking) throw new NotFoundError('script');
  const read = readMarks(script.task.markScheme, (body ?? {}) as Record<string, unknown>, submit);
  // Refused, what was typed right is kept as a draft all the same (as saveMarking does).
  const invalid = Object.keys(read.errors).length > 0;
  const submitNow = submit && !invalid;
  const round = m.stage === 'second' ? 'second' : 'third';
  const now = ctx.clock.now();
  // Read before the transaction, which holds the embedded database's one connection.
  const [ties] = await tiesOf(ctx, [script]);
  const saved = await ctx.db.transaction(async (tx) => {
    // The sample as it is now, held: a moderator's second tab, or a send-back, cannot cross this save.
    const [sample] = await tx.select().from(moderationSamples).where(eq(moderationSamples.submissionId, script.submission.id)).for('update');
    if (sample?.status !== (round === 'second' ? 'second_marking' : 'third_marking')) throw refuse('already_submitted', 'Your marks for this script are submitted: they cannot be changed.');
    const written = await writeMarking(tx, now, { submissionId: script.submission.id, round, markerUserId: me, scheme: script.task.markScheme, marks: read.marks, overall: read.overall, submit: submitNow });
    if (!written.saved) throw refuse('already_submitted', 'Your marks for this script are submitted: they cannot be changed.');
    let next: 'to_decide' | 'third_marking' | 'third_marked' | null = null;
    if (submitNow && round === 'second') next = await compareMarks(tx, script, ties!, script.marking!.total, { total: written.total, markerUserId: me }, 'secondMarked');
    if (submitNow && round === 'third') {
      await tx
        .update(moderationSamples)
        .set({ status: 'third_marked', finalTotal: written.total, finalResult: written.result, decidedAt: now })
        .where(and(eq(moderationSamples.submissionId, script.submission.id), guardOf(MODERATION_WORKFLOW, 'thirdMarked', moderationSamples.status)));
      next = 'third_marked';
    }
    await audit(tx, ctx.clock, actor, { action: submitNow ? 'marking.submitted' : 'marking.saved', entityType: 'submission', entityId: script.submission.id, after: { candidateNumber, round, total: written.total, result: written.result, next } });
    return { total: written.total, result: written.result, next };
  });
  if (invalid) throw new ValidationError(read.errors);
  return saved;
}

export const MODERATION_DECISIONS = ['agree', 'adjust', 'send_back'] as const;
export type ModerationDecision = (typeof MODERATION_DECISIONS)[number];

/**
 * The moderator's decision on a script once both markings are in and within the tolerance (issue 12
 * item 5): agree (the first marks stand), adjust (their own stand), or send it back to the assessor
 * with a note (required) to mark again. ValidationError on `decision` or `note`; AppError
 * not_to_decide when the script is not waiting for this; NotFoundError for a script not theirs.
 * Audited. Returns the final total and result, or null when sent back.
 */
export async function decideModeration(ctx: AssessmentContext, actor: Actor, candidateNumber: string, body: unknown): Promise<{ decision: ModerationDecision; final: { total: number; result: string } | null }> {
  const m = await moderationScript(ctx, actor, candidateNumber);
  const b = (body ?? {}) as Record<string, unknown>;
  const decision = one(b.decision) as ModerationDecision;
  if (!MODERATION_DECISIONS.includes(decision)) throw new ValidationError({ decision: 'Choose whether you agree, adjust the marks to yours, or send the script back' });
  const note = one(b.note).trim();
  if (decision === 'send_back' && !note) throw new ValidationError({ note: 'Say what the assessor should look at again' });
  if (note.length > MARK_COMMENT_MAX) throw new ValidationError({ note: `The note must be ${MARK_COMMENT_MAX.toLocaleString('en-GB')} characters or fewer` });
  if (m.stage !== 'decide' || !m.first || !m.second) throw refuse('not_to_decide', m.stage === 'done' ? 'This script is decided already.' : 'This script is not waiting for your decision.');
  const event = decision === 'agree' ? 'agree' : decision === 'adjust' ? 'adjust' : 'sendBack';
  const final = decision === 'agree' ? { total: m.first.total, result: m.first.result! } : decision === 'adjust' ? { total: m.second.total, result: m.second.result! } : null;
  const now = ctx.clock.now();
  await ctx.db.transaction(async (tx) => {
    const moved = await tx
      .update(moderationSamples)
      .set({ status: MODERATION_WORKFLOW.events[event].to, sentBackNote: decision === 'send_back' ? clip(note, MARK_COMMENT_MAX) : null, finalTotal: final?.total ?? null, finalResult: final?.result ?? null, decidedAt: final ? now : null })
      .where(and(eq(moderationSamples.submissionId, m.submissionId), guardOf(MODERATION_WORKFLOW, event, moderationSamples.status)))
      .returning({ id: moderationSamples.submissionId });
    if (!moved.length) throw refuse('not_to_decide', 'This script is decided already.');
    if (decision === 'send_back') {
      await tx
        .update(scriptMarkings)
        .set({ status: 'draft', submittedAt: null, updatedAt: now })
        .where(and(eq(scriptMarkings.submissionId, m.submissionId), eq(scriptMarkings.round, 'first'), guardOf(MARKING_WORKFLOW, 'sendBack', scriptMarkings.status)));
    }
    await audit(tx, ctx.clock, actor, { action: `moderation.${decision}`, entityType: 'submission', entityId: m.submissionId, after: { candidateNumber, final, note: decision === 'send_back' ? note : undefined } });
  });
  return { decision, final };
}

/**
 * Agreement between first marks and moderation's final marks (issue 12 item 5: "exact agreement,
 * mean difference, Cohen's kappa on pass/fail"), over every sampled script decided: per assessor, per
 * intake (the cohort as the provider runs it), and overall. Provider admin only.
 */
export async function agreementStatistics(ctx: AssessmentContext, actor: Actor) {
  if (!managesAssessment(actor)) throw new ForbiddenError();
  // Only the decided scripts are read whole: the sample's state is the database's to filter.
  const ids = await ctx.db
    .select({ id: moderationSamples.submissionId })
    .from(moderationSamples)
    .where(inArray(moderationSamples.status, [...MODERATION_WORKFLOW.groups.done!]));
  const decided = ids.length ? (await sentScripts(ctx, { submissionIds: ids.map((r) => r.id) })).filter((s) => s.moderation && inGroup(MODERATION_WORKFLOW, 'done', s.moderation.status) && s.marking?.result) : [];
  const names = new Map((await markersWithPartners(ctx.db, 'assessor')).map((a) => [a.userId, a.name]));
  const pairOf = (s: ScriptRow): MarkPair => ({ first: { total: s.marking!.total, result: s.marking!.result as 'pass' | 'fail' }, final: { total: s.moderation!.finalTotal!, result: s.moderation!.finalResult as 'pass' | 'fail' } });
  const groupBy = (key: (s: ScriptRow) => string, label: (s: ScriptRow) => string) => {
    const groups = new Map<string, { label: string; pairs: MarkPair[] }>();
    for (const s of decided) {
      const g = groups.get(key(s)) ?? { label: label(s), pairs: [] };
      g.pairs.push(pairOf(s));
      groups.set(key(s), g);
    }
    return [...groups.values()].map((g) => ({ label: g.label, ...agreementOf(g.pairs) })).sort((a, b) => a.label.localeCompare(b.label, 'en-GB'));
  };
  return {
    overall: agreementOf(decided.map(pairOf)),
    byAssessor: groupBy(
      (s) => s.marking!.markerUserId,
      (s) => names.get(s.marking!.markerUserId) ?? 'A former assessor',
    ),
    byIntake: groupBy(
      (s) => s.intakeId,
      (s) => s.intake,
    ),
  };
}
