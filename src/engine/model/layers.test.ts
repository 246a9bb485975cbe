// Unit tests (Node, cpu backend) for the V-Net building blocks: the depth-to-space up-sampling
// against tf.conv3dTranspose, its gradient against the adjoint conv, BatchNorm, dropout.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { batchNorm, channelDropout, conv, pointwiseConv, upsample2x } from './layers';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

function maxAbsDiff(a: tf.Tensor, b: tf.Tensor): number {
  expect(a.shape).toEqual(b.shape);
  return tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]);
}

describe('upsample2x', () => {
  it('equals tf.conv3dTranspose k=2 s=2 plus bias (random weights, non-cubic shape)', () => {
    tf.tidy(() => {
      const [n, d, h, w, cin, cout] = [2, 3, 2, 4, 5, 3];
      const x = tf.randomNormal([n, d, h, w, cin], 0, 1, 'float32', 1) as tf.Tensor5D;
      const kernel = tf.randomNormal([2, 2, 2, cout, cin], 0, 1, 'float32', 2);
      const bias = tf.randomNormal([cout], 0, 1, 'float32', 3);
      const expected = tf.add(
        tf.conv3dTranspose(x, kernel as tf.Tensor5D, [n, 2 * d, 2 * h, 2 * w, cout], 2, 'valid'),
        bias,
      );
      const actual = upsample2x(x, kernel, bias);
      expect(actual.shape).toEqual([n, 2 * d, 2 * h, 2 * w, cout]);
      expect(maxAbsDiff(actual, expected)).toBeLessThan(1e-5);
    });
  });

  it('has the gradients of a transposed conv (adjoint of the stride-2 conv)', () => {
    tf.tidy(() => {
      const [n, d, h, w, cin, cout] = [1, 2, 3, 2, 4, 3];
      const x = tf.randomNormal([n, d, h, w, cin], 0, 1, 'float32', 4) as tf.Tensor5D;
      const kernel = tf.randomNormal([2, 2, 2, cout, cin], 0, 1, 'float32', 5);
      const bias = tf.zeros([cout]);
      const r = tf.randomNormal([n, 2 * d, 2 * h, 2 * w, cout], 0, 1, 'float32', 6) as tf.Tensor5D;
      const [gx, gk] = tf.grads((xx: tf.Tensor, kk: tf.Tensor) =>
        tf.sum(tf.mul(upsample2x(xx as tf.Tensor5D, kk, bias), r)),
      )([x, kernel]);
      // Adjoint identity: Σ r·convT(x, K) = Σ x·conv(r, K, stride 2), so d/dx is conv(r, K)
      // and d/dK is the (registered) filter gradient of that conv.
      const expectedGx = tf.conv3d(r, kernel as tf.Tensor5D, 2, 'valid');
      const expectedGk = tf.grad((kk: tf.Tensor) =>
        tf.sum(tf.mul(tf.conv3d(r, kk as tf.Tensor5D, 2, 'valid'), x)),
      )(kernel);
      expect(maxAbsDiff(gx, expectedGx)).toBeLessThan(1e-4);
      expect(maxAbsDiff(gk, expectedGk)).toBeLessThan(1e-4);
    });
  });
});

describe('conv', () => {
  it('1×1×1 conv via matMul equals tf.conv3d', () => {
    tf.tidy(() => {
      const x = tf.randomNormal([2, 3, 4, 5, 6], 0, 1, 'float32', 7) as tf.Tensor5D;
      const k = tf.randomNormal([1, 1, 1, 6, 4], 0, 1, 'float32', 8);
      const b = tf.randomNormal([4], 0, 1, 'float32', 9);
      const expected = tf.add(tf.conv3d(x, k as tf.Tensor5D, 1, 'same'), b);
      expect(maxAbsDiff(pointwiseConv(x, k, b), expected)).toBeLessThan(1e-5);
      expect(maxAbsDiff(conv(x, k, b, 1), expected)).toBeLessThan(1e-5);
    });
  });

  it('3×3×3 keeps the size, the k=2 down conv halves it', () => {
    tf.tidy(() => {
      const x = tf.ones([1, 4, 6, 8, 2]) as tf.Tensor5D;
      expect(conv(x, tf.ones([3, 3, 3, 2, 5]), tf.zeros([5]), 1).shape).toEqual([1, 4, 6, 8, 5]);
      const down = conv(x, tf.ones([2, 2, 2, 2, 5]), tf.zeros([5]), 2);
      expect(down.shape).toEqual([1, 2, 3, 4, 5]);
      expect(down.dataSync()[0]).toBe(16);
    });
  });
});

