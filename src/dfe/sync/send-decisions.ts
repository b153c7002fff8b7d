import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { dfeDecisionOf } from '../../enrolment/enrolment.queries';
import type { Clock } from '../../platform/clock';
import { type DfeClient, refusalDetail } from '../client/dfe-client';
import { dfeChanges } from '../dfe.schema';
import { STATUS_KINDS } from '../domain/status-changes';
import { scheduleToName } from '../domain/dfe-reference-data';
import { FUNDED_PLACE_CHANGE } from './send-funded-place';
import { SENDER_LEASE, takeLease, SENDER_LEASE_MS } from './lease';
import { SCHEDULE_CHANGE } from './send-schedule';
import { sendValueChange } from './send-value-change';
import { type SendDeps, sendStatusChanges } from './send-status-changes';

export type DecisionKind = 'accept' | 'reject';

/**
 * What sending came to: DfE has it, DfE refused it, nothing was for DfE (an application DfE does not
 * hold), or another process is sending it now (`in_hand`: it settles it; nothing was read or sent here).
 */
export type DecisionSent = 'applied' | 'refused' | 'not_for_dfe' | 'in_hand';


/** DfE's refusals that mean the decision is already there: an earlier send whose answer was lost (docs/dfe-api.md §5.5). */
const ALREADY: Record<DecisionKind, string> = { accept: 'This NPQ application has already been accepted', reject: 'This NPQ application has already been rejected' };

/** The accept body DfE wants (§1.1, rule 8): `funded_place` a boolean in a capped cohort, `false` in an unfunded one, none otherwise; the intake's schedule when it has one. */
export function acceptBody(d: { fundedPlace: boolean | null; cohortFunding: string | null; schedule: string | null }): unknown {
  const attributes: Record<string, unknown> = {};
  if (d.cohortFunding === 'capped') attributes.funded_place = d.fundedPlace === true;
  if (d.cohortFunding === 'none') attributes.funded_place = false;
  if (d.schedule) attributes.schedule_identifier = d.schedule;
  return Object.keys(attributes).length ? { data: { type: 'npq-application-accept', attributes } } : undefined;
}

/**
 * Tells DfE the provider's decision on an application DfE holds (issue 13 items 2 and 4), exactly
 * once: the change is recorded (`dfe_changes`) before it is sent; before each send DfE is read, and a
 * decision DfE already shows is `applied` without sending again; a send with no answer (a timeout, a
 * dropped connection after DfE committed) throws, for the job to try again, and that next try reads
 * first. DfE's "already accepted/rejected" counts as applied; any other 422 is `refused` with DfE's
 * words; any other answer is tried again. An application DfE does not hold is `not_for_dfe`. One sender
 * at a time across processes (a lease per application and kind, as for status changes and
 * declarations): a second finds it held and answers `in_hand`, so two processes never both read
 * "not yet" and both send. DfeUnavailableError or an Error when
 * DfE cannot be reached: the job runner retries with its backoff.
 */
export async function sendDecision(deps: { db: Db; clock: Clock; client: DfeClient }, applicationId: string, kind: DecisionKind): Promise<DecisionSent> {
  const { db, clock } = deps;
  const decision = await dfeDecisionOf(db, applicationId);
  if (!decision?.dfeApplicationId) return 'not_for_dfe';
  // No schedule from the intake: name one only where DfE's own default would not exist in the cohort (its lookup then answers 404).
  const schedule = decision.schedule ?? (decision.cohort ? scheduleToName(decision.courseIdentifier, decision.cohort, clock.now().toISOString().slice(0, 10)) : null);
  const body = kind === 'accept' ? acceptBody({ ...decision, schedule }) : undefined;
  await db
    .insert(dfeChanges)
    .values({ kind, applicationId, dfeApplicationId: decision.dfeApplicationId, body: body ?? null, createdAt: clock.now(), updatedAt: clock.now() })
    .onConflictDoNothing();
  const [change] = await db.select().from(dfeChanges).where(and(eq(dfeChanges.applicationId, applicationId), eq(dfeChanges.kind, kind), eq(dfeChanges.changeKey, '')));
  if (change!.state !== 'pending') return change!.state as DecisionSent;
  const lease = await takeLease(db, clock, `${SENDER_LEASE}decision:${applicationId}:${kind}`, SENDER_LEASE_MS);
  if (!lease) return 'in_hand';
  try {
    // Read again under the lease: the holder before may have settled it.
    const [held] = await db.select({ state: dfeChanges.state }).from(dfeChanges).where(eq(dfeChanges.id, change!.id));
    if (held!.state !== 'pending') return held!.state as DecisionSent;
    return await sendHeld(deps, { id: change!.id, dfeApplicationId: decision.dfeApplicationId, kind, body });
  } finally {
    await lease.release();
  }
}

