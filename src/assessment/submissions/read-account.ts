import { Worker } from 'node:worker_threads';
import type { WordCountExclusion } from '../domain/assessment-spec';
import type { AccountBlock, WordCount } from '../domain/word-count';

/** The most memory a reading may use, in MB, and the longest it may take, in milliseconds: a real account of 20 MB takes a few seconds and far less. */
export const READING_LIMITS = { heapMb: 384, ms: 30_000 };

// Bundled, the worker is dist/server/read-account.worker.mjs beside the server (scripts/build-server.ts);
// from source it is the .ts beside this file, run through tsx.
const bundled = import.meta.url.endsWith('.mjs');
const workerUrl = new URL(bundled ? './read-account.worker.mjs' : './read-account.worker.ts', import.meta.url);

type Read = { count: WordCount } | { blocks: AccountBlock[] } | { fault: 'unreadable' | 'too_big' };

/** Runs the reading worker on one file, within READING_LIMITS. */
function inWorker(workerData: { bytes: Uint8Array; type: 'docx' | 'pdf'; excludes: WordCountExclusion[]; blocksOnly?: boolean }): Promise<Read> {
  return new Promise((resolve) => {
    const worker = new Worker(workerUrl, {
      workerData,
      resourceLimits: { maxOldGenerationSizeMb: READING_LIMITS.heapMb, maxYoungGenerationSizeMb: 32 },
      execArgv: bundled ? [] : ['--import', 'tsx'],
    });
    let settled = false;
    const settle = (result: Read) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      void worker.terminate();
      resolve(result);
    };
    const timer = setTimeout(() => settle({ fault: 'too_big' }), READING_LIMITS.ms);
    worker.once('message', (m: { ok: boolean; count?: WordCount; blocks?: AccountBlock[] }) => settle(m.ok && m.count ? { count: m.count } : m.ok && m.blocks ? { blocks: m.blocks } : { fault: 'unreadable' }));
    // Out of memory ends the worker with an error (ERR_WORKER_OUT_OF_MEMORY), or with a non-zero exit.
    worker.once('error', (err: Error & { code?: string }) => settle({ fault: err.code === 'ERR_WORKER_OUT_OF_MEMORY' ? 'too_big' : 'unreadable' }));
    worker.once('exit', (code) => settle({ fault: code === 0 ? 'unreadable' : 'too_big' }));
  });
}

/**
 * Reads an account's text (Word or PDF) and counts its words under `excludes`, in a worker thread with
 * a memory and time limit (READING_LIMITS): a file that unpacks to gigabytes, or would take minutes,
 * is given up on without holding up anyone else's request. Resolves to the count, or to `unreadable`
 * (not a readable document) or `too_big` (over a limit).
 */
export async function readAccount(bytes: Buffer, type: 'docx' | 'pdf', excludes: readonly WordCountExclusion[]): Promise<{ count: WordCount } | { fault: 'unreadable' | 'too_big' }> {
  return (await inWorker({ bytes: new Uint8Array(bytes), type, excludes: [...excludes] })) as { count: WordCount } | { fault: 'unreadable' | 'too_big' };
}

/** An account's text as blocks (headings, paragraphs, table cells, notes), read as readAccount reads it, for its marker to read on the page; null when it cannot be read. */
export async function accountText(bytes: Buffer, type: 'docx' | 'pdf'): Promise<AccountBlock[] | null> {
  const read = await inWorker({ bytes: new Uint8Array(bytes), type, excludes: [], blocksOnly: true });
  return 'blocks' in read ? read.blocks : null;
}
