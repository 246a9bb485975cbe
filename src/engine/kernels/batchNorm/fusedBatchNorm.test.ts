// Unit tests (Node, cpu and wasm backends) for the fused training-mode BatchNorm: output, batch
// statistics and the gradients w.r.t. x, γ and β (also through the returned statistics) against
// the same BatchNorm built from tf ops on the cpu backend; the compute pool's passes against the
// JavaScript ones and across thread counts and chunkings; routing; no leaked tensors.
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { afterAll, describe, expect, it } from 'vitest';
import { createRng } from '../../../core/random';
import { setBatchNormChunkFloatsForTesting } from './pooledPasses';
import {
  closeComputePool,
  computePoolStats,
  poolEveryJobForTesting,
  setComputeThreads,
} from '../cpu/pool';
import {
  enableFusedBatchNorm,
  enablePooledBatchNorm,
  fusedBatchNormTrain,
  prefersFusedBatchNorm,
} from './fusedBatchNorm';

const EPS = 1e-5;

function randomValues(n: number, seed: number, mean = 0, std = 1): Float32Array {
  const rng = createRng(seed);
  return Float32Array.from({ length: n }, () => mean + std * rng.normal());
}

type Bn = (
  x: tf.Tensor2D,
  g: tf.Tensor,
  b: tf.Tensor,
) => { y: tf.Tensor; m: tf.Tensor; v: tf.Tensor };

const withOps: Bn = (x, g, b) => {
  const { mean, variance } = tf.moments(x, 0);
  const y = tf.add(tf.mul(tf.sub(x, mean), tf.mul(g, tf.rsqrt(tf.add(variance, EPS)))), b);
  return { y, m: mean, v: variance };
};

const fused: Bn = (x, g, b) => {
  const { y, mean, variance } = fusedBatchNormTrain(x, g, b, EPS);
  return { y, m: mean, v: variance };
};

/** Outputs and the gradients of Σ r·y + Σ a·mean + Σ c·variance, as plain arrays. */
function run(bn: Bn, rows: number, c: number, seed: number) {
  return tf.tidy(() => {
    // A large common offset checks the statistics for cancellation.
    const x = tf.tensor2d(randomValues(rows * c, seed, 50, 3), [rows, c]);
    const gamma = tf.tensor1d(randomValues(c, seed + 1, 1, 0.3));
    const beta = tf.tensor1d(randomValues(c, seed + 2));
    const r = tf.tensor2d(randomValues(rows * c, seed + 3), [rows, c]);
    const a = tf.tensor1d(randomValues(c, seed + 4));
    const cv = tf.tensor1d(randomValues(c, seed + 5));
    const out = bn(x, gamma, beta);
    const loss = (withStats: boolean) => (xx: tf.Tensor, gg: tf.Tensor, bb: tf.Tensor) => {
      const o = bn(xx as tf.Tensor2D, gg, bb);
      const main = tf.sum(tf.mul(o.y, r));
      return withStats
        ? tf.add(main, tf.add(tf.sum(tf.mul(o.m, a)), tf.sum(tf.mul(o.v, cv))))
        : main;
    };
    const values = (ts: tf.Tensor[]) => ts.map((t) => t.dataSync() as Float32Array);
    return {
      out: values([out.y, out.m, out.v]),
      grads: values(tf.grads(loss(false))([x, gamma, beta])),
      gradsWithStats: values(tf.grads(loss(true))([x, gamma, beta])),
    };
  });
}

function relErr(actual: Float32Array, expected: Float32Array): number {
  let maxRef = 1e-30;
  let maxDiff = 0;
  for (let i = 0; i < expected.length; i++) {
    maxRef = Math.max(maxRef, Math.abs(expected[i]));
    maxDiff = Math.max(maxDiff, Math.abs(actual[i] - expected[i]));
  }
  return maxDiff / maxRef;
}

afterAll(async () => {
  enableFusedBatchNorm(true);
  enablePooledBatchNorm(true);
  setBatchNormChunkFloatsForTesting(undefined);
  poolEveryJobForTesting(false);
  setComputeThreads(1);
  await closeComputePool();
  await tf.setBackend('cpu');
});

const sameBits = (a: Float32Array, b: Float32Array) =>
  Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(
    Buffer.from(b.buffer, b.byteOffset, b.byteLength),
  );

