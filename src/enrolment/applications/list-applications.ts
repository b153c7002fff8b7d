import type { Actor } from '../../platform/auth/actor';
import { readScope } from '../authorise';
import type { EnrolmentContext } from '../enrolment-context';
import { type ApplicationRow, type ApplicationsOrder, applicationsCount, applicationsPage, cohortLabelRows, type InboxFilter, NEWEST_FIRST, withCohortIds } from './applications.repository';

export type CohortLabel = { id: string; identifier: string; startYear: number; suffix: string; funding: string };

/**
 * Inbox pages and counts are kept a few seconds per filter and page. Every change made through this
 * service clears them at once, so a decision shows immediately in this process and within
 * LIST_CACHE_MS in another (ADR 0010).
 */
const LIST_CACHE_MS = 5_000;
/** The embedded database belongs to this one process, so every change passes through here: keep pages until one. */
const UNTIL_CHANGED = Number.POSITIVE_INFINITY;
const LIST_CACHE_MAX = 2_000;
/**
 * Pages longer than this are never kept: an API client's 3,000-row pages are read once each as it
 * syncs, and keeping them held hundreds of megabytes for nothing (ADR 0034).
 */
const CACHED_PAGE_MAX = 500;

/**
 * The inbox's reads: `list` (a page of applications, newest first, within the reader's scope) and
 * `cohortLabels` (every cohort by id), both cached and dropped on every change through `ctx.write`.
 */
export function listApplications(ctx: EnrolmentContext) {
  const { db } = ctx;
  const cacheMs = ctx.deps.pageCache === false ? 0 : ctx.deps.soleWriter ? UNTIL_CHANGED : LIST_CACHE_MS;
  const listCache = new Map<string, { until: number; refreshing?: boolean; value: Promise<{ rows: ApplicationRow[]; total: number }> }>();
  // A filter's count is the same on every page: counted once per filter, not once per page (docs/adr/0033).
  const countCache = new Map<string, { until: number; value: Promise<number> }>();
  // Bumped on every change, so a refresh begun before a change never stores what it read.
  let listGeneration = 0;
  let labels: { until: number; value: Promise<Map<string, CohortLabel>> } | undefined;
  ctx.onChange(() => {
    listGeneration++;
    listCache.clear();
    countCache.clear();
    labels = undefined;
  });

  /**
   * A page of applications, newest first unless `order` says otherwise (the API's DfE order,
   * docs/adr/0033). With `countUpTo`, counting stops there (the page then says "more than"), so a
   * broad filter over a large inbox costs no more than a narrow one. A delivery partner lead sees only
   * their partners' applications; anyone without a scope is refused (403).
   */
  async function list(actor: Actor, requested: InboxFilter, page: number, perPage = 50, countUpTo?: number, order: ApplicationsOrder = NEWEST_FIRST): Promise<{ rows: ApplicationRow[]; total: number }> {
    const scope = readScope(actor);
    const filter: InboxFilter = scope.deliveryPartnerIds ? { ...requested, deliveryPartnerIds: scope.deliveryPartnerIds } : requested;
    const key = JSON.stringify([filter, page, perPage, countUpTo, order]);
    const at = Date.now();
    const hit = listCache.get(key);
    if (hit && hit.until > at) return hit.value;
    const countKey = JSON.stringify([filter, countUpTo]);
    const counted = (resolved: InboxFilter) => {
      const kept = countCache.get(countKey);
      if (kept && kept.until > Date.now()) return kept.value;
      const value = applicationsCount(db, resolved, countUpTo);
      if (cacheMs === 0) return value;
      if (countCache.size >= LIST_CACHE_MAX) countCache.clear();
      countCache.set(countKey, { until: Date.now() + cacheMs, value });
      value.catch(() => countCache.delete(countKey));
      return value;
    };
    const fresh = async () => {
      const resolved = await withCohortIds(db, filter);
      const [rows, total] = await Promise.all([applicationsPage(db, resolved, page, perPage, order), counted(resolved)]);
      return { rows, total };
    };
    if (cacheMs === 0 || perPage > CACHED_PAGE_MAX) return fresh();
    // Just expired: answer with what we have and refresh once behind it, so many readers of the
    // same page never wait for the database together. Older than that, or never read: wait.
    if (hit && !hit.refreshing && at - hit.until < cacheMs) {
      hit.refreshing = true;
      const generation = listGeneration;
      fresh().then(
        (value) => {
          if (generation === listGeneration) listCache.set(key, { until: Date.now() + cacheMs, value: Promise.resolve(value) });
        },
        () => listCache.delete(key),
      );
      return hit.value;
    }
    const value = fresh();
    if (listCache.size >= LIST_CACHE_MAX) listCache.clear();
    listCache.set(key, { until: at + cacheMs, value });
    value.catch(() => listCache.delete(key));
    return value;
  }

  /** Every cohort's label by id, kept LIST_CACHE_MS. */
  async function cohortLabels(): Promise<Map<string, CohortLabel>> {
    const at = Date.now();
    if (labels && labels.until > at) return labels.value;
    const value = cohortLabelRows(db).then((rows) => new Map(rows.map((r) => [r.id, r])));
    labels = { until: at + LIST_CACHE_MS, value };
    value.catch(() => {
      labels = undefined;
    });
    return value;
  }

  return {
    list,
    cohortLabels,
    async cohortIdentifierOf(cohortId: string | null): Promise<CohortLabel | undefined> {
      if (!cohortId) return undefined;
      return cohortLabels().then((m) => m.get(cohortId));
    },
  };
}
