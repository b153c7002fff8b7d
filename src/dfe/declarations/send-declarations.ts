import { and, asc, eq, isNotNull, isNull, sql } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { dfeDecisionOf, placesAtDfe } from '../../enrolment/enrolment.queries';
import { deliveryPartnerDfeIds } from '../../catalogue/catalogue.queries';
import type { Clock } from '../../platform/clock';
import { type DfeClient, refusalDetail } from '../client/dfe-client';
import { dfeDeclarations } from '../dfe.schema';
import { COHORTS, hasOutcomes } from '../domain/dfe-reference-data';
import { LeaseLostError, SENDER_LEASE, takeLease, SENDER_LEASE_MS } from '../sync/lease';
import { readParticipantFollowingIdChanges } from '../sync/pull-participants';
import { acceptanceAtDfe, type SendDeps, StillWaiting } from '../sync/send-status-changes';

const DECLARATIONS = '/api/v3/participant-declarations';

/** A time as DfE's `declaration_date` wants it: RFC 3339 with a time part, to the second, UTC (§2.4 item 5). */
const rfc3339 = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, '+00:00');

/** A declaration as DfE's API gives it (§1.3), the attributes the platform reads. */
interface DfeDeclaration {
  id: string;
  attributes: { application_id?: string; declaration_type?: string; state?: string; statement_id?: string | null; clawback_statement_id?: string | null; updated_at?: string; created_at?: string; lead_provider_name?: string };
}

/** DfE's states in which a declaration stands for its event (§2.4 item 11, and `ineligible`: made, not paid): one found in these is the platform's, never made twice. */
const STANDING = ['submitted', 'eligible', 'payable', 'paid', 'ineligible'];
/** DfE's states after a void (§2.7), in either spelling (the document's underscores, DfE's dashes). */
const VOIDED = ['voided', 'awaiting-clawback', 'awaiting_clawback', 'clawed-back', 'clawed_back'];
/** DfE's state as the platform keeps it: DfE's own dashes (§1.3), whichever spelling came. */
const dashed = (state: string | undefined) => (state ? state.replace(/_/g, '-') : null);

/** What DfE holds of a declaration, as kept on the platform's row. */
export const dfeSide = (d: DfeDeclaration, now: Date) => ({
  dfeDeclarationId: d.id,
  dfeState: dashed(d.attributes.state),
  dfeStatementId: d.attributes.statement_id ?? null,
  dfeClawbackStatementId: d.attributes.clawback_statement_id ?? null,
  dfeUpdatedAt: d.attributes.updated_at ? new Date(d.attributes.updated_at) : now,
  ...(VOIDED.includes(d.attributes.state ?? '') ? { voidedAt: now } : {}),
});

/** How far DfE's clock may stand behind the platform's when telling a declaration this send made from one made before it was approved. */
const CLOCKS_APART_MS = 5 * 60 * 1000;

/**
 * Whether a declaration DfE holds was made by this approval's send (its answer lost) rather than before:
 * DfE also lists, on an application transferred to the provider, the declarations the previous provider
 * made (§1.3, §4.4), which are never this provider's to take, void or be paid for.
 */
const madeSince = (d: DfeDeclaration, approvedAt: Date | null) => !approvedAt || !d.attributes.created_at || new Date(d.attributes.created_at).getTime() >= approvedAt.getTime() - CLOCKS_APART_MS;

/** The admin's note for a declaration of this event that DfE held before this one was approved. */
const madeBefore = (d: DfeDeclaration, type: string) =>
  `DfE already holds a ${type} declaration for this place, made by ${d.attributes.lead_provider_name ?? 'another provider'} before you approved this one (on a place transferred to you, the previous provider's: docs/dfe-api.md §4.4). DfE will not take another while it stands, and pays it to whoever made it. Nothing was sent: dismiss this one, or ask DfE.`;

/** Every declaration DfE lists for a participant (all pages), or StillWaiting when DfE does not answer. */
async function declarationsAtDfe(client: DfeClient, dfeParticipantId: string): Promise<DfeDeclaration[]> {
  const all: DfeDeclaration[] = [];
  for (let page = 1; ; page++) {
    const read = await client.get(`${DECLARATIONS}?filter[participant_id]=${encodeURIComponent(dfeParticipantId)}&page[page]=${page}&page[per_page]=100`, 'check before a declaration');
    if (read.status !== 200) throw new StillWaiting(`DfE did not answer the check before a declaration (${read.status ?? read.error})`, { note: `DfE did not answer the check (${read.status ?? read.error}); tried again later.` });
    const data = ((read.body as { data?: DfeDeclaration[] }).data ?? []) as DfeDeclaration[];
    all.push(...data);
    if (data.length < 100) return all;
  }
}

