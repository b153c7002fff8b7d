import { createHash, randomUUID } from 'node:crypto';
import { and, asc, count, desc, eq, gt, inArray, isNull, ne, or, sql } from 'drizzle-orm';
import { audit } from '../../audit/audit';
import type { Executor } from '../../db/client';
import { type Place, placesByEnrolment } from '../../enrolment/enrolment.queries';
import { groupsOfPlaces, placesInGroupsLedBy } from '../../learning/learning.queries';
import { enqueueEmail } from '../../mail/outbox';
import { contactsOfAccounts, facilitatorsOf, stillCoaches } from '../../people/people.queries';
import { type Actor, hasRole } from '../../platform/auth/actor';
import { requireFullySignedIn } from '../../platform/auth/require-signed-in';
import { ForbiddenError, NotFoundError, ValidationError } from '../../platform/errors';
import type { SentFile } from '../../platform/file-forms';
import { keptOnlyIfCommitted } from '../../platform/file-store';
import { checkedKind, type FileType, keptFileName } from '../../platform/file-types';
import { characterCount, hasVisibleText } from '../../platform/text';
import { supportsParticipants } from '../domain/coaching.policy';
import {
  emailedOfNew,
  hasSupport,
  MESSAGE_FILE_MAX_BYTES,
  MESSAGE_FILE_TYPES,
  MESSAGE_MAX_CHARACTERS,
  type MessageAuthorRole,
  mayWithdraw,
  recipientsOf,
  roleIn,
  SAME_MESSAGE_WITHIN_MS,
  type Support,
  WITHDRAW_WITHIN_MINUTES,
} from '../domain/messages';
import { newMessageEmail } from '../emails/message-emails';
import { commit, type CoachingContext, refuse } from '../coaching.context';
import { coachAllocations, supportMessageReads, supportMessages } from '../coaching.schema';
import { currentCoach } from '../bookings/bookings';

/** A message as the conversation shows it. A withdrawn one has no words and no file. */
export interface Message {
  id: string;
  authorName: string;
  authorRole: MessageAuthorRole;
  mine: boolean;
  body: string;
  file: { name: string; type: FileType; size: number } | null;
  createdAt: Date;
  withdrawn: boolean;
  /** Newer than the reader had read before this reading, and not theirs. */
  unread: boolean;
  mayWithdraw: boolean;
}

/**
 * Who supports a participant's place now (domain/messages.ts Support): their current personal tutor
 * (coach_allocations, kind tutor, while they still hold the coach role) and the facilitator of their
 * group in their own intake, while that person still facilitates for the place's delivery partner.
 */
export async function supportOf(db: Executor, place: Place): Promise<Support> {
  const [tutorId, groups] = await Promise.all([currentCoach(db, place.enrolmentId, 'tutor'), groupsOfPlaces(db, [place.enrolmentId])]);
  const group = groups.get(place.enrolmentId);
  const facilitatorId = group && group.intakeId === place.intakeId && place.deliveryPartnerId ? group.facilitatorUserId : null;
  const [facilitators, contacts, coaches] = await Promise.all([
    facilitatorId && place.deliveryPartnerId ? facilitatorsOf(db, place.deliveryPartnerId) : Promise.resolve([]),
    contactsOfAccounts(db, tutorId ? [tutorId] : []),
    stillCoaches(db, tutorId ? [tutorId] : []),
  ]);
  const facilitator = facilitators.find((f) => f.id === facilitatorId);
  // A tutor whose coach role was taken away (or whose account was closed) supports nobody, whatever the allocation still says.
  const tutor = tutorId && coaches.has(tutorId) ? tutorId : undefined;
  return {
    participantUserId: place.userId ?? '',
    tutor: tutor ? { userId: tutor, name: contacts.get(tutor)?.name ?? 'Your personal tutor' } : undefined,
    facilitator: facilitator && group ? { userId: facilitator.id, name: facilitator.name, groupName: group.groupName } : undefined,
  };
}

/**
 * The conversation of one place as `actor` may reach it: the participant on their own place, their
 * current tutor, their group's current facilitator; NotFoundError for anyone else (the admin too:
 * the messages are the participant's and their supporters' alone, docs/adr/0056).
 */
