import { and, inArray } from 'drizzle-orm';
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
 * How many of a page's records are recorded at once when the caller does not say. Each lane holds one
 * of the pool's connections only while it records (one transaction, nothing taken inside it), so any
 * pool serves: the platform's is 10 (src/db/client.ts), the sync worker's 4. One at a time, a record's
 * ~10 queries left PostgreSQL waiting on the round trips (72 records/s at 20,000); PGlite has one
 * connection, so there lanes change nothing but the order records of different people are taken in.
 */
const LANES = 4;

/** One of a page's records: as DfE gave it (kept when skipped) and as the platform records it. */
interface PageRecord {
  item: DfeItem;
  record: DfeApplicationRecord;
}

/**
 * A page's records split into at most `lanes` lists, each in DfE's order. Records that may touch the
 * same person — the same DfE participant id, or the same email (how recordDfeApplication finds a person
 * not yet linked, and the key of an account and of a participant without one) — share a list, so they
 * are recorded one after another in DfE's order, as one lane would, and never race each other on the
 * person's rows. Groups go to the lanes in turn, by their first record.
 */
export function lanesOf(records: PageRecord[], lanes: number): PageRecord[][] {
  const parent = new Map<string, string>();
  const root = (key: string): string => {
    if (!parent.has(key)) parent.set(key, key);
    let r = key;
    while (parent.get(r) !== r) r = parent.get(r)!;
    parent.set(key, r);
    return r;
  };
  const keysOf = ({ record }: PageRecord) => {
    const email = record.email?.trim().toLowerCase();
    return email ? [`participant:${record.dfeParticipantId}`, `email:${email}`] : [`participant:${record.dfeParticipantId}`];
  };
  for (const r of records) {
    const [first, ...rest] = keysOf(r).map(root);
    for (const other of rest) if (other !== first) parent.set(other, first!);
  }
  const laneOfGroup = new Map<string, number>();
  const out: PageRecord[][] = Array.from({ length: Math.max(1, Math.min(lanes, records.length)) }, () => []);
  for (const r of records) {
    const group = root(keysOf(r)[0]!);
    if (!laneOfGroup.has(group)) laneOfGroup.set(group, laneOfGroup.size % out.length);
    out[laneOfGroup.get(group)!]!.push(r);
  }
  return out;
}

/**
 * Pulls the applications registered at DfE for this provider (issue 13 item 2) through `pullPages`
 * (every page from the last run less an overlap, weekly in full, resumable, one run at a time). Each
 * record is recorded (`record`, idempotent), so repeated records change nothing; a page's records in
 * `lanes` at once (lanesOf: one person's records in one lane, in DfE's order), the page done — and the
 * cursor past it — only once every lane has finished. A record that cannot be taken in is kept in
 * `dfe_skipped_records` with why, for the admin, and one taken in is cleared from it (one query a page);
 * a decision the platform made before a record was linked to it is passed to `decided` to send. A
 * record that fails (or `decided`) stops its page: the other lanes take no further record, and once
 * they have stopped the error is thrown, the cursor left on the page for the next run to read again
 * (which clears what this one took in).
 * DfeUnavailableError when DfE cannot be read (the cursor stays, for the next run to resume).
 */
export async function pullApplications(
  deps: { db: Db; clock: Clock; client: DfeClient; record: (r: DfeApplicationRecord) => Promise<DfeApplicationRecorded>; decided?: (applicationId: string, kind: 'accept' | 'reject') => Promise<unknown> },
  opts: { perPage?: number; overlapMs?: number; maxPages?: number; lanes?: number } = {},
): Promise<PullSummary> {
  const { db, clock } = deps;
  const summary: PullSummary = { pages: 0, read: 0, created: 0, linked: 0, updated: 0, transferred_in: 0, skipped: 0, finished: false };
  const done = await pullPages(
    deps,
    { cursor: CURSOR, path: '/api/v3/npq-applications', purpose: 'sync applications' },
    async (items) => {
      // Each DfE application id's last outcome on the page, true when taken in: those are cleared from dfe_skipped_records at the end.
      const takenIn = new Map<string, boolean>();
      let failed = false;
      const lanes = lanesOf(
        items.map((item) => ({ item, record: applicationRecordOf(item) })),
        opts.lanes ?? LANES,
      );
      const settled = await Promise.allSettled(
        lanes.map(async (lane) => {
          for (const { item, record } of lane) {
            if (failed) return;
            try {
              const recorded = await deps.record(record);
              summary[recorded.kind]++;
              summary.read++;
              takenIn.set(record.dfeApplicationId, recorded.kind !== 'skipped');
              if (recorded.kind === 'skipped') {
                await db.insert(dfeSkippedRecords).values({ dfeApplicationId: record.dfeApplicationId, reason: recorded.reason, record: item, seenAt: clock.now() }).onConflictDoUpdate({ target: dfeSkippedRecords.dfeApplicationId, set: { reason: recorded.reason, record: item, seenAt: clock.now() } });
                continue;
              }
              // Decided in the platform before DfE's record was linked: DfE is told now.
              if (recorded.kind === 'linked' && deps.decided && (recorded.applicationStatus === 'accepted' || recorded.applicationStatus === 'rejected')) await deps.decided(recorded.applicationId, recorded.applicationStatus === 'accepted' ? 'accept' : 'reject');
            } catch (err) {
              failed = true;
              throw err;
            }
          }
        }),
      );
      const failure = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
      // Thrown only once every lane has stopped, so nothing of this page is still being written when the run ends.
      if (failure) throw failure.reason;
      const cleared = [...takenIn].filter(([, taken]) => taken).map(([id]) => id);
      // Only this pull's own reasons: an id change the participants pull could not apply stays for the admin until that pull clears it.
      if (cleared.length) await db.delete(dfeSkippedRecords).where(and(inArray(dfeSkippedRecords.dfeApplicationId, cleared), inArray(dfeSkippedRecords.reason, APPLICATION_SKIP_REASONS)));
    },
    opts,
  );
  return { ...summary, ...done };
}
