import { randomUUID } from 'node:crypto';
import { and, asc, desc, eq, gte, inArray } from 'drizzle-orm';
import { audit } from '../../audit/audit';
import { isUniqueViolation } from '../../db/errors';
import { intakeById, intakesForDelivery } from '../../catalogue/catalogue.queries';
import { placesByEnrolment } from '../../enrolment/enrolment.queries';
import { enqueueEmail } from '../../mail/outbox';
import type { Actor } from '../../platform/auth/actor';
import { actorLabel } from '../../platform/auth/actor';
import { formatDate, formatDateTime, ukDate } from '../../platform/clock';
import { readDateFields } from '../../platform/date-input';
import { ForbiddenError, NotFoundError, ValidationError } from '../../platform/errors';
import type { SentFile } from '../../platform/file-forms';
import { keptOnlyIfCommitted } from '../../platform/file-store';
import { checkedKind, type FileType, keptFileName } from '../../platform/file-types';
import { one } from '../../platform/forms';
import { characterCount, clip, hasVisibleText } from '../../platform/text';
import { guardOf } from '../../platform/workflow';
import { type AssessmentContext, refuse } from '../assessment.context';
import { participantOutcomes, releasedResults, resultReleases, scriptAllocations, submissionExtensions, submissions, submissionWindows } from '../assessment.schema';
import { isReleased, resitOffered } from '../domain/outcome';
import { type AssessmentSpec, type AssessmentTask, assessmentSpecFor } from '../domain/assessment-spec';
import { managesAssessment, submissionScope } from '../domain/assessment.policy';
import { ACCOUNT_FILE_MAX_BYTES, caseStudyDueOn, EXTENSION_REASON_MAX, limitCheck, SUBMISSION_WORKFLOW, type SubmissionStatus, type SubmissionWindow, windowStateOf } from '../domain/submission';
import { submissionReceiptEmail, submissionWithdrawnEmail, extensionGrantedEmail } from '../emails/submission-emails';
import { type AssessmentPlace, assessmentPlaceFor, ownAssessmentPlace } from '../evidence/assessment-place';
import { readAccount } from './read-account';

export type Submission = typeof submissions.$inferSelect;
/** What an account may be: a Word document (docx) or a PDF. Word 97–2003 cannot be read reliably, so it is refused with a way on. */
export const ACCOUNT_FILE_TYPES: readonly FileType[] = ['docx', 'pdf'];

function taskOf(spec: AssessmentSpec, taskKey: string): AssessmentTask {
  const task = spec.tasks.find((t) => t.key === taskKey);
  if (!task) throw new NotFoundError('task');
  return task;
}

async function windowFor(ctx: AssessmentContext, intakeId: string | null, taskKey: string): Promise<SubmissionWindow | undefined> {
  if (!intakeId) return undefined;
  const [w] = await ctx.db.select().from(submissionWindows).where(and(eq(submissionWindows.intakeId, intakeId), eq(submissionWindows.taskKey, taskKey)));
  return w;
}

async function extensionFor(ctx: AssessmentContext, enrolmentId: string, taskKey: string) {
  const [x] = await ctx.db.select().from(submissionExtensions).where(and(eq(submissionExtensions.enrolmentId, enrolmentId), eq(submissionExtensions.taskKey, taskKey)));
  return x;
}

async function standing(ctx: AssessmentContext, at: AssessmentPlace, taskKey: string) {
  const task = taskOf(at.spec, taskKey);
  const [window, extension, rows] = await Promise.all([
    windowFor(ctx, at.place.intakeId, taskKey),
    extensionFor(ctx, at.place.enrolmentId, taskKey),
    ctx.db.select().from(submissions).where(and(eq(submissions.enrolmentId, at.place.enrolmentId), eq(submissions.taskKey, taskKey))).orderBy(desc(submissions.uploadedAt)),
  ]);
  const now = ctx.clock.now();
  const sentRows = rows.filter((r) => r.status === 'submitted');
  const resit = await resitOf(ctx, task, sentRows, now);
  // A resit is sent in the window its release set, as attempt n+1; the failed attempt stays as it was.
  const state = resit ? windowStateOf(resit.window, null, now) : windowStateOf(window, extension?.dueOn ?? null, now);
  const sent = (resit ? sentRows.find((r) => r.attempt >= resit.attempt) : sentRows[0]) ?? null;
  const [allocated] = sent ? await ctx.db.select({ id: scriptAllocations.submissionId }).from(scriptAllocations).where(eq(scriptAllocations.submissionId, sent.id)) : [];
  return { beingMarked: Boolean(allocated), task, window: window ?? null, extension: extension ?? null, state, resit, attempt: resit?.attempt ?? 1, draft: rows.find((r) => r.status === 'draft') ?? null, sent, history: rows.filter((r) => r.status === 'withdrawn' || r.status === 'submitted') };
}

