import { and, eq, inArray } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { type DfeParticipantIdChange, type DfeParticipantIdChangeApplied, dfeParticipantIdsOfApplications } from '../../enrolment/enrolment.queries';
import type { Clock } from '../../platform/clock';
import type { DfeAnswer, DfeClient } from '../client/dfe-client';
import { dfeSkippedRecords } from '../dfe.schema';
import { type DfeItem, pullPages } from './paged-pull';

/** What one run read and did. */
export interface ParticipantPullSummary {
  pages: number;
  read: number;
  /** People whose DfE participant id the platform changed to DfE's current one. */
  idsChanged: number;
  /** Id changes the platform could not apply (two of its people are one at DfE), kept for the admin. */
  conflicts: number;
  finished: boolean;
}

/** Applies one of DfE's participant id changes to the platform's person (enrolment's recordDfeParticipantIdChange: idempotent, audited). */
export type ChangeDfeParticipantId = (change: DfeParticipantIdChange) => Promise<DfeParticipantIdChangeApplied>;

/** DfE's `participant_id_changes` as a list holds them (`{from_participant_id, to_participant_id, changed_at}`), oldest first; anything not a list, none. */
function asIdChanges(list: unknown): (DfeParticipantIdChange & { changedAt: string })[] {
  const changes = Array.isArray(list) ? (list as Record<string, unknown>[]) : [];
  return changes
    .map((c) => ({ from: String(c.from_participant_id), to: String(c.to_participant_id), changedAt: String(c.changed_at) }))
    .sort((a, b) => a.changedAt.localeCompare(b.changedAt));
}

/** A participant record's id changes (`participant_id_changes`, docs/dfe-api.md §1.2), oldest first. */
export function idChangesOf(item: DfeItem): (DfeParticipantIdChange & { changedAt: string })[] {
  return asIdChanges(item.attributes.participant_id_changes);
}

/** The id changes DfE's 410 for a retired participant id carries (docs/dfe-api.md §4.5: `errors[].participant_id_changes`), oldest first. */
export function idChangesOfGone(body: unknown): (DfeParticipantIdChange & { changedAt: string })[] {
  const errors = (body as { errors?: { participant_id_changes?: unknown }[] } | null)?.errors;
  return asIdChanges(Array.isArray(errors) ? errors.flatMap((e) => (Array.isArray(e?.participant_id_changes) ? e.participant_id_changes : [])) : []);
}

/** How many retired ids in a row a read follows before it gives up (a loop in DfE's answers, or a chain longer than any merge makes). */
const MOST_HOPS = 5;

/**
 * Reads a participant from DfE (`pathOf(id)`: the record, GET /participants/npq/{id}) and, when DfE
 * answers 410 — the id retired by a merge (docs/dfe-api.md §4.5) — applies at once the id changes the
 * 410 carries (`changeId`, the pull's own use case, so the platform's person moves to the id DfE kept,
 * audited, exactly as a pull would move them) and reads again at the new id, following a chain (A→B,
 * then B→C) step by step, from the list in one answer or from each 410 in turn, at most MOST_HOPS reads.
 * Gives DfE's last answer and the id it was read at; with `conflict`, the id DfE kept that another of
 * the platform's people holds (nothing changed: the pull keeps it for the admin). A 410 is given as it
 * came when `changeId` is absent, or the answer names no change from the id read. DfeUnavailableError
 * as `client.get`.
 */
export async function readParticipantFollowingIdChanges(
  deps: { client: DfeClient; changeId?: ChangeDfeParticipantId | undefined },
  participantId: string,
  pathOf: (participantId: string) => string,
  purpose: string,
): Promise<{ answer: DfeAnswer; participantId: string; conflict?: string }> {
  let id = participantId;
  const seen = new Set([id]);
  for (let hop = 0; ; hop++) {
    const answer = await deps.client.get(pathOf(id), purpose);
    if (answer.status !== 410 || !deps.changeId || hop >= MOST_HOPS) return { answer, participantId: id };
    let next = id;
    // Oldest first, so A→B comes before B→C: each step moves the person one id on.
    for (const change of idChangesOfGone(answer.body)) {
      if (change.from !== next || seen.has(change.to)) continue;
      if ((await deps.changeId({ from: next, to: change.to })) === 'conflict') return { answer, participantId: id, conflict: change.to };
      next = change.to;
      seen.add(next);
    }
    if (next === id) return { answer, participantId: id };
    id = next;
  }
}

