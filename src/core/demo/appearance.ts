// MRI-like intensity model for the synthetic demo generator (pure, plain Node/browser): tissue
// class means with smooth texture, a slight Gaussian blur (partial volume), a smooth
// multiplicative bias field and Rician noise, quantised to int16.
import type { Rng } from '../random';
import type { Vec3 } from '../volume/volume';
import { TISSUE, TISSUE_COUNT } from './anatomy';
import { blurSeparable, smoothRandomField } from './field';

export interface Appearance {
  /** Mean intensity per tissue class. */
  means: Float32Array;
  /** Relative amplitude of the coarse (≈12 mm) and fine (≈4 mm) texture per class. */
  coarseAmp: Float32Array;
  fineAmp: Float32Array;
  /** Coefficients of the log-bias polynomial: x, y, z, x², y², z², yz (unit cube). */
  bias: number[];
  noiseSigma: number;
  blurSigmaVox: Vec3;
}

/**
 * Relative brightness ranges (× the left-atrium blood signal). The descending and ascending
 * aortas are never darker than the atrium, so no global threshold isolates the target.
 */
const RELATIVE_MEAN: Record<number, [number, number]> = {
  [TISSUE.soft]: [0.34, 0.44],
  [TISSUE.lung]: [0.05, 0.09],
  [TISSUE.fat]: [0.62, 0.8],
  [TISSUE.cortex]: [0.1, 0.16],
  [TISSUE.marrow]: [0.45, 0.6],
  [TISSUE.myocardium]: [0.22, 0.3],
  [TISSUE.atrialWall]: [0.22, 0.32],
  [TISSUE.descendingAorta]: [1.0, 1.2],
  [TISSUE.ascendingAorta]: [1.0, 1.25],
  [TISSUE.ventricle]: [0.95, 1.2],
  [TISSUE.rightAtrium]: [0.85, 1.15],
  [TISSUE.pulmonaryArtery]: [0.85, 1.15],
  [TISSUE.leftAtrium]: [1, 1],
};

/** [coarse, fine] texture amplitude per class: parenchyma is mottled, blood nearly flat. */
const TEXTURE: Record<number, [number, number]> = {
  [TISSUE.soft]: [0.12, 0.08],
  [TISSUE.lung]: [0.35, 0.3],
  [TISSUE.fat]: [0.08, 0.06],
  [TISSUE.cortex]: [0.1, 0.05],
  [TISSUE.marrow]: [0.1, 0.1],
  [TISSUE.myocardium]: [0.06, 0.05],
  [TISSUE.atrialWall]: [0.06, 0.05],
};
const BLOOD_TEXTURE: [number, number] = [0.04, 0.03];

export function drawAppearance(rng: Rng): Appearance {
  const blood = rng.uniform(900, 1250);
  const means = new Float32Array(TISSUE_COUNT);
  const coarseAmp = new Float32Array(TISSUE_COUNT);
  const fineAmp = new Float32Array(TISSUE_COUNT);
  for (let t = 0; t < TISSUE_COUNT; t++) {
    const [lo, hi] = RELATIVE_MEAN[t]!;
    means[t] = blood * rng.uniform(lo, hi);
    [coarseAmp[t], fineAmp[t]] = TEXTURE[t] ?? BLOOD_TEXTURE;
  }
  // Linear terms ~±12 %, curvature and the yz cross term ~±6 %; total capped near ±35 %.
  const bias = [0, 1, 2].map(() => 0.12 * rng.normal());
  for (let n = 0; n < 4; n++) bias.push(0.06 * rng.normal());
  const total = bias.reduce((sum, c) => sum + Math.abs(c), 0);
  if (total > 0.35) for (let n = 0; n < bias.length; n++) bias[n]! *= 0.35 / total;
  return {
    means,
    coarseAmp,
    fineAmp,
    bias,
    noiseSigma: blood * rng.uniform(0.025, 0.045),
    blurSigmaVox: [0.6, 0.6, 0.6],
  };
}

/**
 * Multiplies by exp(p(x) + q(y, z)) over coordinates scaled to [−1, 1]: a smooth bias that
 * factorises into a per-column and a per-row term, so it costs no exp per voxel.
 */
function applyBias(data: Float32Array, dims: Vec3, c: number[]): void {
  const [nx, ny, nz] = dims;
  const coord = (n: number, size: number): number => (size > 1 ? (2 * n) / (size - 1) - 1 : 0);
  const column = new Float32Array(nx);
  for (let i = 0; i < nx; i++) {
    const x = coord(i, nx);
    column[i] = Math.exp(c[0]! * x + c[3]! * x * x);
  }
  for (let k = 0; k < nz; k++) {
    const z = coord(k, nz);
    for (let j = 0; j < ny; j++) {
      const y = coord(j, ny);
      const rowGain = Math.exp(
        c[1]! * y + c[2]! * z + c[4]! * y * y + c[5]! * z * z + c[6]! * y * z,
      );
      const row = nx * (j + ny * k);
      for (let i = 0; i < nx; i++) data[row + i]! *= rowGain * column[i]!;
    }
  }
}

/** Pairs of independent standard normals by Marsaglia's polar method (no trigonometry). */
function fillNormalPairs(rng: Rng, count: number): Float32Array {
  const out = new Float32Array(2 * count);
  for (let n = 0; n < out.length; n += 2) {
    let u: number;
    let v: number;
    let s: number;
    do {
      u = 2 * rng.next() - 1;
      v = 2 * rng.next() - 1;
      s = u * u + v * v;
    } while (s >= 1 || s === 0);
    const f = Math.sqrt((-2 * Math.log(s)) / s);
    out[n] = u * f;
    out[n + 1] = v * f;
  }
  return out;
}

/**
 * Renders tissue classes to an int16 MRI-like image. Texture and noise draw from their own
 * generators so the anatomy of a seed does not depend on them.
 */
export function renderImage(
  tissue: Uint8Array,
  dims: Vec3,
  spacingMm: Vec3,
  appearance: Appearance,
  rng: Rng,
): Int16Array {
  const coarse = smoothRandomField(dims, spacingMm.map((s) => 12 / s) as Vec3, rng.fork());
  const fine = smoothRandomField(
    dims,
    spacingMm.map((s) => Math.max(4 / s, 1.5)) as Vec3,
    rng.fork(),
  );
  const { means, coarseAmp, fineAmp } = appearance;
  const signal = new Float32Array(tissue.length);
  for (let v = 0; v < tissue.length; v++) {
    const t = tissue[v]!;
    signal[v] = means[t]! * (1 + coarseAmp[t]! * coarse[v]! + fineAmp[t]! * fine[v]!);
  }
  blurSeparable(signal, dims, appearance.blurSigmaVox);
  applyBias(signal, dims, appearance.bias);
  // Rician magnitude: |signal + complex Gaussian noise|, which lifts the dark lung floor.
  const noise = fillNormalPairs(rng.fork(), signal.length);
  const sigma = appearance.noiseSigma;
  const out = new Int16Array(tissue.length);
  for (let v = 0; v < signal.length; v++) {
    const re = Math.max(0, signal[v]!) + sigma * noise[2 * v]!;
    const im = sigma * noise[2 * v + 1]!;
    out[v] = Math.min(32767, Math.round(Math.sqrt(re * re + im * im)));
  }
  return out;
}
