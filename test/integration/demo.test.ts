// Integration test (Node + Debian Python): writes a tiny synthetic demo dataset, reads it back
// with nibabel (test/reference/demo_read_dataset.py) and with our reader, checks the Decathlon
// layout, determinism and re-use of a demo folder; and checks the generator's blur and box
// morphology against scipy.ndimage (test/reference/demo_field_scipy.py).
import { execFileSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoCaseSeed, generateDemoCase, writeDemoDataset } from '../../src/core/demo';
import { blurSeparable, dilateBox, erodeBox } from '../../src/core/demo/field';
import { componentSizes } from '../helpers/maskStats';
import { createRng } from '../../src/core/random';
import { readVolumeFile } from '../../src/core/volume/nifti';
import type { Vec3, VoxelArray } from '../../src/core/volume/volume';

const PYTHON = '/usr/bin/python3';
const READ_SCRIPT = fileURLToPath(new URL('../reference/demo_read_dataset.py', import.meta.url));
const FIELD_SCRIPT = fileURLToPath(new URL('../reference/demo_field_scipy.py', import.meta.url));
const DIMS: Vec3 = [48, 48, 32];
const OPTIONS = { studies: 2, test: 1, seed: 7, dims: DIMS };

interface FileInfo {
  shape: number[];
  dtype: string;
  affine: number[][];
  sform_code: number;
  qform_code: number;
  qform_affine: number[][];
  zooms: number[];
  min: number;
  max: number;
  sum: number;
  sumsq: number;
  probes: number[];
  values?: number[];
  components26?: number;
}
type CaseInfo = { image: FileInfo; label: FileInfo };

let tmp: string;
beforeAll(async () => {
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'demo-int-'));
});
afterAll(async () => {
  await fs.rm(tmp, { recursive: true, force: true });
});

async function listTree(root: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await fs.readdir(root, { withFileTypes: true })) {
    if (entry.isDirectory()) {
      for (const name of await listTree(path.join(root, entry.name)))
        out.push(`${entry.name}/${name}`);
    } else out.push(entry.name);
  }
  return out.sort();
}

function stats(data: VoxelArray, dims: Vec3) {
  let sum = 0;
  let sumsq = 0;
  for (let v = 0; v < data.length; v++) {
    sum += data[v]!;
    sumsq += data[v]! * data[v]!;
  }
  const [nx, ny, nz] = dims;
  const at = (i: number, j: number, k: number) => data[i + nx * (j + ny * k)]!;
  const probes = [
    at(0, 0, 0),
    at(nx >> 1, ny >> 1, nz >> 1),
    at(nx - 1, Math.floor(ny / 3), nz - 1),
    at(nx >> 2, ny - 1, Math.floor(nz / 3)),
  ];
  return { sum, sumsq, probes };
}

