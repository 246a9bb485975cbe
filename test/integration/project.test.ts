// Project store end to end on real files: import, label versions, restore, export, locking,
// and bad input that must leave the project exactly as it was.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { setWriteFaultsForTesting } from '../../src/core/fs/atomic';
import { createProject, exportLabels, importStudies, ProjectStore } from '../../src/core/project';
import { readVolumeFile, writeVolumeFile } from '../../src/core/volume/nifti';
import {
  makeAffine,
  makeImageAndMask,
  makeVolume,
  snapshotDir,
  tempDir,
} from '../helpers/fixtures';

afterEach(() => setWriteFaultsForTesting({}));

async function setup() {
  const dir = await tempDir();
  const project = path.join(dir, 'p');
  await createProject(project);
  const affine = makeAffine([0.8, 0.8, 2.5], [-10, 5, 20], 15);
  const { image, mask } = makeImageAndMask([10, 9, 6], affine);
  await writeVolumeFile(path.join(dir, 'a.nii.gz'), image);
  await writeVolumeFile(path.join(dir, 'a_mask.nii.gz'), mask);
  return { dir, project, image, mask };
}

async function withStore<T>(project: string, work: (s: ProjectStore) => Promise<T>): Promise<T> {
  const store = await ProjectStore.open(project, { write: true, purpose: 'test' });
  try {
    return await work(store);
  } finally {
    await store.close();
  }
}

describe('project store', () => {
  it('imports a NIfTI study keeping its voxels and geometry', async () => {
    const { dir, project, image } = await setup();
    const imported = await withStore(project, (s) =>
      importStudies(s, [path.join(dir, 'a.nii.gz')]),
    );
    expect(imported.map((s) => s.id)).toEqual(['a']);
    const store = await ProjectStore.open(project, { write: false });
    const study = await store.getStudy('a');
    expect(study.dims).toEqual([10, 9, 6]);
    expect(study.currentLabel).toBeNull();
    const stored = await store.readImage('a');
    expect(Array.from(stored.data)).toEqual(Array.from(image.data));
    stored.affine.forEach((v, n) => expect(v).toBeCloseTo(image.affine[n]!, 5));
    expect(await fs.readdir(project)).not.toContain('.staging');
  });

  it('keeps every label version and restores old ones as new versions', async () => {
    const { dir, project, mask } = await setup();
    await withStore(project, async (s) => {
      await importStudies(s, [path.join(dir, 'a.nii.gz')]);
      const v1 = await s.saveLabel('a', mask, { provenance: { kind: 'human' } });
      const empty = { ...mask, data: new Uint8Array(mask.data.length) };
      const v2 = await s.saveLabel('a', empty, { provenance: { kind: 'human' }, final: false });
      expect([v1.id, v2.id]).toEqual(['v0001', 'v0002']);
      expect((await s.getStudy('a')).currentLabel).toBe('v0002');
      const v3 = await s.restoreLabel('a', 'v0001');
      expect(v3).toMatchObject({
        id: 'v0003',
        provenance: { kind: 'restore', fromVersion: 'v0001' },
      });
      const study = await s.getStudy('a');
      expect(study.labelVersions.map((v) => v.id)).toEqual(['v0001', 'v0002', 'v0003']);
      const current = await s.readLabel('a');
      expect(Array.from(current!.data)).toEqual(Array.from(mask.data));
      const old = await s.readLabel('a', 'v0002');
      expect(old!.data.every((v) => v === 0)).toBe(true);
    });
  });

  it('exports labels on the image geometry', async () => {
    const { dir, project, mask } = await setup();
    await withStore(project, async (s) => {
      await importStudies(s, [path.join(dir, 'a.nii.gz')]);
      await s.saveLabel('a', mask, { provenance: { kind: 'human' } });
      const { files } = await exportLabels(s, path.join(dir, 'out'));
      expect(files.map((f) => path.basename(f.path))).toEqual(['a.nii.gz']);
    });
    const exported = await readVolumeFile(path.join(dir, 'out', 'a.nii.gz'));
    expect(Array.from(exported.data)).toEqual(Array.from(mask.data));
    const stored = await (await ProjectStore.open(project, { write: false })).readImage('a');
    expect(exported.geometry).toEqual(stored.geometry);
  });

  it('refuses a second writer', async () => {
    const { project } = await setup();
    await withStore(project, async () => {
      await expect(ProjectStore.open(project, { write: true })).rejects.toMatchObject({
        code: 'LOCKED',
      });
    });
  });
});

