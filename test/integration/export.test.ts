// Label export on real files (Node): the include filter and provenance through restores, drafts
// skipped, progress order, per-file atomicity under a failing disk, refused output folders, the
// `labels.export` handler with its progress events, and nibabel reading every exported file on
// its study's own geometry.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createProjectHandlers, dispatch } from '../../src/backend/handlers';
import { JobSlot } from '../../src/backend/jobs';
import { setWriteFaultsForTesting } from '../../src/core/fs/atomic';
import {
  createProject,
  exportLabels,
  importStudies,
  ProjectStore,
  type ExportProgress,
} from '../../src/core/project';
import { writeVolumeFile } from '../../src/core/volume/nifti';
import type { Vec3 } from '../../src/core/volume/volume';
import { DEFAULT_APP_SETTINGS } from '../../src/shared/contract/app';
import type { ApiEventName } from '../../src/shared/contract/events';
import { readLabels } from '../e2e/support/nibabel';
import { makeAffine, makeImageAndMask, snapshotDir, tempDir } from '../helpers/fixtures';

let root: string;
let projectDir: string;
let store: ProjectStore;

/** Each study on its own grid, so a file written on the wrong geometry cannot pass. */
const GRIDS: Record<string, { dims: Vec3; spacing: Vec3; origin: Vec3; rotateDeg: number }> = {
  drawn: { dims: [7, 6, 4], spacing: [0.8, 0.8, 2.5], origin: [-10, 5, 20], rotateDeg: 15 },
  accepted: { dims: [6, 8, 3], spacing: [1, 1.2, 3], origin: [4, -6, 0], rotateDeg: 0 },
  restored: { dims: [5, 5, 5], spacing: [2, 2, 2], origin: [0, 0, -8], rotateDeg: -30 },
  draft: { dims: [6, 5, 3], spacing: [1, 1, 1], origin: [0, 0, 0], rotateDeg: 0 },
  unlabeled: { dims: [5, 4, 3], spacing: [1, 1, 1], origin: [0, 0, 0], rotateDeg: 0 },
};

beforeAll(async () => {
  root = await tempDir('simcvd-export-');
  projectDir = path.join(root, 'project');
  await createProject(projectDir);
  store = await ProjectStore.open(projectDir, { write: true, purpose: 'test' });
  const masks: Record<string, ReturnType<typeof makeImageAndMask>['mask']> = {};
  for (const [id, g] of Object.entries(GRIDS)) {
    const affine = makeAffine(g.spacing, g.origin, g.rotateDeg);
    const { image, mask } = makeImageAndMask(g.dims, affine);
    await writeVolumeFile(path.join(root, 'data', `${id}.nii.gz`), image);
    masks[id] = mask;
  }
  await importStudies(
    store,
    Object.keys(GRIDS).map((id) => path.join(root, 'data', `${id}.nii.gz`)),
  );
  const model = { kind: 'model' as const, modelId: 'm0001', edited: false };
  await store.saveLabel('drawn', masks.drawn!, { provenance: { kind: 'human', author: 'ana' } });
  await store.saveLabel('accepted', masks.accepted!, { provenance: { ...model, edited: true } });
  // restored: v1 accepted, v2 a human edit (empty), v3 = restore of v1 → accepted.
  await store.saveLabel('restored', masks.restored!, { provenance: model });
  const empty = { ...masks.restored!, data: new Uint8Array(masks.restored!.data.length) };
  await store.saveLabel('restored', empty, { provenance: { kind: 'human' } });
  await store.restoreLabel('restored', 'v0001');
  await store.saveLabel('draft', masks.draft!, { provenance: { kind: 'human' }, final: false });
});

afterEach(() => setWriteFaultsForTesting({}));

afterAll(async () => {
  await store?.close();
  if (root) await fs.rm(root, { recursive: true, force: true });
});

const out = (name: string) => path.join(root, 'out', name);
const filesIn = async (dir: string) => (await fs.readdir(dir)).sort();

