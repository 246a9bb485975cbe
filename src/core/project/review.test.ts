// Review logic on hand-made proposals: active model (default, choice, roll back), statuses,
// accept (as predicted and edited), reject, and the errors a user can cause.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readVolumeFile } from '../volume/nifti';
import {
  addModel,
  addProposal,
  createReviewProject,
  type ReviewFixture,
} from '../../../test/helpers/reviewProject';
import { activeModelId, setActiveModel, ACTIVE_MODEL_FILE } from './activeModel';
import { listModels, readModelHistory } from './models';
import { resolveModelId } from './proposals';
import {
  acceptProposal,
  listProposalsForReview,
  readProposal,
  rejectProposal,
  summarizeStudies,
  uncertaintyToBytes,
} from './review';

let fx: ReviewFixture;

const statuses = async () =>
  Object.fromEntries((await summarizeStudies(fx.store)).map((s) => [s.id, s.status]));

beforeEach(async () => {
  fx = await createReviewProject(4);
});
afterEach(async () => {
  await fx.close();
  await fs.rm(fx.dir, { recursive: true, force: true });
});

describe('the active model', () => {
  it('is the newest by default, the chosen one after a choice, and never a missing one', async () => {
    expect(await activeModelId(fx.store)).toBeNull();
    await expect(resolveModelId(fx.store)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await addModel(fx, 'm0001');
    await addModel(fx, 'm0002');
    expect(await activeModelId(fx.store)).toBe('m0002');
    expect(await setActiveModel(fx.store, 'm0001')).toBe('m0001');
    expect(await activeModelId(fx.store)).toBe('m0001');
    expect(await resolveModelId(fx.store)).toBe('m0001');
    expect(await resolveModelId(fx.store, 'm0002')).toBe('m0002');
    const saved = JSON.parse(
      await fs.readFile(path.join(fx.store.paths.models, ACTIVE_MODEL_FILE), 'utf8'),
    );
    expect(saved.modelId).toBe('m0001');
    // active.json lives beside the model folders without being taken for one.
    expect((await listModels(fx.store)).map((m) => m.id)).toEqual(['m0001', 'm0002']);
    await fs.rm(fx.store.paths.model('m0001'), { recursive: true });
    expect(await activeModelId(fx.store)).toBe('m0002');
    await expect(setActiveModel(fx.store, 'm0009')).rejects.toThrow(/m0009.*models: m0002/);
  });

  it('reads the training history, non-finite losses included', async () => {
    await addModel(fx, 'm0001');
    const history = await readModelHistory(fx.store, 'm0001');
    expect(history.losses[0]!.slice(0, 2)).toEqual([1, 0.9]);
    expect(history.losses[0]![2]).toBeNaN();
    expect(history.validation).toEqual([{ iteration: 1, dice: 0.5 }]);
  });
});

describe('reviewing proposals', () => {
  beforeEach(async () => {
    await addModel(fx, 'm0001');
    for (const [n, id] of ['s1', 's2', 's3'].entries())
      await addProposal(fx, 'm0001', id, { studyScore: 0.1 * (n + 1), topSlice: n, seed: n });
  });

  it('moves studies from unlabeled to proposal to reviewed', async () => {
    // s1 is labeled (its proposal is irrelevant), s4 has no proposal.
    expect(await statuses()).toEqual({
      s1: 'labeled',
      s2: 'proposal',
      s3: 'proposal',
      s4: 'unlabeled',
    });
    const { version, study } = await acceptProposal(fx.store, {
      studyId: 's2',
      modelId: 'm0001',
      baseVersion: null,
    });
    expect(study.status).toBe('accepted');
    expect(version).toMatchObject({
      final: true,
      provenance: { kind: 'model', modelId: 'm0001', edited: false },
    });
    const saved = await fx.store.readLabel('s2');
    expect(Array.from(saved!.data)).toEqual(Array.from(fx.proposalLabels.get('m0001/s2')!));
    expect((await fx.store.getStudy('s2')).review).toMatchObject({
      modelId: 'm0001',
      decision: 'accepted',
    });

    expect((await rejectProposal(fx.store, { studyId: 's3', modelId: 'm0001' })).status).toBe(
      'rejected',
    );
    const s3 = await fx.store.getStudy('s3');
    expect(s3.currentLabel).toBeNull();
    expect(s3.labelVersions).toEqual([]);
    expect(await statuses()).toEqual({
      s1: 'labeled',
      s2: 'accepted',
      s3: 'rejected',
      s4: 'unlabeled',
    });
    const decisions = (await listProposalsForReview(fx.store, 'm0001')).proposals.map((p) => [
      p.studyId,
      p.decision,
    ]);
    // The labeled study's proposal has nothing left to review.
    expect(decisions).toEqual([
      ['s2', 'accepted'],
      ['s3', 'rejected'],
    ]);
  });

  it('saves the edited mask with edited: true, and an unchanged one as not edited', async () => {
    const edited = fx.proposalLabels.get('m0001/s2')!.slice();
    edited[0] = 1;
    const { version } = await acceptProposal(fx.store, {
      studyId: 's2',
      modelId: 'm0001',
      data: edited,
    });
    expect(version.provenance).toEqual({ kind: 'model', modelId: 'm0001', edited: true });
    const file = fx.store.labelFilePath(await fx.store.getStudy('s2'), version.id);
    expect(Array.from((await readVolumeFile(file)).data)).toEqual(Array.from(edited));

    const same = fx.proposalLabels.get('m0001/s3')!.slice();
    const second = await acceptProposal(fx.store, { studyId: 's3', modelId: 'm0001', data: same });
    expect(second.version.provenance).toMatchObject({ edited: false });
  });

  it('follows the active model: a roll back shows its own proposals again', async () => {
    await rejectProposal(fx.store, { studyId: 's2', modelId: 'm0001' });
    await addModel(fx, 'm0002');
    await addProposal(fx, 'm0002', 's2', { studyScore: 0.5, topSlice: 2, seed: 1 });
    // Newest model: its proposal for s2 is new, s3 has none from it.
    expect(await statuses()).toMatchObject({ s2: 'proposal', s3: 'unlabeled' });
    await setActiveModel(fx.store, 'm0001');
    expect(await statuses()).toMatchObject({ s2: 'rejected', s3: 'proposal' });
  });

  it('refuses unknown studies, unknown models, missing proposals and second decisions', async () => {
    await expect(
      acceptProposal(fx.store, { studyId: 'nope', modelId: 'm0001' }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND', message: expect.stringMatching(/nope/) });
    await expect(
      acceptProposal(fx.store, { studyId: 's2', modelId: 'm0007' }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND', message: expect.stringMatching(/m0007/) });
    await expect(
      rejectProposal(fx.store, { studyId: 's4', modelId: 'm0001' }),
    ).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: expect.stringMatching(/no proposal for study "s4".*predict/),
    });
    await expect(
      acceptProposal(fx.store, {
        studyId: 's2',
        modelId: 'm0001',
        data: new Uint8Array(3),
      }),
    ).rejects.toMatchObject({ code: 'BAD_INPUT' });
    // An empty final label would make every later training refuse the project.
    await expect(
      acceptProposal(fx.store, { studyId: 's2', modelId: 'm0001', data: new Uint8Array(280) }),
    ).rejects.toMatchObject({ code: 'BAD_INPUT', message: expect.stringMatching(/no foreground/) });
    await rejectProposal(fx.store, { studyId: 's2', modelId: 'm0001' });
    await expect(
      acceptProposal(fx.store, { studyId: 's2', modelId: 'm0001' }),
    ).rejects.toMatchObject({
      code: 'CONFLICT',
      message: expect.stringMatching(/already rejected/),
    });
    // A finished human label is never replaced silently.
    await expect(
      acceptProposal(fx.store, { studyId: 's1', modelId: 'm0001' }),
    ).rejects.toMatchObject({ code: 'CONFLICT', message: expect.stringMatching(/finished label/) });
    // Someone saved while the proposal was being reviewed.
    await fx.store.saveLabel(
      's3',
      {
        dims: [8, 7, 5],
        affine: (await fx.store.getStudy('s3')).affine,
        data: new Uint8Array(280),
      },
      { provenance: { kind: 'human' }, final: false },
    );
    await expect(
      acceptProposal(fx.store, { studyId: 's3', modelId: 'm0001', baseVersion: null }),
    ).rejects.toMatchObject({ code: 'CONFLICT' });
    expect((await fx.store.getStudy('s3')).labelVersions).toHaveLength(1);
  });

  it('reads proposal volumes on the image grid, uncertainty as bytes', async () => {
    const label = await readProposal(fx.store, 's2', 'm0001', 'label');
    expect(label.dims).toEqual([8, 7, 5]);
    const uncertainty = await readProposal(fx.store, 's2', 'm0001', 'uncertainty');
    const bytes = uncertaintyToBytes(uncertainty.data);
    expect(bytes[0]).toBe(Math.round(0.1 * 255));
    expect(uncertaintyToBytes([Number.NaN, -1, 2, 0.5])).toEqual(Uint8Array.from([0, 0, 255, 128]));
  });
});
