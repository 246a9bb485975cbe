// Review decisions a clinician can trust, on hand-made proposals: the facts and warnings of
// each proposal, decisions only on the active model's proposal, a study with human paint is
// the person's (not "to review"), reject can be undone, and drafts of an edited proposal
// survive a reopen until Accept or Discard.
import { promises as fs } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  addModel,
  addProposal,
  createReviewProject,
  REVIEW_DIMS,
  type ReviewFixture,
} from '../../../test/helpers/reviewProject';
import { rankProject } from '../active/candidates';
import { setActiveModel } from './activeModel';
import {
  discardProposalDraft,
  proposalDraftInfo,
  readProposalDraft,
  saveProposalDraft,
} from './proposalDrafts';
import {
  acceptProposal,
  listProposalsForReview,
  rejectProposal,
  summarizeStudies,
  undoRejectProposal,
} from './review';
import { ProjectStore } from './store';

let fx: ReviewFixture;
const VOXELS = REVIEW_DIMS[0] * REVIEW_DIMS[1] * REVIEW_DIMS[2];
const summaries = async () =>
  Object.fromEntries((await summarizeStudies(fx.store)).map((s) => [s.id, s]));

beforeEach(async () => {
  fx = await createReviewProject(4);
  await addModel(fx, 'm0001');
  // s2: a 1×3×3 box on slices 1–3, the uncertainty peaking on slice 0 (outside it).
  await addProposal(fx, 'm0001', 's2', { studyScore: 0.3, topSlice: 0, seed: 0 });
  await addProposal(fx, 'm0001', 's3', { studyScore: 0.2, topSlice: 2, seed: 1 });
});
afterEach(async () => {
  await fx.close();
  await fs.rm(fx.dir, { recursive: true, force: true });
});

describe('proposal facts', () => {
  it('gives size in voxels and mL, components, and the slice to open inside the mask', async () => {
    const { validationDice, proposals } = await listProposalsForReview(fx.store, 'm0001');
    expect(validationDice).toBe(0.5);
    const s2 = proposals.find((p) => p.studyId === 's2')!;
    // Spacing 1×1×2 mm: 9 voxels × 2 mm³ = 0.018 mL.
    expect(s2.facts.classes).toEqual([
      { value: 1, voxels: 9, volumeMl: expect.closeTo(0.018, 12), components: 1 },
    ]);
    expect(s2.facts.sliceExtent).toEqual([1, 3]);
    expect(s2.topSlice).toBe(1);
    expect(proposals.find((p) => p.studyId === 's3')!.topSlice).toBe(2);
    const table = await summaries();
    expect(table.s2!.proposal).toMatchObject({ modelId: 'm0001', foregroundVoxels: 9 });
    expect(table.s1!.proposal).toBeUndefined();
  });

  it('flags a proposal far larger than the finished labels, and one touching the border', async () => {
    const s1Voxels = Object.values(
      (await fx.store.getStudy('s1')).labelVersions[0]!.voxelCounts,
    )[0]!;
    await addModel(fx, 'm0002');
    const everything = new Uint8Array(VOXELS).fill(1);
    await addProposal(fx, 'm0002', 's4', {
      studyScore: 0.5,
      topSlice: 2,
      seed: 0,
      label: everything,
    });
    const { proposals } = await listProposalsForReview(fx.store, 'm0002');
    const flags = proposals[0]!.flags.map((f) => f.kind);
    expect(VOXELS).toBeGreaterThan(2 * s1Voxels);
    expect(flags).toEqual(['larger-than-labels', 'touches-border']);
    expect(proposals[0]!.flags[0]!.message).toMatch(
      /target: .* mL, \d+\.\d× the largest of 1 finished label/,
    );
    const ranked = await rankProject(fx.store, { strategy: 'uncertainty' });
    expect(ranked.ranked[0]).toMatchObject({ studyId: 's4', foregroundVoxels: VOXELS });
    expect(ranked.ranked[0]!.flags).toHaveLength(2);
    // m0001's boxes are far smaller than s1's finished label.
    await setActiveModel(fx.store, 'm0001');
    const small = (await listProposalsForReview(fx.store, 'm0001')).proposals;
    expect(small.map((p) => p.flags.map((f) => f.kind))).toEqual([
      ['smaller-than-labels'],
      ['smaller-than-labels'],
    ]);
    expect(small[0]!.flags[0]!.message).toMatch(
      /5\.3× smaller than the smallest of 1 finished label/,
    );
  });
});

