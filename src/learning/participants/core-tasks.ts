import { and, asc, desc, eq, inArray } from 'drizzle-orm';
import { audit } from '../../audit/audit';
import { intakeById } from '../../catalogue/catalogue.queries';
import { placesByEnrolment, placesInIntake } from '../../enrolment/enrolment.queries';
import type { Actor } from '../../platform/auth/actor';
import { requireFullySignedIn } from '../../platform/auth/require-signed-in';
import { ForbiddenError, NotFoundError, ValidationError } from '../../platform/errors';
import { CORE_TASK_FILE_MAX_BYTES, CORE_TASK_FILE_TYPES, CORE_TASK_MAX_CHARACTERS, CORE_TASK_WORKFLOW, type CoreTaskStatus, maySubmitAttempt } from '../domain/core-task';
import { checkedKind, type FileType, keptFileName } from '../../platform/file-types';
import { randomUUID } from 'node:crypto';
import { characterCount, hasVisibleText } from '../../platform/text';
import { intakeAbilities } from '../domain/learning.policy';
import { modulesOf, type ProgrammeContent } from '../domain/programme';
import { commit, intakeFor, type LearningContext, refuse, versionOfIntake } from '../learning.context';
import { coreTaskAttempts, learningProgress } from '../learning.schema';
import { myProgramme } from './my-programme';
import { recordEvent } from '../../platform/events';
import '../learning.events';
import { facilitatorsOf } from '../../people/people.queries';
import type { Email } from '../../mail/outbox';
import { coreTaskToReviewEmail } from '../emails/core-task-emails';
import { groupOfPlace, groupsOfIntake, membershipIn } from '../plans/groups';
import { guardOf } from '../../platform/workflow';
import { keptOnlyIfCommitted } from '../../platform/file-store';
import type { SentFile } from '../../platform/file-forms';

export type CoreTaskAttempt = typeof coreTaskAttempts.$inferSelect;

/** A core task activity of a programme by its key, with its module, or undefined. */
export function coreTaskOf(content: ProgrammeContent, activityKey: string) {
  for (const { course, module } of modulesOf(content)) {
    const activity = module.activities.find((a) => a.key === activityKey && a.kind === 'core_task');
    if (activity) return { course, module, activity };
  }
  return undefined;
}

/** Every attempt at the core tasks of one place, oldest first (the participant's history). */
export async function attemptsOf(ctx: LearningContext, enrolmentId: string): Promise<CoreTaskAttempt[]> {
  return ctx.db.select().from(coreTaskAttempts).where(eq(coreTaskAttempts.enrolmentId, enrolmentId)).orderBy(asc(coreTaskAttempts.activityKey), asc(coreTaskAttempts.attempt));
}

/**
 * The participant's own attempts on one place (NotFoundError for anyone else's). Checks whose place it
 * is by the place alone: the pages that ask have read the programme already, and reading it again
 * here doubled their queries.
 */
export async function myCoreTaskAttempts(ctx: LearningContext, actor: Actor, enrolmentId: string): Promise<CoreTaskAttempt[]> {
  const me = requireFullySignedIn(actor);
  const [place] = await placesByEnrolment(ctx.db, [enrolmentId]);
  if (!place || place.userId !== me.userId) throw new NotFoundError('programme');
  return attemptsOf(ctx, enrolmentId);
}

/**
 * Sends a core task (issue 10 item 4): its first attempt, or a new one after "needs more work", as
 * text (at most CORE_TASK_MAX_CHARACTERS characters), a file (a PDF or Word document by its bytes, at
 * most CORE_TASK_FILE_MAX_BYTES: kept in the file store), or both. Only on the participant's own
 * place, while in training, for a core task of a released module (AppError cannot_submit), and not
 * while an attempt waits for review or once complete (AppError already_sent). ValidationError on
 * `text` (neither sent, or too long) or `file`. Audited.
 */
