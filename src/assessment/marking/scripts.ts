import { and, asc, eq, ilike, inArray, isNotNull, isNull, ne, or, sql } from 'drizzle-orm';
import { intakesForDelivery } from '../../catalogue/catalogue.queries';
import { coachesEverOf } from '../../coaching/coaching.queries';
import { acceptedPlacesSubquery, earlierIntakesOf, placesByEnrolment } from '../../enrolment/enrolment.queries';
import { facilitatorsOfPlaces } from '../../learning/learning.queries';
import type { FileType } from '../../platform/file-types';
import type { Executor } from '../../db/client';
import { NotFoundError } from '../../platform/errors';
import { guardOf } from '../../platform/workflow';
import type { AssessmentContext } from '../assessment.context';
import { moderationSamples, scriptAllocations, scriptMarkings, submissions } from '../assessment.schema';
import type { ScriptTies } from '../domain/allocation';
import type { AccountBlock } from '../domain/word-count';
import { accountText } from '../submissions/read-account';
import { type AssessmentTask, assessmentSpecFor } from '../domain/assessment-spec';
import { MARKING_WORKFLOW, type MarkingRound, type Marks, type MarkScheme, resultOf } from '../domain/mark-scheme';

/*
 * Scripts as marking and moderation read them (issue 12 items 4 and 5): each account sent, with whose
 * it is for the admin, and as a blind script for those who mark it.
 */

type Submission = typeof submissions.$inferSelect;
type Allocation = typeof scriptAllocations.$inferSelect;
export type Marking = typeof scriptMarkings.$inferSelect;
export type ModerationSample = typeof moderationSamples.$inferSelect;

/** A sent script as the admin allocates it: the account, whose it is, its task, and its allocation and first marking if any. */
export interface ScriptRow {
  submission: Submission;
  enrolmentId: string;
  /** DfE's participant id, for the sample sent to DfE's national moderation. */
  participantId: string;
  /** The participant's account, if they have one. */
  userId: string | null;
  participant: string;
  deliveryPartnerId: string | null;
  intakeId: string;
  intake: string;
  qualification: string;
  task: AssessmentTask;
  allocation: Allocation | null;
  /** The allocated assessor's (the first) marking. */
  marking: Marking | null;
  /** Moderation's record of it, once drawn on. */
  moderation: ModerationSample | null;
}

/** Every account sent (not withdrawn) with its place, intake and task, its allocation and first marking; scripts of places or tasks no longer assessed are left out. */
export async function sentScripts(ctx: AssessmentContext, where?: { submissionIds?: readonly string[] }): Promise<ScriptRow[]> {
  const rows = await ctx.db
    .select()
    .from(submissions)
    .where(and(eq(submissions.status, 'submitted'), where?.submissionIds ? inArray(submissions.id, where.submissionIds.length ? [...where.submissionIds] : ['00000000-0000-0000-0000-000000000000']) : undefined));
  if (!rows.length) return [];
  const ids = rows.map((r) => r.id);
  const [places, intakes, allocations, markings, samples] = await Promise.all([
    placesByEnrolment(ctx.db, [...new Set(rows.map((r) => r.enrolmentId))]),
    intakesForDelivery(ctx.db, 'all'),
    ctx.db.select().from(scriptAllocations).where(inArray(scriptAllocations.submissionId, ids)),
    ctx.db.select().from(scriptMarkings).where(and(inArray(scriptMarkings.submissionId, ids), eq(scriptMarkings.round, 'first'))),
    ctx.db.select().from(moderationSamples).where(inArray(moderationSamples.submissionId, ids)),
  ]);
  const sampleOf = new Map(samples.map((m) => [m.submissionId, m]));
  const placeOf = new Map(places.map((p) => [p.enrolmentId, p]));
  const intakeOf = new Map(intakes.map((i) => [i.intake.id, i]));
  const allocationOf = new Map(allocations.map((a) => [a.submissionId, a]));
  const markingOf = new Map(markings.map((m) => [m.submissionId, m]));
  return rows.flatMap((s) => {
    const place = placeOf.get(s.enrolmentId);
    const intake = place?.intakeId ? intakeOf.get(place.intakeId) : undefined;
    const task = intake ? assessmentSpecFor(intake.qualificationIdentifier, intake.intake.startDate)?.tasks.find((t) => t.key === s.taskKey) : undefined;
    if (!place || !intake || !task) return [];
    return [{ submission: s, enrolmentId: place.enrolmentId, participantId: place.participantId, userId: place.userId, participant: place.fullName, deliveryPartnerId: place.deliveryPartnerId ?? intake.intake.deliveryPartnerId, intakeId: intake.intake.id, intake: `${intake.qualificationShortName} ${intake.intake.name}`, qualification: intake.qualificationShortName, task, allocation: allocationOf.get(s.id) ?? null, marking: markingOf.get(s.id) ?? null, moderation: sampleOf.get(s.id) ?? null }];
  });
}

