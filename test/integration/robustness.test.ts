// One bad file must not brick a project (Node, the real `simcvd` command, nibabel as reference):
// non-finite and degenerate header geometry is refused with the field at fault (or repaired on
// request the way nibabel would place the voxels), an unreadable study record leaves the rest
// of the project readable and can be repaired or removed, and 4-D files import one volume.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeNifti } from '../../src/core/volume/nifti';
import { simcvd } from '../helpers/cli';
import {
  makeAffine,
  makeImageAndMask,
  runPythonJson,
  snapshotDir,
  tempDir,
} from '../helpers/fixtures';

let dir: string;

beforeAll(async () => {
  dir = await tempDir('simcvd-robust-');
});

afterAll(async () => {
  if (dir) await fs.rm(dir, { recursive: true, force: true });
});

/** An uncompressed NIfTI-1 of a small image, with `patch` applied to its bytes. */
async function niftiFile(name: string, patch: (view: DataView) => void = () => undefined) {
  const { image } = makeImageAndMask([6, 5, 4], makeAffine([0.9, 0.9, 2], [-3, 4, 10], 10));
  const bytes = encodeNifti(image);
  patch(new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  const file = path.join(dir, name);
  await fs.writeFile(file, bytes);
  return file;
}

async function project(name: string): Promise<string> {
  const root = path.join(dir, name);
  expect((await simcvd('init', root)).code).toBe(0);
  expect((await simcvd('import', root, await niftiFile(`${name}-good.nii`))).code).toBe(0);
  return root;
}

const PIXDIM_2 = 84; // byte offset of pixdim[2] in a NIfTI-1 header
const SROW_X = 280;

describe('header geometry', () => {
  it('refuses a NaN pixdim with the field named and leaves the project byte-identical', async () => {
    const root = await project('nan');
    const bad = await niftiFile('nan.nii', (v) => v.setFloat32(PIXDIM_2, NaN, true));
    const before = await snapshotDir(root);
    const result = await simcvd('import', root, bad);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/nan\.nii: the header field pixdim is not a finite number/);
    expect(result.stderr).toMatch(/--repair-geometry/);
    expect(await snapshotDir(root)).toEqual(before);
    const info = await simcvd('info', root);
    expect(info.code).toBe(0);
  });

  it('with --repair-geometry places the voxels as nibabel does (from the sform)', async () => {
    const root = await project('repair');
    const bad = await niftiFile('repairme.nii', (v) => v.setFloat32(PIXDIM_2, NaN, true));
    const result = await simcvd('import', root, '--repair-geometry', bad);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/repairme: geometry repaired .* now taken from the sform/);
    const record = JSON.parse(
      await fs.readFile(path.join(root, 'studies', 'repairme', 'study.json'), 'utf8'),
    );
    const nib = runPythonJson<number[][]>(
      'import sys, json, nibabel as nib; print(json.dumps(nib.load(sys.argv[1]).affine.tolist()))',
      [bad],
    );
    nib.flat().forEach((x, i) => expect(record.affine[i]).toBeCloseTo(x, 4));
    expect(record.geometry.pixdim.every(Number.isFinite)).toBe(true);
    const info = JSON.parse((await simcvd('info', root, '--json')).stdout);
    expect(info.problems).toEqual([]);
  });

  it('refuses an all-zero sform (spacing 0) and a voxel size of 1e20 mm', async () => {
    const root = await project('degenerate');
    const zero = await niftiFile('zero.nii', (v) => {
      for (let i = 0; i < 12; i++) v.setFloat32(SROW_X + 4 * i, 0, true);
    });
    const huge = await niftiFile('huge.nii', (v) => v.setFloat32(SROW_X, 2.95e20, true));
    const z = await simcvd('import', root, zero);
    expect(z.stderr).toMatch(
      /zero\.nii: the voxel size is 0 × 0\.9 × 2 mm|zero\.nii: the voxel size is 0 × 0 × 0 mm/,
    );
    const h = await simcvd('import', root, huge);
    expect(h.stderr).toMatch(/huge\.nii: the voxel size is 2\.95e\+20 .* beyond 10000 mm/);
    expect(JSON.parse((await simcvd('info', root, '--json')).stdout).studies).toHaveLength(1);
  });
});