/** The read, the send and the settling of one pending decision whose lease the caller holds (sendDecision). */
async function sendHeld(deps: { db: Db; clock: Clock; client: DfeClient }, change: { id: string; dfeApplicationId: string; kind: DecisionKind; body: unknown }): Promise<DecisionSent> {
  const { db, clock, client } = deps;
  const { kind, body } = change;
  const settle = async (state: 'applied' | 'refused', answer: unknown) => {
    await db.update(dfeChanges).set({ state, answer: answer as object, updatedAt: clock.now() }).where(eq(dfeChanges.id, change.id));
    return state;
  };
  const path = `/api/v3/npq-applications/${encodeURIComponent(change.dfeApplicationId)}`;
  // What DfE holds now: a send whose answer was lost may have been applied.
  const now = await client.get(path, `check before ${kind}`);
  const status = (now.body as { data?: { attributes?: { status?: string } } } | null)?.data?.attributes?.status;
  if (now.status === 200 && status === (kind === 'accept' ? 'accepted' : 'rejected')) return settle('applied', now.body);
  if (now.status === 404) return settle('refused', { errors: [{ title: 'application', detail: 'DfE no longer shows this application to the provider (moved to another provider, or removed).' }] });
  await db.update(dfeChanges).set({ attempts: sql`${dfeChanges.attempts} + 1`, updatedAt: clock.now() }).where(eq(dfeChanges.id, change.id));
  const answer = await client.send('POST', `${path}/${kind}`, body, `send ${kind}`);
  if (answer.status === 200) return settle('applied', answer.body);
  if (answer.status === 422 && refusalDetail(answer.body).includes(ALREADY[kind])) return settle('applied', answer.body);
  // Only DfE's 422 is its word on the decision; a 401 (a token to put right), 400, 403 or 404 (DfE's own gap for a missing default schedule, §1.1) is tried again.
  if (answer.status === 422) return settle('refused', answer.body);
  throw new Error(`DfE did not answer the ${kind} of ${change.dfeApplicationId} (${answer.status ?? answer.error}); it is read again before the next try`);
}

/**
 * Sends every change still pending (a sweep: after DfE was unreachable for longer than the job runner
 * retries, or the platform was not connected), least recently tried first, at most `limit` of them: decisions first,
 * one by one, then each application's status changes together in their order (sendStatusChanges), then its
 * funded place and schedule (sendValueChange; a schedule held for a withdrawn participant goes once they are
 * resumed, in the same sweep as the resume). The number
 * settled; one that fails again stays pending for the next sweep.
 */
export async function sendPendingChanges(deps: SendDeps, limit = 100): Promise<number> {
  // Least recently tried first: a change that cannot go yet (its id retired at DfE, DfE away) moves to the back, never holding up the rest.
  const pending = await deps.db.select({ applicationId: dfeChanges.applicationId, kind: dfeChanges.kind }).from(dfeChanges).where(eq(dfeChanges.state, 'pending')).orderBy(dfeChanges.updatedAt, dfeChanges.createdAt).limit(limit);
  let settled = 0;
  const tried = async (applicationId: string, kinds: string[]) =>
    deps.db
      .update(dfeChanges)
      .set({ updatedAt: deps.clock.now() })
      .where(and(eq(dfeChanges.applicationId, applicationId), eq(dfeChanges.state, 'pending'), inArray(dfeChanges.kind, kinds)));
  // Decisions first: a status change waits for DfE to have the acceptance.
  for (const change of pending.filter((c) => c.kind === 'accept' || c.kind === 'reject')) {
    try {
      const sent = await sendDecision(deps, change.applicationId, change.kind as DecisionKind);
      if (sent === 'applied' || sent === 'refused') settled++;
    } catch {
      // Still pending: the next sweep tries again, after the others.
      await tried(change.applicationId, [change.kind]);
    }
  }
  // Status changes before values: a schedule held while DfE shows them withdrawn goes once their resume has.
  for (const applicationId of new Set(pending.filter((c) => (STATUS_KINDS as string[]).includes(c.kind)).map((c) => c.applicationId))) {
    try {
      settled += await sendStatusChanges(deps, applicationId);
    } catch {
      // What was not settled stays pending for the next sweep, after the others.
      await tried(applicationId, STATUS_KINDS);
    }
  }
  for (const change of [FUNDED_PLACE_CHANGE, SCHEDULE_CHANGE]) {
    for (const applicationId of new Set(pending.filter((c) => c.kind === change.kind).map((c) => c.applicationId))) {
      try {
        settled += await sendValueChange(deps, change, applicationId, null);
      } catch {
        await tried(applicationId, [change.kind]);
      }
    }
  }
  return settled;
}