/**
 * The resit a failed task offers (issue 12 item 6: "failed (with feedback and the resit offer)"):
 * when the latest attempt's released result is a fail, its release is out and set a resit date, and
 * the task allows another attempt. The resit is attempt n+1, sent from the release day to the end of
 * the resit date.
 */
async function resitOf(ctx: AssessmentContext, task: AssessmentTask, sentRows: readonly Submission[], now: Date): Promise<{ attempt: number; window: SubmissionWindow } | null> {
  if (!sentRows.length) return null;
  const released = await ctx.db
    .select({ attempt: releasedResults.attempt, result: releasedResults.result, releasesOn: resultReleases.releasesOn, resitDueOn: resultReleases.resitDueOn })
    .from(releasedResults)
    .innerJoin(resultReleases, eq(resultReleases.id, releasedResults.releaseId))
    .where(inArray(releasedResults.submissionId, sentRows.map((r) => r.id)))
    .orderBy(desc(releasedResults.attempt))
    .limit(1);
  const last = released[0];
  // A voided outcome offers no resit, as its results page says.
  const [outcome] = await ctx.db.select({ state: participantOutcomes.state }).from(participantOutcomes).where(eq(participantOutcomes.enrolmentId, sentRows[0]!.enrolmentId)).orderBy(desc(participantOutcomes.seq)).limit(1);
  if (outcome?.state === 'voided') return null;
  if (last?.result !== 'fail' || !last.resitDueOn || !isReleased(last.releasesOn, now) || !resitOffered(task, last.attempt)) return null;
  return { attempt: last.attempt + 1, window: { opensOn: last.releasesOn, dueOn: last.resitDueOn, lateUntil: null } };
}

/** Each task's submission standing on a place (its window as it applies, the account sent and any draft), by task key: the assessment overview's. */
export async function submissionStandings(ctx: AssessmentContext, at: AssessmentPlace) {
  return new Map(await Promise.all(at.spec.tasks.map(async (t) => [t.key, await standing(ctx, at, t.key)] as const)));
}

/**
 * One task's submission on a place (issue 12 item 3), for its participant or staff who read its
 * evidence: the task, its window as it applies to them (their extension included), the draft waiting
 * for confirmation (the participant's only), the account sent, and every account sent or withdrawn. NotFoundError for anyone
 * else, or a task the place's assessment does not have.
 */
export async function mySubmission(ctx: AssessmentContext, actor: Actor, enrolmentId: string, taskKey: string) {
  const at = await assessmentPlaceFor(ctx, actor, enrolmentId);
  const s = await standing(ctx, at, taskKey);
  // A draft is the participant's until they send it: staff never see it.
  return { ...at, ...s, draft: at.own ? s.draft : null };
}

const mayUpload = (state: ReturnType<typeof windowStateOf>) => {
  if (state.state === 'none') throw refuse('not_open', 'Your provider has not opened submissions for this task yet. We will show the dates here when they do.');
  if (state.state === 'not_open') throw refuse('not_open', `Submissions for this task open on ${formatDate(state.opensAt)}.`);
  if (state.state === 'closed') throw refuse('window_closed', `Submissions for this task closed at the end of ${formatDate(state.lateOn ?? state.dueOn)}. Ask your provider if you need more time.`);
};

/**
 * Uploads the participant's account for a task as a draft (issue 12 item 3): a Word document or PDF
 * of at most ACCOUNT_FILE_MAX_BYTES, its text read and its words counted under the task's rule, to be
 * shown before they confirm. Replaces a draft already waiting. ValidationError on `file` (none, too
 * large, not Word or PDF, unreadable, no words); AppError not_open, window_closed, already_sent (send
 * a new one only after withdrawing). Returns the draft.
 */
