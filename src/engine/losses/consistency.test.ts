// Unit tests (Node, TF.js cpu) for the consistency loss and the clamped Gaussian input noise.

import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { createRng } from '../../core/random';
import {
  certaintyMask,
  consistencyLoss,
  sampleInputNoise,
  uncertaintyThreshold,
} from './consistency';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('consistencyLoss', () => {
  it('is the MSE with gradient 2(s − t)/n to the student and none to the teacher', () => {
    const s = tf.tensor([0.2, 0.8, 0.6, 0.4]);
    const t = tf.tensor([0.5, 0.5, 0.1, 0.9]);
    expect(consistencyLoss(s, t).dataSync()[0]).toBeCloseTo((0.09 + 0.09 + 0.25 + 0.25) / 4, 6);
    const [gs, gt] = tf.grads((a: tf.Tensor, b: tf.Tensor) => consistencyLoss(a, b))([s, t]);
    const want = [-0.15, 0.15, 0.25, -0.25];
    Array.from(gs.dataSync()).forEach((g, i) => expect(g).toBeCloseTo(want[i], 6));
    expect(Array.from(gt.dataSync())).toEqual([0, 0, 0, 0]);
  });
});

describe('the uncertainty-masked consistency (UA-MT)', () => {
  // Two voxels × 2 classes; the mask keeps the first only.
  const s = tf.tensor([0.2, 0.8, 0.6, 0.4], [2, 2]);
  const t = tf.tensor([0.5, 0.5, 0.1, 0.9], [2, 2]);

  it('averages over the kept voxels and classes, with gradient there only', () => {
    const mask = tf.tensor([1, 0], [2, 1]);
    // Σ mask·(s − t)² / (K·Σ mask) = (0.09 + 0.09) / 2.
    expect(consistencyLoss(s, t, mask).dataSync()[0]).toBeCloseTo(0.09, 6);
    const g = tf
      .grad((a: tf.Tensor) => consistencyLoss(a, t, mask))(s)
      .dataSync();
    [-0.3, 0.3, 0, 0].forEach((want, i) => expect(g[i]).toBeCloseTo(want, 6));
    expect(consistencyLoss(s, t, tf.tensor([1, 1], [2, 1])).dataSync()[0]).toBeCloseTo(
      consistencyLoss(s, t).dataSync()[0]!,
      6,
    );
    expect(consistencyLoss(s, t, tf.zeros([2, 1])).dataSync()[0]).toBe(0);
  });

  it('keeps voxels whose mean teacher entropy is below the threshold', () => {
    // Entropies (nats): [0.5, 0.5] → ln 2 = 0.693; [0.9, 0.1] → 0.325; [0.99, 0.01] → 0.056.
    const p = tf.tensor([0.5, 0.5, 0.9, 0.1, 0.99, 0.01], [3, 2]);
    expect(Array.from(certaintyMask(p, 0.3).dataSync())).toEqual([0, 0, 1]);
    expect(Array.from(certaintyMask(p, 0.4).dataSync())).toEqual([0, 1, 1]);
    expect(certaintyMask(p, 0.4).shape).toEqual([3, 1]);
    // Passes are averaged before the entropy: two confident passes that disagree are uncertain.
    const a = tf.tensor([0.99, 0.01, 0.99, 0.01], [2, 2]);
    const b = tf.tensor([0.01, 0.99, 0.99, 0.01], [2, 2]);
    expect(Array.from(certaintyMask([a, b], 0.4).dataSync())).toEqual([0, 1]);
  });

  it('ramps the threshold from ¾ ln K to ln K', () => {
    expect(uncertaintyThreshold(0, 2)).toBeCloseTo(0.75 * Math.LN2, 12);
    expect(uncertaintyThreshold(1, 2)).toBeCloseTo(Math.LN2, 12);
    expect(uncertaintyThreshold(0.5, 3)).toBeCloseTo(0.875 * Math.log(3), 12);
  });
});

describe('sampleInputNoise', () => {
  it('is reproducible from a seed, clamped to ±0.2, with std close to 0.1 before clamping', () => {
    const a = sampleInputNoise([4, 8, 16, 16, 1], 42).dataSync();
    const b = sampleInputNoise([4, 8, 16, 16, 1], createRng(42)).dataSync();
    expect(Array.from(a)).toEqual(Array.from(b));
    expect(Array.from(sampleInputNoise([8], 43).dataSync())).not.toEqual(Array.from(a.slice(0, 8)));
    let sum = 0;
    let sq = 0;
    let clipped = 0;
    let largest = 0;
    for (const x of a) {
      largest = Math.max(largest, Math.abs(x));
      if (Math.abs(x) >= 0.2 - 1e-7) clipped++;
      sum += x;
      sq += x * x;
    }
    const n = a.length;
    expect(largest).toBeLessThanOrEqual(0.2 + 1e-7);
    expect(Math.abs(sum / n)).toBeLessThan(0.005);
    // Var of N(0, 0.1²) clamped at 2σ is 0.01 · 0.7737 (truncation) + 0.04 · 0.0455 (mass at ±0.2).
    expect(sq / n).toBeCloseTo(0.01 * 0.7737 + 0.04 * 0.0455, 3);
    expect(clipped / n).toBeCloseTo(0.0455, 2);
  });

  it('honours std and clip options and rejects negative ones', () => {
    const x = sampleInputNoise([1000], 1, { std: 1, clip: 0.5 }).dataSync();
    expect(Math.max(...x)).toBeCloseTo(0.5, 6);
    expect(() => sampleInputNoise([2], 1, { std: -1 })).toThrow(/non-negative/);
  });
});
