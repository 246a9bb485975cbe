// Unit tests (Node, TF.js cpu) for adaptive average pooling: PyTorch's window rule (overlapping,
// non-divisible and up-sampling cases) and gradients.

import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { adaptiveAvgPool2d, adaptiveAvgPoolMatrix } from './adaptivePool';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

function rows(matrix: Float32Array, inSize: number): number[][] {
  return Array.from({ length: matrix.length / inSize }, (_, o) =>
    Array.from(matrix.subarray(o * inSize, (o + 1) * inSize), (x) => Math.round(x * 1e6) / 1e6),
  );
}

describe('adaptiveAvgPoolMatrix', () => {
  it('uses windows [⌊oI/O⌋, ⌈(o+1)I/O⌉)', () => {
    // 5 → 3: [0,2), [1,4), [3,5) — overlapping windows
    expect(rows(adaptiveAvgPoolMatrix(5, 3), 5)).toEqual([
      [0.5, 0.5, 0, 0, 0],
      [0, 1 / 3, 1 / 3, 1 / 3, 0].map((x) => Math.round(x * 1e6) / 1e6),
      [0, 0, 0, 0.5, 0.5],
    ]);
    // 3 → 4 (up-sampling): [0,1), [0,2), [1,3), [2,3)
    expect(rows(adaptiveAvgPoolMatrix(3, 4), 3)).toEqual([
      [1, 0, 0],
      [0.5, 0.5, 0],
      [0, 0.5, 0.5],
      [0, 0, 1],
    ]);
    expect(() => adaptiveAvgPoolMatrix(0, 3)).toThrow(/positive/);
  });
});

describe('adaptiveAvgPool2d', () => {
  it('averages blocks when sizes divide, and matches the separable windows otherwise', () => {
    const x = tf.tensor(
      Array.from({ length: 16 }, (_, i) => i),
      [1, 4, 4],
    );
    expect(Array.from(adaptiveAvgPool2d(x, [2, 2]).dataSync())).toEqual([2.5, 4.5, 10.5, 12.5]);
    const y = tf.tensor(
      Array.from({ length: 2 * 5 * 3 }, (_, i) => (i * 7) % 11),
      [2, 5, 3],
    );
    const got = adaptiveAvgPool2d(y, [3, 4]).arraySync() as number[][][];
    const data = y.arraySync() as number[][][];
    const window = (o: number, i: number, n: number) => [
      Math.floor((o * i) / n),
      Math.ceil(((o + 1) * i) / n),
    ];
    for (let b = 0; b < 2; b++)
      for (let oh = 0; oh < 3; oh++)
        for (let ow = 0; ow < 4; ow++) {
          const [h0, h1] = window(oh, 5, 3);
          const [w0, w1] = window(ow, 3, 4);
          let sum = 0;
          for (let h = h0; h < h1; h++) for (let w = w0; w < w1; w++) sum += data[b][h][w];
          expect(got[b][oh][ow]).toBeCloseTo(sum / ((h1 - h0) * (w1 - w0)), 5);
        }
  });

  it('has the transposed averaging as gradient', () => {
    const g = tf.grad((v: tf.Tensor) => tf.sum(adaptiveAvgPool2d(v, [2, 2])))(tf.ones([1, 4, 6]));
    expect(Array.from(g.dataSync()).every((v) => Math.abs(v - 1 / 6) < 1e-7)).toBe(true);
  });
});
