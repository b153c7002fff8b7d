import { and, eq } from 'drizzle-orm';
import { audit } from '../../audit/audit';
import { type Place, placesInIntake } from '../../enrolment/enrolment.queries';
import type { Actor } from '../../platform/auth/actor';
import { startOfDay, ukDate } from '../../platform/clock';
import { ForbiddenError, NotFoundError, ValidationError } from '../../platform/errors';
import { characterCount, hasVisibleText } from '../../platform/text';
import { ATTENDANCE_STATUSES, type AttendanceStatus, type Reply, type SessionReply } from '../domain/timeline';
import { commit, intakeFor, type LearningContext, pieceOf, refuse, versionOfIntake, zoneOfIntake } from '../learning.context';
import { attendance, planEntries, sessionReplies } from '../learning.schema';
import { groupsOfIntake, membershipIn } from './groups';

/** One participant's mark as the register shows it. */
export interface Mark {
  status: AttendanceStatus;
  reason: string;
  recordedAt: Date;
  /** Recorded by the participant opening the join link, not by a facilitator. */
  joinedOnline: boolean;
}

/** The longest reason on a register, in characters. */
export const MARK_REASON_MAX = 500;

/** Absences need a reason (issue 10 item 5: "absent with reason"); an excused absence may give one. */
const NEEDS_REASON: ReadonlySet<AttendanceStatus> = new Set(['absent']);

/**
 * The register of one event or briefing of an intake (issue 10 item 5): the session, the participants
 * placed in the intake and in training (not withdrawn, not waiting), their marks so far and their
 * replies (will attend, cannot); with `groupId`, only that group's participants (NotFoundError for a
 * group not of this intake), and the intake's groups for choosing. For those
 * who may see the intake (NotFoundError else); `may.takeRegister` says whether they may change it.
 */
export async function registerOf(ctx: LearningContext, actor: Actor, intakeId: string, itemKey: string, groupId?: string) {
  const { intake, may } = await intakeFor(ctx, actor, intakeId);
  const version = await versionOfIntake(ctx.db, intake);
  const piece = version ? pieceOf(version.content, itemKey) : undefined;
  if (!piece || piece.kind === 'module') throw new NotFoundError('session');
  const groups = await groupsOfIntake(ctx, intake.id, intake.deliveryPartnerId);
  const group = groupId ? groups.find((g) => g.id === groupId) : undefined;
  if (groupId && !group) throw new NotFoundError('group');
  const [[entry], everyone, rows, replyRows, members] = await Promise.all([
    ctx.db.select().from(planEntries).where(and(eq(planEntries.intakeId, intake.id), eq(planEntries.itemKey, itemKey))),
    placesInIntake(ctx.db, intake.id),
    ctx.db.select().from(attendance).where(and(eq(attendance.intakeId, intake.id), eq(attendance.itemKey, itemKey))),
    ctx.db.select({ enrolmentId: sessionReplies.enrolmentId, reply: sessionReplies.reply, reason: sessionReplies.reason }).from(sessionReplies).where(and(eq(sessionReplies.intakeId, intake.id), eq(sessionReplies.itemKey, itemKey))),
    membershipIn(ctx, groups.map((g) => g.id)),
  ]);
  // A group's register (issue 10 item 2): its own participants, taken by its own facilitator.
  const participants = group ? everyone.filter((p) => members.get(p.enrolmentId) === group.id) : everyone;
  const userOf = new Map(everyone.map((p) => [p.enrolmentId, p.userId]));
  const marks = new Map<string, Mark>(rows.map((r) => [r.enrolmentId, { status: r.status as AttendanceStatus, reason: r.reason, recordedAt: r.recordedAt, joinedOnline: r.recordedBy !== null && r.recordedBy === userOf.get(r.enrolmentId) }]));
  const replies = new Map<string, Reply>(replyRows.map((r) => [r.enrolmentId, { reply: r.reply as SessionReply, reason: r.reason }]));
  const timeZone = zoneOfIntake(intake);
  // A register is taken on the day of the session or after it, never before.
  const open = Boolean(entry?.startsAt && ctx.clock.now() >= startOfDay(ukDate(entry.startsAt, timeZone), timeZone));
  return { intake, may, piece, entry, participants, marks, replies, timeZone, open, groups, group, members, everyone: everyone.length };
}

