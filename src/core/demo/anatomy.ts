// Random cardiac layout for the synthetic demo generator (pure, plain Node/browser): a left
// atrium (deformed ellipsoid with 2–4 tapering pulmonary veins) and the bright or mid-grey
// structures around it (aortas, ventricle, right atrium, pulmonary artery, spine, lungs, fat),
// placed in world millimetres (RAS, origin at the grid centre) with anatomical plausibility.
import type { Rng } from '../random';
import type { Vec3 } from '../volume/volume';
import {
  blobRadiusAlong,
  HARMONIC_TERMS,
  scaledBlob,
  type BlobShape,
  type Bump,
  type Grid,
  type Shape,
  type TubeShape,
} from './shapes';

/** Tissue classes, painted in layout order (later wins); 0 is the soft-tissue background. */
export const TISSUE = {
  soft: 0,
  lung: 1,
  fat: 2,
  cortex: 3,
  marrow: 4,
  myocardium: 5,
  atrialWall: 6,
  descendingAorta: 7,
  ascendingAorta: 8,
  ventricle: 9,
  rightAtrium: 10,
  pulmonaryArtery: 11,
  leftAtrium: 12,
} as const;
export const TISSUE_COUNT = 13;

/** Field of view the layout is designed for (96×96×64 voxels at 1×1×1.6 mm). */
export const REFERENCE_FOV_MM: Vec3 = [96, 96, 102.4];

export interface PaintStep {
  tissue: number;
  shape: Shape;
}

export interface DemoAnatomy {
  /** Distractors and background structures, in paint order. */
  steps: PaintStep[];
  /** The target: atrium body plus veins; every voxel inside any of them is label 1. */
  atriumBody: BlobShape;
  veins: TubeShape[];
}

type Mat3 = [Vec3, Vec3, Vec3];

const add = (a: Vec3, b: Vec3): Vec3 => [a[0] + b[0], a[1] + b[1], a[2] + b[2]];
const scale = (a: Vec3, s: number): Vec3 => [a[0] * s, a[1] * s, a[2] * s];
const unit = (a: Vec3): Vec3 => scale(a, 1 / Math.hypot(...a));

function randomUnit(rng: Rng): Vec3 {
  return unit([rng.normal(), rng.normal(), rng.normal()]);
}

/** Rotation with each Euler angle uniform in ±maxDeg; rows are the rotated axes. */
function randomRotation(rng: Rng, maxDeg: number): Mat3 {
  const [a, b, c] = [0, 1, 2].map(() => (rng.uniform(-maxDeg, maxDeg) * Math.PI) / 180) as Vec3;
  const rx: Mat3 = [
    [1, 0, 0],
    [0, Math.cos(a), -Math.sin(a)],
    [0, Math.sin(a), Math.cos(a)],
  ];
  const ry: Mat3 = [
    [Math.cos(b), 0, Math.sin(b)],
    [0, 1, 0],
    [-Math.sin(b), 0, Math.cos(b)],
  ];
  const rz: Mat3 = [
    [Math.cos(c), -Math.sin(c), 0],
    [Math.sin(c), Math.cos(c), 0],
    [0, 0, 1],
  ];
  const mul = (p: Mat3, q: Mat3): Mat3 =>
    [0, 1, 2].map((r) =>
      [0, 1, 2].map((col) => p[r]![0] * q[0][col]! + p[r]![1] * q[1][col]! + p[r]![2] * q[2][col]!),
    ) as Mat3;
  return mul(rz, mul(ry, rx));
}

function randomBumps(rng: Rng, count: number, ampLo: number, ampHi: number): Bump[] {
  return Array.from({ length: count }, () => ({
    dir: randomUnit(rng),
    amp: rng.uniform(ampLo, ampHi),
    width: rng.uniform(0.35, 0.6),
  }));
}

/** Random low-order surface deformation; `amp` ≈ the typical relative radius change. */
function randomHarmonics(rng: Rng, amp: number): number[] {
  return Array.from({ length: HARMONIC_TERMS }, (_, n) => {
    const degreeScale = n < 3 ? 0.5 : n < 9 ? 1 : 0.7;
    return amp * degreeScale * rng.normal();
  });
}

function blob(rng: Rng, centre: Vec3, semi: Vec3, maxDeg: number, amp: number): BlobShape {
  return {
    kind: 'blob',
    centreMm: centre,
    axes: randomRotation(rng, maxDeg),
    semiAxesMm: semi,
    harmonics: randomHarmonics(rng, amp),
    bumps: [],
  };
}