describe('writeDemoDataset (integration)', () => {
  it('writes a Decathlon-layout dataset that nibabel reads back exactly as generated', async () => {
    const dir = path.join(tmp, 'a');
    const progress: Array<[number, number]> = [];
    const summary = await writeDemoDataset(dir, OPTIONS, (done, total) =>
      progress.push([done, total]),
    );
    expect(progress).toEqual([
      [0, 3],
      [1, 3],
      [2, 3],
      [3, 3],
    ]);
    expect(await listTree(dir)).toEqual([
      '.simcvd-demo.json',
      'dataset.json',
      'imagesTr/case_001.nii.gz',
      'imagesTr/case_002.nii.gz',
      'imagesTs/case_003.nii.gz',
      'labelsTr/case_001.nii.gz',
      'labelsTr/case_002.nii.gz',
      'labelsTs/case_003.nii.gz',
    ]);
    expect(summary.training.map((c) => c.id)).toEqual(['case_001', 'case_002']);
    expect(summary.test.map((c) => c.image)).toEqual([
      path.join(dir, 'imagesTs', 'case_003.nii.gz'),
    ]);

    const json = JSON.parse(await fs.readFile(path.join(dir, 'dataset.json'), 'utf8'));
    expect(json).toMatchObject({
      tensorImageSize: '3D',
      modality: { '0': 'MRI' },
      labels: { '0': 'background', '1': 'left atrium' },
      numTraining: 2,
      numTest: 1,
      training: [
        { image: './imagesTr/case_001.nii.gz', label: './labelsTr/case_001.nii.gz' },
        { image: './imagesTr/case_002.nii.gz', label: './labelsTr/case_002.nii.gz' },
      ],
      test: ['./imagesTs/case_003.nii.gz'],
      testLabels: ['./labelsTs/case_003.nii.gz'],
      synthetic: true,
      seed: 7,
    });
    expect(json.description).toMatch(/synthetic/i);
    expect(json.description).toContain('seed 7');
    for (const c of json.training) {
      await fs.access(path.join(dir, c.image));
      await fs.access(path.join(dir, c.label));
    }

    const stdout = execFileSync(PYTHON, [READ_SCRIPT, dir], { maxBuffer: 64 << 20 });
    const ref = JSON.parse(stdout.toString()) as { training: CaseInfo[]; test: CaseInfo[] };
    const cases = [...ref.training, ...ref.test];
    expect(cases).toHaveLength(3);
    for (const [index, info] of cases.entries()) {
      const n = index + 1;
      const expected = generateDemoCase({ seed: demoCaseSeed(7, n), dims: DIMS });
      const flatAffine = (m: number[][]) => m.flat();
      for (const [file, volume] of [
        [info.image, expected.image],
        [info.label, expected.label],
      ] as const) {
        expect(file.shape).toEqual(DIMS);
        flatAffine(file.affine).forEach((x, q) => expect(x).toBeCloseTo(volume.affine[q]!, 4));
        flatAffine(file.qform_affine).forEach((x, q) =>
          expect(x).toBeCloseTo(volume.affine[q]!, 4),
        );
        expect([file.sform_code, file.qform_code]).toEqual([1, 1]);
        file.zooms.forEach((z, a) => expect(z).toBeCloseTo(volume.spacingMm[a]!, 5));
        const mine = stats(volume.data, DIMS);
        expect(file.sum).toBe(mine.sum);
        expect(file.sumsq).toBe(mine.sumsq);
        expect(file.probes).toEqual(mine.probes);
      }
      expect(info.image.dtype).toBe('int16');
      expect(info.label.dtype).toBe('uint8');
      expect(info.image.min).toBeGreaterThanOrEqual(0);
      expect(info.image.max).toBeLessThan(2600);
      expect(info.label.values).toEqual([0, 1]);
      expect(info.label.components26).toBe(1);
      expect(componentSizes(expected.label.data as Uint8Array, DIMS, 26)).toHaveLength(1);
    }

    // Our own reader returns the generated arrays bit for bit.
    const back = await readVolumeFile(path.join(dir, 'labelsTs', 'case_003.nii.gz'));
    const expected = generateDemoCase({ seed: demoCaseSeed(7, 3), dims: DIMS });
    expect(Buffer.from(back.data.buffer, back.data.byteOffset, back.data.byteLength)).toEqual(
      Buffer.from(expected.label.data.buffer),
    );
  });

  it('gives byte-identical files for the same seed and replaces an earlier demo dataset', async () => {
    const first = path.join(tmp, 'a');
    const second = path.join(tmp, 'b');
    await writeDemoDataset(second, OPTIONS);
    const files = await listTree(first);
    expect(await listTree(second)).toEqual(files);
    for (const file of files) {
      const [x, y] = await Promise.all([
        fs.readFile(path.join(first, file)),
        fs.readFile(path.join(second, file)),
      ]);
      expect(x.equals(y), file).toBe(true);
    }
    // Case 1 does not depend on how many cases the dataset has.
    const other = path.join(tmp, 'c');
    await writeDemoDataset(other, { ...OPTIONS, studies: 1, test: 0 });
    const [x, y] = await Promise.all(
      [first, other].map((d) => fs.readFile(path.join(d, 'imagesTr', 'case_001.nii.gz'))),
    );
    expect(x!.equals(y!)).toBe(true);

    // A smaller dataset written over an earlier demo folder drops the stale cases.
    const before = await fs.readFile(path.join(second, 'imagesTr', 'case_001.nii.gz'));
    await writeDemoDataset(second, { ...OPTIONS, studies: 1, test: 1, seed: 8 });
    expect(await listTree(second)).toEqual([
      '.simcvd-demo.json',
      'dataset.json',
      'imagesTr/case_001.nii.gz',
      'imagesTs/case_002.nii.gz',
      'labelsTr/case_001.nii.gz',
      'labelsTs/case_002.nii.gz',
    ]);
    const after = await fs.readFile(path.join(second, 'imagesTr', 'case_001.nii.gz'));
    expect(after.equals(before)).toBe(false);
    const json = JSON.parse(await fs.readFile(path.join(second, 'dataset.json'), 'utf8'));
    expect([json.numTraining, json.numTest, json.seed]).toEqual([1, 1, 8]);
  });

  it('refuses a non-empty folder that is not a demo dataset', async () => {
    const dir = path.join(tmp, 'user-data');
    await fs.mkdir(path.join(dir, 'imagesTr'), { recursive: true });
    await fs.writeFile(path.join(dir, 'imagesTr', 'case_001.nii.gz'), 'precious');
    await expect(writeDemoDataset(dir, OPTIONS)).rejects.toMatchObject({ code: 'CONFLICT' });
    expect(await listTree(dir)).toEqual(['imagesTr/case_001.nii.gz']);
    expect(await fs.readFile(path.join(dir, 'imagesTr', 'case_001.nii.gz'), 'utf8')).toBe(
      'precious',
    );
  });
});

