// Unit tests (Node, TF.js cpu) for the loss helpers: stop-gradient and safe L2 normalisation.

import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { l2Normalize, meanSquaredError, stopGradient } from './tensorOps';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('stopGradient', () => {
  it('passes values and blocks gradients', () => {
    const x = tf.tensor([1, -2, 3]);
    expect(Array.from(stopGradient(x).dataSync())).toEqual([1, -2, 3]);
    const [gx, gy] = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(stopGradient(a), b)))([
      x,
      tf.tensor([4, 5, 6]),
    ]);
    expect(Array.from(gx.dataSync())).toEqual([0, 0, 0]);
    expect(Array.from(gy.dataSync())).toEqual([1, -2, 3]);
  });
});

describe('l2Normalize', () => {
  it('gives unit rows and leaves zero rows zero with finite gradients', () => {
    const x = tf.tensor2d([
      [3, 4],
      [0, 0],
    ]);
    expect(Array.from(l2Normalize(x).dataSync())).toEqual([
      0.6000000238418579, 0.800000011920929, 0, 0,
    ]);
    const g = tf.grad((a: tf.Tensor) =>
      tf.sum(
        tf.mul(
          l2Normalize(a),
          tf.tensor2d([
            [1, 2],
            [3, 4],
          ]),
        ),
      ),
    )(x);
    expect(g.dataSync().every(Number.isFinite)).toBe(true);
  });

  it('meanSquaredError rejects different shapes', () => {
    expect(() => meanSquaredError(tf.zeros([2]), tf.zeros([3]))).toThrow(/shapes/);
  });
});