/** Points of a quadratic Bézier curve, `count` samples including both ends. */
function bezier(p0: Vec3, p1: Vec3, p2: Vec3, count: number): Vec3[] {
  return Array.from({ length: count }, (_, n) => {
    const t = n / (count - 1);
    const a = (1 - t) * (1 - t);
    const b = 2 * t * (1 - t);
    const c = t * t;
    return [0, 1, 2].map((x) => a * p0[x]! + b * p1[x]! + c * p2[x]!) as Vec3;
  });
}

function tube(points: Vec3[], radius: (t: number) => number): TubeShape {
  return {
    kind: 'tube',
    pointsMm: points,
    radiiMm: points.map((_, n) => radius(n / Math.max(1, points.length - 1))),
  };
}

function insideGrid(grid: Grid, p: Vec3): boolean {
  return [0, 1, 2].every((a) => {
    const t = (p[a]! - grid.originMm[a]!) / grid.spacingMm[a]!;
    return t >= 0 && t <= grid.dims[a]! - 1;
  });
}

/** Which ostia the veins leave from: [left/right (−1 left, +1 right), superior/inferior]. */
function veinOstia(rng: Rng): Array<[number, number]> {
  const count = 2 + rng.int(3);
  if (count === 4)
    return [
      [-1, 1],
      [-1, -1],
      [1, 1],
      [1, -1],
    ];
  // Fewer veins model common trunks: a merged side leaves at mid height.
  const pairedSide = rng.next() < 0.5 ? -1 : 1;
  if (count === 3)
    return [
      [pairedSide, 1],
      [pairedSide, -1],
      [-pairedSide, 0],
    ];
  return [
    [-1, rng.uniform(-0.3, 0.3)],
    [1, rng.uniform(-0.3, 0.3)],
  ];
}

function pulmonaryVein(
  rng: Rng,
  grid: Grid,
  body: BlobShape,
  side: number,
  vert: number,
  s: number,
  minRadiusMm: number,
): TubeShape {
  const jitter = (): number => 0.15 * rng.normal();
  const dir = unit([side * 0.75 + jitter(), -0.55 + jitter(), vert * 0.4 + jitter()]);
  const reach = blobRadiusAlong(body, dir);
  const start = add(body.centreMm, scale(dir, 0.4 * reach));
  const ostium = add(body.centreMm, scale(dir, reach));
  const lengthMm = rng.uniform(24, 36) * s;
  // Veins bend laterally towards the hila of the lungs.
  const bend = unit([side * 0.9, rng.uniform(-0.4, 0.1), vert * 0.3 + jitter()]);
  const control = add(ostium, scale(dir, 0.45 * lengthMm));
  const end = add(control, scale(bend, 0.55 * lengthMm));
  const all = bezier(start, control, end, 24);
  // Stop at the first sample outside the grid so a clipped vein never re-enters (stays connected).
  const firstOutside = all.findIndex((p) => !insideGrid(grid, p));
  const points = firstOutside < 0 ? all : all.slice(0, Math.max(2, firstOutside + 1));
  const ostiumRadius = rng.uniform(6, 8) * s;
  const distalRadius = Math.max(rng.uniform(3.5, 5) * s, minRadiusMm);
  // Parameter of each kept point along the full curve, so the taper does not depend on clipping.
  return {
    kind: 'tube',
    pointsMm: points,
    radiiMm: points.map((_, n) => {
      const t = n / (all.length - 1);
      return distalRadius + (ostiumRadius - distalRadius) * Math.exp(-2 * t);
    }),
  };
}

function leftAtrium(rng: Rng, s: number): BlobShape {
  const centre: Vec3 = [rng.uniform(-6, 6) * s, rng.uniform(-6, 6) * s, rng.uniform(-6, 6) * s];
  const semi: Vec3 = [rng.uniform(17, 23) * s, rng.uniform(13, 17) * s, rng.uniform(14, 19) * s];
  return {
    kind: 'blob',
    centreMm: centre,
    axes: randomRotation(rng, 20),
    semiAxesMm: semi,
    harmonics: randomHarmonics(rng, 0.09),
    // A few localised lobulations, like the appendage and the vestibule.
    bumps: randomBumps(rng, 2 + rng.int(3), -0.08, 0.2),
  };
}

