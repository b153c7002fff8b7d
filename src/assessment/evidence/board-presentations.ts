import { randomUUID } from 'node:crypto';
import { and, asc, eq, isNull } from 'drizzle-orm';
import { z } from 'zod';
import { audit } from '../../audit/audit';
import { placesByEnrolment } from '../../enrolment/enrolment.queries';
import { enqueueEmail } from '../../mail/outbox';
import type { Actor } from '../../platform/auth/actor';
import { addDaysTo, formatDate } from '../../platform/clock';
import { randomToken, sha256 } from '../../platform/crypto';
import { readDateFields } from '../../platform/date-input';
import { NotFoundError, ValidationError } from '../../platform/errors';
import type { SentFile } from '../../platform/file-forms';
import { keptOnlyIfCommitted } from '../../platform/file-store';
import { type FileType, keptFileName } from '../../platform/file-types';
import { one } from '../../platform/forms';
import { characterCount, clip, hasVisibleText } from '../../platform/text';
import { type AssessmentContext, refuse } from '../assessment.context';
import { boardPresentations } from '../assessment.schema';
import { tasksNeeding } from '../domain/assessment-spec';
import { BOARD_CONTACT_ROLES, type BoardContactRole, EVIDENCE_LINK_VALID_DAYS, EVIDENCE_TEXT_MAX } from '../domain/evidence';
import { boardFeedbackEmail, boardFeedbackGivenEmail } from '../emails/evidence-emails';
import { type AssessmentPlace, assessmentPlaceFor, ownAssessmentPlace } from './assessment-place';
import { fileKindOrError } from './project-log';

export type BoardPresentation = typeof boardPresentations.$inferSelect;
/** Minutes are documents: PDF or Word. */
export const MINUTES_FILE_TYPES: readonly FileType[] = ['pdf', 'docx', 'doc'];
const email = z.email();

/**
 * The governing board presentations of a place (issue 12 item 2), oldest first, for its participant
 * or staff who read its evidence, with the tasks that ask for one. NotFoundError for anyone else.
 */
export async function myBoardPresentations(ctx: AssessmentContext, actor: Actor, enrolmentId: string) {
  const at = await assessmentPlaceFor(ctx, actor, enrolmentId);
  const rows = await ctx.db.select().from(boardPresentations).where(eq(boardPresentations.enrolmentId, enrolmentId)).orderBy(asc(boardPresentations.presentedOn), asc(boardPresentations.createdAt));
  const now = ctx.clock.now();
  return { ...at, tasks: tasksNeeding(at.spec, 'board_presentation'), presentations: rows.map((r) => ({ ...r, linkExpired: Boolean(r.tokenHash && !r.feedbackAt && r.expiresAt && r.expiresAt <= now) })) };
}

/** How long after one email to a chair or clerk another may be sent for the same presentation, in minutes. */
export const ASK_BOARD_AGAIN_AFTER_MINUTES = 10;

/** Reads the contact fields of a presentation whose feedback comes by link: name, email (not the participant's own) and role. */
function readContact(b: Record<string, unknown>, actor: Actor, errors: Record<string, string>) {
  const contactName = one(b.contactName).trim();
  const contactEmail = one(b.contactEmail).trim().toLowerCase();
  const contactRole = one(b.contactRole) as BoardContactRole;
  if (!hasVisibleText(contactName)) errors.contactName = 'Enter the name of the chair or clerk';
  else if (characterCount(contactName) > 200) errors.contactName = 'Their name must be 200 characters or fewer';
  if (!contactEmail) errors.contactEmail = 'Enter the chair’s or clerk’s email address';
  else if (contactEmail.length > 254 || !email.safeParse(contactEmail).success) errors.contactEmail = 'Enter an email address in the correct format, like clerk@school.org.uk';
  else if (actor.kind === 'user' && contactEmail === actor.email.toLowerCase()) errors.contactEmail = 'Enter the chair’s or clerk’s email address, not your own';
  if (!BOARD_CONTACT_ROLES.includes(contactRole)) errors.contactRole = 'Select whether they are the chair or the clerk';
  return { contactName, contactEmail, contactRole };
}

