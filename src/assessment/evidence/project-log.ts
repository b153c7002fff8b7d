import { randomUUID } from 'node:crypto';
import { and, asc, eq, gt, isNotNull, isNull, lt } from 'drizzle-orm';
import { audit } from '../../audit/audit';
import type { Actor } from '../../platform/auth/actor';
import { addDaysTo, formatDate } from '../../platform/clock';
import { readDateFields } from '../../platform/date-input';
import { NotFoundError, ValidationError } from '../../platform/errors';
import type { SentFile } from '../../platform/file-forms';
import { keptOnlyIfCommitted } from '../../platform/file-store';
import { checkedKind, type FileType, keptFileName } from '../../platform/file-types';
import { one } from '../../platform/forms';
import { characterCount, hasVisibleText, hoursAndMinutes } from '../../platform/text';
import { type AssessmentContext, refuse } from '../assessment.context';
import { projectLogEntries } from '../assessment.schema';
import { EVIDENCE_TEXT_MAX, expectedProjectMinutes, PROJECT_ENTRY_MAX_MINUTES } from '../domain/evidence';
import { assessmentPlaceFor, ownAssessmentPlace } from './assessment-place';

export type ProjectLogEntry = typeof projectLogEntries.$inferSelect;

/** What an evidence file may be, and how large (bytes): documents, slides, spreadsheets and photos of the work. */
export const EVIDENCE_FILE_TYPES: readonly FileType[] = ['pdf', 'docx', 'doc', 'pptx', 'xlsx', 'png', 'jpg'];
export const EVIDENCE_FILE_MAX_BYTES = 10 * 1024 * 1024;
/** How long a removed entry can be put back, in days. */
export const RESTORE_WITHIN_DAYS = 7;

/**
 * The project log of a place (issue 12 item 2), for its participant or for staff who read its
 * evidence (NotFoundError for anyone else): entries newest first, the minutes logged, the minutes
 * expected by today (the spec's minutes a week since the start), and entries removed in the last
 * RESTORE_WITHIN_DAYS days that can still be put back (the participant's only).
 */
export async function projectLog(ctx: AssessmentContext, actor: Actor, enrolmentId: string) {
  const at = await assessmentPlaceFor(ctx, actor, enrolmentId);
  const rows = await ctx.db.select().from(projectLogEntries).where(eq(projectLogEntries.enrolmentId, enrolmentId)).orderBy(asc(projectLogEntries.workedOn), asc(projectLogEntries.createdAt));
  const entries = rows.filter((r) => !r.removedAt).reverse();
  const since = addDaysTo(ctx.clock.now(), -RESTORE_WITHIN_DAYS);
  const removed = at.own ? rows.filter((r) => r.removedAt && r.removedAt > since) : [];
  const logged = entries.reduce((sum, e) => sum + e.minutes, 0);
  const perWeek = at.spec.projectMinutesPerWeek;
  return { ...at, entries, removed, logged, perWeek, expected: perWeek ? expectedProjectMinutes(at.startedOn, at.today, perWeek) : null };
}

/** Reads a log entry's fields: its date (not before the start, not after today), hours and minutes (together 1 minute to PROJECT_ENTRY_MAX_MINUTES) and a reflection. */
function readEntry(body: unknown, startedOn: string, today: string, fileError?: string) {
  const b = (body ?? {}) as Record<string, unknown>;
  const { dates, errors } = readDateFields(b, { workedOn: { label: 'the date you worked on it', after: { date: startedOn, text: `the start of your NPQ (${formatDate(startedOn)})`, orSame: true }, before: { date: today, text: 'today', orSame: true } } });
  const hoursTyped = one(b.hours).trim();
  const minutesTyped = one(b.minutes).trim();
  const hours = hoursTyped === '' ? 0 : /^\d{1,2}$/.test(hoursTyped) ? Number(hoursTyped) : Number.NaN;
  const minutes = minutesTyped === '' ? 0 : /^\d{1,2}$/.test(minutesTyped) ? Number(minutesTyped) : Number.NaN;
  const total = hours * 60 + minutes;
  if (Number.isNaN(hours)) errors.hours = 'Hours must be a whole number, like 2';
  else if (Number.isNaN(minutes) || minutes > 59) errors.minutes = 'Minutes must be a whole number from 0 to 59, like 30';
  else if (total < 1) errors.hours = 'Enter how long you spent, in hours and minutes';
  else if (total > PROJECT_ENTRY_MAX_MINUTES) errors.hours = `One entry can be at most ${hoursAndMinutes(PROJECT_ENTRY_MAX_MINUTES)}: log each day separately`;
  const reflection = one(b.reflection).replace(/\r\n?/g, '\n').trim();
  if (!hasVisibleText(reflection)) errors.reflection = 'Enter what you did and what you learned from it';
  else if (characterCount(reflection) > EVIDENCE_TEXT_MAX) errors.reflection = `Your reflection must be ${EVIDENCE_TEXT_MAX.toLocaleString('en-GB')} characters or fewer`;
  if (fileError) errors.file = fileError;
  if (Object.keys(errors).length) throw new ValidationError(errors);
  return { workedOn: dates.workedOn!, minutes: total, reflection };
}

