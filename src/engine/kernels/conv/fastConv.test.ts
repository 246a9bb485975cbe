// Unit tests (Node, cpu and wasm backends) for the matMul-based conv: output and both gradients
// against tf.conv3d and its registered gradients on the cpu backend (the wasm backprop kernels of
// tfjs 4.22 are wrong, so wasm results are checked against cpu references too), chunking, the
// compute pool's path against the plain one and across thread counts, the routing decision,
// memory, and use inside tf.variableGrads / tf.tidy.
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRng } from '../../../core/random';
import {
  closeComputePool,
  computePoolStats,
  poolEveryJobForTesting,
  setComputeThreads,
} from '../cpu/pool';
import {
  conv3dFast,
  enableMatMulConv3d,
  enablePooledConv3d,
  MATMUL_CONV3D_KERNEL,
  prefersMatMulConv3d,
} from './fastConv';
import { VNET_PRESETS } from '../../model/config';
import { conv } from '../../model/layers';
import { disposeParams, initParams } from '../../model/params';
import { forward } from '../../model/vnet';

interface Case {
  name: string;
  x: [number, number, number, number, number];
  k: number;
  cout: number;
  stride: number;
  padding: 'same' | 'valid';
}

const CASES: Case[] = [
  { name: "3³ 'same', odd sizes, 3→4, batch 2", x: [2, 5, 6, 7, 3], k: 3, cout: 4, stride: 1, padding: 'same' },
  { name: "3³ 'same', 6→2", x: [1, 4, 3, 5, 6], k: 3, cout: 2, stride: 1, padding: 'same' },
  { name: "3³ 'same', 1→8 (first conv)", x: [2, 4, 6, 4, 1], k: 3, cout: 8, stride: 1, padding: 'same' },
  { name: "2³ s2 'valid', 2→5, batch 3", x: [3, 6, 4, 8, 2], k: 2, cout: 5, stride: 2, padding: 'valid' },
  { name: "2³ s2 'valid', odd sizes, 4→3", x: [2, 7, 5, 9, 4], k: 2, cout: 3, stride: 2, padding: 'valid' },
  { name: "3³ s1 'valid', 2→3", x: [1, 6, 5, 7, 2], k: 3, cout: 3, stride: 1, padding: 'valid' },
  { name: "3³ s2 'valid' (overlapping windows)", x: [1, 7, 5, 9, 2], k: 3, cout: 3, stride: 2, padding: 'valid' },
]; // prettier-ignore

interface Data {
  x: Float32Array;
  kernel: Float32Array;
  /** Random cotangent: the loss is Σ r·conv(x, kernel). */
  r: Float32Array;
  yShape: number[];
}

function randomValues(n: number, seed: number): Float32Array {
  const rng = createRng(seed);
  return Float32Array.from({ length: n }, () => rng.normal());
}

function outShape(c: Case): number[] {
  const size = (s: number) => (c.padding === 'same' ? s : Math.floor((s - c.k) / c.stride) + 1);
  return [c.x[0], size(c.x[1]), size(c.x[2]), size(c.x[3]), c.cout];
}

function caseData(c: Case, seed: number): Data {
  const yShape = outShape(c);
  return {
    x: randomValues(tf.util.sizeFromShape(c.x), seed),
    kernel: randomValues(c.k ** 3 * c.x[4] * c.cout, seed + 1),
    r: randomValues(tf.util.sizeFromShape(yShape), seed + 2),
    yShape,
  };
}

type ConvFn = (x: tf.Tensor5D, kernel: tf.Tensor5D) => tf.Tensor5D;

/** Output and both gradients on the active backend, as plain arrays. */
function run(c: Case, d: Data, f: ConvFn) {
  return tf.tidy(() => {
    const x = tf.tensor5d(d.x, c.x);
    const kernel = tf.tensor5d(d.kernel, [c.k, c.k, c.k, c.x[4], c.cout]);
    const r = tf.tensor(d.r, d.yShape);
    const y = f(x, kernel);
    const loss = (a: tf.Tensor, b: tf.Tensor) =>
      tf.sum(tf.mul(f(a as tf.Tensor5D, b as tf.Tensor5D), r));
    const [dx, dk] = tf.grads(loss)([x, kernel]);
    return { y: y.dataSync(), dx: dx.dataSync(), dk: dk.dataSync(), yShape: y.shape };
  });
}

/** Largest difference relative to the reference's largest magnitude. */
function relErr(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  expect(actual.length).toBe(expected.length);
  let maxRef = 1e-30;
  let maxDiff = 0;
  for (let i = 0; i < expected.length; i++) {
    maxRef = Math.max(maxRef, Math.abs(expected[i]));
    maxDiff = Math.max(maxDiff, Math.abs(actual[i] - expected[i]));
  }
  return maxDiff / maxRef;
}