/** Which sent scripts a list shows: of an intake, of a task, how far on (not allocated; allocated, not marked; marked), and matching a participant's name or a candidate number. */
export interface AllocationFilter {
  intakeId?: string | undefined;
  taskKey?: string | undefined;
  show?: 'unallocated' | 'allocated' | 'marked' | undefined;
  /** Part of the participant's name, or a candidate number. */
  q?: string | undefined;
}

/**
 * The sent scripts as SQL (issue 12 item 4 at scale: the allocation list of thousands, read a page
 * at a time): the rules of sentScripts and of the list's filter written as one query's joins and
 * conditions, so the database filters, counts, groups and pages. Reads the intakes once, to keep to
 * the (intake, task) pairs assessed now, as sentScripts does.
 */
export async function sentScriptsQuery(ctx: AssessmentContext) {
  const intakes = await intakesForDelivery(ctx.db, 'all');
  const assessed = intakes.flatMap((i) => (assessmentSpecFor(i.qualificationIdentifier, i.intake.startDate)?.tasks ?? []).map((task) => ({ intakeId: i.intake.id, intake: `${i.qualificationShortName} ${i.intake.name}`, task })));
  const place = acceptedPlacesSubquery(ctx.db);
  // Per task, the intakes that assess it: a condition the planner estimates well, where a list of (intake, task) pairs it does not.
  const intakesOfTask = new Map<string, string[]>();
  for (const a of assessed) intakesOfTask.set(a.task.key, [...(intakesOfTask.get(a.task.key) ?? []), a.intakeId]);
  const assessedNow = or(sql`false`, ...[...intakesOfTask].map(([key, ids]) => and(eq(submissions.taskKey, key), sql`${place.intakeId} = any(${sql.param(ids)}::uuid[])`)));
  const notMarked = or(isNull(scriptMarkings.status), ne(scriptMarkings.status, 'submitted'));
  const where = (f: AllocationFilter) => {
    const q = (f.q ?? '').trim().toLocaleLowerCase('en-GB');
    return and(
      eq(submissions.status, 'submitted'),
      assessedNow,
      f.intakeId ? eq(place.intakeId, f.intakeId) : undefined,
      f.taskKey ? eq(submissions.taskKey, f.taskKey) : undefined,
      f.show === 'unallocated' ? isNull(scriptAllocations.submissionId) : f.show === 'allocated' ? and(isNotNull(scriptAllocations.submissionId), notMarked) : f.show === 'marked' ? eq(scriptMarkings.status, 'submitted') : undefined,
      q ? or(ilike(place.fullName, `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`), sql`lower(${scriptAllocations.candidateNumber}) = ${q}`) : undefined,
    );
  };
  /** The sent scripts matching `f`, as a subquery: each with its intake, task, when sent, and its assessor if allocated. */
  const matching = (f: AllocationFilter) =>
    ctx.db
      .select({ id: submissions.id, intakeId: place.intakeId, taskKey: submissions.taskKey, submittedAt: submissions.submittedAt, allocated: sql<boolean>`${scriptAllocations.submissionId} is not null`.as('allocated'), assessorUserId: scriptAllocations.assessorUserId })
      .from(submissions)
      .innerJoin(place, eq(place.enrolmentId, submissions.enrolmentId))
      .leftJoin(scriptAllocations, eq(scriptAllocations.submissionId, submissions.id))
      .leftJoin(scriptMarkings, and(eq(scriptMarkings.submissionId, submissions.id), eq(scriptMarkings.round, 'first')))
      .where(where(f))
      .as('matching');
  const count = sql<number>`count(*)::int`;
  const assessedPairs = new Set(assessed.map((a) => `${a.intakeId} ${a.task.key}`));
  let grouped: Promise<{ intakeId: string | null; taskKey: string; assessorUserId: string | null; markingStatus: string | null; n: number }[]> | undefined;
  /** Whether a group of counted scripts matches a filter without a search: the rules of `where`, on the group's intake, task, assessor and first marking's state. */
  const inFilter = (g: { intakeId: string | null; taskKey: string; assessorUserId: string | null; markingStatus: string | null }, f: AllocationFilter) =>
    (!f.intakeId || g.intakeId === f.intakeId) &&
    (!f.taskKey || g.taskKey === f.taskKey) &&
    (f.show === 'unallocated' ? !g.assessorUserId : f.show === 'allocated' ? Boolean(g.assessorUserId) && g.markingStatus !== 'submitted' : f.show === 'marked' ? g.markingStatus === 'submitted' : true);
  /**
   * Every sent script counted by intake, task, assessor (none: not allocated) and first marking's
   * state, in one pass read once for the summary and the loads both; kept here, not in SQL, to the
   * (intake, task) pairs assessed now: each script tested against every assessed intake in SQL cost
   * more than the rest of the pass.
   */
  const counted = () =>
    (grouped ??= ctx.db
      .select({ intakeId: place.intakeId, taskKey: submissions.taskKey, assessorUserId: scriptAllocations.assessorUserId, markingStatus: scriptMarkings.status, n: count })
      .from(submissions)
      .innerJoin(place, eq(place.enrolmentId, submissions.enrolmentId))
      .leftJoin(scriptAllocations, eq(scriptAllocations.submissionId, submissions.id))
      .leftJoin(scriptMarkings, and(eq(scriptMarkings.submissionId, submissions.id), eq(scriptMarkings.round, 'first')))
      .where(eq(submissions.status, 'submitted'))
      .groupBy(place.intakeId, submissions.taskKey, scriptAllocations.assessorUserId, scriptMarkings.status)
      .then((rows) => rows.filter((r) => r.intakeId !== null && assessedPairs.has(`${r.intakeId} ${r.taskKey}`))));
  return {
    /**
     * A page of the scripts matching `filter`, those not allocated first, then as sent (oldest
     * first); a page past the end is the last. With how many match, and the page shown.
     */
    async page(filter: AllocationFilter, page: { page: number; perPage: number }): Promise<{ rows: ScriptRow[]; total: number; page: number }> {
      const m = matching(filter);
      const idsAt = (at: number) =>
        ctx.db
          .select({ id: m.id, total: sql<number>`(count(*) over ())::int` })
          .from(m)
          .orderBy(asc(m.allocated), asc(m.submittedAt), asc(m.id))
          .limit(page.perPage)
          .offset((at - 1) * page.perPage);
      const asked = Math.max(1, page.page);
      const lastOf = (total: number) => Math.max(1, Math.ceil(total / page.perPage));
      let total: number;
      let at: number;
      let shown: { id: string }[];
      if (!(filter.q ?? '').trim()) {
        // Without a search, how many match is the grouped counts' (read once for the summary too): the page is known before it is read, and a page past the end is never asked for.
        total = (await counted()).reduce((n, g) => n + (inFilter(g, filter) ? g.n : 0), 0);
        at = Math.min(asked, lastOf(total));
        shown = total ? await idsAt(at) : [];
      } else {
        // A search: the page's ids with how many match in all (one pass); a page past the end has no rows to count them on, so they are counted alone.
        const ids = await idsAt(asked);
        total = ids[0]?.total ?? (asked > 1 ? ((await ctx.db.select({ n: count }).from(m))[0]?.n ?? 0) : 0);
        at = Math.min(asked, lastOf(total));
        shown = at === asked ? ids : await idsAt(at);
      }
      const scripts = new Map((await sentScripts(ctx, { submissionIds: shown.map((r) => r.id) })).map((s) => [s.submission.id, s]));
      return { rows: shown.flatMap((r) => scripts.get(r.id) ?? []), total, page: at };
    },
    /** The intakes and tasks of every sent script (to filter by, whatever is shown), and how many scripts are not allocated. */
    async summary(): Promise<{ unallocated: number; intakes: { id: string; name: string }[]; tasks: { value: string; text: string }[] }> {
      const groups = await counted();
      const sent = new Set(groups.map((g) => `${g.intakeId} ${g.taskKey}`));
      const present = assessed.filter((a) => sent.has(`${a.intakeId} ${a.task.key}`));
      return {
        unallocated: groups.reduce((n, g) => n + (g.assessorUserId ? 0 : g.n), 0),
        intakes: [...new Map(present.map((a) => [a.intakeId, a.intake])).entries()].map(([id, name]) => ({ id, name })).sort((a, b) => a.name.localeCompare(b.name, 'en-GB')),
        tasks: [...new Map(present.map((a) => [a.task.key, a.task.title.split(':')[0]!])).entries()].map(([value, text]) => ({ value, text })).sort((a, b) => a.value.localeCompare(b.value, 'en-GB', { numeric: true })),
      };
    },
    /** How many scripts each assessor holds unmarked now (allocated, first marking not submitted), counted by the database. */
    async loads(): Promise<Map<string, number>> {
      const load = new Map<string, number>();
      for (const g of await counted()) if (g.assessorUserId && g.markingStatus !== 'submitted') load.set(g.assessorUserId, (load.get(g.assessorUserId) ?? 0) + g.n);
      return load;
    },
    /** The ids of the scripts matching `filter`, in no order (allocating evenly reads those not allocated). */
    async ids(filter: AllocationFilter): Promise<string[]> {
      const m = matching(filter);
      return (await ctx.db.select({ id: m.id }).from(m)).map((r) => r.id);
    },
  };
}

