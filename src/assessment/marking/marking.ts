import { and, eq, ne, sql } from 'drizzle-orm';
import { audit } from '../../audit/audit';
import { isUniqueViolation } from '../../db/errors';
import { markersWithPartners } from '../../people/people.queries';
import type { Actor } from '../../platform/auth/actor';
import { isSignedIn } from '../../platform/auth/actor';
import { ForbiddenError, NotFoundError, ValidationError } from '../../platform/errors';
import type { FileType } from '../../platform/file-types';
import { one } from '../../platform/forms';
import { type AssessmentContext, refuse } from '../assessment.context';
import { moderationSamples, scriptAllocations, scriptMarkings, submissions } from '../assessment.schema';
import { managesAssessment, marksScripts } from '../domain/assessment.policy';
import { allocateEvenly, type AssessorLoad, CONFLICT_TEXT, conflictOf, newCandidateNumber } from '../domain/allocation';
import { readMarks } from '../domain/mark-scheme';

import { afterRemarking } from './moderation';
import type { AccountBlock } from '../domain/word-count';
import { type AllocationFilter, type BlindScript, blind, fileOfScript, type ScriptRow, sentScripts, sentScriptsQuery, textOfScript, tiesOf, writeMarking } from './scripts';

/** The assessors, each with the scripts they hold unmarked now (allocated, first marking not submitted), counted by the database. */
async function assessorLoads(ctx: AssessmentContext, scripts: Awaited<ReturnType<typeof sentScriptsQuery>>): Promise<(AssessorLoad & { email: string })[]> {
  const [assessors, load] = await Promise.all([markersWithPartners(ctx.db, 'assessor'), scripts.loads()]);
  return assessors.map((a) => ({ userId: a.userId, name: a.name, email: a.email, partnerIds: new Set(a.partnerIds), load: load.get(a.userId) ?? 0 }));
}

export type { AllocationFilter };

/**
 * The provider admin's list for allocating scripts (issue 12 item 4): every account sent, filtered
 * and paged in the database (50 a page; a page past the end is the last), those not allocated
 * first, then as sent, each with its candidate number, assessor and marking; how many match and how
 * many are not allocated; the assessors with the scripts they hold; and the intakes and tasks to
 * filter by. The admin sees names: they allocate, they do not mark. ForbiddenError for anyone else.
 */
export async function allocationList(ctx: AssessmentContext, actor: Actor, filter: AllocationFilter, page: { page: number; perPage: number } = { page: 1, perPage: 50 }) {
  if (!managesAssessment(actor)) throw new ForbiddenError();
  const scripts = await sentScriptsQuery(ctx);
  const [shown, summary, assessors] = await Promise.all([scripts.page(filter, page), scripts.summary(), assessorLoads(ctx, scripts)]);
  const names = new Map(assessors.map((a) => [a.userId, a.name]));
  return {
    rows: shown.rows.map((s) => ({ ...s, assessorName: s.allocation ? (names.get(s.allocation.assessorUserId) ?? 'A former assessor') : null })),
    total: shown.total,
    unallocated: summary.unallocated,
    /** Every task any sent script is for, to filter by, whatever the filter shows. */
    tasks: summary.tasks,
    page: shown.page,
    assessors,
    intakes: summary.intakes,
  };
}