/**
 * DfE's body for a declaration (POST /participant-declarations; §2.4): the participant, type, the
 * evidence's time (RFC 3339), the NPQ, `has_passed` on `completed` for NPQs with outcomes, and the
 * delivery partner's DfE id where DfE asks for one.
 */
export function declarationBody(d: { dfeParticipantId: string; declarationType: string; declarationDate: Date; courseIdentifier: string; hasPassed: boolean | null; dfeDeliveryPartnerId: string | null }) {
  return {
    data: {
      type: 'participant-declaration',
      attributes: {
        participant_id: d.dfeParticipantId,
        declaration_type: d.declarationType,
        declaration_date: rfc3339(d.declarationDate),
        course_identifier: d.courseIdentifier,
        ...(d.declarationType === 'completed' && hasOutcomes(d.courseIdentifier) ? { has_passed: d.hasPassed ?? false } : {}),
        ...(d.dfeDeliveryPartnerId ? { delivery_partner_id: d.dfeDeliveryPartnerId } : {}),
      },
    },
  };
}

/**
 * Sends one approved declaration to DfE (issue 13 items 3 and 4), exactly once. It was recorded
 * (approved) before anything is sent; one process at a time sends it (a lease). DfE is read first:
 * a declaration of the same type on the same application that DfE already holds (a send whose answer
 * was lost, or one made by hand) is taken as this one — DfE has no idempotency keys (§5.5), so reading
 * is how a retry stays safe. Only then is it posted. DfE's answer is kept: made (`sent`, with DfE's id,
 * state and statement), or refused in DfE's words (`refused`; DfE's "already submitted" is read again
 * and taken). Anything else — no answer, a 5xx, DfE's acceptance not yet there, a participant id DfE has
 * replaced — leaves it approved with the reason kept, for the sweep to try again, reading first.
 * Returns the state it ends in, or null when it was not the sender's to send (not approved, or held by
 * another process). With `changeId` (the participants pull's use case), a participant id DfE retired is
 * followed to the one it kept at once, and the declaration sent there; without, it waits for the pull.
 */
export async function sendDeclaration(deps: SendDeps, id: string): Promise<string | null> {
  try {
    return await sendOnce(deps, id);
  } catch (err) {
    // DfE retired the participant's id (a merge: §4.5). With the pull's use case, the person moves on to the id DfE kept at once, and the declaration goes there.
    if (!(err instanceof ParticipantReplaced) || !deps.changeId) throw err;
    const followed = await readParticipantFollowingIdChanges({ client: deps.client, changeId: deps.changeId }, err.participantId, (pid) => `/api/v3/participants/npq/${encodeURIComponent(pid)}`, 'follow a retired participant id');
    if (followed.conflict || followed.participantId === err.participantId) throw err;
    return sendOnce(deps, id);
  }
}

/** DfE answered that the participant's id was replaced (§2.4 item 1): the platform's person must move on first. */
class ParticipantReplaced extends StillWaiting {
  constructor(readonly participantId: string, body: unknown) {
    super('DfE replaced the participant id', body);
  }
}

