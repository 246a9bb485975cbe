// Interrupted training runs (plain Node): finds the run `training.start` with `resume` would
// continue (core/project's resumableRunDir, the rule runFolder follows) and reads its loss
// history, so the app can offer "Resume" and redraw the curves of the part already trained.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { resumableRunDir, type ProjectStore } from '../core/project';
import type { ResumableCheckpoint } from '../shared/contract/training';

const STATE_FILE = path.join('checkpoint', 'state.json');

interface SavedState {
  iteration: number;
  savedAt: string;
  config: { profile: string; iterations: number };
  history?: { losses?: number[][]; validation?: { iteration: number; dice: number }[] };
}

export interface CheckpointHistory {
  losses: number[][];
  validation: { iteration: number; dice: number }[];
}

/** Parsed state files by path and modification time (a checkpoint changes as training runs). */
const cache = new Map<string, { mtimeMs: number; state: SavedState }>();

async function readState(runDir: string): Promise<SavedState | null> {
  const file = path.join(runDir, STATE_FILE);
  try {
    const { mtimeMs } = await fs.stat(file);
    const hit = cache.get(file);
    if (hit?.mtimeMs === mtimeMs) return hit.state;
    const state = JSON.parse(await fs.readFile(file, 'utf8')) as SavedState;
    cache.delete(file);
    cache.set(file, { mtimeMs, state });
    if (cache.size > 8) cache.delete(cache.keys().next().value!);
    return state;
  } catch {
    return null;
  }
}

/** The run a resume would continue, or null. */
export async function findResumableRun(
  store: ProjectStore,
): Promise<(ResumableCheckpoint & { dir: string }) | null> {
  const dir = await resumableRunDir(store);
  const state = dir && (await readState(dir));
  if (!dir || !state) return null;
  return {
    dir,
    iteration: state.iteration,
    iterations: state.config.iterations,
    profile: state.config.profile,
    savedAt: state.savedAt,
  };
}

/** The loss rows (LOSS_COLUMNS) and validation points saved with a run's checkpoint. */
export async function readCheckpointHistory(runDir: string): Promise<CheckpointHistory> {
  const state = await readState(runDir);
  return {
    losses: state?.history?.losses ?? [],
    validation: [...(state?.history?.validation ?? [])],
  };
}
