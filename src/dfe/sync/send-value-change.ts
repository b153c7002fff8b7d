import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { dfeDecisionOf, dfeParticipantOf, placesByEnrolment } from '../../enrolment/enrolment.queries';
import type { Clock } from '../../platform/clock';
import { dfeChanges } from '../dfe.schema';
import { SENDER_LEASE, takeLease, SENDER_LEASE_MS } from './lease';
import { readParticipantFollowingIdChanges } from './pull-participants';
import { acceptanceAtDfe, idConflictNote, keepWhy, type SendDeps, StillWaiting } from './send-status-changes';


/** What DfE knows an application by, and what the platform holds for it now. */
export interface ApplicationAtDfe {
  dfeApplicationId: string;
  dfeParticipantId: string | null;
  dfeStatus: string | null;
  decision: NonNullable<Awaited<ReturnType<typeof dfeDecisionOf>>>;
  /** The participant's training status in the platform (`active`, `deferred`, `withdrawn`); null for no place. */
  trainingStatus: string | null;
}

/**
 * One kind of change DfE is told as the platform's value when sending (a funded place, a schedule),
 * never as a list of steps: changes that pile up while DfE is away settle together with one call.
 */
export interface ValueChange {
  kind: 'change_funded_place' | 'change_schedule';
  /** In the field's words, for the call log and the admin's notes: "change of funded place". */
  name: string;
  /**
   * The body telling DfE the platform's value now; or why there is nothing to tell DfE (`nothing`: not
   * recorded, and anything pending settles refused with it as its note); or why the platform will not
   * tell DfE what it holds (`refuse`: recorded and refused with it as its note, for the admin to put right,
   * e.g. a schedule for a withdrawn participant, which DfE would refuse).
   */
  body(at: ApplicationAtDfe, clock: Clock): { body: unknown } | { nothing: string } | { refuse: string };
  /** Where DfE is read and written; a string: why it cannot be yet (kept as the wait's note). */
  paths(at: ApplicationAtDfe): { read: string; write: string } | string;
  /** Whether DfE's answer to the read already shows what `body` tells. */
  shows(answer: unknown, body: unknown, at: ApplicationAtDfe): boolean;
  /**
   * Why DfE's record, as read, would refuse the change now although the platform's own state allows it
   * (DfE shows them withdrawn, the platform active): the change is then held — left pending with this as
   * its note, nothing sent — and a later sweep reads DfE again. Null when DfE would take it; absent: DfE's
   * record never stands in the way.
   */
  heldAtDfe?(answer: unknown, at: ApplicationAtDfe): string | null;
}

async function applicationAtDfe(db: Db, applicationId: string): Promise<ApplicationAtDfe | null> {
  const decision = await dfeDecisionOf(db, applicationId);
  if (!decision?.dfeApplicationId) return null;
  const participant = await dfeParticipantOf(db, applicationId);
  const [place] = await placesByEnrolment(db, [applicationId]);
  return { dfeApplicationId: decision.dfeApplicationId, dfeParticipantId: participant?.dfeParticipantId ?? null, dfeStatus: decision.dfeStatus, decision, trainingStatus: place?.trainingStatus ?? null };
}

/**
 * Tells DfE of a change of one kind to an accepted participant (issue 13 items 2 and 4), exactly once.
 * The change (`changeKey`, the event that made it; null to send what is pending) is recorded in
 * `dfe_changes` before anything is sent. What DfE is sent is the platform's value as it is when sending,
 * so yes-then-no settles with no call, and the last word is the platform's: DfE is read first, and when
 * it already shows that value every pending change is `applied` without a send. DfE's 422 settles them
 * `refused`, in DfE's words. A change the platform will not send (`refuse`: a schedule for a participant
 * withdrawn in the platform, which DfE refuses, docs/dfe-api.md §4.3) settles `refused` with the platform's
 * note and nothing sent; one DfE's record forbids for now (`heldAtDfe`: DfE shows them withdrawn, the
 * platform active) stays `pending` with the reason as its note, nothing sent, for a later sweep. Waits — throws StillWaiting, the reason kept for the admin — until DfE has
 * the acceptance, while another process sends for the same application, and on any answer that is not
 * DfE's word. A participant id DfE retired (410) is moved on at once from DfE's answer, following a chain
 * (readParticipantFollowingIdChanges, with `deps.changeId`), and DfE read again there; without
 * `changeId`, or when another of the platform's people holds the id DfE kept, the change waits for the
 * participants pull. Returns the number settled; 0 for an application DfE does not hold.
 */
