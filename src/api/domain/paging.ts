import { z } from 'zod';

/** The `meta` of a paged list: how many records match, and where this page is among them. */
export const pageMetaSchema = z.object({
  total: z.number().int().meta({ description: 'Records matching the filters' }),
  page: z.number().int(),
  per_page: z.number().int(),
  total_pages: z.number().int().meta({ description: 'At least 1; a page past the last is empty, not an error (as DfE answers it)' }),
});

/** The `meta` for page `page` (from 1) of `perPage` over `total` records. */
export const pageMeta = (total: number, page: number, perPage: number): z.infer<typeof pageMetaSchema> => ({ total, page, per_page: perPage, total_pages: Math.max(1, Math.ceil(total / perPage)) });

/**
 * The largest offset ((page − 1) × per_page) a list is asked for: beyond JavaScript's safe integers the
 * offset is no longer exact, and the database's bigint would overflow soon after. A page number that
 * passes it is refused 422 naming `page[page]`, so it never reaches the database.
 */
export const MAX_PAGE_OFFSET = Number.MAX_SAFE_INTEGER;

/** `page[page]` (from 1, default 1) of a list whose pages hold at most `maxPerPage` records; its offset stays within MAX_PAGE_OFFSET. */
export const pageNumberSchema = (maxPerPage: number) =>
  z.coerce
    .number()
    .int()
    .min(1)
    .max(Math.floor(MAX_PAGE_OFFSET / maxPerPage) + 1, `Give a page number up to ${Math.floor(MAX_PAGE_OFFSET / maxPerPage) + 1}`)
    .default(1)
    .describe('Page number, from 1');

/**
 * An ISO 8601 date-time with its offset, as a query filter, in the years PostgreSQL's timestamps hold from
 * (years 1 to 9999, in UTC): ISO's year 0000, or 9999-12-31T23:00-01:00 (year 10000 in UTC), is valid
 * text but no timestamp, so it is refused 422 naming the field instead of failing in the database.
 */
export const dateTimeFilterSchema = () =>
  z.iso.datetime({ offset: true }).refine((text) => {
    const year = new Date(text).getUTCFullYear();
    // An offset can carry 9999-12-31 into year 10000 in UTC, which no timestamp holds either.
    return year >= 1 && year <= 9999;
  }, 'Give a date-time from year 0001 to 9999');