describe('decisions', () => {
  it('refuses to accept or reject a proposal of a model that is no longer the active one', async () => {
    await addModel(fx, 'm0002');
    await addProposal(fx, 'm0002', 's2', { studyScore: 0.3, topSlice: 2, seed: 2 });
    for (const decide of [acceptProposal, rejectProposal])
      await expect(decide(fx.store, { studyId: 's2', modelId: 'm0001' })).rejects.toMatchObject({
        code: 'CONFLICT',
        message: expect.stringMatching(/came from m0001, but the active model is now m0002/),
      });
    expect((await fx.store.getStudy('s2')).labelVersions).toEqual([]);
  });

  it('treats a study with human paint as the person’s: not to review, not ranked', async () => {
    const draft = new Uint8Array(VOXELS);
    draft[0] = 1;
    const { affine } = await fx.store.getStudy('s3');
    await fx.store.saveLabel(
      's3',
      { dims: REVIEW_DIMS, affine, data: draft },
      {
        provenance: { kind: 'human' },
        final: false,
      },
    );
    expect((await summaries()).s3!.status).toBe('in-progress');
    const listed = (await listProposalsForReview(fx.store, 'm0001')).proposals;
    expect(listed.find((p) => p.studyId === 's3')).toMatchObject({ humanLabel: 'v0001' });
    expect(listed.find((p) => p.studyId === 's2')).toMatchObject({ humanLabel: null });
    const ranked = await rankProject(fx.store, { strategy: 'uncertainty' });
    expect(ranked.ranked.map((r) => r.studyId)).toEqual(['s2']);
  });

  it('undoes a rejection: the proposal is pending again', async () => {
    await rejectProposal(fx.store, { studyId: 's2', modelId: 'm0001' });
    expect((await summaries()).s2!.status).toBe('rejected');
    const back = await undoRejectProposal(fx.store, { studyId: 's2', modelId: 'm0001' });
    expect(back.status).toBe('proposal');
    expect((await fx.store.getStudy('s2')).review).toBeNull();
    await expect(
      undoRejectProposal(fx.store, { studyId: 's2', modelId: 'm0001' }),
    ).rejects.toMatchObject({ code: 'CONFLICT' });
    await acceptProposal(fx.store, { studyId: 's2', modelId: 'm0001' });
    await expect(
      undoRejectProposal(fx.store, { studyId: 's2', modelId: 'm0001' }),
    ).rejects.toMatchObject({ code: 'CONFLICT', message: expect.stringMatching(/accepted/) });
  });
});

describe('drafts of an edited proposal', () => {
  it('survive closing the project, and go away on Accept', async () => {
    const edit = fx.proposalLabels.get('m0001/s2')!.slice();
    edit[5] = 1;
    const saved = await saveProposalDraft(fx.store, {
      studyId: 's2',
      modelId: 'm0001',
      data: edit,
    });
    expect(saved.savedAt).toMatch(/^\d{4}-/);
    await fx.store.close();
    fx.store = await ProjectStore.open(fx.project, { write: true, purpose: 'test' });
    expect(Array.from((await readProposalDraft(fx.store, 's2', 'm0001'))!)).toEqual(
      Array.from(edit),
    );
    // A draft is no label version: training and the history do not see it.
    expect((await fx.store.getStudy('s2')).labelVersions).toEqual([]);
    const listed = (await listProposalsForReview(fx.store, 'm0001')).proposals;
    expect(listed.find((p) => p.studyId === 's2')!.draft).toMatchObject({ savedAt: saved.savedAt });
    const { version } = await acceptProposal(fx.store, {
      studyId: 's2',
      modelId: 'm0001',
      data: edit,
    });
    expect(version.provenance).toMatchObject({ edited: true });
    expect(await proposalDraftInfo(fx.store, 's2', 'm0001')).toBeNull();
  });

  it('are discarded on request, and refuse voxels that do not fit', async () => {
    const data = new Uint8Array(VOXELS);
    await saveProposalDraft(fx.store, { studyId: 's3', modelId: 'm0001', data });
    expect(await discardProposalDraft(fx.store, 's3', 'm0001')).toBe(true);
    expect(await readProposalDraft(fx.store, 's3', 'm0001')).toBeNull();
    expect(await discardProposalDraft(fx.store, 's3', 'm0001')).toBe(false);
    await expect(
      saveProposalDraft(fx.store, { studyId: 's3', modelId: 'm0001', data: new Uint8Array(3) }),
    ).rejects.toMatchObject({ code: 'BAD_INPUT', message: expect.stringMatching(/3 voxels/) });
    data[0] = 9;
    await expect(
      saveProposalDraft(fx.store, { studyId: 's3', modelId: 'm0001', data }),
    ).rejects.toMatchObject({ code: 'BAD_INPUT' });
    await expect(
      saveProposalDraft(fx.store, { studyId: 's3', modelId: '../x', data }),
    ).rejects.toThrow();
  });
});