/**
 * A sent file's kind if it passes the checks every evidence file gets (EVIDENCE_FILE_MAX_BYTES and
 * one of `allowed`), or the message saying why not: so a form reports its file with its other fields
 * in one round, not after they are put right.
 */
export async function fileKindOrError(sent: SentFile, allowed: readonly FileType[]): Promise<FileType | { error: string }> {
  try {
    return await checkedKind(sent, allowed, EVIDENCE_FILE_MAX_BYTES);
  } catch (err) {
    if (err instanceof ValidationError) return { error: err.fieldErrors.file ?? err.message };
    throw err;
  }
}

/**
 * Logs time on the in-school project (issue 12 item 2) on the participant's own place: the day, the
 * hours and minutes, a reflection, and perhaps a file (EVIDENCE_FILE_TYPES, at most
 * EVIDENCE_FILE_MAX_BYTES, kept in the file store). ValidationError per field (`workedOn`, `hours`,
 * `reflection`, `file`); NotFoundError for a place not theirs; AppError not_in_training once withdrawn.
 * Audited. Returns the entry's id.
 */
export async function logProjectTime(ctx: AssessmentContext, actor: Actor, enrolmentId: string, body: unknown, file?: SentFile): Promise<string> {
  const at = await ownAssessmentPlace(ctx, actor, enrolmentId);
  const sent = file && (file.bytes.length > 0 || file.tooLarge) ? file : undefined;
  const fileType = sent ? await fileKindOrError(sent, EVIDENCE_FILE_TYPES) : undefined;
  const entry = readEntry(body, at.startedOn, at.today, typeof fileType === 'object' ? fileType.error : undefined);
  let kept: { fileName: string; fileType: FileType; fileSize: number; fileKey: string } | undefined;
  if (sent && typeof fileType === 'string') {
    kept = { fileName: keptFileName(sent.name, fileType, 'project-evidence'), fileType, fileSize: sent.bytes.length, fileKey: `project-log/${randomUUID()}` };
    await ctx.files.put(kept.fileKey, sent.bytes);
  }
  return keptOnlyIfCommitted(ctx, kept?.fileKey, () =>
    ctx.db.transaction(async (tx) => {
      const [row] = await tx.insert(projectLogEntries).values({ enrolmentId, ...entry, ...kept }).returning({ id: projectLogEntries.id });
      await audit(tx, ctx.clock, actor, { action: 'project_log.entry_added', entityType: 'enrolment', entityId: enrolmentId, after: { entryId: row!.id, workedOn: entry.workedOn, minutes: entry.minutes, file: kept ? { name: kept.fileName, type: kept.fileType, size: kept.fileSize } : null } });
      return row!.id;
    }),
  );
}

/**
 * Corrects a log entry's day, time or reflection, and drops its file when `removeFile` is "yes" (a
 * photo sent by mistake), on the participant's own place. ValidationError per field as for
 * logProjectTime; NotFoundError for an entry not theirs; AppError entry_removed. Audited with what it
 * was before.
 */
export async function changeProjectEntry(ctx: AssessmentContext, actor: Actor, enrolmentId: string, entryId: string, body: unknown): Promise<void> {
  const at = await ownAssessmentPlace(ctx, actor, enrolmentId);
  const entry = readEntry(body, at.startedOn, at.today);
  const dropFile = one((body as Record<string, unknown> | undefined)?.removeFile) === 'yes';
  const dropped = await ctx.db.transaction(async (tx) => {
    const [before] = await tx.select().from(projectLogEntries).where(and(eq(projectLogEntries.id, entryId), eq(projectLogEntries.enrolmentId, enrolmentId))).for('update');
    if (!before) throw new NotFoundError('log entry');
    if (before.removedAt) throw refuse('entry_removed', 'That entry has been removed: put it back first to change it.');
    const noFile = dropFile && before.fileKey ? { fileName: null, fileType: null, fileSize: null, fileKey: null } : {};
    await tx.update(projectLogEntries).set({ ...entry, ...noFile, updatedAt: ctx.clock.now() }).where(eq(projectLogEntries.id, entryId));
    await audit(tx, ctx.clock, actor, { action: 'project_log.entry_changed', entityType: 'enrolment', entityId: enrolmentId, before: { entryId, workedOn: before.workedOn, minutes: before.minutes, reflection: before.reflection, file: before.fileName }, after: { entryId, ...entry, file: dropFile ? null : before.fileName } });
    return dropFile ? before.fileKey : null;
  });
  // The file goes once nothing names it (after the commit: a failed removal never leaves a row naming a missing file).
  if (dropped) await ctx.files.remove(dropped).catch(() => undefined);
}

