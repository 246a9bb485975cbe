// Inter-process project lock (plain Node): an exclusive lock file that records its holder, so
// two processes never write one project. The file is written whole under a temporary name and
// hard-linked into place (link fails if the lock exists), so a lock is never empty or partial.
// A lock whose process is gone on this host is stale. Only the holder of a short-lived takeover
// file (created the same way) may delete a lock, and only after re-reading it as the very file
// judged stale, so two processes taking over at once never both win — and a fresh lock is never
// deleted. A writer re-checks that it still owns the lock before each commit.
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import { AppError } from '../errors';
import { crashPoint } from '../crashPoint';

export interface LockInfo {
  pid: number;
  host: string;
  since: string;
  purpose: string;
  /** Unique per acquisition: tells this holder's lock from a later one of the same process. */
  nonce?: string;
}

export interface ProjectLock {
  /** Throws LOCKED when another process now holds the lock (nothing may be committed). */
  assertHeld(): Promise<void>;
  release(): Promise<void>;
}

/** An unreadable lock older than this is a leftover of a crash, not one being written. */
const UNREADABLE_STALE_MS = 1000;
/** A takeover takes milliseconds; a takeover file this old belongs to a process that died. */
const TAKEOVER_STALE_MS = 10_000;
const ATTEMPTS = 20;

export async function acquireLock(lockPath: string, purpose: string): Promise<ProjectLock> {
  const nonce = randomBytes(8).toString('hex');
  const info: LockInfo = {
    pid: process.pid,
    host: os.hostname(),
    since: new Date().toISOString(),
    purpose,
    nonce,
  };
  const temp = `${lockPath}.${nonce}.tmp`;
  try {
    await fs.writeFile(temp, JSON.stringify(info), { flag: 'wx' });
  } catch (error) {
    throw new AppError(
      'IO_FAILED',
      `Cannot create lock file ${lockPath}: ${(error as Error).message}`,
    );
  }
  try {
    await crashPoint('lock-temp-written');
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      try {
        await fs.link(temp, lockPath);
        await crashPoint('lock-created');
        return heldLock(lockPath, nonce);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
          throw new AppError(
            'IO_FAILED',
            `Cannot create lock file ${lockPath}: ${(error as Error).message}`,
          );
        }
      }
      const found = await readLockFile(lockPath);
      if (found === undefined) continue; // released meanwhile: try again
      if (!isStale(found)) throw lockedBy(lockPath, found.info);
      await crashPoint('lock-before-takeover');
      await takeOver(lockPath, temp, found.text);
    }
    throw new AppError('LOCKED', `Could not take the project lock ${lockPath}; try again.`);
  } finally {
    await fs.rm(temp, { force: true }).catch(() => undefined);
  }
}

interface FoundLock {
  text: string;
  /** Undefined when the file is empty or not a lock record (e.g. a crash of an old version). */
  info?: LockInfo;
  ageMs: number;
}

async function readLockFile(lockPath: string): Promise<FoundLock | undefined> {
  try {
    const [text, stat] = await Promise.all([fs.readFile(lockPath, 'utf8'), fs.stat(lockPath)]);
    return { text, info: parseLock(text), ageMs: Date.now() - stat.mtimeMs };
  } catch {
    return undefined;
  }
}

function parseLock(text: string): LockInfo | undefined {
  try {
    const value = JSON.parse(text) as Partial<LockInfo>;
    if (typeof value.pid === 'number' && typeof value.host === 'string') return value as LockInfo;
  } catch {
    /* not a lock record */
  }
  return undefined;
}

function isStale(found: FoundLock): boolean {
  const holder = found.info;
  if (!holder) return found.ageMs > UNREADABLE_STALE_MS;
  if (holder.host !== os.hostname()) return false;
  if (holder.pid === process.pid) return false;
  try {
    process.kill(holder.pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

const pause = () => new Promise((resolve) => setTimeout(resolve, 5 + Math.random() * 25));

/**
 * Deletes the lock if it still is the stale file `staleText`, holding `<lock>.takeover` while it
 * looks: no other process can delete a lock meanwhile, and the stale holder is dead, so the
 * lock read is the lock deleted. Then the caller tries to create its own again.
 */
async function takeOver(lockPath: string, temp: string, staleText: string): Promise<void> {
  const guard = `${lockPath}.takeover`;
  try {
    await fs.link(temp, guard);
  } catch {
    const found = await readLockFile(guard);
    if (found && found.ageMs > TAKEOVER_STALE_MS) await fs.rm(guard, { force: true });
    await pause();
    return;
  }
  try {
    const current = await fs.readFile(lockPath, 'utf8').catch(() => undefined);
    if (current === staleText) await fs.rm(lockPath, { force: true });
  } finally {
    await fs.rm(guard, { force: true });
  }
}

function lockedBy(lockPath: string, holder: LockInfo | undefined): AppError {
  const who = holder
    ? `process ${holder.pid} on ${holder.host} (${holder.purpose}, since ${holder.since})`
    : 'another process';
  return new AppError(
    'LOCKED',
    `The project is open for writing by ${who}. Close it there first; if that process is gone, delete ${lockPath}.`,
  );
}

function heldLock(lockPath: string, nonce: string): ProjectLock {
  const owner = async () => {
    // A takeover racing with us moves our lock aside for an instant before putting it back.
    for (let attempt = 0; attempt < 3; attempt++) {
      const found = await readLockFile(lockPath);
      if (found) return found.info;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    return undefined;
  };
  return {
    async assertHeld() {
      const holder = await owner();
      if (holder?.nonce !== nonce)
        throw new AppError(
          'LOCKED',
          `This process no longer holds the project lock ${lockPath} (${holder ? `now held by process ${holder.pid}` : 'it is gone'}); ` +
            'nothing more was written. Reopen the project.',
        );
    },
    async release() {
      const found = await readLockFile(lockPath);
      if (found?.info?.nonce === nonce) await fs.rm(lockPath, { force: true });
    },
  };
}
