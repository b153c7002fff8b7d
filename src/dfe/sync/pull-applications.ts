import { eq } from 'drizzle-orm';
import type { Db } from '../../db/client';
import type { DfeApplicationRecord, DfeApplicationRecorded } from '../../enrolment/enrolment.queries';
import type { Clock } from '../../platform/clock';
import type { DfeClient } from '../client/dfe-client';
import { dfeSkippedRecords, dfeSyncCursors } from '../dfe.schema';
import { releaseLease, takeLease } from './lease';

const CURSOR = 'applications';

/** What one run read and did. `finished` is false when it stopped early (told to, after `maxPages`). */
export interface PullSummary {
  pages: number;
  read: number;
  created: number;
  linked: number;
  updated: number;
  skipped: number;
  finished: boolean;
}

/** An `npq_application` from DfE's API as the platform records it (docs/dfe-api.md §1.1): the cohort with its suffix, email and TRN possibly null. */
export function applicationRecordOf(item: { id: string; attributes: Record<string, unknown> }): DfeApplicationRecord {
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
  };
}

/** A time as DfE's filter must have it: UTC with `Z`, to the second (rule 5: a `+hh:mm` offset fails). */
const asFilterTime = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, 'Z');

/** How long a pull holds its lease without reading a page: a process that dies holding it lets the next run take over after this. */
const LEASE_MS = 10 * 60 * 1000;
/** How often everything is read again, without `updated_since` (docs/dfe-api.md §6 rule 2: at least weekly). */
const FULL_EVERY_MS = 7 * 24 * 60 * 60 * 1000;

/**
 * Pulls the applications registered at DfE for this provider (issue 13 item 2; docs/dfe-api.md §6
 * rules 2–4): every page, in DfE's default order, from the last completed run's start less `overlapMs`
 * — or everything, when no run has completed or the last full read is a week old — until a page comes
 * back short. Each record is recorded (`record`, idempotent) before the cursor moves past its page, so
 * a run killed at any instant resumes where it was and at worst reads a page again; repeated records
 * change nothing. One run at a time across processes: a run holds a lease on the cursor, renewed each
 * page, and a second finds it held and does nothing (`finished: false`, no pages). A record that
 * cannot be taken in is kept in `dfe_skipped_records` with why, for the admin; a decision the platform
 * made before a record was linked to it is passed to `decided` to send. DfeUnavailableError when DfE
 * cannot be read (the cursor stays, for the next run to resume).
 */
export async function pullApplications(
  deps: { db: Db; clock: Clock; client: DfeClient; record: (r: DfeApplicationRecord) => Promise<DfeApplicationRecorded>; decided?: (applicationId: string, kind: 'accept' | 'reject') => Promise<unknown> },
  opts: { perPage?: number; overlapMs?: number; maxPages?: number } = {},
): Promise<PullSummary> {
  const { db, clock, client } = deps;
  const perPage = opts.perPage ?? 100;
  const overlapMs = opts.overlapMs ?? 30 * 60 * 1000;
  const summary: PullSummary = { pages: 0, read: 0, created: 0, linked: 0, updated: 0, skipped: 0, finished: false };
  const lease = () => new Date(clock.now().getTime() + LEASE_MS);
  const taken = await takeLease(db, clock, CURSOR, LEASE_MS);
  if (!taken) return summary;
  let cursor: typeof taken | undefined = taken;
  try {
    if (!cursor.runStartedAt) {
      const full = !cursor.lastFullAt || clock.now().getTime() - cursor.lastFullAt.getTime() >= FULL_EVERY_MS;
      [cursor] = await db.update(dfeSyncCursors).set({ runStartedAt: clock.now(), nextPage: 1, ...(full ? { since: null } : {}), updatedAt: clock.now() }).where(eq(dfeSyncCursors.name, CURSOR)).returning();
    }
    const since = cursor!.since ? new Date(cursor!.since.getTime() - overlapMs) : null;
    for (let page = cursor!.nextPage; ; page++) {
      if (opts.maxPages !== undefined && summary.pages >= opts.maxPages) return summary;
      const query = [since ? `filter[updated_since]=${asFilterTime(since)}` : null, `page[page]=${page}`, `page[per_page]=${perPage}`].filter(Boolean).join('&');
      const answer = await client.get(`/api/v3/npq-applications?${query}`, 'sync applications');
      if (answer.status !== 200) throw new Error(`DfE refused the applications page ${page}: ${answer.status} ${JSON.stringify(answer.body)}`);
      const items = ((answer.body as { data?: unknown[] }).data ?? []) as { id: string; attributes: Record<string, unknown> }[];
      for (const item of items) {
        const record = applicationRecordOf(item);
        const done = await deps.record(record);
        summary[done.kind]++;
        summary.read++;
        if (done.kind === 'skipped') {
          await db.insert(dfeSkippedRecords).values({ dfeApplicationId: record.dfeApplicationId, reason: done.reason, record: item, seenAt: clock.now() }).onConflictDoUpdate({ target: dfeSkippedRecords.dfeApplicationId, set: { reason: done.reason, record: item, seenAt: clock.now() } });
          continue;
        }
        await db.delete(dfeSkippedRecords).where(eq(dfeSkippedRecords.dfeApplicationId, record.dfeApplicationId));
        // Decided in the platform before DfE's record was linked: DfE is told now.
        if (done.kind === 'linked' && deps.decided && (done.applicationStatus === 'accepted' || done.applicationStatus === 'rejected')) await deps.decided(done.applicationId, done.applicationStatus === 'accepted' ? 'accept' : 'reject');
      }
      summary.pages++;
      if (items.length < perPage) {
        await db
          .update(dfeSyncCursors)
          .set({ since: cursor!.runStartedAt, runStartedAt: null, nextPage: 1, lastCompletedAt: clock.now(), ...(since === null ? { lastFullAt: clock.now() } : {}), updatedAt: clock.now() })
          .where(eq(dfeSyncCursors.name, CURSOR));
        summary.finished = true;
        return summary;
      }
      await db.update(dfeSyncCursors).set({ nextPage: page + 1, leaseUntil: lease(), updatedAt: clock.now() }).where(eq(dfeSyncCursors.name, CURSOR));
    }
  } finally {
    await releaseLease(db, CURSOR);
  }
}
