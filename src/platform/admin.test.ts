import { describe, expect, it } from 'vitest';
import { paginationFor, toCsv } from './admin';

describe('pagination', () => {
  it('shows first, neighbours and last with ellipses, keeping filters', () => {
    const p = paginationFor(5, 10, '/admin/users', { q: 'ada', role: undefined });
    expect(p?.items?.map((i) => (i?.ellipsis ? '…' : i?.number))).toEqual([1, '…', 4, 5, 6, '…', 10]);
    expect(p?.previous?.href).toBe('/admin/users?q=ada&page=4');
    expect(p?.items?.find((i) => i?.current)?.number).toBe(5);
  });
  it('is absent for a single page', () => {
    expect(paginationFor(1, 1, '/x', {})).toBeUndefined();
  });
});

it('writes CSV that spreadsheets cannot run as formulas', () => {
  expect(toCsv([['a,b', 'say "hi"', '=SUM(A1)', null]])).toBe('"a,b","say ""hi""",\'=SUM(A1),\r\n');
});

it('collects every row of a paged query', async () => {
  const data = Array.from({ length: 2501 }, (_, i) => i);
  const { everyPage } = await import('./admin');
  const rows = await everyPage(async (page, perPage) => ({ rows: data.slice((page - 1) * perPage, page * perPage), total: data.length }));
  expect(rows).toEqual(data);
});