describe('bad input leaves the project as it was', () => {
  async function expectUnchanged(
    project: string,
    action: (s: ProjectStore) => Promise<unknown>,
    code: string,
    message: RegExp,
  ) {
    const before = await snapshotDir(project);
    await withStore(project, async (s) => {
      await expect(action(s)).rejects.toMatchObject({
        code,
        message: expect.stringMatching(message),
      });
    });
    expect(await snapshotDir(project)).toEqual(before);
  }

  it('a truncated gzip', async () => {
    const { dir, project } = await setup();
    const bytes = await fs.readFile(path.join(dir, 'a.nii.gz'));
    await fs.writeFile(
      path.join(dir, 'cut.nii.gz'),
      bytes.subarray(0, Math.floor(bytes.length / 2)),
    );
    await expectUnchanged(
      project,
      (s) => importStudies(s, [path.join(dir, 'a.nii.gz'), path.join(dir, 'cut.nii.gz')]),
      'CORRUPT_FILE',
      /cut\.nii\.gz/,
    );
  });

  it('a wrong magic', async () => {
    const { dir, project } = await setup();
    await fs.writeFile(path.join(dir, 'junk.nii'), Buffer.alloc(400, 7));
    await expectUnchanged(
      project,
      (s) => importStudies(s, [path.join(dir, 'junk.nii')]),
      'CORRUPT_FILE',
      /junk\.nii/,
    );
  });

  it('header dimensions that disagree with the file size', async () => {
    const { dir, project } = await setup();
    const raw = path.join(dir, 'raw.nii');
    await writeVolumeFile(raw, makeImageAndMask([10, 9, 6]).image);
    const bytes = await fs.readFile(raw);
    await fs.writeFile(raw, bytes.subarray(0, bytes.length - 50));
    await expectUnchanged(project, (s) => importStudies(s, [raw]), 'CORRUPT_FILE', /raw\.nii/);
  });

  it('a 4-D image', async () => {
    const { dir, project } = await setup();
    const file = '/usr/lib/python3/dist-packages/nibabel/tests/data/example4d.nii.gz';
    await fs.copyFile(file, path.join(dir, 'four.nii.gz'));
    await expectUnchanged(
      project,
      (s) => importStudies(s, [path.join(dir, 'four.nii.gz')]),
      'UNSUPPORTED',
      /4-D|volumes/,
    );
  });

  it('NaN voxels unless replacement is asked for', async () => {
    const { dir, project } = await setup();
    const data = new Float32Array(10 * 9 * 6).fill(1);
    data[17] = NaN;
    data[18] = Infinity;
    await writeVolumeFile(path.join(dir, 'nan.nii.gz'), makeVolume([10, 9, 6], data));
    await expectUnchanged(
      project,
      (s) => importStudies(s, [path.join(dir, 'nan.nii.gz')]),
      'BAD_INPUT',
      /NaN or infinite.*voxel 17/,
    );
    const imported = await withStore(project, (s) =>
      importStudies(s, [path.join(dir, 'nan.nii.gz')], { nonFinite: 'zero' }),
    );
    expect(imported[0]!.warnings).toEqual(['2 NaN/Inf voxels set to 0']);
  });

  it('a mask on another geometry', async () => {
    const { dir, project, mask } = await setup();
    await withStore(project, (s) => importStudies(s, [path.join(dir, 'a.nii.gz')]));
    const shifted = makeVolume(mask.dims, mask.data, makeAffine([0.8, 0.8, 2.5], [0, 0, 0], 15));
    await expectUnchanged(
      project,
      (s) => s.saveLabel('a', shifted, { provenance: { kind: 'human' } }),
      'GEOMETRY_MISMATCH',
      /position\/orientation/,
    );
    const smaller = makeImageAndMask([10, 9, 5]).mask;
    await expectUnchanged(
      project,
      (s) => s.saveLabel('a', smaller, { provenance: { kind: 'human' } }),
      'GEOMETRY_MISMATCH',
      /10×9×5/,
    );
  });

  it('a path that escapes the project folder', async () => {
    const { project, mask } = await setup();
    await expectUnchanged(
      project,
      (s) => s.saveLabel('../../etc', mask, { provenance: { kind: 'human' } }),
      'BAD_INPUT',
      /Invalid study ID/,
    );
  });

  it('a write that fails half way (ENOSPC)', async () => {
    const { dir, project, mask } = await setup();
    await withStore(project, (s) => importStudies(s, [path.join(dir, 'a.nii.gz')]));
    let writes = 0;
    setWriteFaultsForTesting({
      beforeRename: () => {
        // Let the label file through, fail the study record that would point to it.
        if (++writes === 2)
          throw Object.assign(new Error('no space left on device'), { code: 'ENOSPC' });
      },
    });
    const before = await snapshotDir(project);
    await withStore(project, async (s) => {
      await expect(s.saveLabel('a', mask, { provenance: { kind: 'human' } })).rejects.toMatchObject(
        { code: 'IO_FAILED' },
      );
      // The study still points at no label; the orphan file never becomes a version.
      expect((await s.getStudy('a')).currentLabel).toBeNull();
    });
    const after = await snapshotDir(project);
    expect(Object.keys(after).filter((f) => !f.includes('labels'))).toEqual(
      Object.keys(before).filter((f) => !f.includes('labels')),
    );
    setWriteFaultsForTesting({});
    // The next save skips the orphan's version number instead of overwriting it.
    const v = await withStore(project, (s) =>
      s.saveLabel('a', mask, { provenance: { kind: 'human' } }),
    );
    expect(v.id).toBe('v0002');
  });

  it('an import that fails half way (ENOSPC) adds nothing', async () => {
    const { dir, project, image } = await setup();
    await writeVolumeFile(path.join(dir, 'b.nii.gz'), image);
    let writes = 0;
    setWriteFaultsForTesting({
      beforeRename: () => {
        if (++writes === 3)
          throw Object.assign(new Error('no space left on device'), { code: 'ENOSPC' });
      },
    });
    await expectUnchanged(
      project,
      (s) => importStudies(s, [path.join(dir, 'a.nii.gz'), path.join(dir, 'b.nii.gz')]),
      'IO_FAILED',
      /ENOSPC/,
    );
  });

  it('a duplicate study ID', async () => {
    const { dir, project } = await setup();
    await withStore(project, (s) => importStudies(s, [path.join(dir, 'a.nii.gz')]));
    await expectUnchanged(
      project,
      (s) => importStudies(s, [path.join(dir, 'a.nii.gz')]),
      'CONFLICT',
      /already exists/,
    );
  });
});