describe('demo field helpers against scipy.ndimage', () => {
  it('Gaussian blur (nearest borders, truncate 3) and box dilation/erosion agree', () => {
    const dims: Vec3 = [13, 11, 9];
    const n = dims[0] * dims[1] * dims[2];
    const rng = createRng(42);
    const data = Float32Array.from({ length: n }, () => rng.uniform(0, 100));
    const mask = Uint8Array.from({ length: n }, () => (rng.next() < 0.08 ? 1 : 0));
    // Also one solid block, so erosion has something to keep.
    for (let k = 2; k < 7; k++)
      for (let j = 2; j < 9; j++) for (let i = 3; i < 11; i++) mask[i + 13 * (j + 11 * k)] = 1;
    // σ chosen where scipy's radius int(3σ + 0.5) equals ours, ceil(3σ).
    const sigma: Vec3 = [0.6, 1.0, 1.5];
    const radius: Vec3 = [1, 2, 1];
    const input = JSON.stringify({
      dims,
      sigma,
      data: Array.from(data),
      radius,
      mask: Array.from(mask),
    });
    const ref = JSON.parse(
      execFileSync(PYTHON, [FIELD_SCRIPT], { input, maxBuffer: 64 << 20 }).toString(),
    ) as {
      blurred: number[];
      dilated: number[];
      eroded: number[];
    };
    const blurred = blurSeparable(data.slice(), dims, sigma);
    let worst = 0;
    for (let v = 0; v < n; v++) worst = Math.max(worst, Math.abs(blurred[v]! - ref.blurred[v]!));
    expect(worst).toBeLessThan(1e-3);
    expect(Array.from(dilateBox(mask, dims, radius))).toEqual(ref.dilated);
    expect(Array.from(erodeBox(mask, dims, radius))).toEqual(ref.eroded);
    expect(ref.eroded.some((x) => x === 1)).toBe(true);
  });
});
