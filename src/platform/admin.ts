import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Actor } from './auth/actor';
import { type Permission, can } from './auth/permissions';
import type { PaginationOptions } from '../ui/govuk';
import { ForbiddenError } from './errors';
import { streamedBody } from './streamed-body';

/**
 * A route guard from a capability's policy: sign in first, then `allowed(actor)` (an ability the
 * policy gives, e.g. `(a) => catalogueAbilities(a).manage`), else 403 with a page that says so.
 */
export const requireAbility = (allowed: (actor: Actor) => boolean) => async (req: FastifyRequest, reply: FastifyReply) => {
  if (req.actor.kind !== 'user') return reply.redirect(`/sign-in?next=${encodeURIComponent(req.url)}`, 303);
  if (!allowed(req.actor)) throw new ForbiddenError();
};

/** A route guard on one permission: `requireAbility` for a capability whose policy is not written yet. */
export const requirePermission = (permission: Permission) => requireAbility((actor) => can(actor, permission));

/**
 * Route options for a route that takes a file (`bodyLimit` in bytes): who may upload is decided in
 * `onRequest`, before a byte of the body is read, so no one without the permission can make the
 * server read (and hold) a large body. Pages send others to sign in or answer 403; for the API
 * (bearer tokens, already authenticated by then) it is 403.
 */
export const uploadRoute = (permission: Permission, bodyLimit: number, kind: 'page' | 'api') => ({
  onRequest:
    kind === 'page'
      ? requirePermission(permission)
      : async (req: FastifyRequest) => {
          if (!can(req.actor, permission)) throw new ForbiddenError();
        },
  bodyLimit,
});

export const pageNumber = (v: unknown): number => {
  const n = Number(v);
  return Number.isInteger(n) && n >= 1 && n <= 100_000 ? n : 1;
};

/** GOV.UK pagination for page `page` of `totalPages`, keeping the other query parameters. */
export function paginationFor(page: number, totalPages: number, base: string, query: Record<string, string | undefined>): PaginationOptions | undefined {
  if (totalPages <= 1) return undefined;
  const href = (p: number) => {
    const params = new URLSearchParams(Object.entries({ ...query, page: String(p) }).filter((e): e is [string, string] => Boolean(e[1])));
    return `${base}?${params.toString()}`;
  };
  const numbers = [...new Set([1, page - 1, page, page + 1, totalPages])].filter((n) => n >= 1 && n <= totalPages).sort((a, b) => a - b);
  const items: NonNullable<PaginationOptions['items']> = [];
  numbers.forEach((n, i) => {
    if (i > 0 && n - numbers[i - 1]! > 1) items.push({ ellipsis: true });
    items.push({ number: n, href: href(n), current: n === page });
  });
  return {
    items,
    previous: page > 1 ? { href: href(page - 1) } : undefined,
    next: page < totalPages ? { href: href(page + 1) } : undefined,
  };
}

/** A cell of a CSV export: empty for null or undefined. */
export type CsvCell = string | number | null | undefined;

/**
 * RFC 4180 CSV; text cells that a spreadsheet would run as a formula (starting = + - @, a tab or a
 * carriage return) are prefixed with an apostrophe. Numbers are numbers, so -0.5 stays -0.5.
 */
export function toCsv(rows: CsvCell[][]): string {
  const cell = (v: CsvCell) => {
    let s = v === null || v === undefined ? '' : String(v);
    if (typeof v === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
    return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  return `${rows.map((r) => r.map(cell).join(',')).join('\r\n')}\r\n`;
}

/**
 * Sends rows as a CSV download, the one way every export answers: a byte-order mark first (without
 * it Excel reads UTF-8 as Windows-1252 and "Siân" opens as "SiÃ¢n"), `text/csv; charset=utf-8`, an
 * attachment with a filename of safe characters only, and `no-store` because exports hold people's
 * details that no browser or proxy should keep.
 *
 * `rows` is every row (a short export), or batches of rows written as they come (`csvBatches` over `pagesAfter`): an
 * export of a whole list is streamed a page at a time, so 100,000 applications never sit in the
 * process's memory at once (docs/adr/0044). The text is the same either way.
 */
export function sendCsv(reply: FastifyReply, filename: string, rows: CsvCell[][] | AsyncIterable<CsvCell[][]>): FastifyReply {
  const safe = `${filename.replace(/\.csv$/i, '').replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[.-]+/, '').slice(0, 100) || 'export'}.csv`;
  reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${safe}"`).header('cache-control', 'no-store');
  if (Array.isArray(rows)) return reply.send(`\uFEFF${toCsv(rows)}`);
  async function* text() {
    yield '\uFEFF';
    for await (const batch of rows as AsyncIterable<CsvCell[][]>) if (batch.length) yield toCsv(batch);
  }
  return reply.send(streamedBody(reply, text()));
}

/**
 * The pages of a walk by key (`fetchAfter(after, perPage)` → `{ rows, next }`, `next` undefined when
 * there are no more), one after another, for the exports of whole lists (docs/adr/0044). By key, not
 * offset: the lists change while they are downloaded, and an offset gave a row twice or not at all
 * when another arrived or left between two pages. The first page is read before this returns, so a
 * refusal, a bad filter or a lost connection is still an error page of its own, not a download cut
 * short; each further page only when the one before has been handed on.
 */
export async function pagesAfter<T, K>(fetchAfter: (after: K | undefined, perPage: number) => Promise<{ rows: T[]; next: K | undefined }>, perPage = 1000): Promise<AsyncIterable<T[]>> {
  const first = await fetchAfter(undefined, perPage);
  return (async function* () {
    let { rows, next } = first;
    for (;;) {
      yield rows;
      if (next === undefined || rows.length === 0) return;
      ({ rows, next } = await fetchAfter(next, perPage));
    }
  })();
}

/** A CSV export's batches: `heading` first, then each page of `pages` as rows (`toRow`), for `sendCsv`. */
export async function* csvBatches<T>(heading: CsvCell[], pages: AsyncIterable<T[]>, toRow: (item: T) => CsvCell[]): AsyncGenerator<CsvCell[][]> {
  yield [heading];
  for await (const page of pages) yield page.map(toRow);
}
