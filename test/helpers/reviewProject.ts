// A project with hand-made model versions and proposals (Node, tests only): fast and exact
// fixtures for the review logic, without training anything. The integration test uses a real
// trained model instead.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { createProject, importStudies, ProjectStore, PROPOSAL_FILES } from '../../src/core/project';
import type { ModelRecord } from '../../src/shared/contract/models';
import { writeVolumeFile } from '../../src/core/volume/nifti';
import type { Vec3 } from '../../src/core/volume/volume';
import { makeAffine, makeImageAndMask, makeVolume, tempDir } from './fixtures';

export const REVIEW_DIMS: Vec3 = [8, 7, 5];
export const REVIEW_AFFINE = makeAffine([1, 1, 2], [-4, 3, 10]);
const VOXELS = REVIEW_DIMS[0] * REVIEW_DIMS[1] * REVIEW_DIMS[2];

export interface ReviewFixture {
  dir: string;
  project: string;
  store: ProjectStore;
  /** Proposal labels written by addProposal, by "model/study". */
  proposalLabels: Map<string, Uint8Array>;
  close(): Promise<void>;
}

/** Studies s1..sN; s1 has a finished human label, the rest none. */
export async function createReviewProject(studies = 4): Promise<ReviewFixture> {
  const dir = await tempDir('simcvd-review-');
  const project = path.join(dir, 'p');
  await createProject(project);
  const { image, mask } = makeImageAndMask(REVIEW_DIMS, REVIEW_AFFINE);
  const files: string[] = [];
  for (let n = 1; n <= studies; n++) {
    const file = path.join(dir, 'in', `s${n}.nii.gz`);
    await writeVolumeFile(file, image);
    files.push(file);
  }
  const store = await ProjectStore.open(project, { write: true, purpose: 'test' });
  await importStudies(store, files);
  await store.saveLabel('s1', mask, { provenance: { kind: 'human' }, final: true });
  const fixture: ReviewFixture = {
    dir,
    project,
    store,
    proposalLabels: new Map(),
    // The test may have reopened the store.
    close: () => fixture.store.close(),
  };
  return fixture;
}

/** Writes models/<id>/record.json (+ history) as a finished training would. */
/** What a short training on s1's label records about itself (registerModel adds the rest). */
export const TRAINED_ON_S1: Omit<ModelRecord, 'id' | 'createdAt' | 'historyFile'> = {
  profile: 'tiny',
  supervisedOnly: false,
  backend: { name: 'cpu', reason: 'test' },
  config: {},
  labeled: [{ studyId: 's1', labelVersion: 'v0001' }],
  unlabeled: [],
  validation: [],
  iterations: 2,
  durationMs: 10,
  metrics: { validationDice: 0.5, finalLosses: null },
};

export async function addModel(fixture: ReviewFixture, id: string): Promise<ModelRecord> {
  const folder = fixture.store.paths.model(id);
  await fs.mkdir(folder, { recursive: true });
  const record: ModelRecord = {
    id,
    createdAt: new Date().toISOString(),
    ...TRAINED_ON_S1,
    historyFile: 'history.json',
  };
  await fs.writeFile(path.join(folder, 'record.json'), JSON.stringify(record));
  await fs.writeFile(
    path.join(folder, 'history.json'),
    JSON.stringify({ losses: [[1, 0.9, null]], validation: [{ iteration: 1, dice: 0.5 }] }),
  );
  return record;
}

/**
 * Writes a proposal as the prediction job does: a box label whose size depends on `seed`, an
 * uncertainty that peaks on slice `topSlice`, and the summary with `studyScore`.
 */
export async function addProposal(
  fixture: ReviewFixture,
  modelId: string,
  studyId: string,
  /** `label`: the proposed mask instead of the box. */
  options: { studyScore: number; topSlice: number; seed: number; label?: Uint8Array },
): Promise<void> {
  const [nx, ny, nz] = REVIEW_DIMS;
  const label = options.label ?? new Uint8Array(VOXELS);
  const uncertainty = new Float32Array(VOXELS);
  for (let k = 0; k < nz; k++)
    for (let j = 0; j < ny; j++)
      for (let i = 0; i < nx; i++) {
        const n = i + nx * (j + ny * k);
        if (!options.label)
          label[n] = i >= 1 && i < 2 + options.seed && j >= 2 && j < 5 && k >= 1 && k < 4 ? 1 : 0;
        uncertainty[n] = k === options.topSlice ? 0.9 : 0.1 + 0.01 * i;
      }
  const dir = path.join(fixture.store.paths.predictions, modelId, studyId);
  await writeVolumeFile(
    path.join(dir, PROPOSAL_FILES.label),
    makeVolume(REVIEW_DIMS, label, REVIEW_AFFINE),
  );
  await writeVolumeFile(
    path.join(dir, PROPOSAL_FILES.uncertainty),
    makeVolume(REVIEW_DIMS, uncertainty, REVIEW_AFFINE),
  );
  const sliceScores = Array.from({ length: nz }, (_, k) => (k === options.topSlice ? 0.9 : 0.2));
  await fs.writeFile(
    path.join(dir, PROPOSAL_FILES.summary),
    JSON.stringify({
      studyId,
      createdAt: new Date().toISOString(),
      studyScore: options.studyScore,
      sliceScores,
      topSlice: options.topSlice,
      foregroundVoxels: label.reduce((a, b) => a + b, 0),
    }),
  );
  fixture.proposalLabels.set(`${modelId}/${studyId}`, label);
}
