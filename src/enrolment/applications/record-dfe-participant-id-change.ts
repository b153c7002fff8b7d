import { eq } from 'drizzle-orm';
import { audit } from '../../audit/audit';
import { system } from '../../platform/auth/actor';
import { type EnrolmentContext, isUniqueViolation } from '../enrolment-context';
import { participants } from '../enrolment.schema';

/** DfE retired one participant id for another (a merge of two identities at DfE; docs/dfe-api.md §1.2, `participant_id_changes`). */
export interface DfeParticipantIdChange {
  from: string;
  to: string;
}

/**
 * What applying it did: the platform's person held `from` and now holds `to` (`changed`); nobody held
 * `from` (`unchanged`: already applied, or never the platform's); or another of the platform's people
 * already holds `to` (`conflict`: two people in the platform are one at DfE, for the admin to resolve;
 * nothing is changed).
 */
export type DfeParticipantIdChangeApplied = 'changed' | 'unchanged' | 'conflict';

/**
 * Applies a change of DfE participant id read from DfE's API (issue 13 item 2) to the platform's
 * person, idempotently, so later calls about them use DfE's current id (a retired id answers 404 or
 * 410). Audited as the DfE sync.
 */
export const recordDfeParticipantIdChange =
  (ctx: EnrolmentContext) =>
  async (change: DfeParticipantIdChange): Promise<DfeParticipantIdChangeApplied> => {
    try {
      return await ctx.write(async (tx) => {
        const [holder] = await tx.select({ id: participants.id }).from(participants).where(eq(participants.dfeParticipantId, change.from)).for('update');
        if (!holder) return 'unchanged';
        const [other] = await tx.select({ id: participants.id }).from(participants).where(eq(participants.dfeParticipantId, change.to));
        if (other) return 'conflict';
        await tx.update(participants).set({ dfeParticipantId: change.to, updatedAt: ctx.now() }).where(eq(participants.id, holder.id));
        await audit(tx, ctx.clock, system('DfE sync'), { action: 'participant.dfe_id_changed', entityType: 'participant', entityId: holder.id, before: { dfeParticipantId: change.from }, after: { dfeParticipantId: change.to } });
        return 'changed';
      });
    } catch (err) {
      // Another person took `to` at the same moment: the same as finding them there.
      if (isUniqueViolation(err)) return 'conflict';
      throw err;
    }
  };