const tfConv =
  (c: Case): ConvFn =>
  (x, k) =>
    tf.conv3d(x, k, c.stride, c.padding);
const fastConv =
  (c: Case, maxChunkFloats?: number): ConvFn =>
  (x, k) =>
    conv3dFast(x, k, c.stride, c.padding, { maxChunkFloats });

beforeAll(async () => {
  await tf.setBackend('cpu');
});

afterAll(async () => {
  enableMatMulConv3d(true);
  enablePooledConv3d(true);
  poolEveryJobForTesting(false);
  setComputeThreads(1);
  await closeComputePool();
  await tf.setBackend('cpu');
});

describe('conv3dFast matches tf.conv3d and its gradients', () => {
  CASES.forEach((c, i) => {
    it(c.name, async () => {
      const d = caseData(c, 100 + 10 * i);
      await tf.setBackend('cpu');
      const ref = run(c, d, tfConv(c));
      expect(ref.yShape).toEqual(d.yShape);
      // Default chunking, and 64-float chunks that split every product into one-plane pieces.
      for (const backend of ['cpu', 'wasm']) {
        await tf.setBackend(backend);
        for (const chunk of [undefined, 64]) {
          const ours = run(c, d, fastConv(c, chunk));
          const where = `${backend}, chunk ${chunk ?? 'default'}`;
          expect(ours.yShape, where).toEqual(ref.yShape);
          expect(relErr(ours.y, ref.y), `y ${where}`).toBeLessThan(1e-5);
          expect(relErr(ours.dx, ref.dx), `dx ${where}`).toBeLessThan(1e-5);
          expect(relErr(ours.dk, ref.dk), `dkernel ${where}`).toBeLessThan(1e-5);
        }
      }
    });
  });

  it("rejects 'same' with stride 2 and kernels that do not match the input", () => {
    const x = tf.zeros([1, 4, 4, 4, 2]) as tf.Tensor5D;
    expect(() => conv3dFast(x, tf.zeros([3, 3, 3, 2, 1]) as tf.Tensor5D, 2, 'same')).toThrow(
      /stride 1/,
    );
    expect(() => conv3dFast(x, tf.zeros([3, 3, 3, 3, 1]) as tf.Tensor5D, 1, 'same')).toThrow(
      /input channels/,
    );
  });
});

function sameBits(a: Float32Array, b: Float32Array): boolean {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(
    Buffer.from(b.buffer, b.byteOffset, b.byteLength),
  );
}

describe('conv3dFast on the compute pool', () => {
  beforeAll(() => poolEveryJobForTesting(true));
  afterAll(() => poolEveryJobForTesting(false));

  CASES.forEach((c, i) => {
    it(`gives the plain path's values, the same bits at 1, 2 and 3 threads: ${c.name}`, async () => {
      const d = caseData(c, 300 + 10 * i);
      for (const backend of ['cpu', 'wasm']) {
        await tf.setBackend(backend);
        enablePooledConv3d(false);
        const plain = run(c, d, fastConv(c));
        enablePooledConv3d(true);
        for (const chunk of [undefined, 1000, 64]) {
          let first: ReturnType<typeof run> | undefined;
          for (const threads of [1, 2, 3]) {
            setComputeThreads(threads);
            const pooled = computePoolStats.pooledJobs;
            const ours = run(c, d, fastConv(c, chunk));
            const where = `${backend}, chunk ${chunk ?? 'default'}, ${threads} threads`;
            // (64-float chunks leave single-item jobs, which never wake the workers.)
            if (threads > 1 && !chunk)
              expect(computePoolStats.pooledJobs, where).toBeGreaterThan(pooled);
            expect(relErr(ours.y, plain.y), `y ${where}`).toBeLessThan(1e-5);
            expect(relErr(ours.dx, plain.dx), `dx ${where}`).toBeLessThan(1e-5);
            expect(relErr(ours.dk, plain.dk), `dkernel ${where}`).toBeLessThan(1e-5);
            first ??= ours;
            for (const key of ['y', 'dx', 'dk'] as const) {
              expect(
                sameBits(ours[key] as Float32Array, first[key] as Float32Array),
                `${key} ${where}`,
              ).toBe(true);
            }
          }
        }
      }
      setComputeThreads(1);
    });
  });
});