async function sendOnce(deps: SendDeps, id: string): Promise<string | null> {
  const { db, clock, client } = deps;
  const [row] = await db.select().from(dfeDeclarations).where(eq(dfeDeclarations.id, id));
  if (row?.state !== 'approved') return null;
  const lease = await takeLease(db, clock, `${SENDER_LEASE}declaration:${id}`, SENDER_LEASE_MS);
  if (!lease) return null;
  const settle = async (set: Partial<typeof dfeDeclarations.$inferInsert>) => {
    await db
      .update(dfeDeclarations)
      .set({ ...set, updatedAt: clock.now() })
      .where(and(eq(dfeDeclarations.id, id), eq(dfeDeclarations.state, 'approved')));
    return set.state ?? 'approved';
  };
  try {
    const [place] = await placesAtDfe(db, { enrolmentIds: [row.applicationId] });
    if (!place) return await settle({ state: 'refused', answer: { note: 'DfE does not hold this participant’s application any more (not accepted, or not linked to DfE): nothing was sent.' } });
    const decision = await dfeDecisionOf(db, row.applicationId);
    const acceptance = await acceptanceAtDfe(db, row.applicationId, decision?.dfeStatus ?? null);
    if (acceptance === 'refused') return await settle({ state: 'refused', answer: { note: 'DfE refused the acceptance, so there is no participant to declare for: see the acceptance on the DfE page.' } });
    if (acceptance === 'waiting') throw new StillWaiting('DfE does not have the acceptance yet', { note: 'Waiting for DfE to have the acceptance.' });
    const standing = (await declarationsAtDfe(client, place.dfeParticipantId)).filter((d) => d.attributes.application_id === place.dfeApplicationId && d.attributes.declaration_type === row.declarationType && STANDING.includes(dashed(d.attributes.state) ?? ''));
    const found = standing.find((d) => madeSince(d, row.approvedAt));
    if (found) return await settle({ state: 'sent', ...dfeSide(found, clock.now()), answer: { note: 'DfE already held it: taken as sent, not sent again.' } });
    if (standing[0]) return await settle({ state: 'refused', answer: { note: madeBefore(standing[0], row.declarationType) } });
    const partnerIds = place.deliveryPartnerId ? await deliveryPartnerDfeIds(db, [place.deliveryPartnerId]) : new Map<string, string>();
    const dfePartner = place.deliveryPartnerId ? (partnerIds.get(place.deliveryPartnerId) ?? null) : null;
    const startYear = COHORTS.find((c) => c.identifier === place.cohort)?.startYear ?? 0;
    // From the 2024 cohort DfE refuses a declaration without the partner (§2.4 item 12): wait for the partner to be matched rather than be refused.
    if (!dfePartner && startYear >= 2024 && place.deliveryPartnerId) throw new StillWaiting('The delivery partner has no DfE id yet', { note: 'Waiting for DfE’s id of the delivery partner: the next read of DfE’s delivery partners matches it by name. If the names differ, make them the same.' });
    const body = declarationBody({ dfeParticipantId: place.dfeParticipantId, declarationType: row.declarationType, declarationDate: row.declarationDate, courseIdentifier: place.courseIdentifier, hasPassed: row.hasPassed, dfeDeliveryPartnerId: dfePartner });
    await db.update(dfeDeclarations).set({ attempts: sql`${dfeDeclarations.attempts} + 1`, updatedAt: clock.now() }).where(eq(dfeDeclarations.id, id));
    const answer = await client.send('POST', DECLARATIONS, body, 'send a declaration');
    if (answer.status === 200 || answer.status === 201) return await settle({ state: 'sent', ...dfeSide((answer.body as { data: DfeDeclaration }).data, clock.now()), answer: null });
    if (answer.status === 422 && /already been submitted|already a declaration/.test(refusalDetail(answer.body))) {
      const again = (await declarationsAtDfe(client, place.dfeParticipantId)).filter((d) => d.attributes.application_id === place.dfeApplicationId && d.attributes.declaration_type === row.declarationType && STANDING.includes(dashed(d.attributes.state) ?? ''));
      const made = again.find((d) => madeSince(d, row.approvedAt));
      if (made) return await settle({ state: 'sent', ...dfeSide(made, clock.now()), answer: { note: 'DfE already held it: taken as sent.' } });
      if (again[0]) return await settle({ state: 'refused', answer: { note: madeBefore(again[0], row.declarationType) } });
    }
    if (answer.status === 422 && /has been replaced with/.test(refusalDetail(answer.body))) throw new ParticipantReplaced(place.dfeParticipantId, answer.body);
    if (answer.status === 400 || answer.status === 422) return await settle({ state: 'refused', answer: answer.body as object });
    throw new StillWaiting(`DfE did not answer the declaration (${answer.status ?? answer.error})`, { note: `DfE did not answer (${answer.status ?? answer.error}); DfE is read again before it is sent again.` });
  } catch (err) {
    if (!(err instanceof LeaseLostError)) {
      const why = err instanceof StillWaiting ? err.why : { note: `DfE could not be reached (${(err as Error).message}); tried again later.` };
      await db.update(dfeDeclarations).set({ answer: why as object, updatedAt: clock.now() }).where(and(eq(dfeDeclarations.id, id), eq(dfeDeclarations.state, 'approved')));
    }
    throw err;
  } finally {
    await lease.release();
  }
}

