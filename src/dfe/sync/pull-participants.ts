import { and, eq, inArray } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { type DfeParticipantIdChange, type DfeParticipantIdChangeApplied, dfeParticipantIdsOfApplications } from '../../enrolment/enrolment.queries';
import type { Clock } from '../../platform/clock';
import type { DfeClient } from '../client/dfe-client';
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

/** A participant record's id changes (`participant_id_changes`, docs/dfe-api.md §1.2), oldest first. */
export function idChangesOf(item: DfeItem): (DfeParticipantIdChange & { changedAt: string })[] {
  const changes = Array.isArray(item.attributes.participant_id_changes) ? (item.attributes.participant_id_changes as Record<string, unknown>[]) : [];
  return changes
    .map((c) => ({ from: String(c.from_participant_id), to: String(c.to_participant_id), changedAt: String(c.changed_at) }))
    .sort((a, b) => a.changedAt.localeCompare(b.changedAt));
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
  deps: { db: Db; clock: Clock; client: DfeClient; changeId: (change: DfeParticipantIdChange) => Promise<DfeParticipantIdChangeApplied> },
  opts: { perPage?: number; overlapMs?: number; maxPages?: number } = {},
): Promise<ParticipantPullSummary> {
  const { db, clock } = deps;
  const summary: ParticipantPullSummary = { pages: 0, read: 0, idsChanged: 0, conflicts: 0, finished: false };
  const done = await pullPages(
    deps,
    { cursor: 'participants', path: '/api/v3/participants/npq', purpose: 'sync participants' },
    async (items) => {
      for (const item of items) {
        summary.read++;
        let conflict = false;
        for (const change of idChangesOf(item)) {
          const applied = await deps.changeId(change);
          if (applied === 'changed') summary.idsChanged++;
          if (applied === 'conflict') conflict = true;
        }
        const enrolments = Array.isArray(item.attributes.npq_enrolments) ? (item.attributes.npq_enrolments as { npq_application_id?: unknown }[]) : [];
        const dfeApplicationIds = enrolments.map((e) => String(e.npq_application_id));
        // DfE's application ids survive merges; its list of id changes may not hold every step (A→B, then
        // B→C before a pull lists only B→C on C): a person still on an older id of one of these
        // applications moves to this record's id, as DfE's guidance keys enrolments on the application.
        for (const held of await dfeParticipantIdsOfApplications(db, dfeApplicationIds)) {
          if (held.dfeParticipantId === item.id) continue;
          const applied = await deps.changeId({ from: held.dfeParticipantId, to: item.id });
          if (applied === 'changed') summary.idsChanged++;
          if (applied === 'conflict') conflict = true;
        }
        if (!conflict) {
          // Resolved since (the other person's id put right): no longer for the admin.
          if (dfeApplicationIds.length) await db.delete(dfeSkippedRecords).where(and(inArray(dfeSkippedRecords.dfeApplicationId, dfeApplicationIds), eq(dfeSkippedRecords.reason, 'id_change_conflict')));
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
    },
    opts,
  );
  return { ...summary, ...done };
}
