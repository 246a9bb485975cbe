// Review through the API handlers on a tiny demo project with a really trained model: predict
// proposals as a job, statuses unlabeled → proposal → reviewed, accept (as predicted and
// edited) with model provenance, reject, choosing the active model, ranking, and clear errors.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProjectHandlers, dispatch } from '../../src/backend/handlers';
import { JobSlot } from '../../src/backend/jobs';
import { writeDemoDataset } from '../../src/core/demo';
import { createProject, importStudies, proposalFile, ProjectStore } from '../../src/core/project';
import { readVolumeFile } from '../../src/core/volume/nifti';
import { trainProject } from '../../src/engine/host/caller/train';
import type { ApiMethod, ApiParams, ApiResult } from '../../src/shared/contract/api';
import { DEFAULT_APP_SETTINGS } from '../../src/shared/contract/app';
import type { ApiEventName } from '../../src/shared/contract/events';
import { tempDir } from '../helpers/fixtures';

let root: string;
let store: ProjectStore;
let jobs: JobSlot;
const events: { event: ApiEventName; payload: unknown }[] = [];
let handlers: ReturnType<typeof createProjectHandlers>;

async function call<M extends ApiMethod>(method: M, params: ApiParams<M>): Promise<ApiResult<M>> {
  const response = await dispatch(handlers, method, params);
  if (!response.ok) throw Object.assign(new Error(response.error.message), response.error);
  return response.result as ApiResult<M>;
}

const statuses = async () =>
  Object.fromEntries((await call('project.info', {})).studies.map((s) => [s.id, s.status]));

beforeAll(async () => {
  root = await tempDir();
  const dataset = path.join(root, 'd');
  const projectDir = path.join(root, 'p');
  await writeDemoDataset(dataset, { studies: 5, test: 0, seed: 3, dims: [24, 24, 16] });
  await createProject(projectDir);
  store = await ProjectStore.open(projectDir, { write: true, purpose: 'test' });
  await importStudies(store, [dataset], { labeled: 2 });
  for (const n of [1, 2]) {
    // Two independent models (the rollback tests compare them): the second from scratch.
    const training = await trainProject(store, {
      profile: 'tiny',
      overrides: { iterations: 2, backend: 'cpu', targetSpacingMm: [6, 6, 6], seed: n },
      from: 'scratch',
    });
    await training.model;
  }
  const emit = (event: ApiEventName, payload: unknown) => events.push({ event, payload });
  jobs = new JobSlot(emit);
  handlers = createProjectHandlers({
    store,
    jobs,
    emit,
    settings: () => ({ ...DEFAULT_APP_SETTINGS, backend: 'cpu', maxHeapMiB: 1024 }),
  });
}, 240_000);

afterAll(async () => {
  await store?.close();
  if (root) await fs.rm(root, { recursive: true, force: true });
});