/**
 * Records marks on a register (for the admin, the partner's lead and its facilitators: ForbiddenError
 * for others who may see it). `marks` maps enrolment ids of the intake's participants to a status and
 * a reason; those left out keep what they had. `everyonePresent` marks present everyone not yet marked
 * (of the group `groupId`, when given: NotFoundError for a group not of this intake).
 * ValidationError (per participant, `status-<id>` or `reason-<id>`) for an unknown status or an absence
 * without a reason; AppError register_not_open before the session's day. A mark changed after the
 * session ended is audited as such.
 */
export async function takeRegister(ctx: LearningContext, actor: Actor, intakeId: string, itemKey: string, input: { marks: Record<string, { status: string; reason: string }>; everyonePresent?: boolean; groupId?: string | undefined }): Promise<number> {
  const r = await registerOf(ctx, actor, intakeId, itemKey, input.groupId);
  if (!r.may.takeRegister) throw new ForbiddenError();
  if (!r.open) throw refuse('register_not_open', r.entry?.startsAt ? 'The register opens on the day of the session' : 'This session has no date yet: set it in the plan first');
  const byId = new Map<string, Place>(r.participants.map((p) => [p.enrolmentId, p]));
  const errors: Record<string, string> = {};
  const changes: { enrolmentId: string; status: AttendanceStatus; reason: string }[] = [];
  for (const [enrolmentId, mark] of Object.entries(input.marks)) {
    const who = byId.get(enrolmentId);
    if (!who) continue; // Not on this register (withdrawn since the page was read): nothing to mark.
    const status = ATTENDANCE_STATUSES.find((s) => s === mark.status);
    const reason = mark.reason.trim();
    if (!mark.status) continue;
    if (!status) errors[`status-${enrolmentId}`] = `Select how ${who.fullName} attended`;
    else if (NEEDS_REASON.has(status) && !hasVisibleText(reason)) errors[`reason-${enrolmentId}`] = `Enter why ${who.fullName} was absent`;
    else if (characterCount(reason) > MARK_REASON_MAX) errors[`reason-${enrolmentId}`] = `The reason for ${who.fullName} must be ${MARK_REASON_MAX} characters or fewer: it is ${characterCount(reason)}`;
    else changes.push({ enrolmentId, status, reason: status === 'present' ? '' : reason });
  }
  if (Object.keys(errors).length) throw new ValidationError(errors);
  if (input.everyonePresent) for (const p of r.participants) if (!r.marks.has(p.enrolmentId) && !changes.some((c) => c.enrolmentId === p.enrolmentId)) changes.push({ enrolmentId: p.enrolmentId, status: 'present', reason: '' });
  const now = ctx.clock.now();
  const after = Boolean(r.entry?.endsAt && now > r.entry.endsAt);
  const real = changes.filter((c) => {
    const before = r.marks.get(c.enrolmentId);
    return !before || before.status !== c.status || before.reason !== c.reason;
  });
  if (!real.length) return 0;
  await commit(ctx, async (tx) => {
    for (const c of real) {
      await tx
        .insert(attendance)
        .values({ intakeId: r.intake.id, itemKey, enrolmentId: c.enrolmentId, status: c.status, reason: c.reason, recordedBy: actor.kind === 'user' ? actor.userId : null, recordedAt: now })
        .onConflictDoUpdate({ target: [attendance.intakeId, attendance.itemKey, attendance.enrolmentId], set: { status: c.status, reason: c.reason, recordedBy: actor.kind === 'user' ? actor.userId : null, recordedAt: now } });
    }
    await audit(tx, ctx.clock, actor, {
      action: after ? 'register.changed_after_session' : 'register.taken',
      entityType: 'intake',
      entityId: r.intake.id,
      before: { itemKey, marks: Object.fromEntries(real.map((c) => [c.enrolmentId, r.marks.get(c.enrolmentId)?.status ?? null])) },
      after: { itemKey, marks: Object.fromEntries(real.map((c) => [c.enrolmentId, c.reason ? `${c.status}: ${c.reason}` : c.status])) },
    });
  });
  return real.length;
}
