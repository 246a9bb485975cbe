// The output folder of an export (plain Node): refused inside the project (also through
// symlinks) or when it cannot be written, checked with a real write before any file is written.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { AppError } from '../errors';
import { writeFileAtomic } from '../fs/atomic';

/** Resolves symlinks of the longest existing prefix (the folder itself may not exist yet). */
async function realpathOfNearest(target: string): Promise<string> {
  const rest: string[] = [];
  let current = target;
  for (;;) {
    try {
      return path.join(await fs.realpath(current), ...rest);
    } catch {
      const parent = path.dirname(current);
      if (parent === current) return target;
      rest.unshift(path.basename(current));
      current = parent;
    }
  }
}

function isInsideOrSame(child: string, parent: string): boolean {
  const rel = path.relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/**
 * Refuses a folder inside the project (exports would mix with the project's own files and
 * travel with it) and one that cannot be written, before any file is written; creates it.
 */
export async function prepareOutputFolder(projectRoot: string, outDir: string): Promise<void> {
  const target = path.resolve(outDir);
  const root = path.resolve(projectRoot);
  const [realTarget, realRoot] = await Promise.all([
    realpathOfNearest(target),
    realpathOfNearest(root),
  ]);
  if (isInsideOrSame(target, root) || isInsideOrSame(realTarget, realRoot)) {
    throw new AppError(
      'BAD_INPUT',
      `Export folder ${target} is inside the project folder ${root}; choose a folder outside the project (for example ${root}-export).`,
    );
  }
  const stat = await fs.stat(target).catch(() => undefined);
  if (stat && !stat.isDirectory())
    throw new AppError(
      'BAD_INPUT',
      `Export folder ${target} is a file, not a folder; choose a folder.`,
    );
  try {
    await fs.mkdir(target, { recursive: true });
    // A real write, not access(): permission bits say nothing for root or read-only mounts.
    const probe = path.join(target, '.simcvd-write-test');
    await writeFileAtomic(probe, '');
    await fs.rm(probe, { force: true });
  } catch (error) {
    const reason =
      error instanceof AppError
        ? (/\((E[A-Z]+)\)/.exec(error.message)?.[1] ?? error.code)
        : ((error as NodeJS.ErrnoException).code ?? 'unknown error');
    throw new AppError(
      'IO_FAILED',
      `Export folder ${target} is not writable (${reason}); choose another folder or fix its permissions.`,
      { cause: error },
    );
  }
}
