import { describe, expect, it } from 'vitest';
import net from 'node:net';
import Fastify from 'fastify';
import { type CsvCell, csvBatches, pagesAfter, paginationFor, sendCsv, toCsv } from './admin';

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

describe('exports of a whole list', () => {
  const data = Array.from({ length: 2501 }, (_, i) => i);
  // Each number is its own key: a page after `after` starts at the next one.
  const keyedData = (asked: (number | undefined)[]) => async (after: number | undefined, perPage: number) => {
    asked.push(after);
    const rows = data.slice(after === undefined ? 0 : after + 1).slice(0, perPage);
    return { rows, next: rows.length === perPage ? rows.at(-1) : undefined };
  };

  it('reads the first page before it returns, and each further page only as it is iterated', async () => {
    const asked: (number | undefined)[] = [];
    const pages = await pagesAfter(keyedData(asked));
    expect(asked).toEqual([undefined]);
    const seen: number[] = [];
    for await (const page of pages) {
      seen.push(...page);
      // One page at a time: never more read than what has been handed on, plus the next.
      expect(asked.length).toBeLessThanOrEqual(seen.length / 1000 + 1);
    }
    expect(seen).toEqual(data);
    expect(asked).toEqual([undefined, 999, 1999]);
  });

  it('stops at an empty page even when the key said go on, and refuses before anything is sent', async () => {
    const emptied = async (after: number | undefined) => ({ rows: after === undefined ? [1, 2] : [], next: 2 });
    const seen: number[] = [];
    for await (const page of await pagesAfter(emptied, 2)) seen.push(...page);
    expect(seen).toEqual([1, 2]);
    await expect(
      pagesAfter(async () => {
        throw new Error('refused');
      }),
    ).rejects.toThrow('refused');
  });

  it('streams the same text as the whole export, byte-order mark first', async () => {
    const heading: CsvCell[] = ['n', 'formula'];
    const toRow = (n: number): CsvCell[] => [n, n % 7 === 0 ? `=n${n}` : `row "${n}", x`];
    const app = Fastify();
    app.get('/whole.csv', (_req, reply) => sendCsv(reply, 'whole', [heading, ...data.map(toRow)]));
    app.get('/streamed.csv', async (_req, reply) => sendCsv(reply, 'streamed', csvBatches(heading, await pagesAfter(keyedData([])), toRow)));
    const [whole, streamed] = [await app.inject({ url: '/whole.csv' }), await app.inject({ url: '/streamed.csv' })];
    expect(streamed.statusCode).toBe(200);
    expect(streamed.body).toBe(whole.body);
    expect(streamed.body.startsWith('\uFEFFn,formula\r\n0,')).toBe(true);
    expect(streamed.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(streamed.headers['content-disposition']).toBe('attachment; filename="streamed.csv"');
    expect(streamed.headers['cache-control']).toBe('no-store');
    await app.close();
  });

  /** A listening app whose export fails on its second page, after the first has been sent. */
  async function exportCutAfterOnePage() {
    const app = Fastify();
    const failing = async (after: number | undefined) => {
      if (after !== undefined) throw new Error('connection lost');
      return { rows: [1, 2], next: 2 };
    };
    app.get('/cut.csv', async (_req, reply) => sendCsv(reply, 'cut', csvBatches(['n'], await pagesAfter(failing, 2), (n) => [n])));
    await app.listen({ port: 0, host: '127.0.0.1' });
    return { app, port: (app.server.address() as { port: number }).port };
  }

  it('cuts the download short when a later page fails, so a partial file never arrives as a whole one', async () => {
    const { app, port } = await exportCutAfterOnePage();
    try {
      const response = await fetch(`http://127.0.0.1:${port}/cut.csv`);
      await expect(response.text()).rejects.toThrow();
    } finally {
      await app.close();
    }
  });

  it('is cut short visibly for an HTTP/1.0 client too (nginx proxies as HTTP/1.0 by default), where a body has neither chunks nor a length', async () => {
    const { app, port } = await exportCutAfterOnePage();
    try {
      const answer = await new Promise<{ text: string; error?: string }>((resolve) => {
        let text = '';
        const socket = net.connect(port, '127.0.0.1', () => socket.write('GET /cut.csv HTTP/1.0\r\nHost: npq.test\r\n\r\n'));
        socket.on('data', (d) => (text += d));
        socket.on('error', (e) => resolve({ text, error: e.message }));
        socket.on('end', () => resolve({ text }));
      });
      // A clean end of the connection would be how a whole file ends: it is reset instead.
      expect(answer.text).toMatch(/^HTTP\/1\.1 200/);
      expect(answer.error ?? 'the connection ended as a whole file does').toMatch(/ECONNRESET|socket hang up/);
    } finally {
      await app.close();
    }
  });
});