describe('review through the API', () => {
  it('lists the model versions with the newest active and no proposals yet', async () => {
    const list = await call('models.list', {});
    expect(list.activeModelId).toBe('m0002');
    expect(list.models.map((m) => [m.id, m.active, m.proposals])).toEqual([
      ['m0001', false, 0],
      ['m0002', true, 0],
    ]);
    expect(list.models[0]!.labeled.map((l) => l.studyId)).toEqual(['case_001', 'case_002']);
    const history = await call('models.history', { modelId: 'm0001' });
    expect(history.losses).toHaveLength(2);
    expect(history.losses[1]![0]).toBe(2);
    expect(await statuses()).toEqual({
      case_001: 'labeled',
      case_002: 'labeled',
      case_003: 'unlabeled',
      case_004: 'unlabeled',
      case_005: 'unlabeled',
    });
    expect(await call('studies.rank', {})).toMatchObject({ modelId: 'm0002', studies: [] });
  });

  it('predicts proposals as a job and the unlabeled studies become proposals', async () => {
    const { job } = await call('proposals.predict', {});
    expect(job).toMatchObject({ kind: 'prediction', modelId: 'm0002' });
    await jobs.settled();
    expect(jobs.current).toMatchObject({ phase: 'finished', modelId: 'm0002' });
    expect(events.some((e) => e.event === 'reviewChanged')).toBe(true);
    expect(await statuses()).toMatchObject({
      case_003: 'proposal',
      case_004: 'proposal',
      case_005: 'proposal',
    });
    const { proposals } = await call('proposals.list', {});
    expect(proposals.map((p) => [p.studyId, p.decision])).toEqual([
      ['case_003', 'pending'],
      ['case_004', 'pending'],
      ['case_005', 'pending'],
    ]);
    expect((await call('models.list', {})).models.map((m) => m.proposals)).toEqual([0, 3]);
  });

  it('reads a proposal label and its uncertainty as bytes on the image grid', async () => {
    const label = await call('proposals.read', { studyId: 'case_003', kind: 'label' });
    expect(label).toMatchObject({ modelId: 'm0002', dims: [24, 24, 16] });
    const stored = await readVolumeFile(proposalFile(store, 'm0002', 'case_003', 'label'));
    expect(new Uint8Array(label.data)).toEqual(stored.data);
    const u = await call('proposals.read', { studyId: 'case_003', kind: 'uncertainty' });
    const float = await readVolumeFile(proposalFile(store, 'm0002', 'case_003', 'uncertainty'));
    const bytes = new Uint8Array(u.data);
    expect(bytes).toHaveLength(24 * 24 * 16);
    for (const n of [0, 1000, 5000, 9000])
      expect(bytes[n]).toBe(Math.round(Math.min(1, Math.max(0, float.data[n]!)) * 255));
  });

  it('ranks the proposals deterministically, with the slice to open', async () => {
    const first = await call('studies.rank', { strategy: 'random', seed: 4 });
    expect(first.studies.map((s) => s.studyId).sort()).toEqual([
      'case_003',
      'case_004',
      'case_005',
    ]);
    expect((await call('studies.rank', { strategy: 'random', seed: 4 })).studies).toEqual(
      first.studies,
    );
    const byUncertainty = await call('studies.rank', {});
    const scores = byUncertainty.studies.map((s) => s.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    byUncertainty.studies.forEach((s) => expect(s.slice).toBeLessThan(16));
    // Each row says how big the proposal is; its slice lies inside the proposal.
    const { proposals, validationDice } = await call('proposals.list', {});
    expect(validationDice === null || typeof validationDice === 'number').toBe(true);
    for (const row of byUncertainty.studies) {
      const p = proposals.find((x) => x.studyId === row.studyId)!;
      expect(row.foregroundVoxels).toBe(p.facts.foregroundVoxels);
      expect(row.volumeMl).toBeCloseTo(p.facts.volumeMl, 9);
      expect(Array.isArray(row.flags)).toBe(true);
      if (p.facts.sliceExtent) {
        expect(row.slice).toBeGreaterThanOrEqual(p.facts.sliceExtent[0]);
        expect(row.slice).toBeLessThanOrEqual(p.facts.sliceExtent[1]);
      }
    }
  });

  it('picks the next study without bouncing back to one just skipped', async () => {
    const order = (await call('studies.rank', {})).studies.map((s) => s.studyId);
    const first = await call('studies.next', {});
    expect(first).toMatchObject({ modelId: 'm0002', waiting: 3 });
    expect(first.next!.studyId).toBe(order[0]);
    const second = await call('studies.next', { current: order[0], skipped: [] });
    expect(second.next!.studyId).toBe(order[1]);
    const third = await call('studies.next', { current: order[1], skipped: [order[0]!] });
    expect(third.next!.studyId).toBe(order[2]);
    const wrap = await call('studies.next', { current: order[2], skipped: [order[0]!, order[1]!] });
    expect(wrap.next!.studyId).toBe(order[0]);
  });

  it('keeps edits of a proposal as a draft until it is accepted', async () => {
    const { data } = await call('proposals.read', { studyId: 'case_004', kind: 'label' });
    const edited = new Uint8Array(data);
    edited[7] = 1;
    const { savedAt } = await call('proposals.saveDraft', {
      studyId: 'case_004',
      modelId: 'm0002',
      data: edited.slice().buffer,
    });
    const draft = await call('proposals.readDraft', { studyId: 'case_004', modelId: 'm0002' });
    expect(draft.savedAt).toBe(savedAt);
    expect(new Uint8Array(draft.data!)).toEqual(edited);
    const listed = (await call('proposals.list', {})).proposals.find(
      (p) => p.studyId === 'case_004',
    );
    expect(listed).toMatchObject({ draftSavedAt: savedAt, humanLabel: null });
    expect(await statuses()).toMatchObject({ case_004: 'proposal' });
  });

  it('accepts a proposal as predicted: a final version with the exact voxels', async () => {
    const before = events.length;
    const { version, study } = await call('proposals.accept', {
      studyId: 'case_003',
      modelId: 'm0002',
      baseVersion: null,
    });
    expect(version).toMatchObject({
      final: true,
      provenance: { kind: 'model', modelId: 'm0002', edited: false },
    });
    expect(study.status).toBe('accepted');
    const saved = await store.readLabel('case_003');
    const proposal = await readVolumeFile(proposalFile(store, 'm0002', 'case_003', 'label'));
    expect(saved!.data).toEqual(proposal.data);
    expect(events.slice(before).map((e) => e.event)).toEqual(['labelSaved', 'reviewChanged']);
  });

  it('accepts an edited proposal with edited: true and the edited voxels', async () => {
    const { data } = await call('proposals.read', { studyId: 'case_004', kind: 'label' });
    const edited = new Uint8Array(data);
    for (let n = 0; n < 40; n++) edited[n] = edited[n] ? 0 : 1;
    const { version } = await call('proposals.accept', {
      studyId: 'case_004',
      modelId: 'm0002',
      data: edited.slice().buffer,
    });
    expect(version.provenance).toEqual({ kind: 'model', modelId: 'm0002', edited: true });
    expect((await store.readLabel('case_004'))!.data).toEqual(edited);
    // The draft became this version.
    expect(await call('proposals.readDraft', { studyId: 'case_004', modelId: 'm0002' })).toEqual({
      savedAt: null,
      data: null,
    });
    expect((await call('labels.list', { studyId: 'case_004' })).current).toBe(version.id);
  });

  it('rejects a proposal leaving the labels untouched', async () => {
    const { study } = await call('proposals.reject', {
      studyId: 'case_005',
      modelId: 'm0002',
      note: 'misses the lesion',
    });
    expect(study).toMatchObject({ status: 'rejected', currentLabel: null, labelVersionCount: 0 });
    expect((await store.getStudy('case_005')).review).toMatchObject({
      decision: 'rejected',
      note: 'misses the lesion',
    });
    expect((await call('proposals.list', {})).proposals.map((p) => p.decision)).toEqual([
      'accepted',
      'accepted',
      'rejected',
    ]);
    expect((await call('studies.rank', {})).studies).toEqual([]);
    // Undo: pending again, then rejected once more for the tests below.
    const undone = await call('proposals.undoReject', { studyId: 'case_005', modelId: 'm0002' });
    expect(undone.study.status).toBe('proposal');
    expect((await call('studies.rank', {})).studies.map((s) => s.studyId)).toEqual(['case_005']);
    await call('proposals.reject', { studyId: 'case_005', modelId: 'm0002' });
  });

  it('rolls back to the older model, whose proposals then count', async () => {
    expect(await call('models.setActive', { modelId: 'm0001' })).toEqual({
      activeModelId: 'm0001',
    });
    expect(events.at(-1)).toEqual({ event: 'reviewChanged', payload: { modelId: 'm0001' } });
    await call('proposals.predict', { studies: ['case_005'] });
    await jobs.settled();
    expect(jobs.current).toMatchObject({ phase: 'finished', modelId: 'm0001' });
    // The rejection was about m0002's proposal; m0001's is new.
    expect(await statuses()).toMatchObject({ case_003: 'accepted', case_005: 'proposal' });
    expect((await call('studies.rank', {})).studies.map((s) => s.studyId)).toEqual(['case_005']);
    const list = await call('models.list', {});
    expect(list.models.map((m) => [m.id, m.active])).toEqual([
      ['m0001', true],
      ['m0002', false],
    ]);
  });

  it('says clearly what is wrong for unknown models, studies and missing proposals', async () => {
    const failure = (method: ApiMethod, params: unknown) => dispatch(handlers, method, params);
    expect(await failure('models.setActive', { modelId: 'm0042' })).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND', message: expect.stringMatching(/m0042.*m0001, m0002/) },
    });
    expect(await failure('proposals.read', { studyId: 'nope', kind: 'label' })).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND', message: expect.stringMatching(/nope/) },
    });
    expect(
      await failure('proposals.accept', { studyId: 'case_001', modelId: 'm0001' }),
    ).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND', message: expect.stringMatching(/no proposal.*case_001/) },
    });
    expect(await failure('proposals.reject', { studyId: 'case_003', modelId: 'x' })).toMatchObject({
      ok: false,
      error: { code: 'BAD_INPUT' },
    });
    expect(await failure('proposals.predict', { studies: ['ghost'] })).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND', message: expect.stringMatching(/ghost/) },
    });
  });
});
