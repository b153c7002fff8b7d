import { eq } from 'drizzle-orm';
import type { Executor } from '../../db/client';
import type { Actor } from '../../platform/auth/actor';
import { actorLabel } from '../../platform/auth/actor';
import type { TrainingStatus } from '../domain/workflows';
import { participantStatusChanges, participants } from '../enrolment.schema';
import { type ParticipantRow, participantOfUser, participantWithoutAccount } from './participants.repository';

/**
 * Inside `tx`: the person's participant, made on their first application (ADR 0026). A person with an
 * account is one participant whatever address they apply with; its id is their user id, the
 * `participant_id` the API always showed them. Without an account, the provider's entries with the same
 * email address (any case) are one participant; when that person later applies with an account, the
 * account takes that participant over, keeping its id. Two requests at once end with one row (the
 * unique indexes; the loser reads the winner's).
 */
export async function participantFor(tx: Executor, person: { userId: string | null; email: string }, at: Date): Promise<ParticipantRow> {
  const email = person.email.trim().toLowerCase();
  if (person.userId) {
    const own = await participantOfUser(tx, person.userId);
    if (own) return own;
    const entered = await participantWithoutAccount(tx, email);
    if (entered) {
      const [claimed] = await tx.update(participants).set({ userId: person.userId, updatedAt: at }).where(eq(participants.id, entered.id)).returning();
      return claimed!;
    }
    await tx.insert(participants).values({ id: person.userId, userId: person.userId, email, createdAt: at, updatedAt: at }).onConflictDoNothing();
    return (await participantOfUser(tx, person.userId))!;
  }
  const entered = await participantWithoutAccount(tx, email);
  if (entered) return entered;
  await tx.insert(participants).values({ email, createdAt: at, updatedAt: at }).onConflictDoNothing();
  return (await participantWithoutAccount(tx, email))!;
}

/**
 * Inside `tx`: one line of a participant's training-status history on one enrolment (from null at acceptance), with
 * DfE's reason code when the change has one; the participant's `updated_at` moves with it.
 */
export async function recordStatusChange(
  tx: Executor,
  change: { participantId: string; enrolmentId: string; from: TrainingStatus | null; to: TrainingStatus; reason: string | null; at: Date; by: Actor },
): Promise<void> {
  await tx.insert(participantStatusChanges).values({ participantId: change.participantId, enrolmentId: change.enrolmentId, fromStatus: change.from, toStatus: change.to, reason: change.reason, changedAt: change.at, changedBy: actorLabel(change.by) });
  await tx.update(participants).set({ updatedAt: change.at }).where(eq(participants.id, change.participantId));
}