/** Reads a presentation's day (from the NPQ's start to today) and board name. */
function readPresentation(b: Record<string, unknown>, at: AssessmentPlace) {
  const { dates, errors } = readDateFields(b, { presentedOn: { label: 'the date you presented', after: { date: at.startedOn, text: `the start of your NPQ (${formatDate(at.startedOn)})`, orSame: true }, before: { date: at.today, text: 'today', orSame: true } } });
  const boardName = one(b.boardName).trim();
  if (!hasVisibleText(boardName)) errors.boardName = 'Enter the governing board’s name';
  else if (characterCount(boardName) > 200) errors.boardName = 'The board’s name must be 200 characters or fewer';
  return { presentedOn: dates.presentedOn, boardName, errors };
}

const feedbackLinkEmail = (ctx: AssessmentContext, at: AssessmentPlace, p: { contactEmail: string; contactName: string; boardName: string; presentedOn: string }, token: string, now: Date) =>
  boardFeedbackEmail({ to: p.contactEmail, name: p.contactName, participant: at.place.fullName, board: p.boardName, presentedOn: formatDate(p.presentedOn), link: `${ctx.baseUrl}/board-feedback/${token}`, until: formatDate(addDaysTo(now, EVIDENCE_LINK_VALID_DAYS)), providerName: ctx.providerName });

/**
 * Records a presentation of the plan to a governing board: which task (whose board it was follows
 * from the task: Task 1 the participant's own school's, Task 2 the placement school's), the day (from
 * the NPQ's start to today), the board's name, and how its feedback comes — from its chair or clerk by
 * an emailed link (`how` = link: their name, email and role; valid EVIDENCE_LINK_VALID_DAYS days) or
 * as minutes uploaded now (`how` = minutes: a PDF or Word file). Every field's fault, the file's
 * included, is told at once: ValidationError on `taskKey`, `presentedOn`, `boardName`, `how`,
 * `contactName`, `contactEmail`, `contactRole`, `file`. The email goes with the change (outbox).
 * Audited. Returns the presentation's id.
 */
export async function recordBoardPresentation(ctx: AssessmentContext, actor: Actor, enrolmentId: string, body: unknown, file?: SentFile): Promise<string> {
  const at = await ownAssessmentPlace(ctx, actor, enrolmentId);
  const b = (body ?? {}) as Record<string, unknown>;
  const tasks = tasksNeeding(at.spec, 'board_presentation');
  const { presentedOn, boardName, errors } = readPresentation(b, at);
  const taskKey = one(b.taskKey) || (tasks.length === 1 ? tasks[0]!.key : '');
  const task = tasks.find((t) => t.key === taskKey);
  if (!task) errors.taskKey = 'Select which task the presentation was for';
  const how = one(b.how);
  if (how !== 'link' && how !== 'minutes') errors.how = 'Select how the board’s feedback will be given';
  const contact = how === 'link' ? readContact(b, actor, errors) : null;
  const sent = file && (file.bytes.length > 0 || file.tooLarge) ? file : undefined;
  const type = how === 'minutes' && sent ? await fileKindOrError(sent, MINUTES_FILE_TYPES) : undefined;
  if (how === 'minutes' && !sent) errors.file = 'Choose the minutes of the meeting, as a PDF or Word file';
  if (typeof type === 'object') errors.file = type.error;
  if (Object.keys(errors).length) throw new ValidationError(errors);
  let kept: { minutesName: string; minutesType: FileType; minutesSize: number; minutesKey: string } | undefined;
  if (sent && typeof type === 'string') {
    kept = { minutesName: keptFileName(sent.name, type, 'board-minutes'), minutesType: type, minutesSize: sent.bytes.length, minutesKey: `board-minutes/${randomUUID()}` };
    await ctx.files.put(kept.minutesKey, sent.bytes);
  }
  const token = contact ? randomToken() : undefined;
  const now = ctx.clock.now();
  const link = contact && token ? { ...contact, tokenHash: sha256(token), requestedAt: now, expiresAt: addDaysTo(now, EVIDENCE_LINK_VALID_DAYS) } : {};
  const school = task!.boardOf ?? 'own';
  return keptOnlyIfCommitted(ctx, kept?.minutesKey, () =>
    ctx.db.transaction(async (tx) => {
      const [row] = await tx
        .insert(boardPresentations)
        .values({ enrolmentId, taskKey, presentedOn: presentedOn!, boardName, school, ...link, ...kept, ...(kept ? { feedbackAt: now } : {}) })
        .returning({ id: boardPresentations.id });
      if (contact && token) await enqueueEmail(tx, ctx.clock, feedbackLinkEmail(ctx, at, { ...contact, boardName, presentedOn: presentedOn! }, token, now));
      await audit(tx, ctx.clock, actor, { action: 'board_presentation.recorded', entityType: 'enrolment', entityId: enrolmentId, after: { presentationId: row!.id, taskKey, presentedOn, boardName, school, feedback: how, contactEmail: contact?.contactEmail ?? null, minutes: kept ? { name: kept.minutesName, size: kept.minutesSize } : null } });
      return row!.id;
    }),
  );
}

