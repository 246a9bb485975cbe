// Prediction end to end on a tiny demo project: proposals stored per model version on each
// image's own grid (never over a human label), outside images predicted and scored, ranking
// and export of proposals and uncertainty.
import { execFile } from 'node:child_process';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { writeDemoDataset } from '../../src/core/demo';
import { evaluateFolders } from '../../src/core/metrics/folders';
import {
  createProject,
  exportProposals,
  planProposalExport,
  importStudies,
  listProposals,
  proposalFile,
  ProjectStore,
} from '../../src/core/project';
import { readVolumeFile } from '../../src/core/volume/nifti';
import { predictFiles, predictProject } from '../../src/engine/host/caller/predict';
import { trainProject } from '../../src/engine/host/caller/train';
import { tempDir } from '../helpers/fixtures';

const run = promisify(execFile);
let root: string;
let dataset: string;
let projectDir: string;

beforeAll(async () => {
  root = await tempDir();
  dataset = path.join(root, 'd');
  projectDir = path.join(root, 'p');
  await writeDemoDataset(dataset, { studies: 3, test: 1, seed: 9, dims: [40, 40, 24] });
  await createProject(projectDir);
  const store = await ProjectStore.open(projectDir, { write: true });
  try {
    await importStudies(store, [dataset], { labeled: 1 });
    const training = await trainProject(store, {
      profile: 'tiny',
      overrides: { iterations: 2, backend: 'cpu', targetSpacingMm: [3, 3, 3] },
    });
    await training.model;
  } finally {
    await store.close();
  }
}, 180_000);

describe('prediction', () => {
  it('stores proposals for the unlabeled studies on their own grid, apart from human labels', async () => {
    const store = await ProjectStore.open(projectDir, { write: true });
    try {
      const { modelId, handle } = await predictProject(store, { backend: 'cpu' });
      const progress: number[] = [];
      handle.events.on('predictProgress', (p) => progress.push(p.done));
      const outcome = await handle.result;
      expect(modelId).toBe('m0001');
      expect(outcome.items.map((i) => i.name)).toEqual(['case_002', 'case_003']);
      expect(progress.at(-1)).toBe(2);
      const image = await store.readImage('case_002');
      const label = await readVolumeFile(proposalFile(store, modelId, 'case_002', 'label'));
      const uncertainty = await readVolumeFile(
        proposalFile(store, modelId, 'case_002', 'uncertainty'),
      );
      expect(label.dims).toEqual(image.dims);
      expect(label.geometry).toEqual(image.geometry);
      expect(label.data).toBeInstanceOf(Uint8Array);
      expect(uncertainty.data).toBeInstanceOf(Float32Array);
      expect(Math.max(...uncertainty.data)).toBeLessThanOrEqual(1);
      const summaries = await listProposals(store, modelId);
      expect(summaries.map((s) => s.studyId)).toEqual(['case_002', 'case_003']);
      expect(summaries[0]!.sliceScores).toHaveLength(image.dims[2]);
      // The labeled study keeps its human label and gets no proposal.
      expect((await store.getStudy('case_001')).currentLabel).toBe('v0001');
      const exported = await exportProposals(
        store,
        path.join(root, 'out'),
        await planProposalExport(store, modelId, { labels: true, uncertainty: true }),
      );
      expect(exported.map((f) => path.relative(path.join(root, 'out'), f.path)).sort()).toEqual([
        'proposals/case_002.nii.gz',
        'proposals/case_003.nii.gz',
        'uncertainty/case_002.nii.gz',
        'uncertainty/case_003.nii.gz',
      ]);
    } finally {
      await store.close();
    }
  });

  it('predicts outside images named like their inputs, scored by eval', async () => {
    const store = await ProjectStore.open(projectDir, { write: true });
    const out = path.join(root, 'pred');
    try {
      const { handle } = await predictFiles(store, path.join(dataset, 'imagesTs'), out, {
        backend: 'cpu',
        predict: { stride: [8, 8, 8], largestComponent: true },
      });
      await handle.result;
    } finally {
      await store.close();
    }
    expect(await fs.readdir(out)).toEqual(['case_004.nii.gz']);
    const evaluation = await evaluateFolders(out, path.join(dataset, 'labelsTs'));
    expect(evaluation.cases).toHaveLength(1);
    expect(evaluation.cases[0]!.dice).toBeGreaterThanOrEqual(0);
  });

  it('ranks the unlabeled studies with the slice to open first (CLI)', async () => {
    const { stdout } = await run(
      process.execPath,
      [path.resolve('bin/simcvd.js'), 'rank', projectDir, '--json'],
      { encoding: 'utf8' },
    );
    const ranked = JSON.parse(stdout) as {
      model: string;
      studies: { rank: number; studyId: string; slice: number }[];
    };
    expect(ranked.model).toBe('m0001');
    expect(ranked.studies.map((s) => s.studyId).sort()).toEqual(['case_002', 'case_003']);
    expect(ranked.studies[0]!.rank).toBe(1);
    ranked.studies.forEach((s) => expect(s.slice).toBeGreaterThanOrEqual(0));
  });
});
