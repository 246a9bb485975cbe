// The built engine worker (Node, after `electron-vite build`): out/main/engineWorker.js — the
// entry the desktop app forks — trains a tiny model and predicts proposals under plain Node,
// once through Electron's message path (utility-process launcher, parentPort emulated) and once
// through child_process.fork, so the packaged entry is known to work without the Electron binary.
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { writeDemoDataset } from '../../src/core/demo';
import { createProject, importStudies, listProposals, ProjectStore } from '../../src/core/project';
import { forkLauncher } from '../../src/engine/host/caller/launcher';
import { predictProject } from '../../src/engine/host/caller/predict';
import { trainProject } from '../../src/engine/host/caller/train';
import { createUtilityLauncher } from '../../src/main/engineLauncher';
import { emulatedUtilityProcess } from '../electron/emulatedUtilityProcess';
import { tempDir } from '../helpers/fixtures';
import { requireBuilt } from './support/server';

const BUILT_WORKER = path.resolve('out', 'main', 'engineWorker.js');
let projectDir: string;

beforeAll(async () => {
  requireBuilt(BUILT_WORKER);
  const root = await tempDir('simcvd-built-worker-');
  const dataset = path.join(root, 'd');
  projectDir = path.join(root, 'p');
  await writeDemoDataset(dataset, { studies: 3, test: 0, seed: 5, dims: [40, 40, 24] });
  await createProject(projectDir);
  const store = await ProjectStore.open(projectDir, { write: true });
  try {
    await importStudies(store, [dataset], { labeled: 1 });
  } finally {
    await store.close();
  }
}, 120_000);

describe('the built engine worker', () => {
  it('trains through the utility-process launcher and predicts through fork', async () => {
    const store = await ProjectStore.open(projectDir, { write: true });
    try {
      const training = await trainProject(store, {
        profile: 'tiny',
        overrides: { iterations: 2, backend: 'cpu', targetSpacingMm: [3, 3, 3] },
        entry: BUILT_WORKER,
        launcher: createUtilityLauncher(emulatedUtilityProcess),
        maxHeapMiB: 2048,
      });
      const backends: string[] = [];
      training.handle.events.on('backend', (b) => backends.push(b.name));
      const iterations: number[] = [];
      training.handle.events.on('progress', (p) => iterations.push(p.iteration));
      const model = await training.model;
      expect(backends).toEqual(['cpu']);
      expect(iterations.at(-1)).toBe(2);
      expect(model.record.id).toBe('m0001');

      const { handle } = await predictProject(store, {
        backend: 'cpu',
        entry: BUILT_WORKER,
        launcher: forkLauncher,
      });
      const outcome = await handle.result;
      expect(outcome.items.map((i) => i.name)).toEqual(['case_002', 'case_003']);
      const proposals = await listProposals(store, 'm0001');
      expect(proposals.map((p) => p.studyId)).toEqual(['case_002', 'case_003']);
    } finally {
      await store.close();
    }
  });
});