/** Who taught or coached each script's participant, and their delivery partner: what allocation must keep clear of. */
export async function tiesOf(ctx: AssessmentContext, scripts: readonly ScriptRow[]): Promise<ScriptTies[]> {
  const earlier = await earlierIntakesOf(ctx.db, scripts.map((s) => s.enrolmentId));
  const places = scripts.map((s) => ({ enrolmentId: s.enrolmentId, intakeIds: [s.intakeId, ...(earlier.get(s.enrolmentId) ?? [])] }));
  const [taught, coached, intakes] = await Promise.all([facilitatorsOfPlaces(ctx.db, places), coachesEverOf(ctx.db, places.map((p) => p.enrolmentId)), intakesForDelivery(ctx.db, 'all')]);
  const partnerOf = new Map(intakes.map((i) => [i.intake.id, i.intake.deliveryPartnerId]));
  return scripts.map((s, i) => ({
    submissionId: s.submission.id,
    deliveryPartnerIds: new Set([s.deliveryPartnerId, ...places[i]!.intakeIds.map((id) => partnerOf.get(id))].filter((p): p is string => Boolean(p))),
    taughtBy: new Set([...(taught.get(s.enrolmentId) ?? []), ...(coached.get(s.enrolmentId) ?? [])]),
    writtenBy: s.userId,
  }));
}

