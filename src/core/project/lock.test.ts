import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { acquireLock } from './lock';

describe('project lock', () => {
  it('refuses a second writer and names the holder', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'lock-'));
    const file = path.join(dir, '.lock');
    const lock = await acquireLock(file, 'first');
    await expect(acquireLock(file, 'second')).rejects.toMatchObject({
      code: 'LOCKED',
      message: expect.stringMatching(/first/),
    });
    await lock.release();
    const again = await acquireLock(file, 'third');
    await again.release();
    await expect(fs.access(file)).rejects.toThrow();
  });

  it('takes over a stale lock left by a dead process on this host', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'lock-'));
    const file = path.join(dir, '.lock');
    // PID 2^22+1 is above Linux's pid_max default range, so no such process exists.
    await fs.writeFile(
      file,
      JSON.stringify({ pid: 4194305, host: os.hostname(), since: 'x', purpose: 'crashed' }),
    );
    const lock = await acquireLock(file, 'new');
    expect(JSON.parse(await fs.readFile(file, 'utf8')).purpose).toBe('new');
    await lock.release();
  });

  it('does not take over a lock from another host', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'lock-'));
    const file = path.join(dir, '.lock');
    await fs.writeFile(
      file,
      JSON.stringify({ pid: 4194305, host: 'elsewhere', since: 'x', purpose: 'remote' }),
    );
    await expect(acquireLock(file, 'new')).rejects.toMatchObject({ code: 'LOCKED' });
  });
});