export async function uploadAccount(ctx: AssessmentContext, actor: Actor, enrolmentId: string, taskKey: string, file: SentFile | undefined): Promise<Submission> {
  const at = await ownAssessmentPlace(ctx, actor, enrolmentId);
  const s = await standing(ctx, at, taskKey);
  mayUpload(s.state);
  if (s.sent) throw refuse('already_sent', 'You have already sent this account. To send a different one, withdraw it first (you can until the deadline).');
  if (!file || (!file.bytes.length && !file.tooLarge)) throw new ValidationError({ file: 'Choose your account: a Word document or a PDF' });
  if (/\.doc$/i.test(file.name)) throw new ValidationError({ file: 'Save your account as a Word document (.docx) or a PDF and upload that: older .doc files cannot be read reliably' });
  const fileType = await checkedKind(file, ACCOUNT_FILE_TYPES, ACCOUNT_FILE_MAX_BYTES);
  const read = await readAccount(file.bytes, fileType as 'docx' | 'pdf', s.task.wordCount.excludes);
  const name = clip(file.name, 80);
  if ('fault' in read) {
    throw new ValidationError({ file: read.fault === 'too_big' ? `“${name}” holds far more than an account of ${s.task.wordLimit.toLocaleString('en-GB')} words: it is too large for us to read. Upload the account on its own, saved from your word processor` : `We could not read the words in “${name}”. If it has a password, remove it. Otherwise open it, save it again as a Word document or PDF, and upload that` });
  }
  const { count } = read;
  if (!count.total) throw new ValidationError({ file: fileType === 'pdf' ? `“${name}” has no words we can read. A scanned PDF is a picture of text: save your account from your word processor instead` : `“${name}” has no words in it. Check it is your account, and upload it again` });
  const key = `accounts/${randomUUID()}`;
  await ctx.files.put(key, file.bytes);
  const now = ctx.clock.now();
  const { row, replaced } = await keptOnlyIfCommitted(ctx, key, () =>
    ctx.db.transaction(async (tx) => {
      // Sent meanwhile (another tab confirmed while this file was read): this one is not kept beside it.
      const [sentMeanwhile] = await tx.select({ id: submissions.id }).from(submissions).where(and(eq(submissions.enrolmentId, enrolmentId), eq(submissions.taskKey, taskKey), eq(submissions.status, 'submitted'), gte(submissions.attempt, s.attempt)));
      if (sentMeanwhile) throw refuse('already_sent', 'You have already sent this account. To send a different one, withdraw it first (you can until the deadline).');
      const old = await tx.update(submissions).set({ status: 'discarded' }).where(and(eq(submissions.enrolmentId, enrolmentId), eq(submissions.taskKey, taskKey), guardOf(SUBMISSION_WORKFLOW, 'discard', submissions.status))).returning({ fileKey: submissions.fileKey });
      const [inserted] = await tx
        .insert(submissions)
        .values({ enrolmentId, taskKey, attempt: s.attempt, fileName: keptFileName(file.name, fileType, 'account'), fileType, fileSize: file.bytes.length, fileKey: key, wordLimit: s.task.wordLimit, wordsTotal: count.total, wordsCounted: count.counted, wordsExcluded: count.excluded as Record<string, number>, overLimit: limitCheck(s.task, count).over, uploadedAt: now })
        .returning();
      await audit(tx, ctx.clock, actor, { action: 'submission.uploaded', entityType: 'enrolment', entityId: enrolmentId, after: { taskKey, submissionId: inserted!.id, file: inserted!.fileName, words: count.counted, overLimit: inserted!.overLimit } });
      return { row: inserted!, replaced: old.map((o) => o.fileKey) };
    }),
  );
  for (const k of replaced) await ctx.files.remove(k).catch(() => undefined);
  return row;
}

/**
 * Sends the draft the participant has seen counted (issue 12 item 3). Refused over the limit when the
 * rule refuses (AppError over_limit), outside the window (not_open, window_closed), or for a draft no
 * longer waiting (NotFoundError). Late within the late period is taken and marked late. A receipt is
 * emailed with the change. Audited.
 */
