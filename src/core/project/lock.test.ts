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

describe('project lock after crashes and races', () => {
  const tmp = () => fs.mkdtemp(path.join(os.tmpdir(), 'lock-'));

  it('is never empty: the file appears whole, with a nonce', async () => {
    const file = path.join(await tmp(), '.lock');
    const lock = await acquireLock(file, 'whole');
    const info = JSON.parse(await fs.readFile(file, 'utf8'));
    expect(info).toMatchObject({ pid: process.pid, purpose: 'whole' });
    expect(info.nonce).toMatch(/^[0-9a-f]{16}$/);
    expect((await fs.readdir(path.dirname(file))).sort()).toEqual(['.lock']);
    await lock.release();
  });

  it('takes over an empty lock file a crash left, but not one being written right now', async () => {
    const file = path.join(await tmp(), '.lock');
    await fs.writeFile(file, '');
    await expect(acquireLock(file, 'new')).rejects.toMatchObject({ code: 'LOCKED' });
    const old = new Date(Date.now() - 5000);
    await fs.utimes(file, old, old);
    const lock = await acquireLock(file, 'new');
    expect(JSON.parse(await fs.readFile(file, 'utf8')).purpose).toBe('new');
    await lock.release();
  });

  it('knows when another process has taken its lock, and never releases that one', async () => {
    const file = path.join(await tmp(), '.lock');
    const lock = await acquireLock(file, 'mine');
    await lock.assertHeld();
    const theirs = JSON.stringify({
      pid: 1,
      host: os.hostname(),
      since: 'x',
      purpose: 'theirs',
      nonce: 'ffffffffffffffff',
    });
    await fs.writeFile(file, theirs);
    await expect(lock.assertHeld()).rejects.toMatchObject({
      code: 'LOCKED',
      message: expect.stringMatching(/no longer holds.*process 1/),
    });
    await lock.release();
    expect(await fs.readFile(file, 'utf8')).toBe(theirs);
  });

  it('two takeovers of one stale lock at once: exactly one wins', async () => {
    const file = path.join(await tmp(), '.lock');
    for (let round = 0; round < 20; round++) {
      await fs.writeFile(
        file,
        JSON.stringify({
          pid: 4194305,
          host: os.hostname(),
          since: String(round),
          purpose: 'dead',
        }),
      );
      const outcomes = await Promise.allSettled([
        acquireLock(file, 'a'),
        acquireLock(file, 'b'),
        acquireLock(file, 'c'),
      ]);
      const won = outcomes.filter((o) => o.status === 'fulfilled');
      // In one process the holder's pid is ours, so the losers see a live lock.
      expect(won).toHaveLength(1);
      await (won[0] as PromiseFulfilledResult<{ release(): Promise<void> }>).value.release();
    }
  });
});
