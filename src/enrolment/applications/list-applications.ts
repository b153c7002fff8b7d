import { LRUCache } from 'lru-cache';
import type { Actor } from '../../platform/auth/actor';
import { readScope } from '../authorise';
import type { EnrolmentContext } from '../enrolment-context';
import {
  type ApplicationRow,
  type ApplicationsOrder,
  applicationIdsAfter,
  applicationIdsPage,
  applicationsCount,
  inIdOrder,
  cohortLabelRows,
  countIsKept,
  type InboxFilter,
  NEWEST_FIRST,
  type NewestFirstKey,
  applicationSummariesByIds,
  summariesPageWithCount,
  preparedApplicationsByIds,
  type ApplicationSummary,
  withCohortIds,
} from './applications.repository';

/**
 * A page kept by `keptPage`: what was read (rows or ids) and the filter's count; `rows` is the page's
 * size asked for (perPage), what it is weighed by in the cache.
 */
type KeptPage<T> = { until: number; rows: number; refreshing?: boolean; value: Promise<{ items: T[]; total: number }> };

/**
 * The filter as `actor` may read it: a delivery partner lead's own partners added, whatever was asked.
 * Refused (403) for anyone without a scope over applications (readScope).
 */
function scopedFilter(actor: Actor, requested: InboxFilter): InboxFilter {
  const scope = readScope(actor);
  return scope.deliveryPartnerIds ? { ...requested, deliveryPartnerIds: scope.deliveryPartnerIds } : requested;
}

export type CohortLabel = { id: string; identifier: string; startYear: number; suffix: string; funding: string };

/**
 * Inbox pages and counts are kept a few seconds per filter and page. Every change made through this
 * service clears them at once, so a decision shows immediately in this process and within
 * LIST_CACHE_MS in another (ADR 0010).
 */
const LIST_CACHE_MS = 5_000;
/** The embedded database belongs to this one process, so every change passes through here: keep pages until one. */
const UNTIL_CHANGED = Number.POSITIVE_INFINITY;
/** Counts kept, one per filter: a number each. */
const LIST_CACHE_MAX = 2_000;
/**
 * Rows kept across all kept pages, weighed by the size each page asked for, least recently read
 * dropped first (ADR 0045). A client syncing 100,000 applications 100 a page kept all 1,000 pages
 * (about 150 MB of the API's text) until a change or 2,000 pages; 20,000 rows is the bench's 150
 * API pages of 100 with room to spare, at most about 30 MB of text.
 */
const KEPT_ROWS_MAX = 20_000;
/**
 * Pages longer than this are never kept: an API client's 3,000-row pages are read once each as it
 * syncs, and keeping them held hundreds of megabytes for nothing (ADR 0034).
 */
const CACHED_PAGE_MAX = 500;
/**
 * Applications read, presented and written at a time when a page is streamed (ADR 0038). Measured
 * (ADR 0041): 500 a batch held a 3,000-row page's batches long enough for V8 to move them to its old
 * generation, and peak memory rose to 420 MB under load; 100 keeps it under 300 MB, the page 0.1 s slower.
 */
const STREAM_BATCH = 100;

/**
 * The inbox's reads: `list` (a page of applications, newest first, within the reader's scope) and
 * `cohortLabels` (every cohort by id), both cached and dropped on every change through `ctx.write`.
 */