export async function submitCoreTask(ctx: LearningContext, actor: Actor, enrolmentId: string, activityKey: string, rawText: string, file?: SentFile): Promise<void> {
  const p = await myProgramme(ctx, actor, enrolmentId);
  if (p.place.trainingStatus !== 'active') throw refuse('not_in_training', 'Your place is paused or has ended, so nothing can be sent. Ask your provider if this is wrong.');
  const task = coreTaskOf(p.content, activityKey);
  if (!task) throw new NotFoundError('core task');
  const released = p.plan.get(task.module.key)?.releasesOn;
  if (!released || released > p.today) throw refuse('cannot_submit', 'This core task is not open yet');
  const text = rawText.replace(/\r\n?/g, '\n').trim();
  const sent = file && (file.bytes.length > 0 || file.tooLarge) ? file : undefined;
  if (!hasVisibleText(text) && !sent) throw new ValidationError({ text: 'Enter your core task, or choose a file of it' });
  if (characterCount(text) > CORE_TASK_MAX_CHARACTERS) throw new ValidationError({ text: `Your core task must be ${CORE_TASK_MAX_CHARACTERS.toLocaleString('en-GB')} characters or fewer` });
  let kept: { fileName: string; fileType: FileType; fileSize: number; fileKey: string } | undefined;
  if (sent) {
    const fileType = await checkedKind(sent, CORE_TASK_FILE_TYPES, CORE_TASK_FILE_MAX_BYTES);
    // Kept before the attempt is recorded: an attempt never names a file that is not there; a send that fails removes it again.
    kept = { fileName: keptFileName(sent.name, fileType, 'core-task'), fileType, fileSize: sent.bytes.length, fileKey: `core-tasks/${randomUUID()}` };
    await ctx.files.put(kept.fileKey, sent.bytes);
  }
  await keptOnlyIfCommitted(ctx, kept?.fileKey, () => commit(ctx, async (tx) => {
    const [latest] = await tx
      .select({ attempt: coreTaskAttempts.attempt, status: coreTaskAttempts.status })
      .from(coreTaskAttempts)
      .where(and(eq(coreTaskAttempts.enrolmentId, enrolmentId), eq(coreTaskAttempts.activityKey, activityKey)))
      .orderBy(desc(coreTaskAttempts.attempt))
      .limit(1);
    if (!maySubmitAttempt(latest?.status as CoreTaskStatus | undefined)) throw refuse('already_sent', latest?.status === 'complete' ? 'This core task is already complete' : 'Your core task is waiting for review: you can send it again if your facilitator asks for more work');
    const attempt = (latest?.attempt ?? 0) + 1;
    // Two sends at once: the unique attempt number lets one through.
    const [row] = await tx.insert(coreTaskAttempts).values({ enrolmentId, activityKey, attempt, text, ...kept, submittedAt: ctx.clock.now() }).onConflictDoNothing().returning({ id: coreTaskAttempts.id });
    if (!row) throw refuse('already_sent', 'Your core task is waiting for review: you can send it again if your facilitator asks for more work');
    await recordEvent(tx, ctx.clock, { type: 'core_task.submitted', attemptId: row.id });
    await audit(tx, ctx.clock, actor, { action: 'core_task.submitted', entityType: 'enrolment', entityId: enrolmentId, after: { activityKey, attempt, file: kept ? { name: kept.fileName, type: kept.fileType, size: kept.fileSize } : null } });
  }));
}

/** Whose core tasks a list shows: every group's, the groups the reviewer leads, one group's (by id), or those of participants in no group. */
export type ReviewGroupFilter = 'all' | 'mine' | 'none' | string;

/**
 * An intake's core task attempts for those who review them (admin; the partner's lead and facilitators:
 * NotFoundError for others), latest first, with each participant's name and group and the task's title.
 * `status` narrows to one state; `group` to some groups (ReviewGroupFilter): by default, a reviewer who
 * leads groups in this intake sees their own groups' (issue 10 item 7: "the core tasks they review"),
 * anyone else every group's. Returns the filter applied, the intake's groups and those the actor leads.
 */