export async function confirmSubmission(ctx: AssessmentContext, actor: Actor, enrolmentId: string, taskKey: string, submissionId: string): Promise<Submission> {
  const at = await ownAssessmentPlace(ctx, actor, enrolmentId);
  const s = await standing(ctx, at, taskKey);
  mayUpload(s.state);
  if (s.sent && (!s.draft || s.draft.id !== submissionId)) throw refuse('already_sent', 'Your account is already sent. We emailed you a receipt.');
  if (!s.draft || s.draft.id !== submissionId) throw new NotFoundError('draft');
  const check = limitCheck(s.task, { counted: s.draft.wordsCounted });
  if (check.refused) throw refuse('over_limit', `Your account has ${s.draft.wordsCounted.toLocaleString('en-GB')} words counted; the limit is ${s.task.wordLimit.toLocaleString('en-GB')}. Shorten it and upload it again.`);
  const now = ctx.clock.now();
  return ctx.db.transaction(async (tx) => {
    const [sent] = await tx
      .update(submissions)
      .set({ status: 'submitted', submittedAt: now, late: s.state.state === 'late' })
      .where(and(eq(submissions.id, submissionId), eq(submissions.enrolmentId, enrolmentId), guardOf(SUBMISSION_WORKFLOW, 'confirm', submissions.status)))
      .returning()
      .catch((err: unknown) => {
        // Two sends at once from two drafts cannot happen (one draft at a time), but a second tab's send can race a first: the unique index lets one through.
        if (isUniqueViolation(err)) throw refuse('already_sent', 'You have already sent this account.');
        throw err;
      });
    if (!sent) throw new NotFoundError('draft');
    await enqueueEmail(tx, ctx.clock, submissionReceiptEmail({ to: at.place.email, participant: at.place.fullName, task: s.task.title, file: sent.fileName, words: sent.wordsCounted, limit: sent.wordLimit, overLimit: sent.overLimit, late: sent.late, at: formatDateTime(now), reference: sent.id.slice(0, 8).toUpperCase(), withdrawBy: s.state.state === 'open' ? `the end of ${formatDate(s.state.dueOn)}` : null, link: `${ctx.baseUrl}/programme/${enrolmentId}/assessment/submit/${taskKey}`, providerName: ctx.providerName }));
    await audit(tx, ctx.clock, actor, { action: 'submission.sent', entityType: 'enrolment', entityId: enrolmentId, after: { taskKey, submissionId, words: sent.wordsCounted, overLimit: sent.overLimit, late: sent.late } });
    return sent;
  });
}

/** Discards the draft waiting for confirmation (its file goes too). NotFoundError when none waits. */
export async function discardDraft(ctx: AssessmentContext, actor: Actor, enrolmentId: string, taskKey: string, submissionId: string): Promise<void> {
  await ownAssessmentPlace(ctx, actor, enrolmentId);
  const [row] = await ctx.db.update(submissions).set({ status: 'discarded' }).where(and(eq(submissions.id, submissionId), eq(submissions.enrolmentId, enrolmentId), eq(submissions.taskKey, taskKey), guardOf(SUBMISSION_WORKFLOW, 'discard', submissions.status))).returning({ fileKey: submissions.fileKey });
  if (!row) throw new NotFoundError('draft');
  await ctx.files.remove(row.fileKey).catch(() => undefined);
}

/**
 * Withdraws the account sent, so another can be sent (issue 12 item 3: "only withdrawn before the
 * deadline and sent again"): only before the deadline that applies to the participant (AppError
 * past_deadline), and never once it is allocated to an assessor (being_marked). The withdrawn account is kept.
 * Emailed; audited.
 */
export async function withdrawSubmission(ctx: AssessmentContext, actor: Actor, enrolmentId: string, taskKey: string): Promise<void> {
  const at = await ownAssessmentPlace(ctx, actor, enrolmentId);
  const s = await standing(ctx, at, taskKey);
  if (!s.sent) throw refuse('not_sent', s.history.length ? 'Your account was already withdrawn.' : 'You have not sent an account for this task.');
  // Before the deadline that applies to them, including while dates the provider moved later have not opened yet.
  if (s.state.state !== 'open' && s.state.state !== 'not_open') throw refuse('past_deadline', 'The deadline has passed, so your account can no longer be withdrawn. Ask your provider if something is wrong with it.');
  const now = ctx.clock.now();
  await ctx.db.transaction(async (tx) => {
    // The account held first, as allocation holds it: one waits for the other. Given to an assessor already, marking has begun.
    await tx.select({ id: submissions.id }).from(submissions).where(eq(submissions.id, s.sent!.id)).for('update');
    const [allocated] = await tx.select({ id: scriptAllocations.submissionId }).from(scriptAllocations).where(eq(scriptAllocations.submissionId, s.sent!.id)).for('update');
    if (allocated) throw refuse('being_marked', 'Your account is with an assessor already, so it can no longer be withdrawn. Ask your provider if something is wrong with it.');
    const [row] = await tx.update(submissions).set({ status: 'withdrawn', withdrawnAt: now }).where(and(eq(submissions.id, s.sent!.id), guardOf(SUBMISSION_WORKFLOW, 'withdraw', submissions.status))).returning({ id: submissions.id });
    if (!row) throw refuse('not_sent', 'Your account was already withdrawn.');
    await enqueueEmail(tx, ctx.clock, submissionWithdrawnEmail({ to: at.place.email, participant: at.place.fullName, task: s.task.title, dueAt: `the end of ${formatDate(s.state.state === 'none' ? ukDate(now) : s.state.dueOn)}`, providerName: ctx.providerName }));
    await audit(tx, ctx.clock, actor, { action: 'submission.withdrawn', entityType: 'enrolment', entityId: enrolmentId, after: { taskKey, submissionId: row.id } });
  });
}