/**
 * Pulls the provider's participants from DfE (issue 13 item 2) through `pullPages` (every page from the
 * last run less an overlap, weekly in full, resumable, one run at a time) and applies each participant
 * id DfE retired (`participant_id_changes`) to the platform's person who held it (`changeId`,
 * idempotent), so later calls use DfE's current id; a person still holding an older id of one of the
 * record's applications (npq_application_id) moves to the record's id too. A change the platform cannot apply — another of its
 * people already holds the new id — is kept in `dfe_skipped_records` under each of the participant's
 * DfE applications, with the record, for the admin. DfeUnavailableError when DfE cannot be read.
 */
export async function pullParticipants(
  deps: { db: Db; clock: Clock; client: DfeClient; changeId: ChangeDfeParticipantId },
  opts: { perPage?: number; overlapMs?: number; maxPages?: number } = {},
): Promise<ParticipantPullSummary> {
  const { db, clock } = deps;
  const summary: ParticipantPullSummary = { pages: 0, read: 0, idsChanged: 0, conflicts: 0, finished: false };
  const done = await pullPages(
    deps,
    { cursor: 'participants', path: '/api/v3/participants/npq', purpose: 'sync participants' },
    async (items) => {
      // A page's held ids are read, and its resolved records cleared, in one query each: two per record made a page of 3,000 take a minute.
      const applicationIdsOf = (item: (typeof items)[number]) => (Array.isArray(item.attributes.npq_enrolments) ? (item.attributes.npq_enrolments as { npq_application_id?: unknown }[]) : []).map((e) => String(e.npq_application_id));
      const heldOnPage = await dfeParticipantIdsOfApplications(db, items.flatMap(applicationIdsOf));
      const resolved: string[] = [];
      for (const item of items) {
        summary.read++;
        let conflict = false;
        for (const change of idChangesOf(item)) {
          const applied = await deps.changeId(change);
          if (applied === 'changed') summary.idsChanged++;
          if (applied === 'conflict') conflict = true;
        }
        const dfeApplicationIds = applicationIdsOf(item);
        // DfE's application ids survive merges; its list of id changes may not hold every step (A→B, then
        // B→C before a pull lists only B→C on C): a person still on an older id of one of these
        // applications moves to this record's id, as DfE's guidance keys enrolments on the application.
        for (const held of heldOnPage.filter((h) => dfeApplicationIds.includes(h.dfeApplicationId))) {
          if (held.dfeParticipantId === item.id) continue;
          const applied = await deps.changeId({ from: held.dfeParticipantId, to: item.id });
          if (applied === 'changed') summary.idsChanged++;
          if (applied === 'conflict') conflict = true;
        }
        if (!conflict) {
          resolved.push(...dfeApplicationIds);
          continue;
        }
        summary.conflicts++;
        for (const dfeApplicationId of dfeApplicationIds) {
          await db
            .insert(dfeSkippedRecords)
            .values({ dfeApplicationId, reason: 'id_change_conflict', record: item, seenAt: clock.now() })
            .onConflictDoUpdate({ target: dfeSkippedRecords.dfeApplicationId, set: { reason: 'id_change_conflict', record: item, seenAt: clock.now() } });
        }
      }
      // Resolved since (the other person's id put right): no longer for the admin.
      if (resolved.length) await db.delete(dfeSkippedRecords).where(and(inArray(dfeSkippedRecords.dfeApplicationId, resolved), eq(dfeSkippedRecords.reason, 'id_change_conflict')));
    },
    opts,
  );
  return { ...summary, ...done };
}
