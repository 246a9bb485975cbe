// Implicit shapes for the synthetic demo generator (pure, plain Node/browser): deformed
// ellipsoids ("blobs") and tapering tubes in world millimetres, rasterised onto an
// axis-aligned voxel grid inside each shape's bounding box only.
import type { Vec3 } from '../volume/volume';

/** Axis-aligned grid: world (RAS mm) of voxel (i, j, k) = origin + spacing ⊙ (i, j, k). */
export interface Grid {
  dims: Vec3;
  spacingMm: Vec3;
  originMm: Vec3;
}

/** A localised radial bump on the unit sphere: amp · exp((u·dir − 1) / width²). */
export interface Bump {
  dir: Vec3;
  amp: number;
  width: number;
}

/** Number of coefficients of a degree-1..3 polynomial on the sphere (spherical harmonics l ≤ 3). */
export const HARMONIC_TERMS = 19;

/**
 * Ellipsoid in a rotated frame whose normalised radius limit ρ(u) = max(0.4, 1 + H(u) + B(u))
 * depends on the direction u only (H: low-order polynomial, B: bumps), so the shape is
 * star-shaped about its centre and therefore connected.
 */
export interface BlobShape {
  kind: 'blob';
  centreMm: Vec3;
  /** Orthonormal rows: the ellipsoid's own axes in world coordinates. */
  axes: [Vec3, Vec3, Vec3];
  semiAxesMm: Vec3;
  /** HARMONIC_TERMS coefficients of the monomials of degree 1, 2 and 3 in (u0, u1, u2). */
  harmonics: number[];
  bumps: Bump[];
}

/** Union of capsules along a polyline, radius interpolated linearly on each segment. */
export interface TubeShape {
  kind: 'tube';
  pointsMm: Vec3[];
  radiiMm: number[];
}

export type Shape = BlobShape | TubeShape;

const MIN_RADIAL = 0.4;

const dot = (a: Vec3, b: Vec3): number => a[0] * b[0] + a[1] * b[1] + a[2] * b[2];

function harmonicSum(c: number[], x: number, y: number, z: number): number {
  const xx = x * x;
  const yy = y * y;
  const zz = z * z;
  return (
    c[0]! * x +
    c[1]! * y +
    c[2]! * z +
    c[3]! * xx +
    c[4]! * yy +
    c[5]! * zz +
    c[6]! * x * y +
    c[7]! * y * z +
    c[8]! * x * z +
    x * (c[9]! * xx + c[10]! * yy + c[11]! * zz) +
    y * (c[12]! * xx + c[13]! * yy + c[14]! * zz) +
    z * (c[15]! * xx + c[16]! * yy + c[17]! * zz) +
    c[18]! * x * y * z
  );
}

/** ρ(u) for a unit vector u in blob coordinates. */
function radialLimit(b: BlobShape, x: number, y: number, z: number): number {
  let delta = harmonicSum(b.harmonics, x, y, z);
  for (const bump of b.bumps) {
    const cos = x * bump.dir[0] + y * bump.dir[1] + z * bump.dir[2];
    delta += bump.amp * Math.exp((cos - 1) / (bump.width * bump.width));
  }
  return Math.max(MIN_RADIAL, 1 + delta);
}

/**
 * Bounds of ρ over the sphere, used to skip the exact test. On the unit sphere the squares of
 * all monomials of one degree sum to at most 1, so by Cauchy–Schwarz |H| ≤ √3 · ‖c‖₂.
 */
function radialBounds(b: BlobShape): { lo: number; hi: number } {
  const spread = Math.sqrt(3) * Math.hypot(...b.harmonics);
  let lo = 1 - spread;
  let hi = 1 + spread;
  for (const bump of b.bumps) {
    if (bump.amp < 0) lo += bump.amp;
    else hi += bump.amp;
  }
  return { lo: Math.max(lo, MIN_RADIAL), hi: Math.max(hi, MIN_RADIAL) };
}

/** Blob coordinates of a world point (unit sphere = undeformed surface). */
function blobLocal(b: BlobShape, p: Vec3): Vec3 {
  const d: Vec3 = [p[0] - b.centreMm[0], p[1] - b.centreMm[1], p[2] - b.centreMm[2]];
  return [
    dot(b.axes[0], d) / b.semiAxesMm[0],
    dot(b.axes[1], d) / b.semiAxesMm[1],
    dot(b.axes[2], d) / b.semiAxesMm[2],
  ];
}

export function blobContains(b: BlobShape, p: Vec3): boolean {
  const q = blobLocal(b, p);
  const r = Math.hypot(q[0], q[1], q[2]);
  if (r === 0) return true;
  return r <= radialLimit(b, q[0] / r, q[1] / r, q[2] / r);
}

/** Distance (mm) from the centre to the surface along a world direction. */
export function blobRadiusAlong(b: BlobShape, dirMm: Vec3): number {
  const len = Math.hypot(...dirMm);
  const d: Vec3 = [dirMm[0] / len, dirMm[1] / len, dirMm[2] / len];
  // One world unit along d is |A·d / semi| blob units; the surface sits at r = 1 + δ(u).
  const q: Vec3 = [
    dot(b.axes[0], d) / b.semiAxesMm[0],
    dot(b.axes[1], d) / b.semiAxesMm[1],
    dot(b.axes[2], d) / b.semiAxesMm[2],
  ];
  const unitsPerMm = Math.hypot(...q);
  return radialLimit(b, q[0] / unitsPerMm, q[1] / unitsPerMm, q[2] / unitsPerMm) / unitsPerMm;
}

