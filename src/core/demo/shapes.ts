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

/** A smooth radial bump on the unit sphere: amp · exp((u·dir − 1) / width²). */
export interface Bump {
  dir: Vec3;
  amp: number;
  width: number;
}

/**
 * Ellipsoid in a rotated frame whose normalised radius limit 1 + Σ bumps(u) depends on the
 * direction u only, so the shape stays star-shaped about its centre (hence connected).
 */
export interface BlobShape {
  kind: 'blob';
  centreMm: Vec3;
  /** Orthonormal rows: the ellipsoid's own axes in world coordinates. */
  axes: [Vec3, Vec3, Vec3];
  semiAxesMm: Vec3;
  bumps: Bump[];
}

/** Union of capsules along a polyline, radius interpolated linearly on each segment. */
export interface TubeShape {
  kind: 'tube';
  pointsMm: Vec3[];
  radiiMm: number[];
}

export type Shape = BlobShape | TubeShape;

const dot = (a: Vec3, b: Vec3): number => a[0] * b[0] + a[1] * b[1] + a[2] * b[2];

function bumpSum(bumps: Bump[], u: Vec3): number {
  let delta = 0;
  for (const b of bumps) delta += b.amp * Math.exp((dot(u, b.dir) - 1) / (b.width * b.width));
  return delta;
}

function radialBounds(bumps: Bump[]): { lo: number; hi: number } {
  let lo = 1;
  let hi = 1;
  for (const b of bumps) {
    if (b.amp < 0) lo += b.amp;
    else hi += b.amp;
  }
  return { lo: Math.max(lo, 0), hi };
}

/** Blob coordinates of a world point (unit sphere = undeformed surface). */
function blobLocal(b: BlobShape, x: number, y: number, z: number): Vec3 {
  const d: Vec3 = [x - b.centreMm[0], y - b.centreMm[1], z - b.centreMm[2]];
  return [
    dot(b.axes[0], d) / b.semiAxesMm[0],
    dot(b.axes[1], d) / b.semiAxesMm[1],
    dot(b.axes[2], d) / b.semiAxesMm[2],
  ];
}

export function blobContains(b: BlobShape, p: Vec3): boolean {
  const q = blobLocal(b, p[0], p[1], p[2]);
  const r = Math.hypot(q[0], q[1], q[2]);
  if (r === 0) return true;
  return r <= 1 + bumpSum(b.bumps, [q[0] / r, q[1] / r, q[2] / r]);
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
  const u: Vec3 = [q[0] / unitsPerMm, q[1] / unitsPerMm, q[2] / unitsPerMm];
  return (1 + bumpSum(b.bumps, u)) / unitsPerMm;
}

/** Voxel index range [lo, hi] covering the world interval [minMm, maxMm] on one axis. */
function indexRange(grid: Grid, axis: number, minMm: number, maxMm: number): [number, number] {
  const s = grid.spacingMm[axis]!;
  const o = grid.originMm[axis]!;
  const lo = Math.max(0, Math.ceil((minMm - o) / s));
  const hi = Math.min(grid.dims[axis]! - 1, Math.floor((maxMm - o) / s));
  return [lo, hi];
}

function paintBlob(map: Uint8Array, grid: Grid, b: BlobShape, value: number): void {
  const { lo, hi } = radialBounds(b.bumps);
  const reach = Math.max(...b.semiAxesMm) * hi;
  const [i0, i1] = indexRange(grid, 0, b.centreMm[0] - reach, b.centreMm[0] + reach);
  const [j0, j1] = indexRange(grid, 1, b.centreMm[1] - reach, b.centreMm[1] + reach);
  const [k0, k1] = indexRange(grid, 2, b.centreMm[2] - reach, b.centreMm[2] + reach);
  const [nx, ny] = grid.dims;
  const [sx, sy, sz] = grid.spacingMm;
  const [ox, oy, oz] = grid.originMm;
  const lo2 = lo * lo;
  const hi2 = hi * hi;
  for (let k = k0; k <= k1; k++) {
    const z = oz + sz * k;
    for (let j = j0; j <= j1; j++) {
      const y = oy + sy * j;
      const row = nx * (j + ny * k);
      for (let i = i0; i <= i1; i++) {
        const q = blobLocal(b, ox + sx * i, y, z);
        const r2 = q[0] * q[0] + q[1] * q[1] + q[2] * q[2];
        if (r2 > hi2) continue;
        if (r2 > lo2) {
          const r = Math.sqrt(r2);
          if (r > 1 + bumpSum(b.bumps, [q[0] / r, q[1] / r, q[2] / r])) continue;
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
