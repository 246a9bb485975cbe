// Unit tests (Node, TF.js cpu) for the projection head: shapes, slice order and axes, unit
// norm, dropout on/off, reproducibility, cloning and gradients.

import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { createRng } from '../../core/random';
import {
  DEFAULT_PROJECTION_HEAD_CONFIG,
  cloneProjectionHead,
  createProjectionHead,
  projectionHeadForward,
  projectionHeadVariables,
} from './projectionHead';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const small = { poolSize: 4, hiddenWidths: [8, 8], outputWidth: 6 };

function randomQ(shape: number[], seed: number): tf.Tensor {
  const rng = createRng(seed);
  const size = shape.reduce((a, b) => a * b, 1);
  return tf.tensor(
    Float32Array.from({ length: size }, () => rng.normal()),
    shape,
  );
}

describe('projection head', () => {
  it('defaults to 16384→512→512→128 with p = 0.1 on D-slices', () => {
    expect(DEFAULT_PROJECTION_HEAD_CONFIG).toEqual({
      poolSize: 128,
      hiddenWidths: [512, 512],
      outputWidth: 128,
      dropoutRate: 0.1,
      sliceAxis: 'D',
    });
    const head = createProjectionHead(createRng(1), small);
    expect(head.layers.map((l) => l.weight.shape)).toEqual([
      [16, 8],
      [8, 8],
      [8, 6],
    ]);
    const bound = 1 / Math.sqrt(16);
    const w = head.layers[0].weight.dataSync();
    expect(Math.max(...w.map(Math.abs))).toBeLessThanOrEqual(bound);
  });

  it('gives one unit-length embedding per slice, volume-major', () => {
    const head = createProjectionHead(createRng(2), small);
    const q = randomQ([2, 3, 5, 6, 1], 3);
    const emb = projectionHeadForward(head, q, { training: false });
    expect(emb.shape).toEqual([6, 6]);
    const norms = tf.norm(emb, 2, 1).dataSync();
    norms.forEach((n) => expect(n).toBeCloseTo(1, 5));
    // Row n·S + s must be the embedding of slice s of volume n alone.
    const slice = tf.slice(q, [1, 2, 0, 0, 0], [1, 1, 5, 6, 1]);
    const alone = projectionHeadForward(head, slice, { training: false }).dataSync();
    const row = emb.slice([1 * 3 + 2, 0], [1, 6]).dataSync();
    Array.from(alone).forEach((v, i) => expect(row[i]).toBeCloseTo(v, 5));
  });

  it('slices along H or W when asked, keeping the other axes in tensor order', () => {
    const q = randomQ([2, 3, 5, 6, 1], 4);
    const byD = createProjectionHead(createRng(5), small);
    const byH = cloneProjectionHead(byD, 'h');
    byH.config.sliceAxis = 'H';
    const byW = cloneProjectionHead(byD, 'w');
    byW.config.sliceAxis = 'W';
    const h = projectionHeadForward(byH, q, { training: false });
    const w = projectionHeadForward(byW, q, { training: false });
    expect(h.shape).toEqual([10, 6]);
    expect(w.shape).toEqual([12, 6]);
    const hViaD = projectionHeadForward(byD, tf.transpose(q, [0, 2, 1, 3, 4]), { training: false });
    const wViaD = projectionHeadForward(byD, tf.transpose(q, [0, 3, 1, 2, 4]), { training: false });
    expect(tf.max(tf.abs(tf.sub(h, hViaD))).dataSync()[0]).toBeLessThan(1e-6);
    expect(tf.max(tf.abs(tf.sub(w, wViaD))).dataSync()[0]).toBeLessThan(1e-6);
  });

  it('applies dropout only in training, reproducibly from the rng', () => {
    const head = createProjectionHead(createRng(6), { ...small, dropoutRate: 0.3 });
    const q = randomQ([1, 2, 5, 6, 1], 7);
    const evalA = projectionHeadForward(head, q, { training: false }).dataSync();
    const trainA = projectionHeadForward(head, q, { training: true, rng: createRng(8) }).dataSync();
    const trainB = projectionHeadForward(head, q, { training: true, rng: createRng(8) }).dataSync();
    expect(Array.from(trainA)).toEqual(Array.from(trainB));
    expect(Array.from(trainA)).not.toEqual(Array.from(evalA));
    expect(() => projectionHeadForward(head, q, { training: true })).toThrow(/rng/);
  });

  it('has finite, non-zero gradients for Q and every parameter', () => {
    const head = createProjectionHead(createRng(9), small);
    const q = randomQ([2, 2, 5, 6, 1], 10);
    const target = randomQ([4, 6], 11);
    const { value, grads } = tf.variableGrads(
      () =>
        tf.sum(
          tf.mul(projectionHeadForward(head, q, { training: true, rng: createRng(12) }), target),
        ) as tf.Scalar,
      projectionHeadVariables(head),
    );
    expect(Number.isFinite(value.dataSync()[0])).toBe(true);
    for (const variable of projectionHeadVariables(head)) {
      const g = grads[variable.name].dataSync();
      expect(g.every(Number.isFinite)).toBe(true);
      expect(g.some((x) => x !== 0)).toBe(true);
    }
    const gq = tf.grad((x: tf.Tensor) =>
      tf.sum(tf.mul(projectionHeadForward(head, x, { training: false }), target)),
    )(q);
    expect(gq.dataSync().every(Number.isFinite)).toBe(true);
  });

  it('rejects multi-channel inputs and bad configs', () => {
    const head = createProjectionHead(createRng(13), small);
    expect(() =>
      projectionHeadForward(head, tf.zeros([1, 2, 3, 3, 2]), { training: false }),
    ).toThrow(/one channel/);
    expect(() => createProjectionHead(createRng(1), { poolSize: 0 })).toThrow(/positive/);
    expect(() => createProjectionHead(createRng(1), { ...small, dropoutRate: 2 })).toThrow(/rate/);
  });
});
