// Integration test (Node + Debian Python): the distance transform against
// scipy.ndimage.distance_transform_edt and the SDM against a replica of DTC's compute_sdf
// (test/reference/edt_scipy.py), on random masks of several densities, sizes and spacings.

import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { distanceTransform, type Dims3, type Spacing3 } from '../../src/core/image/edt';
import { computeSdm, signedDistanceMap } from '../../src/core/image/sdm';
import { createRng } from '../../src/core/random';

const PYTHON = '/usr/bin/python3';
const SCRIPT = fileURLToPath(new URL('../reference/edt_scipy.py', import.meta.url));

interface Case {
  dims: Dims3;
  spacing: Spacing3;
  mask: Uint8Array;
}

function reference(mode: 'edt' | 'sdm', cases: Case[]): (number | null)[][] {
  const input = JSON.stringify({
    mode,
    cases: cases.map((c) => ({ dims: c.dims, spacing: c.spacing, mask: Array.from(c.mask) })),
  });
  const stdout = execFileSync(PYTHON, [SCRIPT], { input, maxBuffer: 256 << 20 });
  return (JSON.parse(stdout.toString()) as { results: (number | null)[][] }).results;
}

function noiseMask(dims: Dims3, density: number, seed: number): Uint8Array {
  const rng = createRng(seed);
  return Uint8Array.from({ length: dims[0] * dims[1] * dims[2] }, () =>
    rng.next() < density ? 1 : 0,
  );
}

/** A few random balls: object-like masks with large interiors and a real surface. */
function blobMask(dims: Dims3, seed: number, balls = 3): Uint8Array {
  const rng = createRng(seed);
  const [nx, ny, nz] = dims;
  const centres = Array.from({ length: balls }, () => [
    rng.uniform(0, nx),
    rng.uniform(0, ny),
    rng.uniform(0, nz),
    rng.uniform(2, 5),
  ]);
  const mask = new Uint8Array(nx * ny * nz);
  for (let k = 0; k < nz; k++)
    for (let j = 0; j < ny; j++)
      for (let i = 0; i < nx; i++)
        mask[i + nx * (j + ny * k)] = centres.some(
          ([a, b, c, r]) => (i - a) ** 2 + (j - b) ** 2 + (k - c) ** 2 <= r * r,
        )
          ? 1
          : 0;
  return mask;
}

describe('distanceTransform vs scipy', () => {
  it('agrees to 1e-9 on random masks, densities, sizes and anisotropic spacings', () => {
    const cases: Case[] = [];
    const shapes: Dims3[] = [
      [17, 13, 9],
      [9, 17, 13],
      [13, 9, 17],
      [20, 3, 1],
      [1, 1, 6],
    ];
    const spacings: Spacing3[] = [
      [1, 1, 1],
      [0.625, 0.625, 2.5],
      [1.7, 0.3, 0.9],
    ];
    let seed = 1;
    for (const dims of shapes)
      for (const density of [0.05, 0.5, 0.95, 0.999])
        for (const spacing of spacings)
          cases.push({ dims, spacing, mask: noiseMask(dims, density, seed++) });
    cases.push({ dims: [17, 13, 9], spacing: [0.8, 1.1, 2], mask: blobMask([17, 13, 9], 7) });
    // Degenerate masks: no background (scipy's virtual voxel) and no foreground.
    cases.push({ dims: [5, 4, 3], spacing: [0.5, 2, 3], mask: new Uint8Array(60).fill(1) });
    cases.push({ dims: [5, 4, 3], spacing: [1, 1, 1], mask: new Uint8Array(60) });

    const want = reference('edt', cases);
    cases.forEach((c, n) => {
      const got = distanceTransform(c.mask, c.dims, c.spacing);
      expect(got.length).toBe(want[n].length);
      let worst = 0;
      for (let v = 0; v < got.length; v++)
        worst = Math.max(worst, Math.abs(got[v] - (want[n][v] as number)));
      expect(worst, `case ${n} ${c.dims.join('×')}`).toBeLessThan(1e-9);
    });
  });
});

describe('signedDistanceMap vs DTC compute_sdf', () => {
  it('agrees on object-like and noisy masks, with and without spacing', () => {
    const cases: Case[] = [
      { dims: [17, 13, 9], spacing: [1, 1, 1], mask: blobMask([17, 13, 9], 11) },
      { dims: [12, 12, 8], spacing: [1, 1, 1], mask: blobMask([12, 12, 8], 12, 1) },
      { dims: [16, 10, 6], spacing: [0.7, 0.7, 2], mask: blobMask([16, 10, 6], 13, 4) },
      { dims: [11, 7, 5], spacing: [1, 1, 1], mask: noiseMask([11, 7, 5], 0.6, 14) },
      { dims: [6, 6, 6], spacing: [1, 1, 1], mask: new Uint8Array(216) },
    ];
    const want = reference('sdm', cases);
    cases.forEach((c, n) => {
      const got = signedDistanceMap(c.mask, c.dims, { spacing: c.spacing });
      for (let v = 0; v < got.length; v++)
        expect(Math.abs(got[v] - (want[n][v] as number)), `case ${n} voxel ${v}`).toBeLessThan(
          1e-6,
        );
    });
  });

  it('deviates from DTC only for a full mask, where DTC gives NaN and we give zeros', () => {
    const full: Case = { dims: [4, 4, 4], spacing: [1, 1, 1], mask: new Uint8Array(64).fill(1) };
    const [want] = reference('sdm', [full]);
    expect(want.every((x) => x === null)).toBe(true);
    expect(Array.from(signedDistanceMap(full.mask, full.dims)).every((x) => x === 0)).toBe(true);
  });

  it('computes each class of a multi-class label volume like the binary reference', () => {
    const dims: Dims3 = [14, 12, 7];
    const a = blobMask(dims, 21, 2);
    const b = blobMask(dims, 22, 2);
    const labels = Uint8Array.from(a, (x, v) => (x ? 1 : b[v] ? 2 : 0));
    const got = computeSdm(labels, dims, 3);
    const want = reference('sdm', [
      { dims, spacing: [1, 1, 1], mask: Uint8Array.from(labels, (l) => (l === 1 ? 1 : 0)) },
      { dims, spacing: [1, 1, 1], mask: Uint8Array.from(labels, (l) => (l === 2 ? 1 : 0)) },
    ]);
    for (let v = 0; v < labels.length; v++)
      for (let c = 0; c < 2; c++)
        expect(Math.abs(got[v * 2 + c] - (want[c][v] as number))).toBeLessThan(1e-6);
  });
});