/**
 * Corrects a presentation the board has not answered: its day, the board's name, and (for feedback
 * by link) who is asked. A changed email address gets a new link at once; the old one stops working.
 * ValidationError per field as for recordBoardPresentation; AppError feedback_given once the board
 * has answered; NotFoundError for one not the participant's. Audited with what it was.
 */
export async function changeBoardPresentation(ctx: AssessmentContext, actor: Actor, enrolmentId: string, presentationId: string, body: unknown): Promise<void> {
  const at = await ownAssessmentPlace(ctx, actor, enrolmentId);
  const b = (body ?? {}) as Record<string, unknown>;
  const { presentedOn, boardName, errors } = readPresentation(b, at);
  const now = ctx.clock.now();
  const token = randomToken();
  await ctx.db.transaction(async (tx) => {
    const [row] = await tx.select().from(boardPresentations).where(and(eq(boardPresentations.id, presentationId), eq(boardPresentations.enrolmentId, enrolmentId))).for('update');
    if (!row) throw new NotFoundError('presentation');
    if (row.feedback || row.minutesKey) throw refuse('feedback_given', 'The board’s feedback is in, so this presentation is kept as it is.');
    const contact = row.contactEmail ? readContact(b, actor, errors) : null;
    if (Object.keys(errors).length) throw new ValidationError(errors);
    const newAddress = contact && contact.contactEmail !== row.contactEmail;
    const link = newAddress ? { tokenHash: sha256(token), requestedAt: now, expiresAt: addDaysTo(now, EVIDENCE_LINK_VALID_DAYS) } : {};
    await tx.update(boardPresentations).set({ presentedOn: presentedOn!, boardName, ...contact, ...link, updatedAt: now }).where(eq(boardPresentations.id, row.id));
    if (newAddress && contact) await enqueueEmail(tx, ctx.clock, feedbackLinkEmail(ctx, at, { ...contact, boardName, presentedOn: presentedOn! }, token, now));
    await audit(tx, ctx.clock, actor, { action: 'board_presentation.changed', entityType: 'enrolment', entityId: enrolmentId, before: { presentationId, presentedOn: row.presentedOn, boardName: row.boardName, contactEmail: row.contactEmail }, after: { presentationId, presentedOn, boardName, contactEmail: contact?.contactEmail ?? null, newLink: Boolean(newAddress) } });
  });
}