describe('routing', () => {
  it('sends the CPU-side backends to conv3dFast and keeps tf.conv3d elsewhere', () => {
    expect(prefersMatMulConv3d('wasm')).toBe(true);
    expect(prefersMatMulConv3d('cpu')).toBe(true);
    for (const other of ['tensorflow', 'webgl', 'webgpu', '']) {
      expect(prefersMatMulConv3d(other)).toBe(false);
    }
    enableMatMulConv3d(false);
    expect(prefersMatMulConv3d('wasm')).toBe(false);
    enableMatMulConv3d(true);
  });

  it('layers.conv runs the matMul kernel on cpu, and tf.conv3d when switched off', async () => {
    await tf.setBackend('cpu');
    const kernelsOf = async () => {
      const info = await tf.profile(() => {
        const x = tf.ones([1, 4, 4, 4, 2]) as tf.Tensor5D;
        return conv(x, tf.ones([3, 3, 3, 2, 3]), tf.zeros([3]), 1);
      });
      tf.dispose(info.result as tf.Tensor);
      return info.kernelNames;
    };
    expect(await kernelsOf()).toContain(MATMUL_CONV3D_KERNEL);
    enableMatMulConv3d(false);
    try {
      const names = await kernelsOf();
      expect(names).toContain('Conv3D');
      expect(names).not.toContain(MATMUL_CONV3D_KERNEL);
    } finally {
      enableMatMulConv3d(true);
    }
  });
});

describe('memory and autodiff', () => {
  for (const backend of ['cpu', 'wasm']) {
    it(`leaks no tensors over repeated forward/backward inside tf.variableGrads (${backend})`, async () => {
      await tf.setBackend(backend);
      const kernel = tf.variable(tf.randomNormal([3, 3, 3, 2, 4], 0, 1, 'float32', 1));
      const down = tf.variable(tf.randomNormal([2, 2, 2, 4, 3], 0, 1, 'float32', 2));
      const x = tf.randomNormal([2, 4, 6, 4, 2], 0, 1, 'float32', 3) as tf.Tensor5D;
      const step = () =>
        tf.tidy(() => {
          const { value, grads } = tf.variableGrads(() => {
            const h = tf.relu(conv3dFast(x, kernel as tf.Tensor5D, 1, 'same'));
            return tf.sum(tf.square(conv3dFast(h, down as tf.Tensor5D, 2, 'valid'))) as tf.Scalar;
          });
          expect(Object.keys(grads).sort()).toEqual([down.name, kernel.name].sort());
          expect(grads[kernel.name].shape).toEqual(kernel.shape);
          expect(Number.isFinite(value.dataSync()[0])).toBe(true);
        });
      step();
      const before = tf.memory().numTensors;
      for (let i = 0; i < 3; i++) step();
      expect(tf.memory().numTensors).toBe(before);
      tf.dispose([kernel, down, x]);
    });
  }
});

describe('V-Net on wasm', () => {
  it('gives the cpu outputs and gradients (cpu is checked against PyTorch)', async () => {
    const config = { ...VNET_PRESETS.tiny, depth: 2, init: 'kaiming-normal' as const };
    const input = randomValues(2 * 8 * 12 * 4, 9);
    const outputs = async (backend: string) => {
      await tf.setBackend(backend);
      const params = initParams(config, 3);
      const x = tf.tensor5d(input, [2, 8, 12, 4, 1]);
      const { value, grads } = tf.variableGrads(() => {
        const o = forward(params, x, { training: true, dropout: false, bnMode: 'batch' });
        const r = tf.sin(tf.range(0, o.logits.size).reshape(o.logits.shape));
        return tf.add(tf.sum(tf.mul(o.logits, r)), tf.sum(o.sdm!)) as tf.Scalar;
      });
      const byKey = new Map<string, Float32Array>();
      for (const spec of params.specs) {
        const g = grads[params.vars.get(spec.key)!.name];
        if (g) byKey.set(spec.key, g.dataSync() as Float32Array);
      }
      const loss = value.dataSync()[0];
      tf.dispose([value, x, ...Object.values(grads)]);
      disposeParams(params);
      return { loss, byKey };
    };
    const ref = await outputs('cpu');
    const ours = await outputs('wasm');
    expect(ours.loss).toBeCloseTo(ref.loss, 3);
    expect([...ours.byKey.keys()]).toEqual([...ref.byKey.keys()]);
    for (const [key, g] of ref.byKey) {
      // A conv bias in front of batch-statistics BN cancels out: its gradient is rounding noise.
      if (key.endsWith('.bias') && ref.byKey.has(key.replace(/bias$/, 'bn.gamma'))) continue;
      expect(relErr(ours.byKey.get(key)!, g), key).toBeLessThan(1e-3);
    }
  });
});
