import { and, eq, inArray } from 'drizzle-orm';
import type { Db } from '../../db/client';
import type { DfeApplicationRecord, DfeApplicationRecorded } from '../../enrolment/enrolment.queries';
import type { Clock } from '../../platform/clock';
import type { DfeClient } from '../client/dfe-client';
import { dfeSkippedRecords } from '../dfe.schema';
import { type DfeItem, pullPages } from './paged-pull';

const CURSOR = 'applications';
/** The reasons this pull keeps a record for (recordDfeApplication's skips), and so may clear. */
const APPLICATION_SKIP_REASONS = ['unknown_cohort', 'accepted_elsewhere', 'person_conflict'];

/** What one run read and did. `finished` is false when it stopped early (told to, after `maxPages`). */
export interface PullSummary {
  pages: number;
  read: number;
  created: number;
  linked: number;
  updated: number;
  /** Places DfE moved to this provider from another, taken in accepted (docs/dfe-api.md §4.4). */
  transferred_in: number;
  skipped: number;
  finished: boolean;
}

/** An `npq_application` from DfE's API as the platform records it (docs/dfe-api.md §1.1): the cohort with its suffix, email and TRN possibly null. */
export function applicationRecordOf(item: DfeItem): DfeApplicationRecord {
  const a = item.attributes;
  const text = (v: unknown) => (typeof v === 'string' && v !== '' ? v : null);
  return {
    dfeApplicationId: item.id,
    dfeParticipantId: String(a.participant_id),
    fullName: String(a.full_name ?? ''),
    email: text(a.email),
    trn: text(a.teacher_reference_number),
    courseIdentifier: String(a.course_identifier),
    cohort: `${a.cohort}${a.cohort_suffix ?? 'a'}`,
    schoolUrn: text(a.school_urn),
    employerName: text(a.employer_name),
    employmentRole: text(a.employment_role),
    fundingChoice: text(a.funding_choice),
    eligibleForFunding: a.eligible_for_funding === true,
    status: a.status === 'accepted' || a.status === 'rejected' ? a.status : 'pending',
    updatedAt: new Date(String(a.updated_at)),
    fundedPlace: typeof a.funded_place === 'boolean' ? a.funded_place : null,
    scheduleIdentifier: text(a.schedule_identifier),
  };
}

/**
 * Pulls the applications registered at DfE for this provider (issue 13 item 2) through `pullPages`
 * (every page from the last run less an overlap, weekly in full, resumable, one run at a time). Each
 * record is recorded (`record`, idempotent), so repeated records change nothing. A record that
 * cannot be taken in is kept in `dfe_skipped_records` with why, for the admin; a decision the platform
 * made before a record was linked to it is passed to `decided` to send. DfeUnavailableError when DfE
 * cannot be read (the cursor stays, for the next run to resume).
 */
export async function pullApplications(
  deps: { db: Db; clock: Clock; client: DfeClient; record: (r: DfeApplicationRecord) => Promise<DfeApplicationRecorded>; decided?: (applicationId: string, kind: 'accept' | 'reject') => Promise<unknown> },
  opts: { perPage?: number; overlapMs?: number; maxPages?: number } = {},
): Promise<PullSummary> {
  const { db, clock } = deps;
  const summary: PullSummary = { pages: 0, read: 0, created: 0, linked: 0, updated: 0, transferred_in: 0, skipped: 0, finished: false };
  const done = await pullPages(
    deps,
    { cursor: CURSOR, path: '/api/v3/npq-applications', purpose: 'sync applications' },
    async (items) => {
      for (const item of items) {
        const record = applicationRecordOf(item);
        const recorded = await deps.record(record);
        summary[recorded.kind]++;
        summary.read++;
        if (recorded.kind === 'skipped') {
          await db.insert(dfeSkippedRecords).values({ dfeApplicationId: record.dfeApplicationId, reason: recorded.reason, record: item, seenAt: clock.now() }).onConflictDoUpdate({ target: dfeSkippedRecords.dfeApplicationId, set: { reason: recorded.reason, record: item, seenAt: clock.now() } });
          continue;
        }
        // Only this pull's own reasons: an id change the participants pull could not apply stays for the admin until that pull clears it.
        await db.delete(dfeSkippedRecords).where(and(eq(dfeSkippedRecords.dfeApplicationId, record.dfeApplicationId), inArray(dfeSkippedRecords.reason, APPLICATION_SKIP_REASONS)));
        // Decided in the platform before DfE's record was linked: DfE is told now.
        if (recorded.kind === 'linked' && deps.decided && (recorded.applicationStatus === 'accepted' || recorded.applicationStatus === 'rejected')) await deps.decided(recorded.applicationId, recorded.applicationStatus === 'accepted' ? 'accept' : 'reject');
      }
    },
    opts,
  );
  return { ...summary, ...done };
}
