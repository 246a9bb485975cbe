// Ranking a project's studies: only studies that still need a person are candidates, the
// active model's proposals are used by default, and the order is the same for the same seed.
import { promises as fs } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { acceptProposal, rejectProposal, setActiveModel } from '../project';
import {
  addModel,
  addProposal,
  createReviewProject,
  type ReviewFixture,
} from '../../../test/helpers/reviewProject';
import { rankProject } from './candidates';

let fx: ReviewFixture;

beforeEach(async () => {
  fx = await createReviewProject(6);
  await addModel(fx, 'm0001');
  for (const [n, id] of ['s1', 's2', 's3', 's4', 's5', 's6'].entries())
    await addProposal(fx, 'm0001', id, { studyScore: 0.1 * (n + 1), topSlice: n % 5, seed: n });
});
afterEach(async () => {
  await fx.close();
  await fs.rm(fx.dir, { recursive: true, force: true });
});

describe('rankProject', () => {
  it('ranks by uncertainty, leaving out labeled and reviewed studies', async () => {
    await acceptProposal(fx.store, { studyId: 's6', modelId: 'm0001' });
    await rejectProposal(fx.store, { studyId: 's5', modelId: 'm0001' });
    const ranking = await rankProject(fx.store, { strategy: 'uncertainty' });
    expect(ranking.modelId).toBe('m0001');
    expect(ranking.ranked.map((r) => [r.rank, r.studyId, r.slice])).toEqual([
      [1, 's4', 3],
      [2, 's3', 2],
      [3, 's2', 1],
    ]);
    expect(ranking.ranked[0]!.score).toBeCloseTo(0.4);
    expect(ranking.withoutProposal).toEqual([]);
  });

  it('is deterministic for a seed and uses the active model', async () => {
    const a = await rankProject(fx.store, { strategy: 'random', seed: 7 });
    const b = await rankProject(fx.store, { strategy: 'random', seed: 7 });
    expect(a.ranked).toEqual(b.ranked);
    expect(a.ranked.map((r) => r.studyId).sort()).toEqual(['s2', 's3', 's4', 's5', 's6']);
    const diverse = await rankProject(fx.store, { strategy: 'diverse' });
    expect(diverse.ranked).toEqual((await rankProject(fx.store, { strategy: 'diverse' })).ranked);

    await addModel(fx, 'm0002');
    await addProposal(fx, 'm0002', 's3', { studyScore: 0.9, topSlice: 4, seed: 1 });
    const newest = await rankProject(fx.store, { strategy: 'uncertainty' });
    expect(newest.modelId).toBe('m0002');
    expect(newest.ranked.map((r) => r.studyId)).toEqual(['s3']);
    expect(newest.withoutProposal).toEqual(['s2', 's4', 's5', 's6']);
    await setActiveModel(fx.store, 'm0001');
    expect((await rankProject(fx.store, { strategy: 'uncertainty' })).modelId).toBe('m0001');
  });
});
