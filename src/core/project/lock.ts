// Inter-process project lock (plain Node): an exclusive lock file that records its holder, so
// two processes never write one project. A lock whose process is gone on this host is stale
// and taken over; anything else is refused with who holds it.
import { promises as fs } from 'node:fs';
import os from 'node:os';
import { AppError } from '../errors';

export interface LockInfo {
  pid: number;
  host: string;
  since: string;
  purpose: string;
}

export interface ProjectLock {
  release(): Promise<void>;
}

export async function acquireLock(lockPath: string, purpose: string): Promise<ProjectLock> {
  const info: LockInfo = {
    pid: process.pid,
    host: os.hostname(),
    since: new Date().toISOString(),
    purpose,
  };
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const handle = await fs.open(lockPath, 'wx');
      await handle.writeFile(JSON.stringify(info));
      await handle.close();
      return { release: () => releaseLock(lockPath) };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw new AppError(
          'IO_FAILED',
          `Cannot create lock file ${lockPath}: ${(error as Error).message}`,
        );
      }
      const holder = await readLock(lockPath);
      if (holder && isStale(holder)) {
        await fs.rm(lockPath, { force: true });
        continue;
      }
      const who = holder
        ? `process ${holder.pid} on ${holder.host} (${holder.purpose}, since ${holder.since})`
        : 'another process';
      throw new AppError(
        'LOCKED',
        `The project is open for writing by ${who}. Close it there first; if that process is gone, delete ${lockPath}.`,
      );
    }
  }
  throw new AppError('LOCKED', `Could not take the project lock ${lockPath}.`);
}

async function readLock(lockPath: string): Promise<LockInfo | undefined> {
  try {
    return JSON.parse(await fs.readFile(lockPath, 'utf8')) as LockInfo;
  } catch {
    return undefined;
  }
}

function isStale(holder: LockInfo): boolean {
  if (holder.host !== os.hostname()) return false;
  if (holder.pid === process.pid) return false;
  try {
    process.kill(holder.pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

async function releaseLock(lockPath: string): Promise<void> {
  const holder = await readLock(lockPath);
  if (holder && holder.pid === process.pid && holder.host === os.hostname()) {
    await fs.rm(lockPath, { force: true });
  }
}
