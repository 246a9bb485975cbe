// Unit tests (Node) for the demo generator's shape rasteriser: the bounding-box and radial
// shortcuts must paint exactly the voxels a brute-force point test accepts.
import { describe, expect, it } from 'vitest';
import { createRng } from '../random';
import type { Vec3 } from '../volume/volume';
import {
  blobContains,
  blobRadiusAlong,
  HARMONIC_TERMS,
  paintShape,
  type BlobShape,
  type Grid,
  type TubeShape,
} from './shapes';

const grid: Grid = { dims: [40, 36, 28], spacingMm: [1, 1.2, 1.6], originMm: [-20, -21, -22] };
const worldOf = (i: number, j: number, k: number): Vec3 => [
  grid.originMm[0] + grid.spacingMm[0] * i,
  grid.originMm[1] + grid.spacingMm[1] * j,
  grid.originMm[2] + grid.spacingMm[2] * k,
];

function rotation(angle: number): [Vec3, Vec3, Vec3] {
  const c = Math.cos(angle);
  const s = Math.sin(angle);
  // Rotation about the axis (1, 1, 1)/√3 (Rodrigues), rows orthonormal.
  const u = 1 / Math.sqrt(3);
  const r = (a: number, b: number) =>
    a === b ? c + u * u * (1 - c) : u * u * (1 - c) + ((b - a + 3) % 3 === 1 ? -1 : 1) * u * s;
  return [0, 1, 2].map((a) => [0, 1, 2].map((b) => r(a, b))) as [Vec3, Vec3, Vec3];
}

function randomBlob(seed: number): BlobShape {
  const rng = createRng(seed);
  return {
    kind: 'blob',
    centreMm: [rng.uniform(-4, 4), rng.uniform(-4, 4), rng.uniform(-4, 4)],
    axes: rotation(rng.uniform(0, Math.PI)),
    semiAxesMm: [rng.uniform(8, 14), rng.uniform(6, 10), rng.uniform(7, 12)],
    harmonics: Array.from({ length: HARMONIC_TERMS }, () => 0.12 * rng.normal()),
    bumps: [
      { dir: [0.6, 0.8, 0], amp: 0.3, width: 0.4 },
      { dir: [0, -0.6, 0.8], amp: -0.2, width: 0.5 },
    ],
  };
}

describe('paintShape (blob)', () => {
  it('paints exactly the voxels blobContains accepts, for strongly deformed rotated blobs', () => {
    for (const seed of [1, 2, 3, 4]) {
      const blob = randomBlob(seed);
      const map = new Uint8Array(grid.dims[0] * grid.dims[1] * grid.dims[2]);
      paintShape(map, grid, blob, 7);
      let mismatches = 0;
      let inside = 0;
      for (let k = 0, v = 0; k < grid.dims[2]; k++)
        for (let j = 0; j < grid.dims[1]; j++)
          for (let i = 0; i < grid.dims[0]; i++, v++) {
            const expected = blobContains(blob, worldOf(i, j, k));
            inside += expected ? 1 : 0;
            if ((map[v] === 7) !== expected) mismatches++;
          }
      expect(mismatches).toBe(0);
      expect(inside).toBeGreaterThan(500);
    }
  });

  it('an undeformed ellipsoid has volume 4/3·π·abc', () => {
    const fine: Grid = {
      dims: [60, 60, 60],
      spacingMm: [0.5, 0.5, 0.5],
      originMm: [-15, -15, -15],
    };
    const blob: BlobShape = {
      kind: 'blob',
      centreMm: [0.2, -0.3, 0.1],
      axes: rotation(0.7),
      semiAxesMm: [12, 8, 10],
      harmonics: new Array(HARMONIC_TERMS).fill(0),
      bumps: [],
    };
    const map = new Uint8Array(60 ** 3);
    paintShape(map, fine, blob, 1);
    const volumeMm3 = map.reduce((a, b) => a + b, 0) * 0.125;
    expect(volumeMm3 / ((4 / 3) * Math.PI * 12 * 8 * 10)).toBeCloseTo(1, 2);
  });

  it('blobRadiusAlong finds the surface', () => {
    const blob = randomBlob(9);
    for (const dir of [
      [1, 0, 0],
      [0.3, -0.8, 0.5],
      [-0.2, 0.1, -1],
    ] as Vec3[]) {
      const len = Math.hypot(...dir);
      const r = blobRadiusAlong(blob, dir);
      const at = (f: number): Vec3 =>
        [0, 1, 2].map((a) => blob.centreMm[a]! + (f * r * dir[a]!) / len) as Vec3;
      expect(blobContains(blob, at(0.999))).toBe(true);
      expect(blobContains(blob, at(1.001))).toBe(false);
    }
  });
});

describe('paintShape (tube)', () => {
  it('matches the distance to the polyline and the volume of a straight cylinder', () => {
    const tube: TubeShape = {
      kind: 'tube',
      pointsMm: [
        [-10, 0, -12],
        [10, 0, -12],
      ],
      radiiMm: [4, 4],
    };
    const map = new Uint8Array(grid.dims[0] * grid.dims[1] * grid.dims[2]);
    paintShape(map, grid, tube, 1);
    let painted = 0;
    let mismatches = 0;
    for (let k = 0, v = 0; k < grid.dims[2]; k++)
      for (let j = 0; j < grid.dims[1]; j++)
        for (let i = 0; i < grid.dims[0]; i++, v++) {
          const [x, y, z] = worldOf(i, j, k);
          const t = Math.min(10, Math.max(-10, x));
          const inside = Math.hypot(x - t, y, z + 12) <= 4;
          if ((map[v] === 1) !== inside) mismatches++;
          painted += map[v]!;
        }
    expect(mismatches).toBe(0);
    // Cylinder plus two hemispherical caps, sampled on a 1 × 1.2 × 1.6 mm grid.
    const exact = Math.PI * 16 * 20 + (4 / 3) * Math.PI * 64;
    expect((painted * 1.92) / exact).toBeGreaterThan(0.9);
    expect((painted * 1.92) / exact).toBeLessThan(1.1);
  });

  it('tapers: a cone-like tube is wider at its thick end', () => {
    const tube: TubeShape = {
      kind: 'tube',
      pointsMm: [
        [-15, 0, 0],
        [0, 0, 0],
        [15, 0, 0],
      ],
      radiiMm: [6, 4, 2],
    };
    const map = new Uint8Array(grid.dims[0] * grid.dims[1] * grid.dims[2]);
    paintShape(map, grid, tube, 1);
    const crossSection = (i: number) => {
      let n = 0;
      for (let k = 0; k < grid.dims[2]; k++)
        for (let j = 0; j < grid.dims[1]; j++) n += map[i + grid.dims[0] * (j + grid.dims[1] * k)]!;
      return n;
    };
    expect(crossSection(8)).toBeGreaterThan(crossSection(20));
    expect(crossSection(20)).toBeGreaterThan(crossSection(32));
    expect(crossSection(32)).toBeGreaterThan(0);
  });
});
