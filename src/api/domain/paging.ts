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
