import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { dfeParticipantOf, statusChangesOfPlace } from '../../enrolment/enrolment.queries';
import type { Clock } from '../../platform/clock';
import { type DfeClient, refusalDetail } from '../client/dfe-client';
import { dfeChanges } from '../dfe.schema';
import { dfeTrainingStatusOf, inMadeOrder, STATUS_CHANGES, STATUS_KINDS, type StatusChangeKind, statusChangeBody, statusChangeKindOf } from '../domain/status-changes';
import { LeaseLostError, SENDER_LEASE, takeLease, SENDER_LEASE_MS } from './lease';
import { type ChangeDfeParticipantId, readParticipantFollowingIdChanges } from './pull-participants';

/**
 * What a sender of changes to DfE needs: the database, the clock, a client of DfE's API, and the
 * participants pull's way to apply one of DfE's participant id changes (`changeId`), with which a 410 —
 * an id DfE retired — is moved on at once rather than waiting for the next pull. Without it such a
 * change waits for the pull.
 */
export interface SendDeps {
  db: Db;
  clock: Clock;
  client: DfeClient;
  changeId?: ChangeDfeParticipantId | undefined;
}

/** The admin's note on a change held because DfE merged the participant into an id another of the platform's people holds. */
export const idConflictNote = (keptId: string) => `DfE merged them into participant id ${keptId}, which another person in the platform holds: the two are one at DfE. Nothing was changed; see the participants' id changes on /admin/dfe after the next pull.`;

/**
 * How long one process may send one status change before another may take over (it died): renewed
 * before each change, and longer than one change can take — a read and a write, each of which may wait
 * out DfE's 5-minute rate window or a `Retry-After` (at most a window, a few times).
 */

/** Why a change still waits, kept on it for the admin: DfE's own answer when it gave one, else the platform's note. */
export class StillWaiting extends Error {
  constructor(
    message: string,
    readonly why: unknown,
  ) {
    super(message);
  }
}

/**
 * Whether DfE has the provider's acceptance of an application, which any later change needs: `has` when
 * the platform's accept was applied at DfE or, when the platform sent none, a pull saw it accepted;
 * `refused` when DfE refused the platform's accept; `waiting` otherwise.
 */
export async function acceptanceAtDfe(db: Db, applicationId: string, dfeStatus: string | null): Promise<'has' | 'refused' | 'waiting'> {
  const [acceptance] = await db.select({ state: dfeChanges.state }).from(dfeChanges).where(and(eq(dfeChanges.applicationId, applicationId), eq(dfeChanges.kind, 'accept')));
  if (acceptance) return acceptance.state === 'applied' ? 'has' : acceptance.state === 'refused' ? 'refused' : 'waiting';
  return dfeStatus === 'accepted' ? 'has' : 'waiting';
}

/** Keeps on pending changes why they still wait (`err`: StillWaiting with its reason, or DfE unreachable), for the admin; nothing for a lost lease, whose new holder says. */
export async function keepWhy(deps: { db: Db; clock: Clock }, ids: string[], err: unknown): Promise<void> {
  if (err instanceof LeaseLostError || !ids.length) return;
  const why = err instanceof StillWaiting ? err.why : { note: `DfE could not be reached (${(err as Error).message}); tried again later.` };
  await deps.db.update(dfeChanges).set({ answer: why as object, updatedAt: deps.clock.now() }).where(and(inArray(dfeChanges.id, ids), eq(dfeChanges.state, 'pending')));
}

/**
 * Sends an application's changes of training status to DfE (issue 13 items 2 and 4; ADR 0070), each
 * exactly once and in the order the provider made them. The platform's own status history (written in
 * the change's transaction) is the source: every deferral, resumption and withdrawal in it is recorded
 * in `dfe_changes` (keyed by the history row) before anything is sent, and sent in the history's order
 * (inMadeOrder), so a change whose job ran late or never is still sent, in its place. One process at a
 * time per application (a lease, renewed before each change). Before each send DfE's record is read,
 * and a change whose status DfE already shows is `applied` without sending (a send whose answer was
 * lost); DfE's "already deferred/active/withdrawn" counts as applied; any other 422 is `refused` with
 * DfE's words (DfE will not defer a participant with no declarations, nor withdraw one without a
 * started declaration) and the next change goes on. `refused` too, with the platform's note, when DfE
 * refused the acceptance or no longer shows the participant to the provider (404).
 *
 * Returns the number settled, 0 for an application DfE does not hold. Throws — for the job runner or
 * the sweep to try again, later changes waiting behind, the reason kept on the change for the admin —
 * while DfE does not have the acceptance (the platform's accept still pending or, when it sent none, no
 * pull has seen it accepted), while the participant's id is one DfE retired (410) and cannot be moved on
 * at once — with `deps.changeId` the 410's id changes are applied as the participants pull applies them,
 * following a chain (readParticipantFollowingIdChanges), and DfE read again at the id kept; without it, or
 * when another of the platform's people holds the id kept, the change waits for the pull — while another process holds the lease, and on any
 * answer that is not DfE's word (a timeout, a dropped connection, a 5xx, a 401).
 */
