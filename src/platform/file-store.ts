import { randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * Files people upload (issue 10 item 4: core tasks as PDF or Word), kept on disk under the data
 * folder by default. A file is named by a key the platform makes (never a name a user typed), and is
 * served only through a route that has checked who may see it: the folder is never served as such.
 */
export interface FileStore {
  /** Keeps `bytes` under `key`, whole or not at all (written beside, then renamed into place). */
  put(key: string, bytes: Buffer): Promise<void>;
  /** The bytes kept under `key`, or undefined. */
  get(key: string): Promise<Buffer | undefined>;
  /** Removes what is kept under `key`; nothing kept there is not an error. */
  remove(key: string): Promise<void>;
}

// Keys are made by the platform: lower-case words, digits and hyphens in slash-separated parts, so a key can never leave the folder.
const KEY = /^[a-z0-9-]{1,80}(\/[a-z0-9-]{1,80}){0,4}$/;

/** A FileStore in the folder `root` (made when first written to). Throws for a key that is not one of ours. */
export function diskFileStore(root: string): FileStore {
  const where = (key: string) => {
    if (!KEY.test(key)) throw new Error(`Not a file key: ${JSON.stringify(key)}`);
    return path.join(root, ...key.split('/'));
  };
  return {
    async put(key, bytes) {
      const file = where(key);
      await mkdir(path.dirname(file), { recursive: true });
      const partial = `${file}.${randomUUID()}.partial`;
      await writeFile(partial, bytes, { flag: 'wx' });
      await rename(partial, file);
    },
    async get(key) {
      try {
        return await readFile(where(key));
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw err;
      }
    },
    async remove(key) {
      await rm(where(key), { force: true });
    },
  };
}

/**
 * Runs `work`, which records a file already kept under `key` (or none): if it fails, the file is
 * removed again, so a refused or failed change leaves no file that nothing names. Rethrows.
 */
export async function keptOnlyIfCommitted<T>(ctx: { files: FileStore }, key: string | undefined, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (key) await ctx.files.remove(key).catch(() => undefined);
    throw err;
  }
}