/**
 * Voids at DfE a declaration the admin asked to void (issue 13 item 3; docs/dfe-api.md §2.7), exactly
 * once: DfE's record is read first, and one already voided (or awaiting clawback) is recorded as such
 * without a send; else PUT …/void. Before payment DfE voids it; after, it awaits clawback on the next
 * statement — either way `voided_at` is set with DfE's state. DfE's refusal (the cohort's contract
 * ended) takes the request back, DfE's words kept for the admin. No answer leaves it asked, for the
 * sweep. Returns DfE's state after, or null when there was nothing to void or another process holds it.
 */
export async function sendVoid(deps: { db: Db; clock: Clock; client: DfeClient }, id: string): Promise<string | null> {
  const { db, clock, client } = deps;
  const [row] = await db.select().from(dfeDeclarations).where(eq(dfeDeclarations.id, id));
  if (!row?.dfeDeclarationId || !row.voidRequestedAt || row.voidedAt) return null;
  const lease = await takeLease(db, clock, `${SENDER_LEASE}void:${id}`, SENDER_LEASE_MS);
  if (!lease) return null;
  const path = `${DECLARATIONS}/${encodeURIComponent(row.dfeDeclarationId)}`;
  const record = async (d: DfeDeclaration, note: string | null) => {
    await db
      .update(dfeDeclarations)
      .set({ ...dfeSide(d, clock.now()), answer: note ? { note } : null, updatedAt: clock.now() })
      .where(eq(dfeDeclarations.id, id));
    return dashed(d.attributes.state);
  };
  try {
    const read = await client.get(path, 'check before a void');
    if (read.status === 200 && VOIDED.includes((read.body as { data: DfeDeclaration }).data.attributes.state ?? '')) return await record((read.body as { data: DfeDeclaration }).data, 'DfE already had it voided: not sent again.');
    if (read.status !== 200) throw new StillWaiting(`DfE did not answer the check before a void (${read.status ?? read.error})`, { note: `DfE did not answer the check (${read.status ?? read.error}); tried again later.` });
    await db.update(dfeDeclarations).set({ attempts: sql`${dfeDeclarations.attempts} + 1`, updatedAt: clock.now() }).where(eq(dfeDeclarations.id, id));
    const answer = await client.send('PUT', `${path}/void`, undefined, 'void a declaration');
    if (answer.status === 200) return await record((answer.body as { data: DfeDeclaration }).data, null);
    if (answer.status === 422 || answer.status === 403) {
      await db.update(dfeDeclarations).set({ voidRequestedAt: null, answer: answer.body as object, updatedAt: clock.now() }).where(eq(dfeDeclarations.id, id));
      return null;
    }
    throw new StillWaiting(`DfE did not answer the void (${answer.status ?? answer.error})`, { note: `DfE did not answer the void (${answer.status ?? answer.error}); DfE is read again before it is sent again.` });
  } catch (err) {
    if (!(err instanceof LeaseLostError)) {
      const why = err instanceof StillWaiting ? err.why : { note: `DfE could not be reached (${(err as Error).message}); tried again later.` };
      await db.update(dfeDeclarations).set({ answer: why as object, updatedAt: clock.now() }).where(and(eq(dfeDeclarations.id, id), isNull(dfeDeclarations.voidedAt)));
    }
    throw err;
  } finally {
    await lease.release();
  }
}

/**
 * The sweep (every few minutes): sends every approved declaration and every void asked for that DfE
 * does not have yet, oldest first, each on its own (one DfE will not take yet does not hold up the
 * rest). Returns how many were settled.
 */
export async function sendPendingDeclarations(deps: SendDeps): Promise<number> {
  const { db } = deps;
  let settled = 0;
  const approved = await db.select({ id: dfeDeclarations.id }).from(dfeDeclarations).where(eq(dfeDeclarations.state, 'approved')).orderBy(asc(dfeDeclarations.approvedAt)).limit(500);
  for (const { id } of approved) if (await sendDeclaration(deps, id).catch(() => null)) settled++;
  const voids = await db
    .select({ id: dfeDeclarations.id })
    .from(dfeDeclarations)
    .where(and(isNotNull(dfeDeclarations.voidRequestedAt), isNull(dfeDeclarations.voidedAt)))
    .orderBy(asc(dfeDeclarations.voidRequestedAt))
    .limit(500);
  for (const { id } of voids) if (await sendVoid(deps, id).catch(() => null)) settled++;
  return settled;
}
