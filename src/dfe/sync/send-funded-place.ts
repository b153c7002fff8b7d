import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { dfeDecisionOf } from '../../enrolment/enrolment.queries';
import type { Clock } from '../../platform/clock';
import type { DfeClient } from '../client/dfe-client';
import { dfeChanges } from '../dfe.schema';
import { takeLease } from './lease';
import { acceptanceAtDfe, keepWhy, StillWaiting } from './send-status-changes';

const LEASE_MS = 15 * 60 * 1000;

/** DfE's body for a change of funded place (docs/dfe-api.md §1.1). */
export const fundedPlaceBody = (fundedPlace: boolean) => ({ data: { type: 'npq-application-change-funded-place', attributes: { funded_place: fundedPlace } } });

/**
 * Tells DfE of a change to an accepted participant's funded place (issue 13 items 2 and 4), exactly
 * once. The change (`changeKey`, the event that made it) is recorded in `dfe_changes` before anything
 * is sent. What DfE is sent is the platform's funded place as it is when sending, so changes that pile
 * up (yes, then no, then yes) settle together with one call, and the last word is the platform's: DfE
 * is read first, and when it already shows that value every pending change is `applied` without a
 * send. DfE's 422 (for example, declarations already submitted) settles them `refused`, in DfE's
 * words. Waits — throws, the reason kept for the admin — until DfE has the acceptance, while another
 * process sends for the same application, and on any answer that is not DfE's word. Returns the number
 * settled; 0 for an application DfE does not hold.
 */
export async function sendFundedPlace(deps: { db: Db; clock: Clock; client: DfeClient }, applicationId: string, changeKey: string | null): Promise<number> {
  const { db, clock, client } = deps;
  const known = await dfeDecisionOf(db, applicationId);
  if (!known?.dfeApplicationId) return 0;
  const dfeApplicationId = known.dfeApplicationId;
  if (changeKey && known.fundedPlace !== null) await db.insert(dfeChanges).values({ kind: 'change_funded_place', changeKey, applicationId, dfeApplicationId, body: fundedPlaceBody(known.fundedPlace), createdAt: clock.now(), updatedAt: clock.now() }).onConflictDoNothing();
  const pending = await db.select({ id: dfeChanges.id }).from(dfeChanges).where(and(eq(dfeChanges.applicationId, applicationId), eq(dfeChanges.kind, 'change_funded_place'), eq(dfeChanges.state, 'pending')));
  if (!pending.length) return 0;
  // Only these are settled: a change recorded after this read is its own job's to send.
  const ids = pending.map((p) => p.id);
  const these = and(inArray(dfeChanges.id, ids), eq(dfeChanges.state, 'pending'));
  const settle = async (state: 'applied' | 'refused', answer: unknown) => (await db.update(dfeChanges).set({ state, answer: answer as object, updatedAt: clock.now() }).where(these).returning({ id: dfeChanges.id })).length;
  const acceptance = await acceptanceAtDfe(db, applicationId, known.dfeStatus);
  if (acceptance === 'refused') return settle('refused', { note: 'DfE refused the acceptance, so it holds no funded place to change: see the acceptance above.' });
  const lease = await takeLease(db, clock, `funded:${applicationId}`, LEASE_MS);
  if (!lease) throw new Error('Another process is sending this participant’s funded place');
  try {
    if (acceptance === 'waiting') throw new StillWaiting('DfE does not have the acceptance yet', { note: 'Waiting for DfE to have the acceptance.' });
    // The platform's value now, read after the changes above were: it includes every one of them.
    const fundedPlace = (await dfeDecisionOf(db, applicationId))?.fundedPlace ?? null;
    if (fundedPlace === null) return settle('refused', { note: 'The participant has no funded place to tell DfE of (the cohort is not capped).' });
    const path = `/api/v3/npq-applications/${encodeURIComponent(dfeApplicationId)}`;
    const now = await client.get(path, 'check before change of funded place');
    if (now.status === 404) return settle('refused', { note: 'DfE no longer shows this application to the provider (moved to another provider, or removed): reconcile with DfE.' });
    if (now.status !== 200) throw new StillWaiting(`DfE did not answer the check before the change of funded place (${now.status ?? now.error})`, { note: `DfE did not answer (${now.status ?? now.error}); tried again later.` });
    if ((now.body as { data?: { attributes?: { funded_place?: unknown } } }).data?.attributes?.funded_place === fundedPlace) return settle('applied', now.body);
    await db.update(dfeChanges).set({ attempts: sql`${dfeChanges.attempts} + 1`, updatedAt: clock.now() }).where(these);
    const answer = await client.send('PUT', `${path}/change-funded-place`, fundedPlaceBody(fundedPlace), 'send change of funded place');
    if (answer.status === 200) return settle('applied', answer.body);
    if (answer.status === 422) return settle('refused', answer.body);
    throw new StillWaiting(`DfE did not answer the change of funded place of ${dfeApplicationId} (${answer.status ?? answer.error})`, { note: `DfE did not answer the change (${answer.status ?? answer.error}); DfE is read again before it is sent again.` });
  } catch (err) {
    await keepWhy(deps, ids, err);
    throw err;
  } finally {
    await lease.release();
  }
}
