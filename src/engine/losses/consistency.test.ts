// Unit tests (Node, TF.js cpu) for the consistency loss and the clamped Gaussian input noise.

import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { createRng } from '../../core/random';
import { consistencyLoss, sampleInputNoise } from './consistency';

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
