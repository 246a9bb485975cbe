// Which run a resume continues: the newest checkpointed, unfinished run that no fresh start
// superseded — so a run cancelled before a later training finished never comes back.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createReviewProject,
  TRAINED_ON_S1,
  type ReviewFixture,
} from '../../../test/helpers/reviewProject';
import { registerModel, resumableRunDir, runFolder, SUPERSEDED_FILE } from './models';

let fx: ReviewFixture;

beforeEach(async () => {
  fx = await createReviewProject(1);
});
afterEach(async () => {
  await fx.close();
  await fs.rm(fx.dir, { recursive: true, force: true });
});

/** What the trainer leaves after `iteration` steps: checkpoint/state.json. */
async function checkpoint(runDir: string, iteration: number): Promise<void> {
  await fs.mkdir(path.join(runDir, 'checkpoint'), { recursive: true });
  await fs.writeFile(path.join(runDir, 'checkpoint', 'state.json'), JSON.stringify({ iteration }));
}

/** What a finished training does: model/ in the run folder, then registration. */
async function finish(runDir: string): Promise<void> {
  await fs.mkdir(path.join(runDir, 'model'), { recursive: true });
  await fs.writeFile(path.join(runDir, 'model', 'model.json'), '{}');
  await registerModel(fx.store, runDir, TRAINED_ON_S1, { losses: [] });
}

describe('the run a resume continues', () => {
  it('is the cancelled run with a checkpoint, and resuming reuses its folder', async () => {
    expect(await resumableRunDir(fx.store)).toBeNull();
    const cancelled = await runFolder(fx.store, false);
    expect(await resumableRunDir(fx.store)).toBeNull(); // no checkpoint yet
    await checkpoint(cancelled.dir, 5);
    expect(await resumableRunDir(fx.store)).toBe(cancelled.dir);
    expect(await runFolder(fx.store, true)).toEqual({ dir: cancelled.dir, resumed: true });
  });

  it('is none after a fresh run finished, though an older cancelled run is still on disk', async () => {
    const cancelled = await runFolder(fx.store, false);
    await checkpoint(cancelled.dir, 5);
    const fresh = await runFolder(fx.store, false);
    expect(fresh.resumed).toBe(false);
    // The older run is marked, not deleted: its checkpoint stays.
    const mark = JSON.parse(await fs.readFile(path.join(cancelled.dir, SUPERSEDED_FILE), 'utf8'));
    expect(mark.by).toBe(path.basename(fresh.dir));
    await expect(fs.access(path.join(cancelled.dir, 'checkpoint', 'state.json'))).resolves.toBe(
      undefined,
    );
    expect(await resumableRunDir(fx.store)).toBeNull();
    await checkpoint(fresh.dir, 3);
    expect(await resumableRunDir(fx.store)).toBe(fresh.dir);
    await finish(fresh.dir);
    expect(await resumableRunDir(fx.store)).toBeNull();
    const next = await runFolder(fx.store, true);
    expect(next.resumed).toBe(false);
    expect(next.dir).not.toBe(cancelled.dir);
  });

  it('lets a superseded run still in progress finish and register its model', async () => {
    const first = await runFolder(fx.store, false);
    const second = await runFolder(fx.store, false);
    await finish(first.dir);
    await finish(second.dir);
    expect((await fs.readdir(fx.store.paths.models)).filter((n) => /^m\d+$/.test(n))).toEqual([
      'm0001',
      'm0002',
    ]);
    await expect(fs.access(first.dir)).rejects.toThrow();
  });
});
