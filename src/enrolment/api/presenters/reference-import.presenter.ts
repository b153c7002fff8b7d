import { z } from 'zod';
import type { ImportRow } from '../../reference.service';

/** A reference-data import (GIAS schools, an eligibility list) and what it did, row by row for the rejected ones. */
export const importSchema = z
  .object({
    id: z.string(),
    kind: z.string(),
    status: z.enum(['running', 'finished', 'failed']),
    rows: z.number().int(),
    added: z.number().int(),
    updated: z.number().int(),
    removed: z.number().int(),
    rejected: z.number().int(),
    rejections: z.array(z.object({ row: z.number().int(), reason: z.string() })).meta({ description: 'The first 100 rejected rows and why' }),
    error: z.string().nullable(),
  })
  .meta({ id: 'ReferenceImport' });
/** An import's record in the API's shape. */
export const presentImport = (i: ImportRow): z.infer<typeof importSchema> => ({
  id: i.id,
  kind: i.kind,
  status: i.status as 'running' | 'finished' | 'failed',
  rows: i.processedRows,
  added: i.added,
  updated: i.updated,
  removed: i.removed,
  rejected: i.rejected,
  rejections: i.rejections,
  error: i.error,
});

