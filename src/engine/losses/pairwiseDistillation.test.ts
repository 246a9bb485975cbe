// Unit tests (Node, TF.js cpu) for the pair-wise structural distillation (Eq. 4): its floor at
// the full-size bottleneck, reductions, zero features and stop-gradient.

import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { pairwiseDistillationLoss } from './pairwiseDistillation';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('pairwiseDistillationLoss', () => {
  it('has a floor of log(1 + (P − 1)/e) per position: ≈ 4.51 at 245 positions, not 3.5', () => {
    // s = t with mutually orthogonal positions (one-hot channels), full-size grid 7×7×5 × 256.
    const positions = 245;
    const oneHot = tf.oneHot(tf.range(0, positions, 1, 'int32'), 256).reshape([1, 7, 7, 5, 256]);
    const features = tf.concat([oneHot, tf.reverse(oneHot, 1)], 0); // two volumes
    const perPosition = Math.log(1 + (positions - 1) / Math.E);
    expect(perPosition).toBeCloseTo(4.508, 3);
    const summed = pairwiseDistillationLoss(features, features).dataSync()[0];
    expect(summed / positions).toBeCloseTo(perPosition, 4);
    const mean = pairwiseDistillationLoss(features, features, { reduction: 'mean' }).dataSync()[0];
    expect(mean).toBeCloseTo(perPosition, 4);
    // The absolute lower bound (a regular simplex, all off-diagonal cosines −1/(P − 1)) is barely lower.
    const simplex = Math.log(1 + (positions - 1) * Math.exp(-1 - 1 / (positions - 1)));
    const random = tf.randomNormal([1, 7, 7, 5, 256], 0, 1, 'float32', 3);
    const randomSame = pairwiseDistillationLoss(random, random, {
      reduction: 'mean',
    }).dataSync()[0];
    expect(randomSame).toBeGreaterThan(simplex);
    expect(simplex).toBeGreaterThan(4.5);
  });

  it('matches a hand computation for two positions and averages over volumes', () => {
    // volume 0: s = [(1,0), (0,1)], t = [(1,0), (1,0)] → cos = [[1, 1], [0, 0]]
    // volume 1: s = t = [(1,0), (0,1)] → cos = I
    const s = tf.tensor([1, 0, 0, 1, 1, 0, 0, 1], [2, 2, 1, 1, 2]);
    const t = tf.tensor([1, 0, 1, 0, 1, 0, 0, 1], [2, 2, 1, 1, 2]);
    const v0 = Math.log(2) + Math.log(2);
    const v1 = 2 * Math.log(1 + Math.exp(-1));
    expect(pairwiseDistillationLoss(s, t).dataSync()[0]).toBeCloseTo((v0 + v1) / 2, 5);
  });

  it('stays finite for all-zero positions and sends gradient to the student only', () => {
    const s = tf.relu(tf.randomNormal([2, 2, 2, 1, 4], 0, 1, 'float32', 5));
    const zeroed = tf.concat([tf.zeros([1, 2, 2, 1, 4]), s.slice([1], [1])], 0);
    const t = tf.randomNormal([2, 2, 2, 1, 4], 0, 1, 'float32', 6);
    const [gs, gt] = tf.grads((a: tf.Tensor, b: tf.Tensor) => pairwiseDistillationLoss(a, b))([
      zeroed,
      t,
    ]);
    expect(gs.dataSync().every(Number.isFinite)).toBe(true);
    expect(gs.dataSync().some((x) => x !== 0)).toBe(true);
    expect(gt.dataSync().every((x) => x === 0)).toBe(true);
    expect(Number.isFinite(pairwiseDistillationLoss(zeroed, t).dataSync()[0])).toBe(true);
  });
});