/** Allocates one script to an assessor, keeping its candidate number if it has one; the previous assessor's draft marks, if any, are let go. */
async function allocate(ctx: AssessmentContext, actor: Actor, script: ScriptRow, assessorUserId: string, opts: { onlyIfUnallocated?: boolean } = {}): Promise<{ candidateNumber: string; draftLetGo: boolean } | null> {
  const now = ctx.clock.now();
  const by = isSignedIn(actor) ? actor.userId : null;
  for (let tries = 0; ; tries++) {
    try {
      return await ctx.db.transaction(async (tx) => {
        // The account held, as a withdrawal holds it: one waits for the other, and a withdrawn account is not allocated.
        const [sent] = await tx.select({ status: submissions.status }).from(submissions).where(eq(submissions.id, script.submission.id)).for('update');
        if (sent?.status !== 'submitted') throw new NotFoundError('script');
        // The allocation row held: an assessor's save (saveMarking) waits for a move, and a move for a save.
        const [current] = await tx.select().from(scriptAllocations).where(eq(scriptAllocations.submissionId, script.submission.id)).for('update');
        // Allocated meanwhile (by hand, or another press of "evenly"): what is allocated stays.
        if (current && opts.onlyIfUnallocated) return null;
        const [marked] = await tx.select({ id: scriptMarkings.id }).from(scriptMarkings).where(and(eq(scriptMarkings.submissionId, script.submission.id), eq(scriptMarkings.round, 'first'), eq(scriptMarkings.status, 'submitted')));
        if (marked) throw refuse('already_marked', 'This script is marked already: it cannot go to another assessor.');
        // Its moderation held after the allocation, in saveMarking's order: only a script sent back to be marked again moves, and never to its moderator.
        const [sample] = await tx.select({ status: moderationSamples.status, moderatorUserId: moderationSamples.moderatorUserId }).from(moderationSamples).where(eq(moderationSamples.submissionId, script.submission.id)).for('update');
        if (sample && sample.status !== 'sent_back') throw refuse('already_marked', 'This script is marked already: it cannot go to another assessor.');
        if (sample?.moderatorUserId === assessorUserId) throw new ValidationError({ assessor: 'That assessor moderates this script: choose another assessor' });
        // Nor to whoever marked it in moderation's rounds (a moderator since passed it on): they would hold two of its markings.
        const [moderated] = sample ? await tx.select({ id: scriptMarkings.id }).from(scriptMarkings).where(and(eq(scriptMarkings.submissionId, script.submission.id), ne(scriptMarkings.round, 'first'), eq(scriptMarkings.markerUserId, assessorUserId))) : [];
        if (moderated) throw new ValidationError({ assessor: 'That assessor marked this script in moderation: choose another assessor' });
        const candidateNumber = current?.candidateNumber ?? newCandidateNumber();
        const values = { submissionId: script.submission.id, candidateNumber, assessorUserId, allocatedBy: by, allocatedAt: now };
        const written = opts.onlyIfUnallocated
          ? await tx.insert(scriptAllocations).values(values).onConflictDoNothing({ target: scriptAllocations.submissionId }).returning({ id: scriptAllocations.submissionId })
          : await tx
              .insert(scriptAllocations)
              .values(values)
              .onConflictDoUpdate({ target: scriptAllocations.submissionId, set: { assessorUserId, allocatedBy: by, allocatedAt: now } })
              .returning({ id: scriptAllocations.submissionId });
        if (!written.length) return null;
        // Another assessor's draft is theirs, not the new assessor's: marking starts again. Never submitted marks.
        const dropped = await tx.delete(scriptMarkings).where(and(eq(scriptMarkings.submissionId, script.submission.id), eq(scriptMarkings.round, 'first'), eq(scriptMarkings.status, 'draft'), ne(scriptMarkings.markerUserId, assessorUserId))).returning({ id: scriptMarkings.id });
        // A sent-back script moved on: whoever marked it first has read it, and is never its third marker.
        if (sample && current && current.assessorUserId !== assessorUserId) {
          await tx.update(moderationSamples).set({ earlierAssessorIds: sql`${moderationSamples.earlierAssessorIds} || ${JSON.stringify([current.assessorUserId])}::jsonb` }).where(eq(moderationSamples.submissionId, script.submission.id));
        }
        await audit(tx, ctx.clock, actor, { action: 'script.allocated', entityType: 'submission', entityId: script.submission.id, before: current ? { assessorUserId: current.assessorUserId } : undefined, after: { assessorUserId, candidateNumber, draftMarksLetGo: dropped.length > 0 } });
        return { candidateNumber, draftLetGo: dropped.length > 0 };
      });
    } catch (err) {
      // Two new candidate numbers alike (about one in 887 million): draw again.
      if (tries < 3 && isUniqueViolation(err)) continue;
      throw err;
    }
  }
}

/**
 * Gives one sent script to an assessor by hand (issue 12 item 4), or moves it to another while its
 * first marking is not submitted, or while moderation has sent it back to be marked again (the
 * earlier assessor's draft marks are let go; submitted marks never are): the new assessor marks it,
 * and it goes back to its moderator as any script marked again does. Refuses (ValidationError on
 * `assessor`) an assessor who works for the participant's delivery partner, or taught or coached
 * them, or moderates the script; AppError already_marked once marked (and not sent back). NotFoundError for a script not sent.
 * Returns the candidate number, whether a draft was let go, and `unchanged` when no assessor was
 * chosen for a script allocated already, or the same one. Provider admin only. Audited.
 */
