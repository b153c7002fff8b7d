import { audit } from '../../audit/audit';
import type { Actor } from '../../platform/auth/actor';
import { NotFoundError, ValidationError } from '../../platform/errors';
import { characterCount, hasVisibleText } from '../../platform/text';
import { joinMark, mayReply, SESSION_REPLIES, type SessionReply } from '../domain/timeline';
import { commit, type LearningContext, refuse } from '../learning.context';
import { attendance, sessionReplies } from '../learning.schema';
import { myProgramme, type PlaceProgramme } from './my-programme';

/** The participant's own dated session (event or briefing) of their place; NotFoundError for anything else. */
function sessionOf(p: PlaceProgramme, itemKey: string) {
  const item = p.timeline.find((i) => i.key === itemKey);
  if (!item || item.kind === 'module') throw new NotFoundError('session');
  return item;
}

/** The longest reason, in characters. */
export const REPLY_REASON_MAX = 500;

/**
 * The participant says they will attend a session of their intake, or that they cannot and why
 * (issue 10 item 5), on their own place (NotFoundError else). Changed as often as they like until the
 * session starts (AppError reply_closed after; not_in_training while deferred or withdrawn).
 * ValidationError on `reply` (none chosen) or `reason` (cannot attend without a reason). Their
 * facilitator sees the reply on the register.
 */
export async function replyToSession(ctx: LearningContext, actor: Actor, enrolmentId: string, itemKey: string, input: { reply: string; reason: string }): Promise<SessionReply> {
  const p = await myProgramme(ctx, actor, enrolmentId);
  const item = sessionOf(p, itemKey);
  if (p.place.trainingStatus !== 'active') throw refuse('not_in_training', 'Your place is paused or has ended, so you cannot reply. Ask your provider if this is wrong.');
  if (!mayReply(item.plan, ctx.clock.now())) throw refuse('reply_closed', item.plan?.startsAt ? 'This session has started, so replies are closed. Tell your facilitator directly.' : 'This session has no date yet: you can reply once it has one.');
  const reply = SESSION_REPLIES.find((r) => r === input.reply);
  const reason = input.reason.trim();
  if (!reply) throw new ValidationError({ reply: 'Select whether you will attend' });
  if (reply === 'cannot_attend' && !hasVisibleText(reason)) throw new ValidationError({ reason: 'Enter why you cannot attend' });
  if (characterCount(reason) > REPLY_REASON_MAX) throw new ValidationError({ reason: `${reply === 'cannot_attend' ? 'Your reason' : 'What you tell your facilitator'} must be ${REPLY_REASON_MAX} characters or fewer: it is ${characterCount(reason)}` });
  // Someone who will attend may still say something ("I will be 10 minutes late"): kept as their note, never dropped.
  const kept = hasVisibleText(reason) ? reason : '';
  const before = item.reply;
  if (before?.reply === reply && before.reason === kept) return reply;
  const now = ctx.clock.now();
  await commit(ctx, async (tx) => {
    await tx
      .insert(sessionReplies)
      .values({ intakeId: p.intake.id, itemKey, enrolmentId, reply, reason: kept, repliedAt: now })
      .onConflictDoUpdate({ target: [sessionReplies.intakeId, sessionReplies.itemKey, sessionReplies.enrolmentId], set: { reply, reason: kept, repliedAt: now } });
    await audit(tx, ctx.clock, actor, { action: 'session.replied', entityType: 'enrolment', entityId: enrolmentId, before: before ? { itemKey, ...before } : null, after: { itemKey, reply, reason: kept } });
  });
  return reply;
}

/**
 * The participant opens a session's join link (issue 10 item 6): returns the link, and, from 15
 * minutes before the start to its end, records them on the register as present (late after 10
 * minutes: domain joinMark) unless the register already has a mark for them, which is never
 * overwritten. On their own place only (NotFoundError else); AppError no_join_link when the session has
 * none. Outside that time, or while not in training, it records nothing and still gives the link.
 */
export async function joinSession(ctx: LearningContext, actor: Actor, enrolmentId: string, itemKey: string): Promise<{ joinUrl: string; recorded: 'present' | 'late' | undefined }> {
  const p = await myProgramme(ctx, actor, enrolmentId);
  const item = sessionOf(p, itemKey);
  const joinUrl = item.plan?.joinUrl;
  if (!joinUrl) throw refuse('no_join_link', 'This session has no join link yet', 404);
  const now = ctx.clock.now();
  const mark = p.place.trainingStatus === 'active' && !item.attendance ? joinMark(item.plan, now) : undefined;
  if (!mark) return { joinUrl, recorded: undefined };
  const recorded = await commit(ctx, async (tx) => {
    const [row] = await tx
      .insert(attendance)
      .values({ intakeId: p.intake.id, itemKey, enrolmentId, status: mark, reason: '', recordedBy: actor.kind === 'user' ? actor.userId : null, recordedAt: now })
      .onConflictDoNothing()
      .returning();
    if (row) await audit(tx, ctx.clock, actor, { action: 'register.joined_online', entityType: 'intake', entityId: p.intake.id, after: { itemKey, marks: { [enrolmentId]: mark } } });
    return row ? mark : undefined;
  });
  return { joinUrl, recorded };
}

