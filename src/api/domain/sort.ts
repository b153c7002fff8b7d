/**
 * DfE's `sort` query parameter (docs/adr/0033): comma-separated field names, each ascending or, with
 * a `-` prefix, descending, e.g. `-updated_at,created_at` (docs/dfe-api.md §1.1, §5.4). DfE drops a
 * value it does not know and then applies no order at all, so pages become arbitrary; we refuse it
 * instead, with a stable code, so a client's mistake shows at once rather than as missing records.
 */

/** One key of an order: a field the operation allows, and its direction. */
export interface SortKey<F extends string> {
  field: F;
  descending: boolean;
}

/**
 * A `sort` the operation cannot apply: answered 422 `invalid_sort` with the field's message, the way
 * DfE answers a query parameter it does not permit (src/api/domain/refusal.ts maps it).
 */
export class SortRefused extends Error {
  readonly code = 'invalid_sort';
  readonly field = 'sort';
}

/** The words for the allowed values: "created_at, -created_at, updated_at or -updated_at". */
const allowedWords = (fields: readonly string[]) => {
  const all = fields.flatMap((f) => [f, `-${f}`]);
  return all.length > 1 ? `${all.slice(0, -1).join(', ')} or ${all.at(-1)}` : (all[0] ?? '');
};

/**
 * The order a `sort` value asks for, or `fallback` when none is given. Each item is a field of
 * `fields`, optionally prefixed `-` (descending) or `+` (ascending; an unencoded `+` arrives as a
 * space, which is read the same), each field at most once. Throws SortRefused for anything else,
 * including an empty item. The caller adds its own tie-break (the id) so that equal values never
 * reorder between pages.
 */
export function parseSort<F extends string>(value: string | undefined, fields: readonly F[], fallback: readonly SortKey<F>[]): SortKey<F>[] {
  if (value === undefined) return [...fallback];
  const keys: SortKey<F>[] = [];
  for (const raw of value.split(',')) {
    const item = raw.trim();
    const descending = item.startsWith('-');
    const name = descending || item.startsWith('+') ? item.slice(1) : item;
    const field = fields.find((f) => f === name);
    if (!field) throw new SortRefused(`Sort by ${allowedWords(fields)}, separated by commas`);
    if (keys.some((k) => k.field === field)) throw new SortRefused(`Sort by ${field} once`);
    keys.push({ field, descending });
  }
  return keys;
}
