import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { diskFileStore } from './file-store';

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
});