describe('exportLabels', () => {
  it('writes the final labels with origin and version, reports progress in order, skips drafts', async () => {
    const progress: ExportProgress[] = [];
    const summary = await exportLabels(store, out('all'), { onProgress: (p) => progress.push(p) });
    expect(summary.outDir).toBe(out('all'));
    expect(summary.files.map((f) => [f.studyId, f.labelVersion, f.origin])).toEqual([
      ['accepted', 'v0001', 'accepted'],
      ['drawn', 'v0001', 'human'],
      ['restored', 'v0003', 'accepted'],
    ]);
    expect(summary.files.map((f) => path.relative(out('all'), f.path))).toEqual([
      'accepted.nii.gz',
      'drawn.nii.gz',
      'restored.nii.gz',
    ]);
    expect(summary.skipped).toEqual([
      { studyId: 'draft', reason: expect.stringMatching(/v0001 is a draft/) as unknown },
    ]);
    expect(progress).toEqual([
      { done: 0, total: 3, item: '' },
      { done: 1, total: 3, item: 'accepted' },
      { done: 2, total: 3, item: 'drawn' },
      { done: 3, total: 3, item: 'restored' },
    ]);
    expect(await filesIn(out('all'))).toEqual([
      'accepted.nii.gz',
      'drawn.nii.gz',
      'restored.nii.gz',
    ]);
  });

  it('nibabel reads every file with its study image shape and affine, and the label voxels', async () => {
    const summary = await exportLabels(store, out('nib'));
    const stored = await Promise.all(
      summary.files.map(async (f) =>
        store.labelFilePath(await store.getStudy(f.studyId), f.labelVersion),
      ),
    );
    const images = summary.files.map((f) =>
      path.join(projectDir, 'studies', f.studyId, 'image.nii.gz'),
    );
    // One Python start for all files: exported, then the stored labels, then the images.
    const read = readLabels(...summary.files.map((f) => f.path), ...stored, ...images);
    const count = summary.files.length;
    for (const [n, file] of summary.files.entries()) {
      const image = read[2 * count + n]!;
      const label = read[n]!;
      expect(label.shape).toEqual(GRIDS[file.studyId]!.dims);
      expect(label.shape).toEqual(image.shape);
      expect(label.dtype).toBe('uint8');
      label.affine.flat().forEach((x, i) => expect(x).toBeCloseTo(image.affine.flat()[i]!, 5));
      expect(label.voxels.length).toBeGreaterThan(0);
      expect(label.voxels).toEqual(read[count + n]!.voxels);
    }
  });

  it('filters by origin and explains each named study it leaves out', async () => {
    const human = await exportLabels(store, out('human'), {
      include: { human: true, accepted: false },
    });
    expect(human.files.map((f) => f.studyId)).toEqual(['drawn']);
    const accepted = await exportLabels(store, out('accepted'), {
      include: { human: false, accepted: true },
      studies: ['restored', 'drawn', 'draft', 'unlabeled'],
    });
    expect(accepted.files.map((f) => [f.studyId, f.origin])).toEqual([['restored', 'accepted']]);
    expect(accepted.skipped.map((s) => s.studyId)).toEqual(['draft', 'drawn', 'unlabeled']);
    expect(await filesIn(out('accepted'))).toEqual(['restored.nii.gz']);
  });

  it('refuses when nothing matches, without creating the folder', async () => {
    const target = out('none');
    await expect(
      exportLabels(store, target, { studies: ['draft', 'unlabeled'] }),
    ).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: expect.stringMatching(
        /Nothing to export.*draft \(label v0001 is a draft/,
      ) as unknown,
    });
    await expect(fs.stat(target)).rejects.toThrow();
    expect(
      (await exportLabels(store, target, { studies: ['unlabeled'], allowNone: true })).files,
    ).toEqual([]);
  });

  it('leaves no partial file when a write fails, and keeps the earlier file it would replace', async () => {
    const target = out('faulty');
    await fs.mkdir(target, { recursive: true });
    await fs.writeFile(path.join(target, 'drawn.nii.gz'), 'old export');
    setWriteFaultsForTesting({
      beforeRename: (temp) => {
        if (path.basename(temp).startsWith('.drawn.nii.gz'))
          throw Object.assign(new Error('no space left'), { code: 'ENOSPC' });
      },
    });
    await expect(exportLabels(store, target)).rejects.toMatchObject({
      code: 'IO_FAILED',
      message: expect.stringMatching(/ENOSPC.*stopped at drawn after 1 of 3 files/s) as unknown,
    });
    expect(await filesIn(target)).toEqual(['accepted.nii.gz', 'drawn.nii.gz']);
    expect(await fs.readFile(path.join(target, 'drawn.nii.gz'), 'utf8')).toBe('old export');
  });

  it('refuses an output folder inside the project, also through a symlink', async () => {
    const before = await snapshotDir(projectDir);
    await expect(exportLabels(store, path.join(projectDir, 'export'))).rejects.toMatchObject({
      code: 'BAD_INPUT',
      message: expect.stringMatching(/inside the project folder.*outside the project/) as unknown,
    });
    await expect(exportLabels(store, projectDir)).rejects.toMatchObject({ code: 'BAD_INPUT' });
    const link = path.join(root, 'link-to-project');
    await fs.symlink(projectDir, link);
    await expect(exportLabels(store, path.join(link, 'studies', 'x'))).rejects.toMatchObject({
      code: 'BAD_INPUT',
    });
    expect(await snapshotDir(projectDir)).toEqual(before);
  });

  it('refuses a folder that cannot be written or is a file', async () => {
    const file = path.join(root, 'a-file');
    await fs.writeFile(file, 'x');
    await expect(exportLabels(store, file)).rejects.toMatchObject({
      code: 'BAD_INPUT',
      message: expect.stringMatching(/is a file, not a folder/) as unknown,
    });
    await expect(exportLabels(store, path.join(file, 'sub'))).rejects.toMatchObject({
      code: 'IO_FAILED',
      message: expect.stringMatching(/not writable \(ENOTDIR\)/) as unknown,
    });
    // A read-only disk, simulated (root ignores permission bits, so chmod would not do).
    setWriteFaultsForTesting({
      beforeRename: () => {
        throw Object.assign(new Error('read-only file system'), { code: 'EROFS' });
      },
    });
    const readOnly = out('read-only');
    await expect(exportLabels(store, readOnly)).rejects.toMatchObject({
      code: 'IO_FAILED',
      message: expect.stringMatching(/read-only is not writable \(EROFS\)/) as unknown,
    });
    expect(await filesIn(readOnly)).toEqual([]);
  });
});