describe('a study record that cannot be read', () => {
  it('leaves every other study listed, names the bad one, and repair or remove fixes it', async () => {
    const root = await project('bricked');
    for (const name of ['second', 'third']) {
      expect((await simcvd('import', root, await niftiFile(`${name}.nii`))).code).toBe(0);
    }
    // What an older version wrote for a NaN pixdim: JSON's null.
    const recordFile = path.join(root, 'studies', 'second', 'study.json');
    const record = JSON.parse(await fs.readFile(recordFile, 'utf8'));
    record.spacingMm[2] = null;
    record.geometry.pixdim[2] = null;
    await fs.writeFile(recordFile, JSON.stringify(record));
    await fs.writeFile(path.join(root, 'studies', 'third', 'study.json'), '{"id": "third", trunc');

    const info = JSON.parse((await simcvd('info', root, '--json')).stdout);
    expect(info.studies.map((s: { id: string }) => s.id)).toEqual(['bricked-good']);
    expect(info.problems).toEqual([
      {
        studyId: 'second',
        path: path.join(root, 'studies', 'second'),
        reason: expect.stringMatching(
          /second\/study\.json is not a valid study record: field "spacingMm\.2"/,
        ),
      },
      {
        studyId: 'third',
        path: path.join(root, 'studies', 'third'),
        reason: expect.stringMatching(/third\/study\.json is not valid JSON/),
      },
    ]);
    const text = await simcvd('info', root);
    expect(text.stdout).toMatch(/2 studies cannot be read/);
    const exported = await simcvd('export', root, path.join(dir, 'bricked-out'));
    expect(exported.stderr).not.toMatch(/not a valid study record/);

    const repaired = await simcvd('repair', root, 'second');
    expect(repaired.code, repaired.stderr).toBe(0);
    expect(repaired.stdout).toMatch(/record rebuilt; the old one and replaced files are kept in/);
    const removed = await simcvd('remove', root, 'third');
    expect(removed.stdout).toMatch(/moved to .*\.removed\/third-/);
    const after = JSON.parse((await simcvd('info', root, '--json')).stdout);
    expect(after.studies.map((s: { id: string }) => s.id)).toEqual(['bricked-good', 'second']);
    expect(after.problems).toEqual([]);
    const second = after.studies.find((s: { id: string }) => s.id === 'second');
    expect(second.spacingMm.map((x: number) => +x.toFixed(3))).toEqual([0.9, 0.9, 2]);
    const kept = await fs.readdir(path.join(root, '.removed'));
    expect(kept).toHaveLength(1);
    expect(await fs.readdir(path.join(root, '.removed', kept[0]!))).toContain('image.nii.gz');
  });
});

describe('4-D files', () => {
  it('import one volume with --volume N, equal to nibabel\u2019s', async () => {
    const root = await project('four-d');
    const file = path.join(dir, 'bold.nii.gz');
    runPythonJson(
      [
        'import sys, json, numpy as np, nibabel as nib',
        'data = np.arange(4*3*2*3, dtype=np.int16).reshape((4, 3, 2, 3), order="F")',
        'nib.save(nib.Nifti1Image(data, np.diag([2.0, 2.0, 3.0, 1.0])), sys.argv[1])',
        'print("{}")',
      ].join('\n'),
      [file],
    );
    const refused = await simcvd('import', root, file);
    expect(refused.stderr).toMatch(/holds 3 volumes.*--volume N \(0 to 2\)/);
    const ok = await simcvd('import', root, '--volume', '1', file);
    expect(ok.code, ok.stderr).toBe(0);
    const ours = runPythonJson<number[]>(
      'import sys, json, nibabel as nib; print(json.dumps(nib.load(sys.argv[1]).get_fdata().ravel(order="F").tolist()))',
      [path.join(root, 'studies', 'bold', 'image.nii.gz')],
    );
    const expected = runPythonJson<number[]>(
      'import sys, json, nibabel as nib; print(json.dumps(nib.load(sys.argv[1]).get_fdata()[..., 1].ravel(order="F").tolist()))',
      [file],
    );
    expect(ours).toEqual(expected);
  });
});