function surroundings(rng: Rng, c: Vec3, s: number): PaintStep[] {
  const u = (lo: number, hi: number): number => rng.uniform(lo, hi) * s;
  const at = (x: number, y: number, z: number): Vec3 => [c[0] + x, c[1] + y, c[2] + z];
  const steps: PaintStep[] = [];
  for (const side of [-1, 1]) {
    const centre: Vec3 = [side * u(52, 60), -u(10, 20), 0];
    steps.push({
      tissue: TISSUE.lung,
      shape: blob(rng, centre, [u(26, 32), u(42, 50), 80 * s], 10, 0.05),
    });
  }
  const fatCount = 3 + rng.int(3);
  for (let n = 0; n < fatCount; n++) {
    const centre: Vec3 = [u(-40, 40), u(10, 45), u(-45, 45)];
    steps.push({
      tissue: TISSUE.fat,
      shape: blob(rng, centre, [u(5, 10), u(4, 8), u(5, 10)], 40, 0.12),
    });
  }
  const spine = blob(
    rng,
    [c[0] * 0.3 + u(-3, 3), -u(48, 56), 0],
    [u(15, 18), u(13, 16), 90 * s],
    8,
    0.03,
  );
  steps.push(
    { tissue: TISSUE.cortex, shape: spine },
    { tissue: TISSUE.marrow, shape: scaledBlob(spine, 0.82) },
  );
  // Descending aorta: posterior-left of the atrium, running the whole height of the volume.
  const aortaTop = at(-u(14, 22), -u(24, 30), 0);
  aortaTop[2] = 60 * s;
  const aortaBottom: Vec3 = [aortaTop[0] + u(-4, 4), aortaTop[1] + u(-4, 4), -60 * s];
  const aortaMid: Vec3 = [aortaTop[0] + u(-5, 5), aortaTop[1] + u(-5, 5), 0];
  const aortaRadius = u(9, 12);
  steps.push({
    tissue: TISSUE.descendingAorta,
    shape: tube(bezier(aortaBottom, aortaMid, aortaTop, 12), () => aortaRadius),
  });
  const ra = blob(
    rng,
    at(u(28, 36), u(6, 14), -u(2, 10)),
    [u(16, 21), u(15, 19), u(18, 23)],
    25,
    0.06,
  );
  steps.push(
    { tissue: TISSUE.myocardium, shape: ra },
    { tissue: TISSUE.rightAtrium, shape: scaledBlob(ra, 0.86) },
  );
  const lv = blob(
    rng,
    at(-u(24, 32), u(26, 34), -u(20, 30)),
    [u(26, 32), u(20, 26), u(24, 30)],
    25,
    0.05,
  );
  steps.push(
    { tissue: TISSUE.myocardium, shape: lv },
    { tissue: TISSUE.ventricle, shape: scaledBlob(lv, 0.7) },
  );
  const rootRadius = u(11, 14);
  const root = bezier(
    at(u(6, 14), u(22, 30), -u(10, 20)),
    at(u(4, 12), u(26, 34), u(10, 20)),
    [c[0] + u(2, 10), c[1] + u(26, 34), 60 * s],
    10,
  );
  steps.push({ tissue: TISSUE.ascendingAorta, shape: tube(root, () => rootRadius) });
  if (rng.next() < 0.7) {
    const trunkRadius = u(9, 12);
    const trunk = bezier(
      at(-u(4, 10), u(32, 40), u(5, 15)),
      at(-u(18, 26), u(22, 30), u(20, 30)),
      at(-u(28, 40), u(0, 10), u(28, 38)),
      10,
    );
    steps.push({
      tissue: TISSUE.pulmonaryArtery,
      shape: tube(trunk, (t) => trunkRadius * (1 - 0.25 * t)),
    });
  }
  return steps;
}

/**
 * Lays out one case. `s` scales the whole anatomy so it fits a smaller field of view;
 * vein radii never drop below about one voxel so thin branches stay connected on the grid.
 */
export function layoutAnatomy(rng: Rng, grid: Grid): DemoAnatomy {
  const fov = grid.dims.map((n, a) => n * grid.spacingMm[a]!);
  const s = Math.min(...fov.map((f, a) => f / REFERENCE_FOV_MM[a]!));
  const atriumBody = leftAtrium(rng, s);
  const minRadiusMm = 0.9 * Math.max(...grid.spacingMm);
  const veins = veinOstia(rng).map(([side, vert]) =>
    pulmonaryVein(rng, grid, atriumBody, side, vert, s, minRadiusMm),
  );
  const steps = surroundings(rng, atriumBody.centreMm, s);
  return { steps, atriumBody, veins };
}
