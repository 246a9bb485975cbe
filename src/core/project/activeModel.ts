// The active model version of a project (plain Node): the one whose proposals the user reviews
// and whose uncertainty ranks the studies. Stored in models/active.json; without that file (or
// when it names a model that is gone) the newest model is active. Choosing an older model is
// the roll back; training a new model makes the new one active.
import { promises as fs, type Dirent } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { AppError } from '../errors';
import { writeRecordAtomic } from '../fs/atomic';
import type { ProjectStore } from './store';

export const ACTIVE_MODEL_FILE = 'active.json';
const MODEL_ID = /^m\d+$/;

const activeModelSchema = z.object({ modelId: z.string().regex(MODEL_ID), setAt: z.string() });

function activeFile(store: ProjectStore): string {
  return path.join(store.paths.models, ACTIVE_MODEL_FILE);
}

/** Model version IDs with a folder under models/, oldest first. */
export async function listModelIds(store: ProjectStore): Promise<string[]> {
  const entries = await fs
    .readdir(store.paths.models, { withFileTypes: true })
    .catch(() => [] as Dirent[]);
  return entries
    .filter((e) => e.isDirectory() && MODEL_ID.test(e.name))
    .map((e) => e.name)
    .sort((a, b) => Number(a.slice(1)) - Number(b.slice(1)));
}

/** The model the user chose, when that choice still names an existing model. */
async function chosenModelId(store: ProjectStore, ids: string[]): Promise<string | null> {
  let json: unknown;
  try {
    json = JSON.parse(await fs.readFile(activeFile(store), 'utf8'));
  } catch {
    return null; // absent or unreadable: fall back to the newest model
  }
  const parsed = activeModelSchema.safeParse(json);
  return parsed.success && ids.includes(parsed.data.modelId) ? parsed.data.modelId : null;
}

/** The active model version, or null while the project has none. */
export async function activeModelId(store: ProjectStore): Promise<string | null> {
  const ids = await listModelIds(store);
  return (await chosenModelId(store, ids)) ?? ids.at(-1) ?? null;
}

/** Writes the choice; callers must already be inside `store.exclusive`. */
export async function writeActiveModel(store: ProjectStore, modelId: string): Promise<void> {
  await store.assertWritable();
  await writeRecordAtomic(activeFile(store), activeModelSchema, {
    modelId,
    setAt: new Date().toISOString(),
  });
}

/** Makes a model version the active one (an older one: roll back). */
export async function setActiveModel(store: ProjectStore, modelId: string): Promise<string> {
  return store.exclusive(async () => {
    const ids = await listModelIds(store);
    if (!ids.includes(modelId)) {
      throw new AppError(
        'NOT_FOUND',
        `Model "${modelId}" does not exist (models: ${ids.join(', ') || 'none'}).`,
      );
    }
    await writeActiveModel(store, modelId);
    return modelId;
  });
}