export async function coreTasksOfIntake(ctx: LearningContext, actor: Actor, intakeId: string, status?: CoreTaskStatus, group?: ReviewGroupFilter) {
  const { intake, may } = await intakeFor(ctx, actor, intakeId);
  if (!may.reviewCoreTasks) throw new ForbiddenError();
  const [version, places, groups] = await Promise.all([versionOfIntake(ctx.db, intake), placesInIntake(ctx.db, intake.id), groupsOfIntake(ctx, intake.id, intake.deliveryPartnerId)]);
  const mine = actor.kind === 'user' ? groups.filter((g) => g.facilitatorUserId === actor.userId) : [];
  const chosen: ReviewGroupFilter = group === 'all' || group === 'none' || (group === 'mine' && mine.length) || groups.some((g) => g.id === group) ? group! : mine.length ? 'mine' : 'all';
  const members = await membershipIn(ctx, groups.map((g) => g.id));
  const groupName = new Map(groups.map((g) => [g.id, g.name]));
  const shown = (enrolmentId: string) => {
    const of = members.get(enrolmentId);
    if (chosen === 'all') return true;
    if (chosen === 'none') return of === undefined;
    if (chosen === 'mine') return mine.some((g) => g.id === of);
    return of === chosen;
  };
  const names = new Map(places.filter((p) => shown(p.enrolmentId)).map((p) => [p.enrolmentId, p.fullName]));
  const result = { intake, group: chosen, groups, mine, attempts: [] as { attempt: CoreTaskAttempt; participant: string; groupName: string | null; task: ReturnType<typeof coreTaskOf> }[] };
  if (!names.size || !version) return result;
  const rows = await ctx.db
    .select()
    .from(coreTaskAttempts)
    .where(and(inArray(coreTaskAttempts.enrolmentId, [...names.keys()]), status ? eq(coreTaskAttempts.status, status) : undefined))
    .orderBy(desc(coreTaskAttempts.submittedAt));
  result.attempts = rows.map((a) => {
    const groupId = members.get(a.enrolmentId);
    return { attempt: a, participant: names.get(a.enrolmentId) ?? '', groupName: groupId ? (groupName.get(groupId) ?? null) : null, task: coreTaskOf(version.content, a.activityKey) };
  });
  return result;
}

/** One attempt for its reviewer: the attempt, the participant's earlier attempts at the same task, the task and who it is (NotFoundError for anyone who may not review it). */
export async function coreTaskForReview(ctx: LearningContext, actor: Actor, attemptId: string) {
  const [attempt] = await ctx.db.select().from(coreTaskAttempts).where(eq(coreTaskAttempts.id, attemptId));
  if (!attempt) throw new NotFoundError('core task');
  const [place] = await placesByEnrolment(ctx.db, [attempt.enrolmentId]);
  const intake = place?.intakeId ? await intakeById(ctx.db, place.intakeId) : undefined;
  if (!place || !intake || !intakeAbilities(actor, intake).reviewCoreTasks) throw new NotFoundError('core task');
  const version = await versionOfIntake(ctx.db, intake);
  const history = await ctx.db
    .select()
    .from(coreTaskAttempts)
    .where(and(eq(coreTaskAttempts.enrolmentId, attempt.enrolmentId), eq(coreTaskAttempts.activityKey, attempt.activityKey)))
    .orderBy(asc(coreTaskAttempts.attempt));
  return { attempt, place, intake, task: version ? coreTaskOf(version.content, attempt.activityKey) : undefined, history };
}

/**
 * The file sent with an attempt, for the participant whose it is and for those who may review it
 * (NotFoundError for anyone else, for an attempt without a file, and for a file missing from the store).
 */
export async function coreTaskFile(ctx: LearningContext, actor: Actor, attemptId: string): Promise<{ name: string; type: FileType; bytes: Buffer }> {
  const [attempt] = await ctx.db.select().from(coreTaskAttempts).where(eq(coreTaskAttempts.id, attemptId));
  if (!attempt?.fileKey || !attempt.fileType || !attempt.fileName) throw new NotFoundError('file');
  const [place] = await placesByEnrolment(ctx.db, [attempt.enrolmentId]);
  const own = Boolean(place && actor.kind === 'user' && actor.fullySignedIn && place.userId === actor.userId);
  const intake = !own && place?.intakeId ? await intakeById(ctx.db, place.intakeId) : undefined;
  if (!own && !(intake && intakeAbilities(actor, intake).reviewCoreTasks)) throw new NotFoundError('file');
  const bytes = await ctx.files.get(attempt.fileKey);
  if (!bytes) throw new NotFoundError('file');
  return { name: attempt.fileName, type: attempt.fileType as FileType, bytes };
}

