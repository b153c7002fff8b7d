/**
 * The streamed exports (pagesAfter, csvBatches, sendCsv: ADR 0044) to a client that speaks HTTP/1.0,
 * where a body has neither chunks nor a length.
 */
import net from 'node:net';
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { csvBatches, pagesAfter, sendCsv } from './admin';

describe('a streamed export', () => {
  it('is cut short visibly for an HTTP/1.0 client too (nginx proxies as HTTP/1.0 by default), so a partial file never arrives as a whole one', async () => {
    const app = Fastify();
    const failing = async (after: number | undefined) => {
      if (after !== undefined) throw new Error('connection lost');
      return { rows: [1, 2], next: 2 };
    };
    app.get('/cut.csv', async (_req, reply) => sendCsv(reply, 'cut', csvBatches(['n'], await pagesAfter(failing, 2), (n) => [n])));
    await app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = app.server.address() as { port: number };
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
