// Unit tests (Node, TF.js cpu) for the symmetric slice-wise InfoNCE: hand-computed values, both
// directions, temperature, stop-gradient on the teacher.

import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { contrastiveLoss } from './contrastive';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const lse = (...xs: number[]) => Math.log(xs.reduce((s, x) => s + Math.exp(x), 0));

describe('contrastiveLoss', () => {
  it('averages the row (student-anchored) and column (teacher-anchored) InfoNCE', () => {
    const s = tf.tensor2d([
      [1, 0],
      [0, 1],
    ]);
    const t = tf.tensor2d([
      [1, 0],
      [0.6, 0.8],
    ]);
    // S = s·tᵀ / 0.5 = [[2, 1.2], [0, 1.6]]
    const rows = (lse(2, 1.2) - 2 + (lse(0, 1.6) - 1.6)) / 2;
    const cols = (lse(2, 0) - 2 + (lse(1.2, 1.6) - 1.6)) / 2;
    expect(contrastiveLoss(s, t).dataSync()[0]).toBeCloseTo((rows + cols) / 2, 5);
    // τ = 1 halves the logits
    const rows1 = (lse(1, 0.6) - 1 + (lse(0, 0.8) - 0.8)) / 2;
    const cols1 = (lse(1, 0) - 1 + (lse(0.6, 0.8) - 0.8)) / 2;
    expect(contrastiveLoss(s, t, { temperature: 1 }).dataSync()[0]).toBeCloseTo(
      (rows1 + cols1) / 2,
      5,
    );
  });

  it('normalises its inputs (cosine similarity)', () => {
    const s = tf.tensor2d([
      [3, 0],
      [0, 0.5],
    ]);
    const t = tf.tensor2d([
      [2, 0],
      [0, 7],
    ]);
    expect(contrastiveLoss(s, t).dataSync()[0]).toBeCloseTo(Math.log(1 + Math.exp(-2)), 5);
  });

  it('sends finite gradient to the student only', () => {
    const s = tf.randomNormal([6, 4], 0, 1, 'float32', 1);
    const t = tf.randomNormal([6, 4], 0, 1, 'float32', 2);
    const [gs, gt] = tf.grads((a: tf.Tensor, b: tf.Tensor) => contrastiveLoss(a, b))([s, t]);
    expect(gs.dataSync().every(Number.isFinite)).toBe(true);
    expect(gs.dataSync().some((x) => x !== 0)).toBe(true);
    expect(gt.dataSync().every((x) => x === 0)).toBe(true);
  });

  it('rejects mismatched inputs and a non-positive temperature', () => {
    expect(() => contrastiveLoss(tf.zeros([2, 3]), tf.zeros([3, 3]))).toThrow(/shapes/);
    expect(() => contrastiveLoss(tf.zeros([2, 3]), tf.zeros([2, 3]), { temperature: 0 })).toThrow(
      /temperature/,
    );
  });
});
