import { MATERIAL_FILE_TYPES, MATERIAL_MAX_BYTES } from '../../learning/domain/material';

/*
 * Messages between a participant and their support (issue 11 item 2): their personal tutor and the
 * facilitator of their group. The rules here are pure; who is whose tutor or facilitator is read by
 * the use cases (messages/messages.ts) and passed in.
 */

/** What the author of a message was to the participant when they wrote it. */
export const MESSAGE_AUTHOR_ROLES = ['participant', 'tutor', 'facilitator'] as const;
export type MessageAuthorRole = (typeof MESSAGE_AUTHOR_ROLES)[number];

export const MESSAGE_ROLE_LABELS: Record<MessageAuthorRole, string> = { participant: 'Participant', tutor: 'Personal tutor', facilitator: 'Facilitator' };

/** The longest message, in characters (as a discussion post: issue 10 item 4). */
export const MESSAGE_MAX_CHARACTERS = 5_000;

/** An attachment follows the rules of course materials (issue 11 item 2: "under the same rules as materials"): these kinds, by their bytes, at most 25 MB. */
export const MESSAGE_FILE_TYPES = MATERIAL_FILE_TYPES;
export const MESSAGE_FILE_MAX_BYTES = MATERIAL_MAX_BYTES;

/** The same words sent again by the same person within this time are the same message (a double click without JavaScript), in milliseconds. */
export const SAME_MESSAGE_WITHIN_MS = 2 * 60 * 1000;

/** A message can be withdrawn by its author for this long after sending it (minutes): long enough to notice a slip, short enough that a reply is not left answering nothing. */
export const WITHDRAW_WITHIN_MINUTES = 30;

/** Who supports a participant now: their personal tutor and their group's facilitator (either may be missing, or be the same person). */
export interface Support {
  participantUserId: string;
  tutor?: { userId: string; name: string } | undefined;
  facilitator?: { userId: string; name: string; groupName: string } | undefined;
}

/**
 * What `userId` is in this conversation: the participant, their tutor or their facilitator; undefined
 * for anyone else (who may not read it). Someone who is both tutor and facilitator writes as tutor.
 */
export function roleIn(support: Support, userId: string): MessageAuthorRole | undefined {
  if (userId === support.participantUserId) return 'participant';
  if (support.tutor?.userId === userId) return 'tutor';
  if (support.facilitator?.userId === userId) return 'facilitator';
  return undefined;
}

/** Everyone in the conversation but its author, each once: whom a new message is for. */
export function recipientsOf(support: Support, authorUserId: string): string[] {
  return [...new Set([support.participantUserId, support.tutor?.userId, support.facilitator?.userId].filter((u): u is string => !!u && u !== authorUserId))];
}

/** Whether the participant has anyone to write to. */
export const hasSupport = (support: Support): boolean => !!(support.tutor || support.facilitator);

/**
 * Whether a recipient is emailed about a new message: only when it is the first they have not read
 * (`unreadBefore` = their unread messages before it). One email per stretch of unread messages, so a
 * quick exchange does not become a stream of emails; reading the conversation starts a new stretch.
 */
export const emailedOfNew = (unreadBefore: number): boolean => unreadBefore === 0;

/** Whether `userId` may withdraw this message now: their own, not withdrawn, sent less than WITHDRAW_WITHIN_MINUTES ago. */
export function mayWithdraw(message: { authorUserId: string; createdAt: Date; withdrawnAt: Date | null }, userId: string, now: Date): boolean {
  return message.authorUserId === userId && !message.withdrawnAt && now.getTime() - message.createdAt.getTime() < WITHDRAW_WITHIN_MINUTES * 60_000;
}