/** Voxel index range [lo, hi] covering the world interval [minMm, maxMm] on one axis. */
function indexRange(grid: Grid, axis: number, minMm: number, maxMm: number): [number, number] {
  const s = grid.spacingMm[axis]!;
  const o = grid.originMm[axis]!;
  const lo = Math.max(0, Math.ceil((minMm - o) / s));
  const hi = Math.min(grid.dims[axis]! - 1, Math.floor((maxMm - o) / s));
  return [lo, hi];
}

/** Half-extent of the blob along each world axis (tight for the undeformed ellipsoid). */
function blobReach(b: BlobShape, radialMax: number): Vec3 {
  return [0, 1, 2].map(
    (w) =>
      radialMax *
      Math.hypot(
        b.axes[0][w]! * b.semiAxesMm[0],
        b.axes[1][w]! * b.semiAxesMm[1],
        b.axes[2][w]! * b.semiAxesMm[2],
      ),
  ) as Vec3;
}

function paintBlob(map: Uint8Array, grid: Grid, b: BlobShape, value: number): void {
  const { lo, hi } = radialBounds(b);
  const reach = blobReach(b, hi);
  const c = b.centreMm;
  const [i0, i1] = indexRange(grid, 0, c[0] - reach[0], c[0] + reach[0]);
  const [j0, j1] = indexRange(grid, 1, c[1] - reach[1], c[1] + reach[1]);
  const [k0, k1] = indexRange(grid, 2, c[2] - reach[2], c[2] + reach[2]);
  const [nx, ny] = grid.dims;
  const [sx, sy, sz] = grid.spacingMm;
  const [ox, oy, oz] = grid.originMm;
  // Blob coordinates are linear in the voxel index: q = m · (p − c), m = diag(1/semi) · axes.
  const m = [0, 1, 2].map((r) => b.axes[r]!.map((v) => v / b.semiAxesMm[r]!)) as Vec3[];
  const [m0, m1, m2] = m as [Vec3, Vec3, Vec3];
  const step: Vec3 = [m0[0] * sx, m1[0] * sx, m2[0] * sx];
  const lo2 = lo * lo;
  const hi2 = hi * hi;
  for (let k = k0; k <= k1; k++) {
    const dz = oz + sz * k - c[2];
    for (let j = j0; j <= j1; j++) {
      const dy = oy + sy * j - c[1];
      const dx = ox + sx * i0 - c[0];
      let q0 = m0[0] * dx + m0[1] * dy + m0[2] * dz;
      let q1 = m1[0] * dx + m1[1] * dy + m1[2] * dz;
      let q2 = m2[0] * dx + m2[1] * dy + m2[2] * dz;
      const row = nx * (j + ny * k);
      for (let i = i0; i <= i1; i++, q0 += step[0], q1 += step[1], q2 += step[2]) {
        const r2 = q0 * q0 + q1 * q1 + q2 * q2;
        if (r2 > hi2) continue;
        if (r2 > lo2) {
          const r = Math.sqrt(r2);
          if (r > radialLimit(b, q0 / r, q1 / r, q2 / r)) continue;
        }
        map[row + i] = value;
      }
    }
  }
}

function paintCapsule(
  map: Uint8Array,
  grid: Grid,
  a: Vec3,
  b: Vec3,
  ra: number,
  rb: number,
  value: number,
): void {
  const rMax = Math.max(ra, rb);
  const range = [0, 1, 2].map((axis) =>
    indexRange(
      grid,
      axis,
      Math.min(a[axis]!, b[axis]!) - rMax,
      Math.max(a[axis]!, b[axis]!) + rMax,
    ),
  );
  const ab: Vec3 = [b[0] - a[0], b[1] - a[1], b[2] - a[2]];
  const len2 = dot(ab, ab) || 1e-12;
  const [nx, ny] = grid.dims;
  const [sx, sy, sz] = grid.spacingMm;
  const [ox, oy, oz] = grid.originMm;
  for (let k = range[2]![0]; k <= range[2]![1]; k++) {
    const dz = oz + sz * k - a[2];
    for (let j = range[1]![0]; j <= range[1]![1]; j++) {
      const dy = oy + sy * j - a[1];
      const row = nx * (j + ny * k);
      for (let i = range[0]![0]; i <= range[0]![1]; i++) {
        const dx = ox + sx * i - a[0];
        const t = Math.min(1, Math.max(0, (dx * ab[0] + dy * ab[1] + dz * ab[2]) / len2));
        const ex = dx - t * ab[0];
        const ey = dy - t * ab[1];
        const ez = dz - t * ab[2];
        const r = ra + t * (rb - ra);
        if (ex * ex + ey * ey + ez * ez <= r * r) map[row + i] = value;
      }
    }
  }
}

/** Sets `map` to `value` on every voxel centre inside the shape (later paints win). */
export function paintShape(map: Uint8Array, grid: Grid, shape: Shape, value: number): void {
  if (shape.kind === 'blob') {
    paintBlob(map, grid, shape, value);
    return;
  }
  const { pointsMm: p, radiiMm: r } = shape;
  if (p.length === 1) paintCapsule(map, grid, p[0]!, p[0]!, r[0]!, r[0]!, value);
  for (let s = 0; s + 1 < p.length; s++)
    paintCapsule(map, grid, p[s]!, p[s + 1]!, r[s]!, r[s + 1]!, value);
}

/** The same blob shrunk about its centre (an inner cavity inside a wall of the outer one). */
export function scaledBlob(b: BlobShape, factor: number): BlobShape {
  return { ...b, semiAxesMm: b.semiAxesMm.map((s) => s * factor) as Vec3 };
}
