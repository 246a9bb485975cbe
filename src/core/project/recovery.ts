// Opening a project after a crash (plain Node, under the write lock): finish or discard the
// imports a crash interrupted, and delete the temporary files that dead writers left behind
// (atomic writes and lock files use `.<name>.<random>.tmp`-style names beside their target).
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { LabelClass } from '../../shared/contract/project';
import { recoverImports } from './importJournal';
import type { ProjectPaths } from './paths';

/** Younger temporary files may still belong to a live process (e.g. one racing for the lock). */
const STRAY_AGE_MS = 60_000;
const TEMP_NAME = /^\..+\.[0-9a-f]{12}\.tmp$|^\.simcvd\.lock\.([0-9a-f]{16}\.tmp|takeover)$/;

export interface RecoveryReport {
  /** Studies of a committed import that a crash had left half moved, now in place. */
  completedImports: string[];
  /** Uncommitted (staged) imports thrown away. */
  discardedImports: number;
  /** Temporary files of dead writers removed. */
  removedTempFiles: number;
}

export async function recoverProject(
  paths: ProjectPaths,
  adoptLabels: (labels: LabelClass[]) => Promise<void>,
): Promise<RecoveryReport> {
  const imports = await recoverImports(paths, adoptLabels);
  const folders = [paths.root];
  for (const id of await fs.readdir(paths.studies).catch(() => [] as string[])) {
    if (id.startsWith('.')) continue;
    folders.push(path.join(paths.studies, id), path.join(paths.studies, id, 'labels'));
  }
  let removed = 0;
  for (const folder of folders) removed += await removeStrayTemps(folder);
  return {
    completedImports: imports.completed,
    discardedImports: imports.discarded,
    removedTempFiles: removed,
  };
}

async function removeStrayTemps(folder: string): Promise<number> {
  const names = await fs.readdir(folder).catch(() => [] as string[]);
  let removed = 0;
  for (const name of names) {
    if (!TEMP_NAME.test(name)) continue;
    const file = path.join(folder, name);
    const stat = await fs.stat(file).catch(() => undefined);
    if (!stat?.isFile() || Date.now() - stat.mtimeMs < STRAY_AGE_MS) continue;
    await fs.rm(file, { force: true });
    removed++;
  }
  return removed;
}