export async function sendStatusChanges(deps: SendDeps, applicationId: string): Promise<number> {
  const { db, clock, client } = deps;
  const who = await dfeParticipantOf(db, applicationId);
  if (!who?.dfeApplicationId || !who.dfeParticipantId) return 0;
  const dfeApplicationId = who.dfeApplicationId;
  const history = inMadeOrder(await statusChangesOfPlace(db, applicationId)).flatMap((h) => {
    const kind = statusChangeKindOf(h.fromStatus, h.toStatus);
    return kind ? [{ kind, changeKey: h.id, applicationId, dfeApplicationId, body: statusChangeBody(kind, who.courseIdentifier, h.reason), createdAt: h.changedAt, updatedAt: clock.now() }] : [];
  });
  if (!history.length) return 0;
  await db.insert(dfeChanges).values(history).onConflictDoNothing();
  const pendingRows = await db
    .select()
    .from(dfeChanges)
    .where(and(eq(dfeChanges.applicationId, applicationId), eq(dfeChanges.state, 'pending'), inArray(dfeChanges.kind, STATUS_KINDS)));
  const order = new Map(history.map((h, i) => [h.changeKey, i]));
  const pending = pendingRows.sort((a, b) => (order.get(a.changeKey) ?? 0) - (order.get(b.changeKey) ?? 0));
  if (!pending.length) return 0;
  let settled = 0;
  const settle = async (id: string, state: 'applied' | 'refused', answer: unknown) => {
    await db.update(dfeChanges).set({ state, answer: answer as object, updatedAt: clock.now() }).where(and(eq(dfeChanges.id, id), eq(dfeChanges.state, 'pending')));
    settled++;
  };
  const acceptance = await acceptanceAtDfe(db, applicationId, who.dfeStatus);
  if (acceptance === 'refused') {
    for (const change of pending) await settle(change.id, 'refused', { note: 'DfE refused the acceptance, so it holds no participant to change: see the acceptance above.' });
    return settled;
  }
  const lease = await takeLease(db, clock, `${SENDER_LEASE}status:${applicationId}`, SENDER_LEASE_MS);
  if (!lease) throw new Error('Another process is sending this participant’s status changes');
  const pathOf = (participantId: string) => `/api/v3/participants/npq/${encodeURIComponent(participantId)}`;
  let participantId = who.dfeParticipantId;
  let current = pending[0]!;
  try {
    // DfE knows the participant only once it has the acceptance: sent by the platform, or seen accepted in a pull.
    if (acceptance === 'waiting') throw new StillWaiting('DfE does not have the acceptance yet', { note: 'Waiting for DfE to have the acceptance.' });
    for (const change of pending) {
      current = change;
      await lease.renew();
      const kind = change.kind as StatusChangeKind;
      // What DfE holds now: a send whose answer was lost may have been applied.
      // A participant id DfE retired (410) is moved on at once from DfE's answer, and DfE read again there.
      const followed = await readParticipantFollowingIdChanges(deps, participantId, pathOf, `check before ${kind}`);
      const now = followed.answer;
      if (now.status === 410) throw new StillWaiting('DfE retired this participant id', followed.conflict ? { ...(now.body as object), note: idConflictNote(followed.conflict) } : now.body);
      if (followed.participantId !== participantId) {
        // The platform must now hold them under the id DfE answered at, or the change would go to another.
        if ((await dfeParticipantOf(db, applicationId))?.dfeParticipantId !== followed.participantId) throw new StillWaiting(`DfE knows ${participantId} as ${followed.participantId}, which the platform does not hold for them`, { note: `DfE now knows them by ${followed.participantId}; the next pull of participants settles which person holds it.` });
        participantId = followed.participantId;
      }
      if (now.status === 404) {
        await settle(change.id, 'refused', { note: 'DfE does not show this participant to the provider (moved to another provider, or not accepted there): reconcile with DfE.' });
        continue;
      }
      if (now.status !== 200) throw new StillWaiting(`DfE did not answer the check before the ${kind} (${now.status ?? now.error})`, { note: `DfE did not answer (${now.status ?? now.error}); tried again later.` });
      if (dfeTrainingStatusOf(now.body, dfeApplicationId) === STATUS_CHANGES[kind].to) {
        await settle(change.id, 'applied', now.body);
        continue;
      }
      await db.update(dfeChanges).set({ attempts: sql`${dfeChanges.attempts} + 1`, updatedAt: clock.now() }).where(eq(dfeChanges.id, change.id));
      const answer = await client.send('PUT', `${pathOf(participantId)}/${kind}`, change.body, `send ${kind}`);
      if (answer.status === 200 || (answer.status === 422 && refusalDetail(answer.body).includes(STATUS_CHANGES[kind].already))) await settle(change.id, 'applied', answer.body);
      else if (answer.status === 422) await settle(change.id, 'refused', answer.body);
      else throw new StillWaiting(`DfE did not answer the ${kind} of ${dfeApplicationId} (${answer.status ?? answer.error}); it is read again before the next try`, { note: `DfE did not answer the change (${answer.status ?? answer.error}); DfE is read again before it is sent again.` });
    }
    return settled;
  } catch (err) {
    await keepWhy(deps, [current.id], err);
    throw err;
  } finally {
    await lease.release();
  }
}