/** An account's file, for its participant, or (once sent) staff who read the place's evidence; NotFoundError otherwise. */
export async function accountFile(ctx: AssessmentContext, actor: Actor, enrolmentId: string, submissionId: string): Promise<{ name: string; type: FileType; bytes: Buffer }> {
  const at = await assessmentPlaceFor(ctx, actor, enrolmentId);
  const [row] = await ctx.db.select().from(submissions).where(and(eq(submissions.id, submissionId), eq(submissions.enrolmentId, enrolmentId), inArray(submissions.status, at.own ? ['draft', 'submitted', 'withdrawn'] : ['submitted', 'withdrawn'])));
  const bytes = row ? await ctx.files.get(row.fileKey) : undefined;
  if (!row || !bytes) throw new NotFoundError('file');
  return { name: row.fileName, type: row.fileType as FileType, bytes };
}

// ——— The provider's side ———

function requireManager(actor: Actor) {
  if (!managesAssessment(actor)) throw new ForbiddenError();
}

/** The tasks of an intake's assessment with their windows, for the admin (ForbiddenError for anyone else; NotFoundError for no such intake or one not assessed). */
export async function submissionWindowsOf(ctx: AssessmentContext, actor: Actor, intakeId: string) {
  requireManager(actor);
  const intake = await intakeById(ctx.db, intakeId);
  const [delivery] = intake ? (await intakesForDelivery(ctx.db, 'all')).filter((i) => i.intake.id === intakeId) : [];
  const spec = delivery ? assessmentSpecFor(delivery.qualificationIdentifier, intake!.startDate) : undefined;
  if (!intake || !delivery || !spec) throw new NotFoundError('intake');
  const windows = await ctx.db.select().from(submissionWindows).where(eq(submissionWindows.intakeId, intakeId));
  return { intake, qualificationName: delivery.qualificationName, partnerName: delivery.partnerName, spec, windows: new Map(windows.map((w) => [w.taskKey, w])) };
}

/**
 * Sets when an intake's accounts for a task are sent (issue 12 item 3): opens, due (a case study
 * answered within a window is due its window's days after opening, when no due date is typed), and
 * late until (optional, after the due date). ValidationError on `opensOn`, `dueOn`, `lateUntil`.
 * The admin only. Audited with what it was before. Returns the task's title.
 */
export async function setSubmissionWindow(ctx: AssessmentContext, actor: Actor, intakeId: string, taskKey: string, body: unknown): Promise<string> {
  const { spec, windows } = await submissionWindowsOf(ctx, actor, intakeId);
  const task = taskOf(spec, taskKey);
  const typed = readDateFields(body, { opensOn: { label: 'the date submissions open' }, dueOn: { label: 'the due date', optional: Boolean(task.window) }, lateUntil: { label: 'the last date for late submissions', optional: true } });
  const { errors } = typed;
  const opensOn = typed.dates.opensOn;
  const dueOn = typed.dates.dueOn ?? (opensOn ? caseStudyDueOn(task, opensOn) : null);
  const lateUntil = typed.dates.lateUntil ?? null;
  if (opensOn && dueOn && dueOn < opensOn && !errors.dueOn) errors.dueOn = 'The due date must be the same as or after the date submissions open';
  if (dueOn && lateUntil && lateUntil <= dueOn && !errors.lateUntil) errors.lateUntil = 'The last date for late submissions must be after the due date';
  if (Object.keys(errors).length) throw new ValidationError(errors);
  const before = windows.get(taskKey);
  const values = { opensOn: opensOn!, dueOn: dueOn!, lateUntil, updatedAt: ctx.clock.now() };
  await ctx.db.transaction(async (tx) => {
    await tx.insert(submissionWindows).values({ intakeId, taskKey, ...values }).onConflictDoUpdate({ target: [submissionWindows.intakeId, submissionWindows.taskKey], set: values });
    await audit(tx, ctx.clock, actor, { action: 'submission_window.set', entityType: 'intake', entityId: intakeId, before: before ? { taskKey, opensOn: before.opensOn, dueOn: before.dueOn, lateUntil: before.lateUntil } : undefined, after: { taskKey, opensOn, dueOn, lateUntil } });
  });
  return task.title;
}