/**
 * Reviews an attempt (issue 10 item 4): "complete" records the task as done for the participant;
 * "needs more work" needs feedback and lets them send a new attempt. ValidationError on `decision` or
 * `feedback`; AppError already_reviewed when someone reviewed it first. Audited.
 */
export async function reviewCoreTask(ctx: LearningContext, actor: Actor, attemptId: string, input: { decision: string; feedback: string }): Promise<CoreTaskStatus> {
  const { attempt } = await coreTaskForReview(ctx, actor, attemptId);
  const decision = input.decision === 'complete' ? 'accept' : input.decision === 'needs_more_work' ? 'send_back' : undefined;
  const feedback = input.feedback.replace(/\r\n?/g, '\n').trim();
  const errors: Record<string, string> = {};
  if (!decision) errors.decision = 'Select whether the core task is complete or needs more work';
  if (decision === 'send_back' && !feedback) errors.feedback = 'Enter feedback: say what more the participant needs to do';
  if (characterCount(feedback) > 10_000) errors.feedback = 'Feedback must be 10,000 characters or fewer';
  if (Object.keys(errors).length) throw new ValidationError(errors);
  const to = CORE_TASK_WORKFLOW.events[decision!].to;
  const now = ctx.clock.now();
  await commit(ctx, async (tx) => {
    const [done] = await tx
      .update(coreTaskAttempts)
      .set({ status: to, feedback, reviewedBy: actor.kind === 'user' ? actor.userId : null, reviewedAt: now })
      .where(and(eq(coreTaskAttempts.id, attempt.id), guardOf(CORE_TASK_WORKFLOW, decision!, coreTaskAttempts.status)))
      .returning({ id: coreTaskAttempts.id });
    if (!done) throw refuse('already_reviewed', 'Someone has already reviewed this attempt', 409);
    if (to === 'complete') await tx.insert(learningProgress).values({ enrolmentId: attempt.enrolmentId, itemKey: attempt.activityKey, doneAt: now }).onConflictDoNothing();
    await audit(tx, ctx.clock, actor, { action: `core_task.${to}`, entityType: 'enrolment', entityId: attempt.enrolmentId, after: { activityKey: attempt.activityKey, attempt: attempt.attempt, feedback } });
  });
  return to;
}

/**
 * The email telling the facilitator of the participant's group that their core task waits for review
 * (issue 10 items 4 and 7: core tasks reach "the facilitator or tutor" who reviews them), or undefined
 * when the participant is in no group, the group has no facilitator (or they no longer facilitate for
 * the partner), or the attempt is no longer waiting. The email names the participant and the task, never
 * what they wrote.
 */
export async function reviewerEmailFor(ctx: LearningContext, attemptId: string): Promise<Email | undefined> {
  const [attempt] = await ctx.db.select().from(coreTaskAttempts).where(eq(coreTaskAttempts.id, attemptId));
  if (attempt?.status !== 'submitted') return undefined;
  const [place] = await placesByEnrolment(ctx.db, [attempt.enrolmentId]);
  const intake = place?.intakeId ? await intakeById(ctx.db, place.intakeId) : undefined;
  if (!place || !intake) return undefined;
  const [group, version] = await Promise.all([groupOfPlace(ctx, place.enrolmentId, intake.id), versionOfIntake(ctx.db, intake)]);
  const facilitator = group?.facilitatorUserId ? (await facilitatorsOf(ctx.db, intake.deliveryPartnerId)).find((f) => f.id === group.facilitatorUserId) : undefined;
  if (!group || !facilitator) return undefined;
  const task = version ? coreTaskOf(version.content, attempt.activityKey) : undefined;
  return coreTaskToReviewEmail({
    to: facilitator.email,
    name: facilitator.name,
    participant: place.fullName,
    task: task ? `${task.course.title}: ${task.module.title}` : attempt.activityKey,
    attempt: attempt.attempt,
    group: group.name,
    intake: intake.name,
    link: `${ctx.baseUrl}/delivery/core-tasks/${attempt.id}`,
    providerName: ctx.providerName,
  });
}