export async function sendValueChange(deps: SendDeps, change: ValueChange, applicationId: string, changeKey: string | null): Promise<number> {
  const { db, clock, client } = deps;
  const recorded = await applicationAtDfe(db, applicationId);
  if (!recorded) return 0;
  const told = change.body(recorded, clock);
  if (changeKey && !('nothing' in told)) await db.insert(dfeChanges).values({ kind: change.kind, changeKey, applicationId, dfeApplicationId: recorded.dfeApplicationId, body: 'body' in told ? (told.body as object) : null, createdAt: clock.now(), updatedAt: clock.now() }).onConflictDoNothing();
  const pending = await db.select({ id: dfeChanges.id }).from(dfeChanges).where(and(eq(dfeChanges.applicationId, applicationId), eq(dfeChanges.kind, change.kind), eq(dfeChanges.state, 'pending')));
  if (!pending.length) return 0;
  // Only these are settled: a change recorded after this read is its own job's to send.
  const ids = pending.map((p) => p.id);
  const these = and(inArray(dfeChanges.id, ids), eq(dfeChanges.state, 'pending'));
  const settle = async (state: 'applied' | 'refused', answer: unknown) => (await db.update(dfeChanges).set({ state, answer: answer as object, updatedAt: clock.now() }).where(these).returning({ id: dfeChanges.id })).length;
  // Left pending, nothing sent: the note says why, for the admin; the sweep tries it again later.
  const hold = async (note: string) => {
    await db.update(dfeChanges).set({ answer: { note, held: true }, updatedAt: clock.now() }).where(these);
    return 0;
  };
  const acceptance = await acceptanceAtDfe(db, applicationId, recorded.dfeStatus);
  if (acceptance === 'refused') return settle('refused', { note: `DfE refused the acceptance, so there is no participant to tell of a ${change.name}: see the acceptance above.` });
  const lease = await takeLease(db, clock, `${SENDER_LEASE}${change.kind}:${applicationId}`, SENDER_LEASE_MS);
  if (!lease) throw new Error(`Another process is sending this participant’s ${change.name}`);
  try {
    if (acceptance === 'waiting') throw new StillWaiting('DfE does not have the acceptance yet', { note: 'Waiting for DfE to have the acceptance.' });
    // The platform's value now, read after the changes above were: it includes every one of them.
    let at = await applicationAtDfe(db, applicationId);
    const now = at ? change.body(at, clock) : { nothing: 'DfE does not hold this application.' };
    if (!at || !('body' in now)) return settle('refused', { note: 'nothing' in now ? now.nothing : 'refuse' in now ? now.refuse : 'DfE does not hold this application.' });
    let paths = change.paths(at);
    if (typeof paths === 'string') throw new StillWaiting(paths, { note: paths });
    // A participant id DfE retired (410) is moved on at once, as the pull would, and DfE read again there.
    const held = at;
    const readPath = paths.read;
    const followed = held.dfeParticipantId
      ? await readParticipantFollowingIdChanges(deps, held.dfeParticipantId, (id) => {
          const p = change.paths({ ...held, dfeParticipantId: id });
          return typeof p === 'string' ? readPath : p.read;
        }, `check before ${change.name}`)
      : { answer: await client.get(readPath, `check before ${change.name}`), participantId: null };
    const read = followed.answer;
    if (read.status === 410) throw new StillWaiting(`DfE retired the participant id ${followed.participantId}`, 'conflict' in followed && followed.conflict ? { ...(read.body as object), note: idConflictNote(followed.conflict) } : read.body);
    if (followed.participantId !== held.dfeParticipantId) {
      at = await applicationAtDfe(db, applicationId);
      // The platform must now hold them under the id DfE answered at, or the change would go to another.
      if (!at || at.dfeParticipantId !== followed.participantId) throw new StillWaiting(`DfE knows ${held.dfeParticipantId} as ${followed.participantId}, which the platform does not hold for them`, { note: `DfE now knows them by ${followed.participantId}; the next pull of participants settles which person holds it.` });
      paths = change.paths(at);
      if (typeof paths === 'string') throw new StillWaiting(paths, { note: paths });
    }
    if (read.status === 404) return settle('refused', { note: 'DfE no longer shows this participant to the provider (moved to another provider, or removed): reconcile with DfE.' });
    if (read.status !== 200) throw new StillWaiting(`DfE did not answer the check before the ${change.name} (${read.status ?? read.error})`, { note: `DfE did not answer (${read.status ?? read.error}); tried again later.` });
    if (change.shows(read.body, now.body, at)) return settle('applied', read.body);
    const heldAtDfe = change.heldAtDfe?.(read.body, at);
    if (heldAtDfe) return hold(heldAtDfe);
    await db.update(dfeChanges).set({ attempts: sql`${dfeChanges.attempts} + 1`, updatedAt: clock.now() }).where(these);
    const answer = await client.send('PUT', paths.write, now.body, `send ${change.name}`);
    if (answer.status === 200) return settle('applied', answer.body);
    if (answer.status === 422) return settle('refused', answer.body);
    throw new StillWaiting(`DfE did not answer the ${change.name} of ${at.dfeApplicationId} (${answer.status ?? answer.error})`, { note: `DfE did not answer the change (${answer.status ?? answer.error}); DfE is read again before it is sent again.` });
  } catch (err) {
    await keepWhy(deps, ids, err);
    throw err;
  } finally {
    await lease.release();
  }
}
