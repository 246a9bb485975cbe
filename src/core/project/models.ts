// Model versions in a project (plain Node): a finished training run becomes models/<id>/ with
// its weights, a record of what it was trained on, and its loss curves. Run folders under
// models/.runs/ hold checkpoints until the run finishes, so an interrupted run can resume.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { modelRecordSchema, type ModelRecord } from '../../shared/contract/models';
import { AppError } from '../errors';
import { writeJsonAtomic } from '../fs/atomic';
import { pathExists } from '../fs/exists';
import { listModelIds, writeActiveModel } from './activeModel';
import type { ProjectStore } from './store';

export const RUNS_DIR = '.runs';
export const RECORD_FILE = 'record.json';
export const HISTORY_FILE = 'history.json';

/** Written into an unfinished run when a newer one starts fresh: that run is no longer resumed. */
export const SUPERSEDED_FILE = 'superseded.json';
const CHECKPOINT_STATE = path.join('checkpoint', 'state.json');

/** Run folders that never finished (no model/ yet), newest first. */
async function unfinishedRuns(runs: string): Promise<string[]> {
  const names = (await fs.readdir(runs).catch(() => [] as string[])).sort().reverse();
  const out: string[] = [];
  for (const name of names) {
    const dir = path.join(runs, name);
    if (!(await pathExists(path.join(dir, 'model')))) out.push(dir);
  }
  return out;
}

/**
 * The run a resume continues: the newest one that saved a checkpoint, never finished, and was
 * not superseded by a fresh start. A finished run's folder is removed, so without the superseded
 * mark a cancelled run would come back after a later training finished.
 */
export async function resumableRunDir(store: ProjectStore): Promise<string | null> {
  for (const dir of await unfinishedRuns(path.join(store.paths.models, RUNS_DIR))) {
    if (await pathExists(path.join(dir, SUPERSEDED_FILE))) continue;
    if (await pathExists(path.join(dir, CHECKPOINT_STATE))) return dir;
  }
  return null;
}

/**
 * A new run folder, or the resumable one when resuming. A fresh start marks the older
 * unfinished runs superseded rather than deleting them: their checkpoints stay on disk, and a
 * run still going in another process (bench:semi trains two in one project) still finishes.
 */
export async function runFolder(
  store: ProjectStore,
  resume: boolean,
): Promise<{ dir: string; resumed: boolean }> {
  const runs = path.join(store.paths.models, RUNS_DIR);
  await fs.mkdir(runs, { recursive: true });
  if (resume) {
    const dir = await resumableRunDir(store);
    if (dir) return { dir, resumed: true };
  }
  const stamp = new Date()
    .toISOString()
    .replace(/[-:.TZ]/g, '')
    .slice(0, 14);
  const name = `${stamp}-${randomBytes(3).toString('hex')}`;
  for (const older of await unfinishedRuns(runs)) {
    if (await pathExists(path.join(older, SUPERSEDED_FILE))) continue;
    await writeJsonAtomic(path.join(older, SUPERSEDED_FILE), {
      by: name,
      at: new Date().toISOString(),
    });
  }
  const dir = path.join(runs, name);
  await fs.mkdir(dir, { recursive: true });
  return { dir, resumed: false };
}

/** Every model version, oldest first. */
export async function listModels(store: ProjectStore): Promise<ModelRecord[]> {
  const out: ModelRecord[] = [];
  for (const id of await listModelIds(store)) out.push(await getModel(store, id));
  return out;
}

export async function getModel(store: ProjectStore, id: string): Promise<ModelRecord> {
  const file = path.join(store.paths.model(id), RECORD_FILE);
  let json: unknown;
  try {
    json = JSON.parse(await fs.readFile(file, 'utf8'));
  } catch {
    throw new AppError('NOT_FOUND', `Model "${id}" does not exist in ${store.root}.`);
  }
  const parsed = modelRecordSchema.safeParse(json);
  if (!parsed.success) throw new AppError('CORRUPT_FILE', `${file} is not a valid model record.`);
  return parsed.data;
}

export function modelWeightsDir(store: ProjectStore, id: string): string {
  return store.paths.model(id);
}

/**
 * Moves a finished run's model folder into models/<next id>/ with its record and history;
 * the run folder (checkpoints) is removed afterwards. The new model becomes the active one: a
 * roll back to an older model lasts until the next training.
 */
export async function registerModel(
  store: ProjectStore,
  runDir: string,
  record: Omit<ModelRecord, 'id' | 'createdAt' | 'historyFile'>,
  history: unknown,
): Promise<ModelRecord> {
  return store.exclusive(async () => {
    const existing = (await fs.readdir(store.paths.models).catch(() => [] as string[]))
      .map((n) => /^m(\d+)$/.exec(n)?.[1])
      .filter((n): n is string => n !== undefined)
      .map(Number);
    const id = `m${String((existing.length ? Math.max(...existing) : 0) + 1).padStart(4, '0')}`;
    const full: ModelRecord = modelRecordSchema.parse({
      ...record,
      id,
      createdAt: new Date().toISOString(),
      historyFile: HISTORY_FILE,
    });
    const source = path.join(runDir, 'model');
    await writeJsonAtomic(path.join(source, HISTORY_FILE), history);
    await writeJsonAtomic(path.join(source, RECORD_FILE), full);
    await store.assertWritable();
    await fs.rename(source, store.paths.model(id));
    await writeActiveModel(store, id);
    await fs.rm(runDir, { recursive: true, force: true });
    return full;
  });
}

// A loss that was not finite was written by JSON.stringify as null.
const lossValue = z
  .number()
  .nullable()
  .transform((v) => v ?? Number.NaN);
const historySchema = z.object({
  losses: z.array(z.array(lossValue)),
  validation: z.array(z.object({ iteration: z.number(), dice: z.number() })),
});
export type ModelHistory = z.output<typeof historySchema>;

/** Loss rows (one per iteration) and validation points recorded while a model trained. */
export async function readModelHistory(store: ProjectStore, id: string): Promise<ModelHistory> {
  const record = await getModel(store, id);
  const file = path.join(store.paths.model(id), record.historyFile);
  let json: unknown;
  try {
    json = JSON.parse(await fs.readFile(file, 'utf8'));
  } catch {
    throw new AppError('CORRUPT_FILE', `${file} is missing or not valid JSON.`);
  }
  const parsed = historySchema.safeParse(json);
  if (!parsed.success) throw new AppError('CORRUPT_FILE', `${file} is not a training history.`);
  return parsed.data;
}
