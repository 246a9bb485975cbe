// Synthetic left-atrium MRI case generator (pure, plain Node/browser): one seeded call gives an
// int16 image and its exact uint8 ground-truth mask on the same centred, axis-aligned RAS grid.
import { AppError } from '../errors';
import { createRng } from '../random';
import { geometryFromAffine } from '../volume/geometry';
import type { Mat4, Vec3, Volume } from '../volume/volume';
import { layoutAnatomy, REFERENCE_FOV_MM, TISSUE, type DemoAnatomy } from './anatomy';
import { drawAppearance, renderImage } from './appearance';
import { dilateBox } from './field';
import { paintShape, type Grid } from './shapes';

export const DEFAULT_DEMO_DIMS: Vec3 = [96, 96, 64];

export interface DemoCaseOptions {
  /** Any whole number; used modulo 2³² (createRng). */
  seed: number;
  /** Voxels per axis; default 96×96×64. */
  dims?: Vec3;
  /** Voxel size; default keeps the reference field of view (1×1×1.6 mm at the default dims). */
  spacingMm?: Vec3;
}

export interface DemoCase {
  image: Volume;
  label: Volume;
}

/** Thickness of the dark wall painted around the target (blood pools abutting it stay apart). */
const ATRIAL_WALL_MM = 2;

/** Validated dims and voxel size for a demo case (BAD_INPUT naming the bad value otherwise). */
export function resolveDemoShape(dims?: Vec3, spacingMm?: Vec3): { dims: Vec3; spacingMm: Vec3 } {
  const n = dims ?? DEFAULT_DEMO_DIMS;
  if (n.length !== 3 || !n.every((x) => Number.isInteger(x) && x >= 16 && x <= 512)) {
    throw new AppError(
      'BAD_INPUT',
      `Demo dims must be three whole numbers between 16 and 512, got [${n.join(', ')}].`,
    );
  }
  const s = spacingMm ?? (REFERENCE_FOV_MM.map((f, a) => f / n[a]!) as Vec3);
  if (s.length !== 3 || !s.every((x) => Number.isFinite(x) && x > 0 && x <= 20)) {
    throw new AppError(
      'BAD_INPUT',
      `Demo spacingMm must be three voxel sizes in (0, 20] mm, got [${s.join(', ')}].`,
    );
  }
  return { dims: [...n] as Vec3, spacingMm: [...s] as Vec3 };
}

/** Centred grid: the middle of the volume is the world origin, axes along +R, +A, +S. */
export function demoGrid(dims: Vec3, spacingMm: Vec3): Grid {
  // Rounded to a micrometre so headers show tidy numbers (-50.4, not -50.400000000000006).
  const originMm = dims.map((n, a) => Math.round((-(n - 1) / 2) * spacingMm[a]! * 1e6) / 1e6);
  return { dims, spacingMm, originMm: originMm as Vec3 };
}

function gridAffine(grid: Grid): Mat4 {
  const [sx, sy, sz] = grid.spacingMm;
  const [ox, oy, oz] = grid.originMm;
  return [sx, 0, 0, ox, 0, sy, 0, oy, 0, 0, sz, oz, 0, 0, 0, 1];
}

/** Rasterises the anatomy to tissue classes and the target mask. */
export function rasteriseAnatomy(anatomy: DemoAnatomy, grid: Grid) {
  const n = grid.dims[0] * grid.dims[1] * grid.dims[2];
  const tissue = new Uint8Array(n);
  for (const step of anatomy.steps) paintShape(tissue, grid, step.shape, step.tissue);
  const label = new Uint8Array(n);
  paintShape(label, grid, anatomy.atriumBody, 1);
  for (const vein of anatomy.veins) paintShape(label, grid, vein, 1);
  const wallVox = grid.spacingMm.map((s) => Math.max(1, Math.round(ATRIAL_WALL_MM / s))) as Vec3;
  const grown = dilateBox(label, grid.dims, wallVox);
  for (let v = 0; v < n; v++) {
    if (label[v]) tissue[v] = TISSUE.leftAtrium;
    else if (grown[v]) tissue[v] = TISSUE.atrialWall;
  }
  return { tissue, label };
}

export function generateDemoCase(options: DemoCaseOptions): DemoCase {
  if (!Number.isInteger(options.seed)) {
    throw new AppError('BAD_INPUT', `Demo seed must be a whole number, got ${options.seed}.`);
  }
  const { dims, spacingMm } = resolveDemoShape(options.dims, options.spacingMm);
  const grid = demoGrid(dims, spacingMm);
  const rng = createRng(options.seed);
  // Separate streams: anatomy, appearance and noise can each change without moving the others.
  const anatomyRng = rng.fork();
  const appearanceRng = rng.fork();
  const textureRng = rng.fork();
  const { tissue, label } = rasteriseAnatomy(layoutAnatomy(anatomyRng, grid), grid);
  const data = renderImage(tissue, dims, spacingMm, drawAppearance(appearanceRng), textureRng);
  const affine = gridAffine(grid);
  const volume = (voxels: Int16Array | Uint8Array): Volume => ({
    dims: [...dims] as Vec3,
    spacingMm: [...spacingMm] as Vec3,
    affine: [...affine],
    data: voxels,
    geometry: geometryFromAffine(affine),
  });
  return { image: volume(data), label: volume(label) };
}