async function access(ctx: CoachingContext, actor: Actor, enrolmentId: string, side: Side): Promise<{ place: Place; support: Support; role: MessageAuthorRole; userId: string }> {
  const me = requireFullySignedIn(actor);
  const [place] = await placesByEnrolment(ctx.db, [enrolmentId]);
  if (!place) throw new NotFoundError('conversation');
  const support = await supportOf(ctx.db, place);
  const role = roleIn(support, me.userId);
  // Each side reads at its own addresses: the participant on their place, supporters on theirs.
  if (!role || (role === 'participant') !== (side === 'participant')) throw new NotFoundError('conversation');
  return { place, support, role, userId: me.userId };
}

/** Which side of a conversation a page is on: the participant's (their place's pages) or their supporters'. */
export type Side = 'participant' | 'support';

/** One writer at a time in a conversation: sends and withdrawals take turns, so a repeat, a withdrawal and the "once per stretch" email each see what came before. */
const lockConversation = (tx: Executor, enrolmentId: string) => tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`messages ${enrolmentId}`}))`);

/** The reader's unread messages per conversation: newer than their last reading (or any, never read), not theirs, not withdrawn. */
async function unreadIn(db: Executor, userId: string, enrolmentIds: readonly string[]): Promise<Map<string, number>> {
  if (!enrolmentIds.length) return new Map();
  const rows = await db
    .select({ enrolmentId: supportMessages.enrolmentId, n: count() })
    .from(supportMessages)
    .leftJoin(supportMessageReads, and(eq(supportMessageReads.enrolmentId, supportMessages.enrolmentId), eq(supportMessageReads.userId, userId)))
    .where(
      and(
        inArray(supportMessages.enrolmentId, [...enrolmentIds]),
        ne(supportMessages.authorUserId, userId),
        isNull(supportMessages.withdrawnAt),
        or(isNull(supportMessageReads.readAt), gt(supportMessages.createdAt, supportMessageReads.readAt)),
      ),
    )
    .groupBy(supportMessages.enrolmentId);
  return new Map(rows.map((r) => [r.enrolmentId, r.n]));
}

/** Marks the conversation read by `userId` up to `at`. */
async function markRead(db: Executor, enrolmentId: string, userId: string, at: Date) {
  await db
    .insert(supportMessageReads)
    .values({ enrolmentId, userId, readAt: at })
    .onConflictDoUpdate({ target: [supportMessageReads.enrolmentId, supportMessageReads.userId], set: { readAt: sql`greatest(${supportMessageReads.readAt}, excluded.read_at)` } });
}

/**
 * One place's conversation (issue 11 item 2), oldest first, for the participant, their tutor or their
 * group's facilitator (NotFoundError for anyone else). Reading it marks it read; the messages newer
 * than the reader's last reading come back marked `unread`, for the page to show where new ones start.
 * `mayWrite` says whether the reader can send: a participant who has withdrawn cannot, nor one with
 * nobody to write to (`why` says which).
 */
export async function readConversation(ctx: CoachingContext, actor: Actor, enrolmentId: string, side: Side) {
  const { place, support, role, userId } = await access(ctx, actor, enrolmentId, side);
  const [rows, [read]] = await Promise.all([
    ctx.db.select().from(supportMessages).where(eq(supportMessages.enrolmentId, enrolmentId)).orderBy(asc(supportMessages.seq)),
    ctx.db.select({ readAt: supportMessageReads.readAt }).from(supportMessageReads).where(and(eq(supportMessageReads.enrolmentId, enrolmentId), eq(supportMessageReads.userId, userId))),
  ]);
  const names = await contactsOfAccounts(ctx.db, [...new Set(rows.map((r) => r.authorUserId))]);
  const now = ctx.clock.now();
  const messages: Message[] = rows.map((r) => ({
    id: r.id,
    authorName: names.get(r.authorUserId)?.name ?? 'Someone who has left',
    authorRole: r.authorRole as MessageAuthorRole,
    mine: r.authorUserId === userId,
    body: r.withdrawnAt ? '' : r.body,
    file: !r.withdrawnAt && r.fileName && r.fileType ? { name: r.fileName, type: r.fileType as FileType, size: r.fileSize ?? 0 } : null,
    createdAt: r.createdAt,
    withdrawn: r.withdrawnAt !== null,
    unread: r.authorUserId !== userId && !r.withdrawnAt && (!read || r.createdAt > read.readAt),
    mayWithdraw: mayWithdraw(r, userId, now),
  }));
  const last = rows.at(-1)?.createdAt;
  if (last && (!read || last > read.readAt)) await markRead(ctx.db, enrolmentId, userId, last);
  const why = role === 'participant' && place.trainingStatus === 'withdrawn' ? 'withdrawn' : !hasSupport(support) ? 'no_support' : undefined;
  return { place, support, role, messages, newestId: rows.at(-1)?.id, mayWrite: !why, why };
}

/**
 * Sends a message in one place's conversation, with words (at most MESSAGE_MAX_CHARACTERS), a file
 * (the kinds and size of course materials, told by its bytes), or both. Who may: as readConversation;
 * a participant who has withdrawn (AppError not_in_training) or has nobody to write to (no_support)
 * cannot. ValidationError on `body` or `file`. The same words sent again within two minutes are the
 * same message. Everyone else in the conversation is emailed that there is a message, never what it
 * says (issue 11 item 2), and only when it is the first they have not read (emailedOfNew). The writer
 * has read what their page showed (`seenMessageId`, the newest message on it), not what arrived while
 * they typed. Audited without its words. Returns the message's id.
 */
export async function sendMessage(ctx: CoachingContext, actor: Actor, enrolmentId: string, side: Side, rawBody: string, file?: SentFile, seenMessageId?: string): Promise<string> {
  const { place, support, role, userId } = await access(ctx, actor, enrolmentId, side);
  if (role === 'participant' && place.trainingStatus === 'withdrawn') throw refuse('not_in_training', 'You have withdrawn from this NPQ, so messages can no longer be sent. Ask your provider if this is wrong.');
  if (!hasSupport(support)) throw refuse('no_support', 'You do not have a personal tutor or a group facilitator yet, so there is nobody to send a message to. Your provider will tell you when you do.');
  const body = rawBody.replace(/\r\n?/g, '\n').trim();
  const sent = file && (file.bytes.length > 0 || file.tooLarge) ? file : undefined;
  if (!hasVisibleText(body) && !sent) throw new ValidationError(file?.name ? { file: 'The file you chose is empty' } : { body: 'Enter your message, or choose a file to send' });
  const length = characterCount(body);
  if (length > MESSAGE_MAX_CHARACTERS) throw new ValidationError({ body: `Your message must be ${MESSAGE_MAX_CHARACTERS.toLocaleString('en-GB')} characters or fewer: it is ${length.toLocaleString('en-GB')}` });
  let kept: { fileName: string; fileType: FileType; fileSize: number; fileKey: string; fileSha256: string } | undefined;
  if (sent) {
    const fileType = await checkedKind(sent, MESSAGE_FILE_TYPES, MESSAGE_FILE_MAX_BYTES);
    kept = { fileName: keptFileName(sent.name, fileType, 'attachment'), fileType, fileSize: sent.bytes.length, fileKey: `messages/${randomUUID()}`, fileSha256: createHash('sha256').update(sent.bytes).digest('hex') };
    await ctx.files.put(kept.fileKey, sent.bytes);
  }
  const now = ctx.clock.now();
  return keptOnlyIfCommitted(ctx, kept?.fileKey, () =>
    commit(ctx, async (tx) => {
      await lockConversation(tx, enrolmentId);
      // The same message sent again (a double click without JavaScript, a form sent twice) is the one
      // already there: the same words and the same file, within two minutes, while nothing has been
      // written since. The same words after someone else's message are an answer to it, and are sent.
      const [newest] = await tx.select().from(supportMessages).where(eq(supportMessages.enrolmentId, enrolmentId)).orderBy(desc(supportMessages.seq)).limit(1);
      if (newest && newest.authorUserId === userId && !newest.withdrawnAt && newest.body === body && newest.fileSha256 === (kept?.fileSha256 ?? null) && now.getTime() - newest.createdAt.getTime() < SAME_MESSAGE_WITHIN_MS) {
        if (kept) await ctx.files.remove(kept.fileKey).catch(() => undefined);
        return newest.id;
      }
      const recipients = recipientsOf(support, userId);
      const unreadBefore = await Promise.all(recipients.map(async (r) => [r, (await unreadIn(tx, r, [enrolmentId])).get(enrolmentId) ?? 0] as const));
      const [row] = await tx.insert(supportMessages).values({ enrolmentId, authorUserId: userId, authorRole: role, body, ...kept, createdAt: now }).returning({ id: supportMessages.id });
      const [seen] = seenMessageId ? await tx.select({ createdAt: supportMessages.createdAt }).from(supportMessages).where(and(eq(supportMessages.id, seenMessageId), eq(supportMessages.enrolmentId, enrolmentId))) : [];
      if (seen) await markRead(tx, enrolmentId, userId, seen.createdAt);
      const contacts = await contactsOfAccounts(tx, [userId, ...recipients]);
      const author = contacts.get(userId)?.name ?? '';
      for (const [recipient, unread] of unreadBefore) {
        const to = contacts.get(recipient);
        if (!to || !emailedOfNew(unread)) continue;
        const toParticipant = recipient === support.participantUserId;
        await enqueueEmail(tx, ctx.clock, newMessageEmail({ to: to.email, name: to.name, from: author, fromRole: role, participant: place.fullName, toParticipant, mayReply: !toParticipant || place.trainingStatus !== 'withdrawn', link: `${ctx.baseUrl}${toParticipant ? `/programme/${enrolmentId}/messages` : `/messages/${enrolmentId}`}`, providerName: ctx.providerName }));
      }
      // The audit log is read by the admin, who may not read the messages: it keeps their length and the kind and size of a file, not their words nor the file's name.
      await audit(tx, ctx.clock, actor, { action: 'message.sent', entityType: 'enrolment', entityId: enrolmentId, after: { messageId: row!.id, role, characters: length, file: kept ? { type: kept.fileType, size: kept.fileSize } : null } });
      return row!.id;
    }),
  );
}

/**
 * Withdraws one's own message within WITHDRAW_WITHIN_MINUTES of sending it: its words and file are
 * gone for everyone, and the conversation says a message was withdrawn. NotFoundError for a message
 * not in a conversation the actor may read; AppError cannot_withdraw for someone else's, one already
 * withdrawn, or one sent too long ago.
 */
export async function withdrawMessage(ctx: CoachingContext, actor: Actor, enrolmentId: string, side: Side, messageId: string): Promise<void> {
  const { userId } = await access(ctx, actor, enrolmentId, side);
  const fileKey = await commit(ctx, async (tx) => {
    await lockConversation(tx, enrolmentId);
    const [message] = await tx.select().from(supportMessages).where(and(eq(supportMessages.id, messageId), eq(supportMessages.enrolmentId, enrolmentId))).for('update');
    if (!message) throw new NotFoundError('message');
    if (!mayWithdraw(message, userId, ctx.clock.now())) throw refuse('cannot_withdraw', message.authorUserId !== userId ? 'You can withdraw only your own messages' : message.withdrawnAt ? 'This message is already withdrawn' : `A message can be withdrawn only within ${WITHDRAW_WITHIN_MINUTES} minutes of sending it. Send another message to correct it.`);
    await tx.update(supportMessages).set({ body: '', fileName: null, fileType: null, fileSize: null, fileKey: null, fileSha256: null, withdrawnAt: ctx.clock.now() }).where(eq(supportMessages.id, messageId));
    await audit(tx, ctx.clock, actor, { action: 'message.withdrawn', entityType: 'enrolment', entityId: enrolmentId, after: { messageId } });
    return message.fileKey;
  });
  // Removed once nothing names it; a file left by a failed removal is harmless, a missing one named would not be.
  if (fileKey) await ctx.files.remove(fileKey).catch(() => undefined);
}

/** The file sent with a message, for those who may read its conversation (NotFoundError else, and for a withdrawn message or one without a file). */
export async function messageFile(ctx: CoachingContext, actor: Actor, enrolmentId: string, side: Side, messageId: string): Promise<{ name: string; type: FileType; bytes: Buffer }> {
  await access(ctx, actor, enrolmentId, side);
  const [message] = await ctx.db.select().from(supportMessages).where(and(eq(supportMessages.id, messageId), eq(supportMessages.enrolmentId, enrolmentId)));
  if (!message?.fileKey || !message.fileName || !message.fileType || message.withdrawnAt) throw new NotFoundError('file');
  const bytes = await ctx.files.get(message.fileKey);
  if (!bytes) throw new NotFoundError('file');
  return { name: message.fileName, type: message.fileType as FileType, bytes };
}

/** One conversation as a supporter's list of them shows it. */
export interface ConversationSummary {
  enrolmentId: string;
  participantName: string;
  courseIdentifier: string;
  trainingStatus: string;
  /** What the reader is to the participant: their tutor, their group's facilitator (naming the group), or both. */
  as: string;
  lastMessageAt: Date | null;
  messages: number;
  unread: number;
}

/** A supporter's list of conversations pages this many at a time. */
export const CONVERSATIONS_PER_PAGE = 50;

/**
 * The conversations of everyone the actor supports (issue 11 item 2): the participants they tutor now
 * and those in the groups they facilitate, for the coach, facilitator and partner lead roles
 * (ForbiddenError else). Those with unread messages first, then the latest message first, then by
 * name. `unread` keeps only those with unread messages; `q` searches names. Paged
 * CONVERSATIONS_PER_PAGE at a time (`page` from 1). Returns the page, the total and the unread total.
 */
export async function myConversations(ctx: CoachingContext, actor: Actor, filter: { unread?: boolean; q?: string; page?: number } = {}) {
  const me = requireFullySignedIn(actor);
  if (!supportsParticipants(actor)) throw new ForbiddenError();
  const [tutored, grouped] = await Promise.all([
    // Tutoring needs the coach role held now: an allocation left behind after it was taken away gives nobody.
    hasRole(actor, 'coach') ? ctx.db.select({ enrolmentId: coachAllocations.enrolmentId }).from(coachAllocations).where(and(eq(coachAllocations.coachUserId, me.userId), eq(coachAllocations.kind, 'tutor'), isNull(coachAllocations.endedAt))) : Promise.resolve([]),
    placesInGroupsLedBy(ctx.db, me.userId),
  ]);
  const ids = [...new Set([...tutored.map((t) => t.enrolmentId), ...grouped.map((g) => g.enrolmentId)])];
  const places = await placesByEnrolment(ctx.db, ids);
  // A group of an intake the place has left, or of a partner the reader no longer facilitates for, is not theirs to write in.
  const partners = [...new Set(grouped.map((g) => places.find((p) => p.enrolmentId === g.enrolmentId)?.deliveryPartnerId).filter((p): p is string => !!p))];
  const facilitating = new Set((await Promise.all(partners.map(async (p) => ((await facilitatorsOf(ctx.db, p)).some((f) => f.id === me.userId) ? [p] : [])))).flat());
  const groupOf = new Map(grouped.filter((g) => places.some((p) => p.enrolmentId === g.enrolmentId && p.intakeId === g.intakeId && p.deliveryPartnerId && facilitating.has(p.deliveryPartnerId))).map((g) => [g.enrolmentId, g.groupName]));
  const tutors = new Set(tutored.map((t) => t.enrolmentId));
  const mine = places.filter((p) => tutors.has(p.enrolmentId) || groupOf.has(p.enrolmentId));
  const mineIds = mine.map((p) => p.enrolmentId);
  const [unread, totals] = await Promise.all([
    unreadIn(ctx.db, me.userId, mineIds),
    mineIds.length
      ? ctx.db
          .select({ enrolmentId: supportMessages.enrolmentId, n: count(), last: sql<Date>`max(${supportMessages.createdAt})`.mapWith(supportMessages.createdAt) })
          .from(supportMessages)
          .where(inArray(supportMessages.enrolmentId, mineIds))
          .groupBy(supportMessages.enrolmentId)
      : Promise.resolve([]),
  ]);
  const total = new Map(totals.map((t) => [t.enrolmentId, t]));
  const q = (filter.q ?? '').trim().toLowerCase();
  const all: ConversationSummary[] = mine.map((p) => ({
    enrolmentId: p.enrolmentId,
    participantName: p.fullName,
    courseIdentifier: p.courseIdentifier,
    trainingStatus: p.trainingStatus,
    as: [tutors.has(p.enrolmentId) ? 'Personal tutor' : '', groupOf.has(p.enrolmentId) ? `Facilitator, ${groupOf.get(p.enrolmentId)}` : ''].filter(Boolean).join('; '),
    lastMessageAt: total.get(p.enrolmentId)?.last ?? null,
    messages: total.get(p.enrolmentId)?.n ?? 0,
    unread: unread.get(p.enrolmentId) ?? 0,
  }));
  const shown = all
    .filter((c) => (!filter.unread || c.unread > 0) && (!q || c.participantName.toLowerCase().includes(q)))
    .sort((a, b) => Number(b.unread > 0) - Number(a.unread > 0) || (b.lastMessageAt?.getTime() ?? 0) - (a.lastMessageAt?.getTime() ?? 0) || a.participantName.localeCompare(b.participantName, 'en-GB'));
  const page = Math.max(1, Math.min(filter.page ?? 1, Math.ceil(shown.length / CONVERSATIONS_PER_PAGE) || 1));
  return {
    conversations: shown.slice((page - 1) * CONVERSATIONS_PER_PAGE, page * CONVERSATIONS_PER_PAGE),
    total: shown.length,
    everyone: all.length,
    unreadConversations: all.filter((c) => c.unread > 0).length,
    page,
  };
}
