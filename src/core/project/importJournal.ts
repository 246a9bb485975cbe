// Import commit with a journal (plain Node): an import stages whole study folders in
// .staging/<txn>/studies/, then commits by writing .staging/<txn>/commit.json atomically — the
// one instant the import becomes real. Moving the folders into studies/ and adopting a label
// set afterwards is "rolling forward", which the next open finishes if a crash cut it short;
// a transaction without commit.json is discarded. So after any crash the project holds either
// none or all of an import.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { labelClassSchema, type LabelClass } from '../../shared/contract/project';
import { AppError } from '../errors';
import { writeJsonAtomic } from '../fs/atomic';
import { pathExists } from '../fs/exists';
import { crashPoint } from '../crashPoint';
import type { ProjectPaths } from './paths';

const COMMIT_FILE = 'commit.json';

const commitSchema = z.object({
  ids: z.array(z.string()),
  /** The label set to adopt with the import (a Decathlon dataset's names), if any. */
  labels: z.array(labelClassSchema).optional(),
  committedAt: z.string(),
});
type Commit = z.infer<typeof commitSchema>;

export function stagedStudiesDir(txnDir: string): string {
  return path.join(txnDir, 'studies');
}

/** Makes the staged import real: write the journal, then roll it forward. */
export async function commitImport(
  paths: ProjectPaths,
  txnDir: string,
  ids: string[],
  adopt: ((labels: LabelClass[]) => Promise<void>) | undefined,
  labels?: LabelClass[],
): Promise<void> {
  await crashPoint('import-staged');
  const commit: Commit = {
    ids,
    ...(labels ? { labels } : {}),
    committedAt: new Date().toISOString(),
  };
  await writeJsonAtomic(path.join(txnDir, COMMIT_FILE), commit);
  await crashPoint('import-committed');
  await rollForward(paths, txnDir, commit, adopt);
}

async function rollForward(
  paths: ProjectPaths,
  txnDir: string,
  commit: Commit,
  adopt: ((labels: LabelClass[]) => Promise<void>) | undefined,
): Promise<void> {
  await fs.mkdir(paths.studies, { recursive: true });
  const staged = stagedStudiesDir(txnDir);
  for (const [index, id] of commit.ids.entries()) {
    const from = path.join(staged, id);
    if (!(await pathExists(from))) continue; // moved before a crash
    try {
      await fs.rename(from, paths.study(id));
    } catch (error) {
      throw new AppError(
        'IO_FAILED',
        `Could not move imported study "${id}" into ${paths.studies} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}); ` +
          'the import is committed and will be completed when the project is next opened.',
        { cause: error },
      );
    }
    if (index === 0) await crashPoint('import-moved-one');
  }
  if (commit.labels && adopt) await adopt(commit.labels);
  await fs.rm(txnDir, { recursive: true, force: true });
}

/**
 * On open (under the lock): finishes committed imports and discards uncommitted ones. Returns
 * what it did, for the log.
 */
export async function recoverImports(
  paths: ProjectPaths,
  adopt: (labels: LabelClass[]) => Promise<void>,
): Promise<{ completed: string[]; discarded: number }> {
  const names = await fs.readdir(paths.staging).catch(() => [] as string[]);
  const completed: string[] = [];
  let discarded = 0;
  for (const name of names) {
    const txnDir = path.join(paths.staging, name);
    const commit = await readCommit(txnDir);
    if (commit) {
      await rollForward(paths, txnDir, commit, adopt);
      completed.push(...commit.ids);
    } else {
      await fs.rm(txnDir, { recursive: true, force: true });
      discarded++;
    }
  }
  await fs.rmdir(paths.staging).catch(() => undefined);
  return { completed, discarded };
}

/** True when a crash left a committed import to finish (readers then ask a writer to). */
export async function hasPendingImports(paths: ProjectPaths): Promise<boolean> {
  const names = await fs.readdir(paths.staging).catch(() => [] as string[]);
  for (const name of names)
    if (await pathExists(path.join(paths.staging, name, COMMIT_FILE))) return true;
  return false;
}

async function readCommit(txnDir: string): Promise<Commit | undefined> {
  try {
    const parsed = commitSchema.safeParse(
      JSON.parse(await fs.readFile(path.join(txnDir, COMMIT_FILE), 'utf8')),
    );
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}