/** A script as its assessor sees it: the candidate number and what is marked, never whose it is. */
export interface BlindScript {
  candidateNumber: string;
  qualification: string;
  task: AssessmentTask;
  wordsCounted: number;
  wordLimit: number;
  overLimit: boolean;
  late: boolean;
  resit: boolean;
  fileType: FileType;
  allocatedAt: Date;
  marking: Marking | null;
  /** What moderation asked the assessor to look at again, while the script is sent back to them. */
  sentBackNote: string | null;
}

export const blind = (s: ScriptRow): BlindScript => ({
  candidateNumber: s.allocation!.candidateNumber,
  qualification: s.qualification,
  task: s.task,
  wordsCounted: s.submission.wordsCounted,
  wordLimit: s.submission.wordLimit,
  overLimit: s.submission.overLimit,
  late: s.submission.late,
  resit: s.submission.attempt > 1,
  fileType: s.submission.fileType as FileType,
  allocatedAt: s.allocation!.allocatedAt,
  marking: s.marking,
  sentBackNote: s.moderation?.status === 'sent_back' ? s.moderation.sentBackNote : null,
});


/**
 * Writes one round's marks on a script (issue 12 items 4 and 5): a draft, or submitted. One row per
 * script and round, so a second tab's save lands on the same draft; nothing lands on submitted marks
 * (returns saved false). The total and result are the scheme's.
 */
export async function writeMarking(tx: Executor, now: Date, m: { submissionId: string; round: MarkingRound; markerUserId: string; scheme: MarkScheme; marks: Marks; overall: string; submit: boolean }): Promise<{ saved: boolean; total: number; result: 'pass' | 'fail' | null }> {
  const outcome = resultOf(m.scheme, m.marks);
  const values = { marks: m.marks, overallComment: m.overall, total: outcome.total, result: outcome.result, status: m.submit ? 'submitted' : 'draft', schemeVersion: m.scheme.version, markerUserId: m.markerUserId, updatedAt: now, submittedAt: m.submit ? now : null };
  const saved = await tx
    .insert(scriptMarkings)
    .values({ submissionId: m.submissionId, round: m.round, ...values })
    .onConflictDoUpdate({ target: [scriptMarkings.submissionId, scriptMarkings.round], set: values, setWhere: guardOf(MARKING_WORKFLOW, m.submit ? 'submit' : 'save', scriptMarkings.status) })
    .returning({ id: scriptMarkings.id });
  return { saved: saved.length > 0, total: outcome.total, result: outcome.result };
}

/** A script's text as blocks, read from its file as its words were counted (submissions/read-account.ts), for its marker to read on the page; null when the file is gone or unreadable. */
export async function textOfScript(ctx: AssessmentContext, script: ScriptRow): Promise<AccountBlock[] | null> {
  const bytes = await ctx.files.get(script.submission.fileKey);
  return bytes ? accountText(bytes, script.submission.fileType as 'docx' | 'pdf') : null;
}

/**
 * A script's file for whoever marks it, named by its candidate number ("C-4K7Q2M.docx"), not as it
 * was uploaded: a file name often holds its author's. NotFoundError when the file is gone.
 */
export async function fileOfScript(ctx: AssessmentContext, script: ScriptRow): Promise<{ name: string; type: FileType; bytes: Buffer }> {
  const bytes = await ctx.files.get(script.submission.fileKey);
  if (!bytes || !script.allocation) throw new NotFoundError('file');
  return { name: `${script.allocation.candidateNumber}.${script.submission.fileType}`, type: script.submission.fileType as FileType, bytes };
}
