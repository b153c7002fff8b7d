import { eq } from 'drizzle-orm';
import type { Db } from '../../db/client';
import type { DfeApplicationRecord, DfeApplicationRecorded } from '../../enrolment/enrolment.queries';
import type { Clock } from '../../platform/clock';
import type { DfeClient } from '../client/dfe-client';
import { dfeSyncCursors } from '../dfe.schema';

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

/**
 * Pulls the applications registered at DfE for this provider (issue 13 item 2; docs/dfe-api.md §6
 * rules 2–4): every page, in DfE's default order, from the last completed run's start less `overlapMs`
 * (a full sync when none has completed), until a page comes back short. Each record is recorded
 * (`record`, idempotent) before the cursor moves past its page, so a run killed at any instant resumes
 * where it was and at worst reads a page again; repeated records across pages change nothing. The
 * run's start becomes the next run's `updated_since` only once it has read to the end.
 * DfeUnavailableError when DfE cannot be read (the cursor stays, for the next run to resume).
 */
export async function pullApplications(deps: { db: Db; clock: Clock; client: DfeClient; record: (r: DfeApplicationRecord) => Promise<DfeApplicationRecorded> }, opts: { perPage?: number; overlapMs?: number; maxPages?: number } = {}): Promise<PullSummary> {
  const { db, clock, client } = deps;
  const perPage = opts.perPage ?? 100;
  const overlapMs = opts.overlapMs ?? 30 * 60 * 1000;
  await db.insert(dfeSyncCursors).values({ name: CURSOR, updatedAt: clock.now() }).onConflictDoNothing();
  let [cursor] = await db.select().from(dfeSyncCursors).where(eq(dfeSyncCursors.name, CURSOR));
  if (!cursor!.runStartedAt) [cursor] = await db.update(dfeSyncCursors).set({ runStartedAt: clock.now(), nextPage: 1, updatedAt: clock.now() }).where(eq(dfeSyncCursors.name, CURSOR)).returning();
  const since = cursor!.since ? new Date(cursor!.since.getTime() - overlapMs) : null;
  const summary: PullSummary = { pages: 0, read: 0, created: 0, linked: 0, updated: 0, skipped: 0, finished: false };
  for (let page = cursor!.nextPage; ; page++) {
    if (opts.maxPages !== undefined && summary.pages >= opts.maxPages) return summary;
    const query = [since ? `filter[updated_since]=${asFilterTime(since)}` : null, `page[page]=${page}`, `page[per_page]=${perPage}`].filter(Boolean).join('&');
    const answer = await client.get(`/api/v3/npq-applications?${query}`, 'sync applications');
    if (answer.status !== 200) throw new Error(`DfE refused the applications page ${page}: ${answer.status} ${JSON.stringify(answer.body)}`);
    const items = ((answer.body as { data?: unknown[] }).data ?? []) as { id: string; attributes: Record<string, unknown> }[];
    for (const item of items) {
      const done = await deps.record(applicationRecordOf(item));
      summary[done.kind]++;
      summary.read++;
    }
    summary.pages++;
    if (items.length < perPage) {
      await db.update(dfeSyncCursors).set({ since: cursor!.runStartedAt, runStartedAt: null, nextPage: 1, lastCompletedAt: clock.now(), updatedAt: clock.now() }).where(eq(dfeSyncCursors.name, CURSOR));
      summary.finished = true;
      return summary;
    }
    await db.update(dfeSyncCursors).set({ nextPage: page + 1, updatedAt: clock.now() }).where(eq(dfeSyncCursors.name, CURSOR));
  }
}
