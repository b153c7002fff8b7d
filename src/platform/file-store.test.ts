import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { diskFileStore, keptOnlyIfCommitted } from './file-store';

describe('files kept on disk', () => {
  const store = diskFileStore(mkdtempSync(path.join(tmpdir(), 'npq-files-')));
  it('keeps and gives back bytes by key, and has nothing for a key never written', async () => {
    await store.put('core-tasks/3f1c0e5e-5d1a-4a52-9b3e-1a2b3c4d5e6f', Buffer.from('%PDF-1.7'));
    expect((await store.get('core-tasks/3f1c0e5e-5d1a-4a52-9b3e-1a2b3c4d5e6f'))?.toString()).toBe('%PDF-1.7');
    expect(await store.get('core-tasks/00000000-0000-0000-0000-000000000000')).toBeUndefined();
  });
  it('refuses a key that could leave its folder', async () => {
    for (const key of ['../etc/passwd', 'core-tasks/../../x', '/abs', 'UPPER', 'a//b', '']) await expect(store.put(key, Buffer.from('x'))).rejects.toThrow('Not a file key');
  });
  it('removes a file, and removing one not there is no error', async () => {
    await store.put('materials/a1', Buffer.from('x'));
    await store.remove('materials/a1');
    expect(await store.get('materials/a1')).toBeUndefined();
    await store.remove('materials/a1');
  });
  it('removes a file kept for a change that then failed, and keeps it for one that succeeded', async () => {
    await store.put('materials/kept', Buffer.from('x'));
    await store.put('materials/refused', Buffer.from('x'));
    expect(await keptOnlyIfCommitted({ files: store }, 'materials/kept', async () => 'done')).toBe('done');
    await expect(keptOnlyIfCommitted({ files: store }, 'materials/refused', async () => Promise.reject(new Error('refused')))).rejects.toThrow('refused');
    expect(await store.get('materials/kept')).toBeDefined();
    expect(await store.get('materials/refused')).toBeUndefined();
  });
});
