import { describe, expect, it } from 'vitest';
import { fieldRefusalOf } from './refusal';
import { parseSort, SortRefused } from './sort';

const FIELDS = ['created_at', 'updated_at'] as const;
const OLDEST_FIRST = [{ field: 'created_at', descending: false }] as const;

describe("DfE's sort parameter", () => {
  it('defaults to the fallback, and reads fields, directions and lists', () => {
    expect(parseSort(undefined, FIELDS, OLDEST_FIRST)).toEqual([{ field: 'created_at', descending: false }]);
    expect(parseSort('-updated_at', FIELDS, OLDEST_FIRST)).toEqual([{ field: 'updated_at', descending: true }]);
    expect(parseSort('updated_at,-created_at', FIELDS, OLDEST_FIRST)).toEqual([
      { field: 'updated_at', descending: false },
      { field: 'created_at', descending: true },
    ]);
  });

  it('reads +created_at sent with an unencoded +, which arrives as a space', () => {
    expect(parseSort(' created_at', FIELDS, OLDEST_FIRST)).toEqual([{ field: 'created_at', descending: false }]);
    expect(parseSort('+created_at', FIELDS, OLDEST_FIRST)).toEqual([{ field: 'created_at', descending: false }]);
  });

  it('refuses what it cannot apply, rather than dropping it as DfE does, with a stable code and the field', () => {
    for (const bad of ['', 'name', 'created_at,', '--created_at', 'created_at,-created_at', 'CREATED_AT']) {
      const refused = (() => {
        try {
          parseSort(bad, FIELDS, OLDEST_FIRST);
        } catch (e) {
          return e;
        }
      })();
      expect(refused, bad).toBeInstanceOf(SortRefused);
      expect(fieldRefusalOf(refused)).toEqual({ code: 'invalid_sort', field: 'sort', message: expect.stringMatching(/^Sort by /) });
    }
  });
});