describe('labels.export handler', () => {
  it('exports with progress events and refuses relative folders and an empty include', async () => {
    const events: { event: ApiEventName; payload: unknown }[] = [];
    const emit = (event: ApiEventName, payload: unknown) => events.push({ event, payload });
    const handlers = createProjectHandlers({
      store,
      jobs: new JobSlot(emit),
      emit,
      settings: () => DEFAULT_APP_SETTINGS,
    });
    const target = out('api');
    const response = await dispatch(handlers, 'labels.export', {
      outDir: target,
      studies: ['drawn', 'draft'],
      include: { human: true, accepted: true },
    });
    expect(response).toEqual({
      ok: true,
      result: {
        outDir: target,
        files: [
          {
            studyId: 'drawn',
            labelVersion: 'v0001',
            origin: 'human',
            path: path.join(target, 'drawn.nii.gz'),
          },
        ],
        skipped: [{ studyId: 'draft', reason: expect.stringMatching(/draft/) as unknown }],
      },
    });
    expect(events.filter((e) => e.event === 'exportProgressed').map((e) => e.payload)).toEqual([
      { done: 0, total: 1, item: '' },
      { done: 1, total: 1, item: 'drawn' },
    ]);
    const relative = await dispatch(handlers, 'labels.export', { outDir: 'out/here' });
    expect(relative).toMatchObject({ ok: false, error: { code: 'BAD_INPUT' } });
    expect(!relative.ok && relative.error.message).toMatch(/must be an absolute path/);
    const none = await dispatch(handlers, 'labels.export', {
      outDir: target,
      include: { human: false, accepted: false },
    });
    expect(none).toMatchObject({ ok: false, error: { code: 'BAD_INPUT' } });
  });
});
