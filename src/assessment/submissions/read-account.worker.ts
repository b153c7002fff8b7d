import { parentPort, workerData } from 'node:worker_threads';
import type { WordCountExclusion } from '../domain/assessment-spec';
import { countAccount } from '../domain/word-count';
import { pdfBlocks, wordDocumentBlocks } from './extract-account';

/*
 * Reads one account and counts its words (or gives its text, for its marker), in a worker thread of its own (read-account.ts starts it):
 * a file that unpacks to far more than it weighs (a "zip bomb", a PDF of one huge compressed stream)
 * exhausts this worker's memory or time, never the server's.
 */
const { bytes, type, excludes, blocksOnly } = workerData as { bytes: Uint8Array; type: 'docx' | 'pdf'; excludes: WordCountExclusion[]; blocksOnly?: boolean };
try {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const blocks = type === 'docx' ? await wordDocumentBlocks(buffer) : await pdfBlocks(buffer);
  parentPort!.postMessage(blocksOnly ? { ok: true, blocks } : { ok: true, count: countAccount(blocks, excludes) });
} catch {
  parentPort!.postMessage({ ok: false });
}
