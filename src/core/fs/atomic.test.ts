import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { setWriteFaultsForTesting, writeFileAtomic } from './atomic';

afterEach(() => setWriteFaultsForTesting({}));

describe('atomic writes', () => {
  it('replaces the file whole and leaves no temp file', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'atomic-'));
    const file = path.join(dir, 'a.json');
    await writeFileAtomic(file, 'old');
    await writeFileAtomic(file, 'new');
    expect(await fs.readFile(file, 'utf8')).toBe('new');
    expect(await fs.readdir(dir)).toEqual(['a.json']);
  });

  it('keeps the old content when the disk fills up mid-write', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'atomic-'));
    const file = path.join(dir, 'a.json');
    await writeFileAtomic(file, 'old');
    setWriteFaultsForTesting({
      beforeRename: () => {
        throw Object.assign(new Error('no space left on device'), { code: 'ENOSPC' });
      },
    });
    await expect(writeFileAtomic(file, 'new')).rejects.toMatchObject({
      code: 'IO_FAILED',
      message: expect.stringMatching(/ENOSPC/),
    });
    expect(await fs.readFile(file, 'utf8')).toBe('old');
    expect(await fs.readdir(dir)).toEqual(['a.json']);
  });
});