describe('batchNorm', () => {
  function bnVars(c: number, seed: number) {
    return {
      gamma: tf.variable(tf.randomUniform([c], 0.5, 1.5, 'float32', seed)),
      beta: tf.variable(tf.randomNormal([c], 0, 1, 'float32', seed + 1)),
      movingMean: tf.variable(tf.randomNormal([c], 0, 1, 'float32', seed + 2), false),
      movingVariance: tf.variable(tf.randomUniform([c], 0.5, 2, 'float32', seed + 3), false),
    };
  }

  it('batch mode normalises per channel and updates the moving stats like PyTorch', () => {
    const bn = bnVars(3, 10);
    const m0 = bn.movingMean.arraySync() as number[];
    const v0 = bn.movingVariance.arraySync() as number[];
    const x = tf.randomNormal([2, 2, 3, 2, 3], 2, 3, 'float32', 11) as tf.Tensor5D;
    const y = batchNorm(x, bn, { mode: 'batch', updateMoving: true, momentum: 0.1, epsilon: 1e-5 });
    const xs = x.reshape([-1, 3]).arraySync() as number[][];
    const ys = y.reshape([-1, 3]).arraySync() as number[][];
    const gamma = bn.gamma.arraySync() as number[];
    const beta = bn.beta.arraySync() as number[];
    const m1 = bn.movingMean.arraySync() as number[];
    const v1 = bn.movingVariance.arraySync() as number[];
    for (let c = 0; c < 3; c++) {
      const col = xs.map((r) => r[c]);
      const mean = col.reduce((a, b) => a + b, 0) / col.length;
      const biased = col.reduce((a, b) => a + (b - mean) ** 2, 0) / col.length;
      col.forEach((v, i) => {
        const expected = ((v - mean) / Math.sqrt(biased + 1e-5)) * gamma[c] + beta[c];
        expect(ys[i][c]).toBeCloseTo(expected, 4);
      });
      expect(m1[c]).toBeCloseTo(0.9 * m0[c] + 0.1 * mean, 5);
      const unbiased = (biased * col.length) / (col.length - 1);
      expect(v1[c]).toBeCloseTo(0.9 * v0[c] + 0.1 * unbiased, 4);
    }
    tf.dispose([x, y, ...Object.values(bn)]);
  });

  it('moving mode uses the stored statistics and changes nothing', () => {
    const bn = bnVars(2, 20);
    const before = bn.movingMean.arraySync() as number[];
    const x = tf.randomNormal([1, 2, 2, 2, 2], 0, 1, 'float32', 21) as tf.Tensor5D;
    const y = batchNorm(x, bn, {
      mode: 'moving',
      updateMoving: true,
      momentum: 0.1,
      epsilon: 1e-5,
    });
    const mean = bn.movingMean.arraySync() as number[];
    const variance = bn.movingVariance.arraySync() as number[];
    const gamma = bn.gamma.arraySync() as number[];
    const beta = bn.beta.arraySync() as number[];
    const xs = x.reshape([-1, 2]).arraySync() as number[][];
    const ys = y.reshape([-1, 2]).arraySync() as number[][];
    xs.forEach((row, i) =>
      row.forEach((v, c) =>
        expect(ys[i][c]).toBeCloseTo(
          ((v - mean[c]) / Math.sqrt(variance[c] + 1e-5)) * gamma[c] + beta[c],
          4,
        ),
      ),
    );
    expect(mean).toEqual(before);
    tf.dispose([x, y, ...Object.values(bn)]);
  });

  it('refuses batch statistics over a single value per channel', () => {
    const bn = bnVars(2, 30);
    const x = tf.ones([1, 1, 1, 1, 2]) as tf.Tensor5D;
    expect(() =>
      batchNorm(x, bn, { mode: 'batch', updateMoving: false, momentum: 0.1, epsilon: 1e-5 }),
    ).toThrow(/more than one value per channel/);
    tf.dispose([x, ...Object.values(bn)]);
  });
});

describe('channelDropout', () => {
  it('drops whole channels per sample and rescales the survivors', () => {
    tf.tidy(() => {
      const [n, c] = [4, 32];
      const y = channelDropout(tf.ones([n, 3, 2, 2, c]) as tf.Tensor5D, 0.5, 123);
      const rows = y
        .transpose([0, 4, 1, 2, 3])
        .reshape([n * c, 12])
        .arraySync() as number[][];
      let dropped = 0;
      for (const row of rows) {
        expect(new Set(row).size).toBe(1);
        expect([0, 2]).toContain(row[0]);
        if (row[0] === 0) dropped += 1;
      }
      // 128 fair coins: outside 30..98 has probability < 1e-8.
      expect(dropped).toBeGreaterThan(30);
      expect(dropped).toBeLessThan(98);
    });
  });

  it('is reproducible for a seed, identity at rate 0, and passes the mask to the gradient', () => {
    tf.tidy(() => {
      const x = tf.randomNormal([2, 2, 2, 2, 8], 0, 1, 'float32', 1) as tf.Tensor5D;
      expect(maxAbsDiff(channelDropout(x, 0.5, 7), channelDropout(x, 0.5, 7))).toBe(0);
      expect(channelDropout(x, 0, 7)).toBe(x);
      const y = channelDropout(x, 0.5, 9);
      const g = tf.grad((xx: tf.Tensor) => tf.sum(channelDropout(xx as tf.Tensor5D, 0.5, 9)))(x);
      // y = x·mask, so dy/dx = mask = y / x.
      expect(maxAbsDiff(g, tf.div(y, x))).toBeLessThan(1e-4);
    });
  });
});
