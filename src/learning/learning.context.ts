import { and, desc, eq } from 'drizzle-orm';
import { type IntakeRow, intakeById } from '../catalogue/catalogue.queries';
import type { Db, Executor } from '../db/client';
import type { Clock } from '../platform/clock';
import type { SecretBox } from '../platform/crypto';
import { AppError, NotFoundError } from '../platform/errors';
import type { Actor } from '../platform/auth/actor';
import { commitAndTell, type Notifier, type TransactionWork } from '../platform/notifier';
import type { FileStore } from '../platform/file-store';
import type { ProgrammeContent } from './domain/programme';
import { type IntakeAbilities, intakeAbilities } from './domain/learning.policy';
import type { AttendanceStatus, ParticipantRecord, PlanEntry, Reply, SessionReply } from './domain/timeline';
import { attendance, intakeProgrammes, learningProgress, planEntries, programmeVersions, sessionReplies } from './learning.schema';

/** What programme delivery's use cases are built with (src/app.ts gives it). */
export interface LearningDeps {
  db: Db;
  clock: Clock;
  secrets: SecretBox;
  baseUrl: string;
  providerName: string;
  /** Where files people send are kept (core tasks). */
  files: FileStore;
  /** Tells every process of a change, so kept pages that show it are dropped (LEARNING_CHANNEL). */
  notifier?: Pick<Notifier, 'publish'> | undefined;
}
export type LearningContext = LearningDeps;

/** The notifier channel on which every committed change to what participants' and staff's delivery pages show is told (docs/adr/0050). */
export const LEARNING_CHANNEL = 'learning';

/**
 * After a committed change to programmes, plans, progress, registers, replies, core tasks or
 * discussions: every process drops the pages it keeps that may show it. Awaited, so the next request
 * anywhere reads afresh; a failed publish is not the change's failure.
 */
export const learningChanged = async (ctx: LearningContext): Promise<void> => {
  await ctx.notifier?.publish(LEARNING_CHANNEL).catch(() => undefined);
};

/**
 * What the pages kept per person (the participant's programme, a register) show changes with programme
 * delivery (LEARNING_CHANNEL), places (applications), the NPQs' and venues' names (catalogue), 360°
 * rounds' dates (diagnostic) and the time (platform/kept-version.ts): docs/adr/0050.
 */
export const KEPT_PAGE_CHANNELS = [LEARNING_CHANNEL, 'applications', 'catalogue', 'diagnostic'] as const;

/** Runs one change in a transaction, then tells every process on LEARNING_CHANNEL (commitAndTell). */
export const commit = <T>(ctx: LearningContext, work: TransactionWork<T>): Promise<T> => commitAndTell(ctx.db, ctx.notifier, LEARNING_CHANNEL, work);

/** A refusal with a stable code (422 unless told): what was asked cannot be done in this state. */
export const refuse = (code: string, message: string, status = 422) => new AppError(code, message, status);

/** The time zone an intake's dates are entered in: its own, or UK time. */
export const zoneOfIntake = (intake: Pick<IntakeRow, 'timeZone'>): string => intake.timeZone ?? 'Europe/London';

export interface ProgrammeVersion {
  id: string;
  qualificationId: string;
  version: number;
  content: ProgrammeContent;
  note: string;
  createdAt: Date;
}

/** The newest version of an NPQ's programme (by the qualification's id), or undefined before one is made. */
export async function newestVersion(db: Executor, qualificationId: string): Promise<ProgrammeVersion | undefined> {
  const [row] = await db.select().from(programmeVersions).where(eq(programmeVersions.qualificationId, qualificationId)).orderBy(desc(programmeVersions.version)).limit(1);
  return row;
}

/**
 * The programme version an intake follows: the one it was given when its plan was first saved, or
 * (before then) its NPQ's newest. Undefined while the NPQ has no programme.
 */
export async function versionOfIntake(db: Executor, intake: Pick<IntakeRow, 'id' | 'qualificationId'>): Promise<ProgrammeVersion | undefined> {
  const [kept] = await db
    .select({ v: programmeVersions })
    .from(intakeProgrammes)
    .innerJoin(programmeVersions, eq(programmeVersions.id, intakeProgrammes.programmeVersionId))
    .where(eq(intakeProgrammes.intakeId, intake.id));
  return kept?.v ?? newestVersion(db, intake.qualificationId);
}

/** An intake's dated pieces, by key. */
export async function planOf(db: Executor, intakeId: string): Promise<Map<string, PlanEntry>> {
  const rows = await db.select().from(planEntries).where(eq(planEntries.intakeId, intakeId));
  return new Map(rows.map((r) => [r.itemKey, r]));
}

/**
 * What one participant (on one enrolment) has done, how the registers of their intake marked them, and
 * what they replied to its sessions.
 * Work done goes with them when they move intake; a mark belongs to the session of the intake where it
 * was taken, so another intake's session of the same key is not shown as attended.
 */
export async function recordOf(db: Executor, enrolmentId: string, intakeId: string): Promise<ParticipantRecord> {
  const [done, marks, replies] = await Promise.all([
    db.select({ itemKey: learningProgress.itemKey, doneAt: learningProgress.doneAt }).from(learningProgress).where(eq(learningProgress.enrolmentId, enrolmentId)),
    db.select({ itemKey: attendance.itemKey, status: attendance.status }).from(attendance).where(and(eq(attendance.enrolmentId, enrolmentId), eq(attendance.intakeId, intakeId))),
    db.select({ itemKey: sessionReplies.itemKey, reply: sessionReplies.reply, reason: sessionReplies.reason }).from(sessionReplies).where(and(eq(sessionReplies.enrolmentId, enrolmentId), eq(sessionReplies.intakeId, intakeId))),
  ]);
  return {
    done: new Map(done.map((d) => [d.itemKey, d.doneAt])),
    attendance: new Map(marks.map((m) => [m.itemKey, m.status as AttendanceStatus])),
    replies: new Map<string, Reply>(replies.map((r) => [r.itemKey, { reply: r.reply as SessionReply, reason: r.reason }])),
  };
}

/**
 * An intake and what the actor may do with its delivery (learning policy). An intake they may not see
 * is NotFoundError, exactly as one that does not exist.
 */
export async function intakeFor(ctx: LearningContext, actor: Actor, intakeId: string): Promise<{ intake: IntakeRow; may: IntakeAbilities }> {
  const intake = await intakeById(ctx.db, intakeId);
  if (!intake) throw new NotFoundError('intake');
  const may = intakeAbilities(actor, intake);
  if (!may.see) throw new NotFoundError('intake');
  return { intake, may };
}

/** Whether a piece with this key exists in a programme, and of which kind. */
export function pieceOf(content: ProgrammeContent, key: string): { kind: 'event' | 'briefing' | 'module'; title: string } | undefined {
  const event = content.events.find((e) => e.key === key);
  if (event) return { kind: 'event', title: event.title };
  const briefing = content.briefings.find((b) => b.key === key);
  if (briefing) return { kind: 'briefing', title: briefing.title };
  for (const c of content.courses) {
    const m = c.modules.find((x) => x.key === key);
    if (m) return { kind: 'module', title: `${c.title}: ${m.title}` };
  }
  return undefined;
}