/**
 * Sends the chair or clerk a new link when the first has expired or was lost (the old one stops
 * working), at most once in ASK_BOARD_AGAIN_AFTER_MINUTES (AppError just_asked). AppError
 * feedback_given when the board has answered; NotFoundError for a presentation not the participant's
 * or with no one to ask. Audited.
 */
export async function askBoardAgain(ctx: AssessmentContext, actor: Actor, enrolmentId: string, presentationId: string): Promise<void> {
  const at = await ownAssessmentPlace(ctx, actor, enrolmentId);
  const token = randomToken();
  const now = ctx.clock.now();
  await ctx.db.transaction(async (tx) => {
    const [row] = await tx.select().from(boardPresentations).where(and(eq(boardPresentations.id, presentationId), eq(boardPresentations.enrolmentId, enrolmentId))).for('update');
    if (!row?.contactEmail) throw new NotFoundError('presentation');
    if (row.feedbackAt) throw refuse('feedback_given', 'The board has already given its feedback');
    if (row.requestedAt && now.getTime() - row.requestedAt.getTime() < ASK_BOARD_AGAIN_AFTER_MINUTES * 60_000) throw refuse('just_asked', `We emailed ${row.contactName} in the last ${ASK_BOARD_AGAIN_AFTER_MINUTES} minutes. Give them time to answer before sending again.`);
    await tx.update(boardPresentations).set({ tokenHash: sha256(token), requestedAt: now, expiresAt: addDaysTo(now, EVIDENCE_LINK_VALID_DAYS), updatedAt: now }).where(eq(boardPresentations.id, row.id));
    await enqueueEmail(tx, ctx.clock, feedbackLinkEmail(ctx, at, { contactEmail: row.contactEmail, contactName: row.contactName ?? '', boardName: row.boardName, presentedOn: row.presentedOn }, token, now));
    await audit(tx, ctx.clock, actor, { action: 'board_presentation.asked_again', entityType: 'enrolment', entityId: enrolmentId, after: { presentationId, contactEmail: row.contactEmail } });
  });
}

/**
 * Removes a presentation recorded by mistake, before the board has answered (its link stops
 * working). AppError feedback_given once it has; NotFoundError for one not the participant's. Audited
 * with what it was.
 */
export async function removeBoardPresentation(ctx: AssessmentContext, actor: Actor, enrolmentId: string, presentationId: string): Promise<void> {
  await ownAssessmentPlace(ctx, actor, enrolmentId);
  const minutesKey = await ctx.db.transaction(async (tx) => {
    const [row] = await tx.select().from(boardPresentations).where(and(eq(boardPresentations.id, presentationId), eq(boardPresentations.enrolmentId, enrolmentId))).for('update');
    // Gone already (a second press, another tab): said plainly.
    if (!row) throw refuse('already_removed', 'That presentation was already removed.');
    if (row.feedback) throw refuse('feedback_given', 'The board has given its feedback on this presentation, so it is kept as evidence');
    await tx.delete(boardPresentations).where(eq(boardPresentations.id, row.id));
    await audit(tx, ctx.clock, actor, { action: 'board_presentation.removed', entityType: 'enrolment', entityId: enrolmentId, before: { presentationId, taskKey: row.taskKey, presentedOn: row.presentedOn, boardName: row.boardName, minutes: row.minutesName } });
    return row.minutesKey;
  });
  // The minutes' file goes once nothing names it: after the commit, so a failed removal never keeps a file the row still names.
  if (minutesKey) await ctx.files.remove(minutesKey).catch(() => undefined);
}

/** A presentation's uploaded minutes, for the participant or staff who read the place's evidence; NotFoundError otherwise. */
export async function boardMinutesFile(ctx: AssessmentContext, actor: Actor, enrolmentId: string, presentationId: string): Promise<{ name: string; type: FileType; bytes: Buffer }> {
  await assessmentPlaceFor(ctx, actor, enrolmentId);
  const [row] = await ctx.db.select().from(boardPresentations).where(and(eq(boardPresentations.id, presentationId), eq(boardPresentations.enrolmentId, enrolmentId)));
  const bytes = row?.minutesKey ? await ctx.files.get(row.minutesKey) : undefined;
  if (!row || !bytes) throw new NotFoundError('file');
  return { name: row.minutesName!, type: row.minutesType as FileType, bytes };
}

