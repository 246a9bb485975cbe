// Training end to end on a tiny demo project: the trainer runs in its own process, registers a
// model version, can be cancelled and resumed, and its crashes are reported, not inherited.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { writeDemoDataset } from '../../src/core/demo';
import { createProject, importStudies, listModels, ProjectStore } from '../../src/core/project';
import { startTrainerProcess } from '../../src/engine/host/caller/client';
import { trainProject } from '../../src/engine/host/caller/train';
import { resolveTrainingConfig } from '../../src/engine/trainer/config';
import { tempDir } from '../helpers/fixtures';

let dataset: string;

beforeAll(async () => {
  dataset = path.join(await tempDir(), 'd');
  await writeDemoDataset(dataset, { studies: 3, test: 0, seed: 5, dims: [40, 40, 24] });
});

const stores: ProjectStore[] = [];
afterEach(async () => {
  for (const s of stores.splice(0)) await s.close();
});

async function project(labeled: number): Promise<ProjectStore> {
  const dir = path.join(await tempDir(), 'p');
  await createProject(dir);
  const store = await ProjectStore.open(dir, { write: true, purpose: 'test' });
  stores.push(store);
  await importStudies(store, [dataset], { labeled });
  return store;
}

const tiny = {
  backend: 'cpu' as const,
  targetSpacingMm: [3, 3, 3] as [number, number, number],
  checkpointEvery: 2,
};

describe('training a project', () => {
  it('trains in a separate process and records a model version with what it saw', async () => {
    const store = await project(2);
    const training = await trainProject(store, {
      profile: 'tiny',
      overrides: { ...tiny, iterations: 4 },
    });
    const progress: number[] = [];
    training.handle.events.on('progress', (p) => progress.push(p.iteration));
    const { record, outcome } = await training.model;
    expect(progress).toEqual([1, 2, 3, 4]);
    expect(record).toMatchObject({
      id: 'm0001',
      profile: 'tiny',
      iterations: 4,
      labeled: [
        { studyId: 'case_001', labelVersion: 'v0001' },
        { studyId: 'case_002', labelVersion: 'v0001' },
      ],
      unlabeled: ['case_003'],
      backend: { name: 'cpu' },
    });
    expect(Number.isFinite(outcome.finalLosses!.total)).toBe(true);
    expect(outcome.finalLosses!.contrastive).toBeGreaterThan(0);
    const files = await fs.readdir(store.paths.model('m0001'));
    // The student's weights, and what a continuation starts from: the teacher and the heads.
    expect(files.sort()).toEqual([
      'heads.bin',
      'heads.json',
      'history.json',
      'model.json',
      'record.json',
      'teacher',
      'weights.bin',
    ]);
    expect((await listModels(store)).map((m) => m.id)).toEqual(['m0001']);
    // The run folder with its checkpoints is gone once the model is registered.
    expect(await fs.readdir(path.join(store.paths.models, '.runs'))).toEqual([]);
  });

  it('stops on cancel with a checkpoint, and resumes from it', async () => {
    const store = await project(2);
    const first = await trainProject(store, {
      profile: 'tiny',
      overrides: { ...tiny, iterations: 40 },
    });
    first.handle.events.on('progress', (p) => {
      if (p.iteration === 3) first.handle.cancel();
    });
    // The request reaches the trainer while it runs iteration 4 or so; it stops after that one.
    const error = await first.model.catch((e: Error & { code: string }) => e);
    expect(error).toMatchObject({
      code: 'CANCELLED',
      message: expect.stringMatching(/cancelled at iteration \d+.*checkpoint is kept/),
    });
    const stoppedAt = Number(/iteration (\d+)/.exec((error as Error).message)![1]);
    expect(stoppedAt).toBeGreaterThanOrEqual(3);
    const resumed = await trainProject(store, {
      profile: 'tiny',
      overrides: { ...tiny, iterations: 40 },
      resume: true,
    });
    expect(resumed.resumed).toBe(true);
    const seen: number[] = [];
    resumed.handle.events.on('progress', (p) => {
      seen.push(p.iteration);
      if (seen.length === 1) resumed.handle.cancel();
    });
    await expect(resumed.model).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(seen[0]).toBe(stoppedAt + 1);
  });

  it('supervised-only mode trains without the unlabeled terms', async () => {
    const store = await project(1);
    const training = await trainProject(store, {
      profile: 'tiny',
      overrides: { ...tiny, iterations: 2, supervisedOnly: true },
    });
    const { record, outcome } = await training.model;
    expect(record.supervisedOnly).toBe(true);
    expect(outcome.finalLosses).toMatchObject({
      contrastive: 0,
      pairwiseDistillation: 0,
      consistency: 0,
    });
  });

  it('refuses a project without labeled studies, or with an empty final label', async () => {
    const store = await project(0);
    await expect(trainProject(store, { profile: 'tiny', overrides: tiny })).rejects.toMatchObject({
      code: 'BAD_INPUT',
      message: expect.stringMatching(/no labeled study/),
    });
    const study = await store.getStudy('case_001');
    await store.saveLabel(
      'case_001',
      {
        dims: study.dims,
        affine: study.affine,
        data: new Uint8Array(study.dims[0] * study.dims[1] * study.dims[2]),
      },
      { provenance: { kind: 'human' } },
    );
    await expect(trainProject(store, { profile: 'tiny', overrides: tiny })).rejects.toMatchObject({
      message: expect.stringMatching(/case_001.*no foreground/),
    });
  });
});

describe('trainer process failures', () => {
  const request = {
    projectRoot: '/nonexistent',
    runDir: '/tmp/x',
    config: resolveTrainingConfig('tiny'),
    plan: { labeled: [], unlabeled: [], validation: [], numClasses: 2 },
    resume: false,
  };
  const entry = path.resolve('test/fixtures/crashing-worker.mjs');

  it('reports a crash of the trainer without taking the caller down', async () => {
    process.env.CRASH_MODE = 'exit';
    const handle = startTrainerProcess(request, { entry });
    await expect(handle.result).rejects.toMatchObject({
      code: 'INTERNAL',
      message: expect.stringMatching(/exit code 3.*simulated crash/),
    });
  });

  it('reports an out-of-memory trainer as such', async () => {
    process.env.CRASH_MODE = 'oom';
    const handle = startTrainerProcess(request, { entry, maxHeapMiB: 48 });
    await expect(handle.result).rejects.toMatchObject({
      message: expect.stringMatching(/ran out of memory/),
    });
    delete process.env.CRASH_MODE;
  });

  it('reports errors of the real trainer with their code', async () => {
    const handle = startTrainerProcess(request);
    await expect(handle.result).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: expect.stringMatching(/No project at/),
    });
  });
});