export function listApplications(ctx: EnrolmentContext) {
  const { db } = ctx;
  const rowsByIds = preparedApplicationsByIds(db);
  const summariesByIds = applicationSummariesByIds(db);
  const cacheMs = ctx.deps.pageCache === false ? 0 : ctx.deps.soleWriter ? UNTIL_CHANGED : LIST_CACHE_MS;
  const listCache = new LRUCache<string, KeptPage<unknown>>({ maxSize: KEPT_ROWS_MAX, sizeCalculation: (page) => Math.max(1, page.rows) });
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
   * A page of what `read` makes of the matching applications (their rows, or only their ids), with the
   * filter's count, kept per filter and page as LIST_CACHE_MS says: the caching of `list` and `listIds`.
   * A kept page is answered as the very object it was first, so what a caller makes of it can be kept
   * beside it (the API's text of a page: ADR 0041) and dropped with it.
   */
  async function keptPage<T>(
    kind: 'rows' | 'summaries' | 'ids',
    actor: Actor,
    requested: InboxFilter,
    page: number,
    perPage: number,
    countUpTo: number | undefined,
    order: ApplicationsOrder,
    itemsOf: (ids: string[]) => Promise<T[]>,
    /** Reads a page and its count in one statement, for filters other than a search. */
    pageWithCount?: (resolved: InboxFilter) => Promise<{ items: T[]; total: number }>,
  ): Promise<{ items: T[]; total: number }> {
    const filter = scopedFilter(actor, requested);
    const key = JSON.stringify([kind, filter, page, perPage, countUpTo, order]);
    const at = Date.now();
    const hit = listCache.get(key) as KeptPage<T> | undefined;
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
    const read = async (resolved: InboxFilter) => itemsOf(await applicationIdsPage(db, resolved, page, perPage, order));
    const fresh = async () => {
      const resolved = await withCohortIds(db, filter);
      if (pageWithCount && !resolved.query) return pageWithCount(resolved);
      // A kept count costs less than a page: read it first and skip the page when it starts past the
      // last match, the costliest page to read (every match is read to find there is none: ADR 0038).
      if (countIsKept(resolved)) {
        const total = await counted(resolved);
        const past = (page - 1) * perPage >= total && (countUpTo === undefined || total <= countUpTo);
        return { items: past ? [] : await read(resolved), total };
      }
      // A search finds its matches through the trigram index, whose cost is finding them, not reading
      // them: find them once, in order and no more than one past the count's cap, and count and page
      // from those, rather than once to count and again for the page (ADR 0041).
      if (resolved.query && countUpTo !== undefined) {
        const matches = await applicationIdsPage(db, resolved, 1, countUpTo + 1, order);
        // Past the cap ("more than"), pages beyond the matches found are read as any other page is.
        const beyond = matches.length > countUpTo && page * perPage > matches.length;
        return { items: await itemsOf(beyond ? await applicationIdsPage(db, resolved, page, perPage, order) : matches.slice((page - 1) * perPage, page * perPage)), total: matches.length };
      }
      const [items, total] = await Promise.all([read(resolved), counted(resolved)]);
      return { items, total };
    };
    if (cacheMs === 0 || perPage > CACHED_PAGE_MAX) return fresh();
    // Just expired: answer with what we have and refresh once behind it, so many readers of the
    // same page never wait for the database together. Older than that, or never read: wait.
    if (hit && !hit.refreshing && at - hit.until < cacheMs) {
      hit.refreshing = true;
      const generation = listGeneration;
      fresh().then(
        (value) => {
          if (generation === listGeneration) listCache.set(key, { until: Date.now() + cacheMs, rows: perPage, value: Promise.resolve(value) });
        },
        () => listCache.delete(key),
      );
      return hit.value;
    }
    const value = fresh();
    listCache.set(key, { until: at + cacheMs, rows: perPage, value });
    value.catch(() => listCache.delete(key));
    return value;
  }

  /**
   * A page of applications, newest first unless `order` says otherwise (the API's DfE order,
   * docs/adr/0033). With `countUpTo`, counting stops there (the page then says "more than"), so a
   * broad filter over a large inbox costs no more than a narrow one. A delivery partner lead sees only
   * their partners' applications; anyone without a scope is refused (403).
   */
  async function list(actor: Actor, requested: InboxFilter, page: number, perPage = 50, countUpTo?: number, order: ApplicationsOrder = NEWEST_FIRST): Promise<{ rows: ApplicationRow[]; total: number }> {
    const { items, total } = await keptPage('rows', actor, requested, page, perPage, countUpTo, order, (ids) => inIdOrder(ids, rowsByIds));
    return { rows: items, total };
  }

  /**
   * Up to `perPage` applications matching the filter that come after `after` (the `next` of the page
   * before; undefined for the first), newest first, and the key to go on from (undefined when there
   * are no more), read by key and never kept: for an export walked page by page while the inbox
   * changes, which must give each application at most once (ADR 0044). Refused (403) as `list` is.
   */
  async function listAfter(actor: Actor, requested: InboxFilter, after: NewestFirstKey | undefined, perPage: number): Promise<{ rows: ApplicationRow[]; next: NewestFirstKey | undefined }> {
    const resolved = await withCohortIds(db, scopedFilter(actor, requested));
    const { ids, next } = await applicationIdsAfter(db, resolved, after, perPage);
    return { rows: await inIdOrder(ids, rowsByIds), next };
  }

  /**
   * A page as `list` reads it, of what the inbox's table shows of each application (ApplicationSummary):
   * kept, counted and refused as `list` is (ADR 0041).
   */
  async function listSummaries(actor: Actor, requested: InboxFilter, page: number, perPage: number, countUpTo?: number): Promise<{ rows: ApplicationSummary[]; total: number }> {
    const { items, total } = await keptPage('summaries', actor, requested, page, perPage, countUpTo, NEWEST_FIRST, (ids) => inIdOrder(ids, summariesByIds), async (resolved) => {
      const { rows, total } = await summariesPageWithCount(db, resolved, page, perPage, countUpTo);
      return { items: rows, total };
    });
    return { rows: items, total };
  }

  /**
   * The ids of a page as `list` would read it, and the filter's count: for readers that present the
   * rows themselves (the API, in SQL: ADR 0041). Kept as `list`'s pages are: while kept, `ids` is the
   * same array each time. Refused (403) as `list` is.
   */
  async function listIds(actor: Actor, requested: InboxFilter, page: number, perPage: number, order: ApplicationsOrder = NEWEST_FIRST): Promise<{ ids: readonly string[]; total: number }> {
    const { items, total } = await keptPage('ids', actor, requested, page, perPage, undefined, order, async (ids) => ids);
    return { ids: items, total };
  }

  /**
   * A page as `listIds` reads it, for pages too long to hold at once (the API's, up to 3,000 rows): the
   * page's ids and the filter's count now, handed out STREAM_BATCH at a time as `batches` is iterated,
   * so a caller reads and writes each batch before the next (ADR 0038). Never cached. Rows are read by
   * the caller as they are when their batch is: one changed meanwhile shows its change, one deleted is left out.
   */
  async function listIdsInBatches(actor: Actor, requested: InboxFilter, page: number, perPage: number, order: ApplicationsOrder = NEWEST_FIRST): Promise<{ total: number; batches: Iterable<readonly string[]> }> {
    const filter = await withCohortIds(db, scopedFilter(actor, requested));
    const [ids, total] = await Promise.all([applicationIdsPage(db, filter, page, perPage, order), applicationsCount(db, filter)]);
    function* batches() {
      for (let i = 0; i < ids.length; i += STREAM_BATCH) yield ids.slice(i, i + STREAM_BATCH);
    }
    return { total, batches: batches() };
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
    listAfter,
    listSummaries,
    listIds,
    listIdsInBatches,
    cohortLabels,
  };
}