export async function allocateScript(ctx: AssessmentContext, actor: Actor, submissionId: string, body: unknown): Promise<{ candidateNumber: string; assessorName: string; draftLetGo: boolean; unchanged: boolean }> {
  if (!managesAssessment(actor)) throw new ForbiddenError();
  const [script] = await sentScripts(ctx, { submissionIds: [submissionId] });
  if (!script) throw new NotFoundError('script');
  // Sent back by its moderator, a script is being marked again: it may go to another assessor, as one not yet marked may.
  if (script.marking?.status === 'submitted' || (script.moderation && script.moderation.status !== 'sent_back')) throw refuse('already_marked', 'This script is marked already: it cannot go to another assessor.');
  const assessorUserId = one((body as Record<string, unknown> | null)?.assessor);
  // "Keep as it is", or the assessor it is with already: nothing to do, and nothing let go.
  if (script.allocation && (!assessorUserId || assessorUserId === script.allocation.assessorUserId)) return { candidateNumber: script.allocation.candidateNumber, assessorName: '', draftLetGo: false, unchanged: true };
  const assessors = await markersWithPartners(ctx.db, 'assessor');
  const assessor = assessors.find((a) => a.userId === assessorUserId);
  if (!assessor) throw new ValidationError({ assessor: 'Choose an assessor' });
  const [ties] = await tiesOf(ctx, [script]);
  const conflict = conflictOf({ userId: assessor.userId, partnerIds: new Set(assessor.partnerIds) }, ties!);
  if (conflict) throw new ValidationError({ assessor: `${assessor.name} ${CONFLICT_TEXT[conflict]}: choose another assessor` });
  // Its moderator second-marked it: they decide on the marks, so do not give them.
  if (script.moderation?.moderatorUserId === assessor.userId) throw new ValidationError({ assessor: `${assessor.name} moderates this script: choose another assessor` });
  const done = (await allocate(ctx, actor, script, assessor.userId))!;
  return { candidateNumber: done.candidateNumber, assessorName: assessor.name, draftLetGo: done.draftLetGo, unchanged: false };
}

/**
 * Shares every sent script not yet allocated (of one intake or task, when given) evenly among the
 * assessors, never to one with a conflict (domain/allocation.ts allocateEvenly), counting the scripts
 * they hold unmarked already. Returns how many were allocated and how many no assessor was free to
 * mark (they stay in the list, unallocated, to be given by hand once an assessor is added).
 * Provider admin only. Audited per script.
 */
export async function allocateScriptsEvenly(ctx: AssessmentContext, actor: Actor, filter: Pick<AllocationFilter, 'intakeId' | 'taskKey'>): Promise<{ allocated: number; unallocated: number; assessors: number }> {
  if (!managesAssessment(actor)) throw new ForbiddenError();
  const scripts = await sentScriptsQuery(ctx);
  const waiting = await sentScripts(ctx, { submissionIds: await scripts.ids({ ...filter, show: 'unallocated' }) });
  const assessors = await assessorLoads(ctx, scripts);
  const plan = allocateEvenly(await tiesOf(ctx, waiting), assessors);
  const byId = new Map(waiting.map((s) => [s.submission.id, s]));
  let allocated = 0;
  for (const a of plan.allocations) {
    // Allocated meanwhile by hand, or by another press: what is allocated stays, and is not counted here.
    if (await allocate(ctx, actor, byId.get(a.submissionId)!, a.assessorUserId, { onlyIfUnallocated: true })) allocated++;
  }
  return { allocated, unallocated: plan.unallocated.length, assessors: assessors.length };
}

function assessorOf(actor: Actor): string {
  if (!marksScripts(actor) || !isSignedIn(actor)) throw new ForbiddenError();
  return actor.userId;
}

/**
 * The scripts allocated to the signed-in assessor (issue 12 item 4), blind: candidate number, NPQ,
 * task, words and flags, and their marking — no name, school or partner. Those to mark first, oldest
 * allocation first. ForbiddenError for anyone who is not an assessor.
 */
export async function myScripts(ctx: AssessmentContext, actor: Actor): Promise<BlindScript[]> {
  const me = assessorOf(actor);
  const mine = await ctx.db.select({ id: scriptAllocations.submissionId }).from(scriptAllocations).where(eq(scriptAllocations.assessorUserId, me));
  const scripts = await sentScripts(ctx, { submissionIds: mine.map((m) => m.id) });
  return scripts
    .map(blind)
    .sort((a, b) => Number(a.marking?.status === 'submitted') - Number(b.marking?.status === 'submitted') || a.allocatedAt.getTime() - b.allocatedAt.getTime() || a.candidateNumber.localeCompare(b.candidateNumber));
}

/** The script under this candidate number if it is allocated to `actor` and still sent; NotFoundError otherwise (whoever asks learns nothing of scripts not theirs). */
async function allocatedScript(ctx: AssessmentContext, actor: Actor, candidateNumber: string): Promise<ScriptRow> {
  const me = assessorOf(actor);
  const [allocation] = await ctx.db.select().from(scriptAllocations).where(and(eq(scriptAllocations.candidateNumber, candidateNumber), eq(scriptAllocations.assessorUserId, me)));
  const [script] = allocation ? await sentScripts(ctx, { submissionIds: [allocation.submissionId] }) : [];
  if (!script) throw new NotFoundError('script');
  return script;
}

