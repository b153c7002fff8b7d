import { Readable } from 'node:stream';
import type { FastifyReply } from 'fastify';

/**
 * A response body pulled from `chunks` as the socket takes it (at most `highWaterMark` bytes read
 * ahead of the client), for the streamed exports (docs/adr/0044) and the API's long pages (ADR 0038).
 * When reading a chunk fails after the headers have gone, the download must not end as a whole one
 * does: over HTTP/1.1 the missing last chunk tells, but over HTTP/1.0 (nginx's default to its
 * upstream) a body has neither chunks nor a length and a clean close is how a whole body ends, so the
 * connection is reset instead.
 */
export function streamedBody(reply: FastifyReply, chunks: AsyncIterable<string>, highWaterMark = 16 * 1024): Readable {
  const body = Readable.from(chunks, { objectMode: false, highWaterMark });
  body.once('error', () => reply.raw.socket?.resetAndDestroy());
  return body;
}
