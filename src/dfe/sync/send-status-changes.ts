import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { dfeParticipantOf, statusChangesOfPlace } from '../../enrolment/enrolment.queries';
import type { Clock } from '../../platform/clock';
import { type DfeClient, refusalDetail } from '../client/dfe-client';
import { dfeChanges } from '../dfe.schema';
import { dfeTrainingStatusOf, STATUS_CHANGES, type StatusChangeKind, statusChangeBody, statusChangeKindOf } from '../domain/status-changes';
import { releaseLease, renewLease, takeLease } from './lease';

/**
 * How long one process may send one status change before another may take over (it died): renewed
 * before each change, and longer than one change can take — a read and a write, each of which may wait
 * out DfE's 5-minute rate window or a `Retry-After`.
 */
const LEASE_MS = 15 * 60 * 1000;
const STATUS_KINDS = Object.keys(STATUS_CHANGES) as StatusChangeKind[];

/**
 * Sends an application's changes of training status to DfE (issue 13 items 2 and 4), each exactly
 * once and in the order the provider made them. The platform's own status history (written in the
 * change's transaction) is the source: every deferral, resumption and withdrawal in it is recorded in
 * `dfe_changes` (keyed by the history row) before anything is sent, so a change whose job ran late or
 * never is still sent, in its place. One process at a time per application (a lease), so two jobs never
 * interleave. Before each send DfE's record is read, and a change whose status DfE already shows is
 * `applied` without sending (a send whose answer was lost); DfE's "already deferred/active/withdrawn"
 * counts as applied; any other 422 is `refused` with DfE's words (DfE will not defer a participant with
 * no declarations, nor withdraw one without a started declaration) and the next change goes on; a 404
 * is `refused` too (DfE no longer shows the participant to the provider).
 *
 * Returns the number settled, 0 for an application DfE does not hold. Throws — for the job runner or
 * the sweep to try again, later changes waiting behind — while DfE does not have the acceptance (the
 * platform's accept still pending, or, when the platform sent none, no pull has seen it accepted),
 * while another process holds the lease, and on any answer that is not DfE's word (a timeout, a dropped
 * connection, a 5xx, a 401).
 */
export async function sendStatusChanges(deps: { db: Db; clock: Clock; client: DfeClient }, applicationId: string): Promise<number> {
  const { db, clock, client } = deps;
  const who = await dfeParticipantOf(db, applicationId);
  if (!who?.dfeApplicationId || !who.dfeParticipantId) return 0;
  const dfeApplicationId = who.dfeApplicationId;
  const history = (await statusChangesOfPlace(db, applicationId)).flatMap((h) => {
    const kind = statusChangeKindOf(h.fromStatus, h.toStatus);
    return kind ? [{ kind, changeKey: h.id, applicationId, dfeApplicationId, body: statusChangeBody(kind, who.courseIdentifier, h.reason), createdAt: h.changedAt, updatedAt: clock.now() }] : [];
  });
  if (history.length) await db.insert(dfeChanges).values(history).onConflictDoNothing();
  const [acceptance] = await db.select({ state: dfeChanges.state }).from(dfeChanges).where(and(eq(dfeChanges.applicationId, applicationId), eq(dfeChanges.kind, 'accept')));
  // DfE knows the participant only once it has the acceptance: sent by the platform (settled either way), or seen accepted in a pull.
  if (!(acceptance ? acceptance.state !== 'pending' : who.dfeStatus === 'accepted')) throw new Error('DfE does not have the acceptance yet: status changes wait for it');
  const leaseName = `status:${applicationId}`;
  if (!(await takeLease(db, clock, leaseName, LEASE_MS))) throw new Error('Another process is sending this participant’s status changes');
  try {
    const pending = await db
      .select()
      .from(dfeChanges)
      .where(and(eq(dfeChanges.applicationId, applicationId), eq(dfeChanges.state, 'pending'), inArray(dfeChanges.kind, STATUS_KINDS)))
      .orderBy(asc(dfeChanges.createdAt), asc(dfeChanges.changeKey));
    let settled = 0;
    for (const change of pending) {
      await renewLease(db, clock, leaseName, LEASE_MS);
      const kind = change.kind as StatusChangeKind;
      const settle = async (state: 'applied' | 'refused', answer: unknown) => {
        await db.update(dfeChanges).set({ state, answer: answer as object, updatedAt: clock.now() }).where(eq(dfeChanges.id, change.id));
        settled++;
      };
      const path = `/api/v3/participants/npq/${encodeURIComponent(who.dfeParticipantId)}`;
      // What DfE holds now: a send whose answer was lost may have been applied.
      const now = await client.get(path, `check before ${kind}`);
      if (now.status === 404) {
        await settle('refused', { errors: [{ title: 'participant_id', detail: 'DfE does not show this participant to the provider (an id that changed, or moved to another provider): reconcile, then make the change again.' }] });
        continue;
      }
      if (now.status !== 200) throw new Error(`DfE did not answer the check before the ${kind} of ${dfeApplicationId} (${now.status ?? now.error})`);
      if (dfeTrainingStatusOf(now.body, dfeApplicationId) === STATUS_CHANGES[kind].to) {
        await settle('applied', now.body);
        continue;
      }
      await db.update(dfeChanges).set({ attempts: sql`${dfeChanges.attempts} + 1`, updatedAt: clock.now() }).where(eq(dfeChanges.id, change.id));
      const answer = await client.send('PUT', `${path}/${kind}`, change.body, `send ${kind}`);
      if (answer.status === 200 || (answer.status === 422 && refusalDetail(answer.body).includes(STATUS_CHANGES[kind].already))) await settle('applied', answer.body);
      else if (answer.status === 422) await settle('refused', answer.body);
      else throw new Error(`DfE did not answer the ${kind} of ${dfeApplicationId} (${answer.status ?? answer.error}); it is read again before the next try`);
    }
    return settled;
  } finally {
    await releaseLease(db, leaseName);
  }
}