/** One script allocated to the signed-in assessor, blind, with its marking so far and its text to read (issue 12 item 4). NotFoundError for a script not allocated to them. */
export async function scriptToMark(ctx: AssessmentContext, actor: Actor, candidateNumber: string): Promise<BlindScript & { text: AccountBlock[] | null }> {
  const script = await allocatedScript(ctx, actor, candidateNumber);
  return { ...blind(script), text: await textOfScript(ctx, script) };
}

/**
 * The script's file for its assessor, named by the candidate number ("C-4K7Q2M.docx"), not as it was
 * uploaded: a file name often holds its author's. The text inside is the participant's, as sent.
 */
export async function scriptFile(ctx: AssessmentContext, actor: Actor, candidateNumber: string): Promise<{ name: string; type: FileType; bytes: Buffer }> {
  return fileOfScript(ctx, await allocatedScript(ctx, actor, candidateNumber));
}

/**
 * Saves the assessor's marks on a script allocated to them (issue 12 item 4): as a draft (`submit`
 * false: any marks and comments, each within the scheme), or submitted (every criterion marked and
 * commented, an overall comment), which fixes them. Refused, what was typed right is still saved as
 * a draft. The total and pass or fail are the scheme's
 * (domain/mark-scheme.ts resultOf). ValidationError by field (`mark-<criterion>`,
 * `comment-<criterion>`, `overall`); AppError already_submitted once submitted; NotFoundError for a
 * script not allocated to them. Audited.
 */
export async function saveMarking(ctx: AssessmentContext, actor: Actor, candidateNumber: string, body: unknown, submit: boolean): Promise<{ result: 'pass' | 'fail' | null; total: number }> {
  const script = await allocatedScript(ctx, actor, candidateNumber);
  const me = assessorOf(actor);
  const scheme = script.task.markScheme;
  const read = readMarks(scheme, (body ?? {}) as Record<string, unknown>, submit);
  // Refused, what was typed right is kept as a draft all the same: only the fields in error are left to put right.
  const invalid = Object.keys(read.errors).length > 0;
  const submitNow = submit && !invalid;
  let outcome: { total: number; result: 'pass' | 'fail' | null } = { total: 0, result: null };
  // Marked again after moderation sent it back, it may need a third marker, free of ties: read them first.
  const [ties] = submitNow && script.moderation?.reason ? await tiesOf(ctx, [script]) : [];
  await ctx.db.transaction(async (tx) => {
    // Still theirs, held until this save is written: a move to another assessor waits, or this save is refused.
    const [still] = await tx.select({ assessor: scriptAllocations.assessorUserId }).from(scriptAllocations).where(eq(scriptAllocations.submissionId, script.submission.id)).for('update');
    if (still?.assessor !== me) throw refuse('not_yours', 'This script is no longer yours to mark: the provider has given it to another assessor. Nothing you typed was saved.');
    // Its moderation held before the marks, in the order a moderator's decision takes them: a send-back at this moment is seen, and neither waits on the other.
    const [sample] = ties ? await tx.select({ status: moderationSamples.status }).from(moderationSamples).where(eq(moderationSamples.submissionId, script.submission.id)).for('update') : [];
    const written = await writeMarking(tx, ctx.clock.now(), { submissionId: script.submission.id, round: 'first', markerUserId: me, scheme, marks: read.marks, overall: read.overall, submit: submitNow });
    if (!written.saved) throw refuse('already_submitted', 'You have submitted your marks for this script: they cannot be changed.');
    outcome = written;
    // Sent back by its moderator: marked again, it goes back to them (or to a third marker).
    // With its first marking as now written: moved since it was sent back, its marker is this assessor, whom a third marking must leave out.
    if (ties && sample?.status === 'sent_back') {
      const [first] = await tx.select().from(scriptMarkings).where(and(eq(scriptMarkings.submissionId, script.submission.id), eq(scriptMarkings.round, 'first')));
      await afterRemarking(tx, { ...script, marking: first ?? script.marking }, ties, written.total);
    }
    await audit(tx, ctx.clock, actor, { action: submitNow ? 'marking.submitted' : 'marking.saved', entityType: 'submission', entityId: script.submission.id, after: { candidateNumber, round: 'first', total: written.total, result: written.result } });
  });
  if (invalid) throw new ValidationError(read.errors);
  return { result: outcome.result, total: outcome.total };
}