/**
 * Gives one participant a later due date for a task, with a reason (issue 12 item 3). The date must
 * be after the intake's due date and no later than the date their final assessment must be passed by
 * (seed 001: 18 months, deferral added); granting again replaces it. ValidationError on `dueOn`, `reason`;
 * AppError no_window while the intake has none. The admin only. The participant is emailed. Audited.
 */
export async function grantExtension(ctx: AssessmentContext, actor: Actor, enrolmentId: string, taskKey: string, body: unknown): Promise<void> {
  requireManager(actor);
  const at = await assessmentPlaceFor(ctx, actor, enrolmentId);
  const task = taskOf(at.spec, taskKey);
  const window = await windowFor(ctx, at.place.intakeId, taskKey);
  if (!window) throw refuse('no_window', 'Set when this task is due for the intake first, then give extensions.');
  const { dates, errors } = readDateFields(body, { dueOn: { label: 'the new due date', after: { date: window.dueOn, text: `the intake’s due date (${formatDate(window.dueOn)})` }, before: { date: at.deadline.passBy, text: `the date their final assessment must be passed by (${formatDate(at.deadline.passBy)})`, orSame: true } } });
  const reason = one((body as Record<string, unknown>)?.reason).replace(/\r\n?/g, '\n').trim();
  if (!hasVisibleText(reason)) errors.reason = 'Enter the reason for the extension';
  else if (characterCount(reason) > EXTENSION_REASON_MAX) errors.reason = `The reason must be ${EXTENSION_REASON_MAX.toLocaleString('en-GB')} characters or fewer`;
  if (Object.keys(errors).length) throw new ValidationError(errors);
  const before = await extensionFor(ctx, enrolmentId, taskKey);
  const values = { dueOn: dates.dueOn!, reason, grantedBy: actorLabel(actor), grantedAt: ctx.clock.now() };
  await ctx.db.transaction(async (tx) => {
    await tx.insert(submissionExtensions).values({ enrolmentId, taskKey, ...values }).onConflictDoUpdate({ target: [submissionExtensions.enrolmentId, submissionExtensions.taskKey], set: values });
    await enqueueEmail(tx, ctx.clock, extensionGrantedEmail({ to: at.place.email, participant: at.place.fullName, task: task.title, dueOn: formatDate(values.dueOn), link: `${ctx.baseUrl}/programme/${enrolmentId}/assessment/submit/${taskKey}`, providerName: ctx.providerName }));
    await audit(tx, ctx.clock, actor, { action: 'submission.extension_granted', entityType: 'enrolment', entityId: enrolmentId, before: before ? { taskKey, dueOn: before.dueOn, reason: before.reason } : undefined, after: { taskKey, dueOn: values.dueOn, reason } });
  });
}

/**
 * Takes back one participant's extension for a task (given by mistake): the intake's due date applies
 * again. NotFoundError when there is none. The admin only. Audited with what it was.
 */
export async function withdrawExtension(ctx: AssessmentContext, actor: Actor, enrolmentId: string, taskKey: string): Promise<void> {
  requireManager(actor);
  await assessmentPlaceFor(ctx, actor, enrolmentId);
  await ctx.db.transaction(async (tx) => {
    const [gone] = await tx.delete(submissionExtensions).where(and(eq(submissionExtensions.enrolmentId, enrolmentId), eq(submissionExtensions.taskKey, taskKey))).returning();
    if (!gone) throw new NotFoundError('extension');
    await audit(tx, ctx.clock, actor, { action: 'submission.extension_withdrawn', entityType: 'enrolment', entityId: enrolmentId, before: { taskKey, dueOn: gone.dueOn, reason: gone.reason } });
  });
}