/**
 * Removes a log entry (`removed: true`) or puts a removed one back within RESTORE_WITHIN_DAYS days
 * (`removed: false`), on the participant's own place: a mistake is undone by the same button's
 * opposite. NotFoundError for an entry not theirs, or not in the state to change. Audited.
 */
export async function setProjectEntryRemoved(ctx: AssessmentContext, actor: Actor, enrolmentId: string, entryId: string, removed: boolean): Promise<void> {
  await ownAssessmentPlace(ctx, actor, enrolmentId);
  const now = ctx.clock.now();
  await ctx.db.transaction(async (tx) => {
    const state = removed ? isNull(projectLogEntries.removedAt) : and(isNotNull(projectLogEntries.removedAt), gt(projectLogEntries.removedAt, addDaysTo(now, -RESTORE_WITHIN_DAYS)));
    const [row] = await tx
      .update(projectLogEntries)
      .set({ removedAt: removed ? now : null, updatedAt: now })
      .where(and(eq(projectLogEntries.id, entryId), eq(projectLogEntries.enrolmentId, enrolmentId), state))
      .returning({ id: projectLogEntries.id, workedOn: projectLogEntries.workedOn, minutes: projectLogEntries.minutes });
    if (!row) {
      // Removed or put back already (a second press, another tab), or past putting back: said plainly.
      const [entry] = await tx.select({ removedAt: projectLogEntries.removedAt }).from(projectLogEntries).where(and(eq(projectLogEntries.id, entryId), eq(projectLogEntries.enrolmentId, enrolmentId)));
      if (!entry) throw new NotFoundError('log entry');
      throw refuse('already_done', removed ? 'That entry was already removed.' : entry.removedAt ? `That entry was removed more than ${RESTORE_WITHIN_DAYS} days ago, so it cannot be put back.` : 'That entry is already in your log.');
    }
    await audit(tx, ctx.clock, actor, { action: removed ? 'project_log.entry_removed' : 'project_log.entry_restored', entityType: 'enrolment', entityId: enrolmentId, after: { entryId, workedOn: row.workedOn, minutes: row.minutes } });
  });
}

/** A log entry's file, for the participant or staff who read the place's evidence; NotFoundError when there is none or it is not theirs to read. */
export async function projectEntryFile(ctx: AssessmentContext, actor: Actor, enrolmentId: string, entryId: string): Promise<{ name: string; type: FileType; bytes: Buffer }> {
  await assessmentPlaceFor(ctx, actor, enrolmentId);
  const [row] = await ctx.db.select().from(projectLogEntries).where(and(eq(projectLogEntries.id, entryId), eq(projectLogEntries.enrolmentId, enrolmentId), isNull(projectLogEntries.removedAt)));
  const bytes = row?.fileKey ? await ctx.files.get(row.fileKey) : undefined;
  if (!row || !bytes) throw new NotFoundError('file');
  return { name: row.fileName!, type: row.fileType as FileType, bytes };
}

/**
 * Deletes log entries removed more than RESTORE_WITHIN_DAYS days ago, and their files: past putting
 * back, nothing should keep what the participant took away (a sweep, jobs.ts). Returns how many.
 */
export async function purgeRemovedProjectEntries(ctx: AssessmentContext): Promise<number> {
  const gone = await ctx.db
    .delete(projectLogEntries)
    .where(and(isNotNull(projectLogEntries.removedAt), lt(projectLogEntries.removedAt, addDaysTo(ctx.clock.now(), -RESTORE_WITHIN_DAYS))))
    .returning({ fileKey: projectLogEntries.fileKey });
  for (const { fileKey } of gone) if (fileKey) await ctx.files.remove(fileKey).catch(() => undefined);
  return gone.length;
}