describe('fusedBatchNormTrain on the compute pool', () => {
  // 2500 rows: three blocks of partial sums, the last one short.
  const [rows, c] = [2500, 8];

  // 8 channels: one group of the kernel's sums; 6: single pairs; 18: two groups and a pair.
  it.each([8, 6, 18])('matches BatchNorm from tf ops, %i channels', async (c) => {
    await tf.setBackend('cpu');
    const ref = run(withOps, rows, c, 11);
    for (const backend of ['cpu', 'wasm']) {
      await tf.setBackend(backend);
      const jobs = computePoolStats.jobs;
      const ours = run(fused, rows, c, 11);
      expect(computePoolStats.jobs, backend).toBeGreaterThan(jobs);
      ['y', 'mean', 'variance'].forEach((name, i) =>
        expect(relErr(ours.out[i], ref.out[i]), `${name} ${backend}`).toBeLessThan(1e-5),
      );
      ['dx', 'dγ', 'dβ'].forEach((name, i) => {
        expect(relErr(ours.grads[i], ref.grads[i]), `${name} ${backend}`).toBeLessThan(2e-4);
        expect(relErr(ours.gradsWithStats[i], ref.gradsWithStats[i]), `${name}+stats`).toBeLessThan(
          2e-4,
        );
      });
    }
  });

  it("gives the JavaScript passes' values, the same bits at 1, 2, 3 threads and in chunks", async () => {
    await tf.setBackend('cpu');
    enablePooledBatchNorm(false);
    const js = run(fused, rows, c, 12);
    enablePooledBatchNorm(true);
    poolEveryJobForTesting(true);
    const all = (r: ReturnType<typeof run>) => [...r.out, ...r.grads, ...r.gradsWithStats];
    let first: Float32Array[] | undefined;
    for (const chunk of [undefined, 2048]) {
      setBatchNormChunkFloatsForTesting(chunk);
      for (const threads of [1, 2, 3]) {
        setComputeThreads(threads);
        const pooled = computePoolStats.pooledJobs;
        const ours = all(run(fused, rows, c, 12));
        const where = `chunk ${chunk ?? 'default'}, ${threads} threads`;
        if (threads > 1 && !chunk)
          expect(computePoolStats.pooledJobs, where).toBeGreaterThan(pooled);
        // Only the order of the float64 sums differs from the JavaScript loops.
        all(js).forEach((values, i) =>
          expect(relErr(ours[i], values), `${i} ${where}`).toBeLessThan(1e-6),
        );
        first ??= ours;
        ours.forEach((values, i) =>
          expect(sameBits(values, first![i]), `${i} ${where}`).toBe(true),
        );
      }
    }
    poolEveryJobForTesting(false);
    setBatchNormChunkFloatsForTesting(undefined);
    setComputeThreads(1);
  });
});

describe('fusedBatchNormTrain', () => {
  it('matches BatchNorm from tf ops: output, statistics, and gradients of x, γ, β', async () => {
    const [rows, c] = [97, 5];
    await tf.setBackend('cpu');
    const ref = run(withOps, rows, c, 1);
    for (const backend of ['cpu', 'wasm']) {
      await tf.setBackend(backend);
      const ours = run(fused, rows, c, 1);
      ['y', 'mean', 'variance'].forEach((name, i) =>
        expect(relErr(ours.out[i], ref.out[i]), `${name} ${backend}`).toBeLessThan(1e-5),
      );
      // The tf-op reference sums in float32 over values near 50, so its gradients carry ~1e-4
      // relative rounding; ours sums in float64.
      ['dx', 'dγ', 'dβ'].forEach((name, i) => {
        expect(relErr(ours.grads[i], ref.grads[i]), `${name} ${backend}`).toBeLessThan(2e-4);
        expect(relErr(ours.gradsWithStats[i], ref.gradsWithStats[i]), `${name}+stats`).toBeLessThan(
          2e-4,
        );
      });
    }
  });

  it('is preferred on the CPU-side backends only, and frees everything it allocates', async () => {
    expect(prefersFusedBatchNorm('wasm')).toBe(true);
    expect(prefersFusedBatchNorm('cpu')).toBe(true);
    expect(prefersFusedBatchNorm('tensorflow')).toBe(false);
    enableFusedBatchNorm(false);
    expect(prefersFusedBatchNorm('cpu')).toBe(false);
    enableFusedBatchNorm(true);
    for (const backend of ['cpu', 'wasm']) {
      await tf.setBackend(backend);
      const gamma = tf.variable(tf.ones([3]));
      const beta = tf.variable(tf.zeros([3]));
      const x = tf.randomNormal([40, 3], 0, 1, 'float32', 7) as tf.Tensor2D;
      const step = () =>
        tf.tidy(() => {
          const { grads } = tf.variableGrads(
            () => tf.sum(tf.square(fusedBatchNormTrain(x, gamma, beta, EPS).y)) as tf.Scalar,
          );
          expect(Object.keys(grads).length).toBe(2);
        });
      step();
      const before = tf.memory().numTensors;
      step();
      step();
      expect(tf.memory().numTensors).toBe(before);
      tf.dispose([gamma, beta, x]);
    }
  });
});