async function presentationByToken(ctx: AssessmentContext, token: string) {
  if (!/^[A-Za-z0-9_-]{20,100}$/.test(token)) return undefined;
  const [row] = await ctx.db.select().from(boardPresentations).where(eq(boardPresentations.tokenHash, sha256(token)));
  return row;
}

/**
 * What a chair's or clerk's link shows (no account): the participant, the board, the day, and
 * whether feedback is given already or the link has expired. NotFoundError for a token that names none.
 */
export async function boardFeedbackRequest(ctx: AssessmentContext, token: string) {
  const row = await presentationByToken(ctx, token);
  if (!row) throw new NotFoundError('link');
  const [place] = await placesByEnrolment(ctx.db, [row.enrolmentId]);
  return { participant: place?.fullName ?? '', board: row.boardName, presentedOn: row.presentedOn, contactName: row.contactName ?? '', given: Boolean(row.feedback), expired: !row.feedback && (!row.expiresAt || row.expiresAt <= ctx.clock.now()) };
}

/**
 * The board's feedback by its chair's or clerk's link (issue 12 item 2): their name and what the
 * board said. ValidationError on `name`, `feedback`; AppError link_expired, already_given (409);
 * NotFoundError for a token that names none. The participant is told by email. Audited as the board.
 */
export async function giveBoardFeedback(ctx: AssessmentContext, token: string, body: unknown): Promise<void> {
  const row = await presentationByToken(ctx, token);
  if (!row) throw new NotFoundError('link');
  const b = (body ?? {}) as Record<string, unknown>;
  const errors: Record<string, string> = {};
  const name = one(b.name).trim();
  if (!hasVisibleText(name)) errors.name = 'Enter your name';
  else if (characterCount(name) > 200) errors.name = 'Your name must be 200 characters or fewer';
  const feedback = one(b.feedback).replace(/\r\n?/g, '\n').trim();
  if (!hasVisibleText(feedback)) errors.feedback = 'Enter the board’s feedback on the plan';
  else if (characterCount(feedback) > EVIDENCE_TEXT_MAX) errors.feedback = `The feedback must be ${EVIDENCE_TEXT_MAX.toLocaleString('en-GB')} characters or fewer`;
  if (Object.keys(errors).length) throw new ValidationError(errors);
  const now = ctx.clock.now();
  if (!row.feedback && (!row.expiresAt || row.expiresAt <= now)) throw refuse('link_expired', 'This link has expired. Ask the participant to send you a new one.');
  const [place] = await placesByEnrolment(ctx.db, [row.enrolmentId]);
  await ctx.db.transaction(async (tx) => {
    const [done] = await tx.update(boardPresentations).set({ feedback, feedbackBy: name, feedbackAt: now, updatedAt: now }).where(and(eq(boardPresentations.id, row.id), isNull(boardPresentations.feedback), eq(boardPresentations.tokenHash, row.tokenHash!))).returning({ id: boardPresentations.id });
    if (!done) throw refuse('already_given', 'The board’s feedback has already been given. Thank you.', 409);
    if (place) await enqueueEmail(tx, ctx.clock, boardFeedbackGivenEmail({ to: place.email, participant: place.fullName, board: row.boardName, by: name, link: `${ctx.baseUrl}/programme/${place.enrolmentId}/assessment/board`, providerName: ctx.providerName }));
    await audit(tx, ctx.clock, { kind: 'system', name: `governing board ${clip(name, 100)}` }, { action: 'board_presentation.feedback_given', entityType: 'enrolment', entityId: row.enrolmentId, after: { presentationId: row.id, by: name } });
  });
}