/** Which submissions the provider's list shows: by intake, task key, state (sent, withdrawn, late, over the limit), and a name typed. */
export interface SubmissionsFilter {
  intakeId?: string | undefined;
  taskKey?: string | undefined;
  show?: 'sent' | 'withdrawn' | 'late' | 'over' | undefined;
  q?: string | undefined;
}

/**
 * The accounts sent (and withdrawn) that `actor` may see (issue 12 item 3): the admin every place's,
 * a partner's lead their partner's (ForbiddenError for anyone else), filtered, newest first, with the
 * participant's name, intake and NPQ; `page` of `perPage`. Drafts are the participant's own and never
 * listed. Returns the rows, the page shown (the last when `page` is past it), the total, the intakes to filter by (those under way first) and each
 * intake's submission windows.
 */
export async function submissionsList(ctx: AssessmentContext, actor: Actor, filter: SubmissionsFilter, page: { page: number; perPage: number } = { page: 1, perPage: 50 }) {
  const scope = submissionScope(actor);
  if (!('all' in scope) && !scope.partners.length) throw new ForbiddenError();
  const intakes = await intakesForDelivery(ctx.db, 'all' in scope ? 'all' : scope.partners);
  const statuses: SubmissionStatus[] = filter.show === 'withdrawn' ? ['withdrawn'] : filter.show ? ['submitted'] : ['submitted', 'withdrawn'];
  const rows = await ctx.db
    .select()
    .from(submissions)
    .where(and(inArray(submissions.status, statuses), filter.taskKey ? eq(submissions.taskKey, filter.taskKey) : undefined, filter.show === 'late' ? eq(submissions.late, true) : undefined, filter.show === 'over' ? eq(submissions.overLimit, true) : undefined))
    .orderBy(desc(submissions.submittedAt), asc(submissions.id));
  const places = new Map((await placesByEnrolment(ctx.db, [...new Set(rows.map((r) => r.enrolmentId))])).map((p) => [p.enrolmentId, p]));
  const intakeOf = new Map(intakes.map((i) => [i.intake.id, i]));
  const q = (filter.q ?? '').trim().toLocaleLowerCase('en-GB');
  const shown = rows
    .map((r) => ({ submission: r, place: places.get(r.enrolmentId)! }))
    .filter(({ place }) => place?.intakeId && intakeOf.has(place.intakeId) && (!filter.intakeId || place.intakeId === filter.intakeId) && (!q || place.fullName.toLocaleLowerCase('en-GB').includes(q) || place.email.toLowerCase().includes(q)))
    .map(({ submission, place }) => {
      const i = intakeOf.get(place.intakeId!)!;
      const task = assessmentSpecFor(i.qualificationIdentifier, i.intake.startDate)?.tasks.find((t) => t.key === submission.taskKey);
      return { submission, participant: place.fullName, enrolmentId: place.enrolmentId, intake: `${i.qualificationShortName} ${i.intake.name}`, intakeId: i.intake.id, task: task?.title ?? submission.taskKey };
    });
  // A page past the end (a bookmark, fewer accounts since) is the last page, not "none" under a count of some.
  const shownPage = Math.min(page.page, Math.max(1, Math.ceil(shown.length / page.perPage)));
  const start = (shownPage - 1) * page.perPage;
  // Intakes under way first (the latest to start at the top), then those to come (the soonest first): where accounts are due now.
  const today = ukDate(ctx.clock.now());
  const assessed = intakes.filter((i) => assessmentSpecFor(i.qualificationIdentifier, i.intake.startDate));
  const ordered = [...assessed.filter((i) => i.intake.startDate <= today), ...assessed.filter((i) => i.intake.startDate > today).reverse()];
  const windows = ordered.length ? await ctx.db.select().from(submissionWindows).where(inArray(submissionWindows.intakeId, ordered.map((i) => i.intake.id))) : [];
  const windowsOf = new Map<string, (typeof windows)[number][]>();
  for (const w of windows) windowsOf.set(w.intakeId, [...(windowsOf.get(w.intakeId) ?? []), w].sort((a, b) => a.taskKey.localeCompare(b.taskKey)));
  return { rows: shown.slice(start, start + page.perPage), page: shownPage, all: shown, total: shown.length, intakes: ordered, windows: windowsOf };
}
