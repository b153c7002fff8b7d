/** Reads of participants and their training-status history. Queries only. */
import { and, asc, eq, isNull } from 'drizzle-orm';
import type { Executor } from '../../db/client';
import { participantStatusChanges, participants } from '../enrolment.schema';

export type ParticipantRow = typeof participants.$inferSelect;
export type ParticipantStatusChangeRow = typeof participantStatusChanges.$inferSelect;

/** The participant of the person with this account, if they have sent an application. */
export async function participantOfUser(db: Executor, userId: string): Promise<ParticipantRow | undefined> {
  const [row] = await db.select().from(participants).where(eq(participants.userId, userId));
  return row;
}

/** The participant the provider entered without an account, by email address (any case). */
export async function participantWithoutAccount(db: Executor, email: string): Promise<ParticipantRow | undefined> {
  const [row] = await db
    .select()
    .from(participants)
    .where(and(isNull(participants.userId), eq(participants.email, email.trim().toLowerCase())));
  return row;
}

/** A participant's training-status changes on every enrolment, oldest first. */
export function statusHistoryOf(db: Executor, participantId: string): Promise<ParticipantStatusChangeRow[]> {
  return db.select().from(participantStatusChanges).where(eq(participantStatusChanges.participantId, participantId)).orderBy(asc(participantStatusChanges.changedAt), asc(participantStatusChanges.id));
}

/** The training-status changes on one enrolment (ADR 0036), oldest first. */
export function statusHistoryOfEnrolment(db: Executor, enrolmentId: string): Promise<ParticipantStatusChangeRow[]> {
  return db.select().from(participantStatusChanges).where(eq(participantStatusChanges.enrolmentId, enrolmentId)).orderBy(asc(participantStatusChanges.changedAt), asc(participantStatusChanges.id));
}
