// The WebGPU engine backend on a real WebGPU adapter (Node, dawn.node on Debian chromium's
// SwiftShader Vulkan driver: software, so tiny shapes), every result compared with the cpu
// backend: the vol2col convolution and both its gradients (several blocks), the two-pass
// reductions, a V-Net forward pass with every parameter gradient, one whole SimCVD step (all
// four losses, SGD, EMA teacher) and sliding-window inference. Also: the correctness probe
// refuses a broken kernel, an invalid shader fails loudly, and 'auto' never takes a software
// adapter. Skips, saying why, where no adapter can be had.
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend, probeActiveBackend } from '../../src/engine/backend';
import { assertNoGpuErrors, GpuError, takeGpuErrors } from '../../src/engine/backends/webgpu';
import { syntheticBatch } from '../../src/engine/host/probe';
import { predictProbabilities } from '../../src/engine/inference/slidingWindow';
import { setVol2ColBlockBytesForTesting } from '../../src/engine/kernels/webgpu';
import { conv } from '../../src/engine/model/layers';
import { VNET_PRESETS } from '../../src/engine/model/config';
import { disposeParams, initParams, trainableVariables } from '../../src/engine/model/params';
import { forward } from '../../src/engine/model/vnet';
import { resolveTrainingConfig } from '../../src/engine/trainer/config';
import { createTrainerState, disposeTrainerState } from '../../src/engine/trainer/state';
import { trainStep } from '../../src/engine/trainer/step';
import { createRng } from '../../src/core/random';
import { useSwiftShader } from '../helpers/webgpu';

let skip: string | null = useSwiftShader();

beforeAll(async () => {
  if (skip) return;
  try {
    const info = await initBackend('webgpu');
    expect(info.reason).toMatch(/webgpu requested: WebGPU on .*buffers ≤ \d+ MiB/);
  } catch (error) {
    skip = (error as Error).message;
  }
  if (skip) console.warn(`WebGPU tests skipped: ${skip}`);
}, 120_000);

afterAll(async () => {
  await tf.setBackend('cpu');
});

/** Runs `work` on one backend and reads every tensor it returns. */
async function on(backend: string, work: () => tf.Tensor[]): Promise<Float32Array[]> {
  await tf.setBackend(backend);
  const tensors = work();
  const values = await Promise.all(tensors.map(async (t) => Float32Array.from(await t.data())));
  tf.dispose(tensors);
  if (backend === 'webgpu') assertNoGpuErrors('the test');
  return values;
}

/**
 * Equal within float32 summation order, relative to each tensor's largest value (at least
 * `floor`: a gradient that is zero in exact arithmetic, such as a bias before BatchNorm, is
 * rounding noise on both backends).
 */
function expectClose(
  actual: Float32Array[],
  expected: Float32Array[],
  what: string,
  tol = 1e-4,
  floor = 1e-6,
) {
  expect(actual.length).toBe(expected.length);
  expected.forEach((want, t) => {
    const got = actual[t]!;
    let scale = floor;
    for (const v of want) scale = Math.max(scale, Math.abs(v));
    let worst = 0;
    for (let i = 0; i < want.length; i++) worst = Math.max(worst, Math.abs(got[i]! - want[i]!));
    expect(worst / scale, `${what} #${t}`).toBeLessThanOrEqual(tol);
  });
}

function values(n: number, seed: number): Float32Array {
  const rng = createRng(seed);
  return Float32Array.from({ length: n }, () => rng.next() * 2 - 1);
}

const gpu = (name: string, fn: () => Promise<void>, timeout = 120_000) =>
  it(
    name,
    async (ctx) => {
      if (skip) return ctx.skip();
      await fn();
    },
    timeout,
  );

describe('WebGPU kernels equal cpu', () => {
  gpu(
    'vol2col convolution, both kinds, forward and both gradients, over several blocks',
    async () => {
      setVol2ColBlockBytesForTesting(4096); // a handful of rows per block
      try {
        for (const [stride, k, cin, cout] of [
          [1, 3, 2, 3],
          [2, 2, 3, 4],
        ] as const) {
          const x = values(2 * 4 * 6 * 4 * cin, 1);
          const w = values(k * k * k * cin * cout, 2);
          const b = values(cout, 3);
          const run = () => {
            const xt = tf.tensor5d(x, [2, 4, 6, 4, cin]);
            const wt = tf.tensor5d(w, [k, k, k, cin, cout]);
            const bt = tf.tensor1d(b);
            const weights = tf.tensor5d(
              values(2 * (4 / stride) * (6 / stride) * (4 / stride) * cout, 4),
              [2, 4 / stride, 6 / stride, 4 / stride, cout],
            );
            const f = (a: tf.Tensor, c: tf.Tensor) =>
              tf.sum(tf.mul(conv(a as tf.Tensor5D, c, bt, stride), weights));
            const [dx, dw] = tf.grads(f)([xt, wt]);
            return [conv(xt, wt, bt, stride), dx!, dw!];
          };
          expectClose(await on('webgpu', run), await on('cpu', run), `conv k${k} s${stride}`);
        }
      } finally {
        setVol2ColBlockBytesForTesting(undefined);
      }
    },
  );

  gpu('two-pass Sum and Mean: all values, leading axes, keepDims', async () => {
    const data = values(4 * 64 * 64 * 3, 5);
    const run = () => {
      const x = tf.tensor4d(data, [4, 64, 64, 3]);
      return [
        tf.sum(x),
        tf.mean(x, [0, 1, 2]),
        tf.sum(tf.reshape(x, [-1, 3]), 0, true),
        tf.mean(x, [1, 2, 3]),
        tf.sum(x, 3),
      ];
    };
    expectClose(await on('webgpu', run), await on('cpu', run), 'reductions', 1e-5);
  });
});

describe('the network and a training step on WebGPU equal cpu', () => {
  gpu('V-Net forward outputs and the gradient of every parameter', async () => {
    const config = { ...VNET_PRESETS.tiny, depth: 2 };
    const input = values(2 * 8 * 8 * 8, 6);
    const run = () => {
      const params = initParams(config, 3);
      const x = tf.tensor5d(input, [2, 8, 8, 8, 1]);
      const mix = tf.tensor5d(values(2 * 8 * 8 * 8 * 2, 7), [2, 8, 8, 8, 2]);
      const loss = () => {
        const r = forward(params, x, { training: true, dropout: false, bnMode: 'batch' });
        return tf.add(
          tf.sum(tf.mul(tf.softmax(r.logits), mix)),
          tf.mean(tf.square(r.sdm!)),
        ) as tf.Scalar;
      };
      const r = forward(params, x, { training: false, dropout: false, bnMode: 'moving' });
      const { value, grads } = tf.variableGrads(loss, trainableVariables(params));
      const out = [
        r.logits,
        r.sdm!,
        value,
        ...trainableVariables(params).map((v) => grads[v.name]!),
      ];
      tf.dispose([r.bottleneck, r.features]);
      disposeParams(params);
      return out;
    };
    const expected = await on('cpu', run);
    const largestGradient = Math.max(...expected.slice(3).flatMap((g) => Array.from(g, Math.abs)));
    expectClose(await on('webgpu', run), expected, 'V-Net', 2e-4, 1e-3 * largestGradient);
  });

  gpu(
    'one SimCVD step: the four losses, the student after SGD, the EMA teacher',
    async () => {
      const config = resolveTrainingConfig('tiny', {
        backend: 'cpu',
        iterations: 4,
        rampUpStepEvery: 1,
      });
      const config8 = { ...config, patchSize: [16, 16, 8] as [number, number, number] };
      const batch = syntheticBatch(config8);
      const run = async (backend: string) => {
        await tf.setBackend(backend);
        const state = createTrainerState(config8);
        const step = await trainStep(state, batch);
        const variables = [
          ...trainableVariables(state.student),
          ...trainableVariables(state.teacher),
        ];
        const read = await Promise.all(
          variables.map(async (v) => Float32Array.from(await v.data())),
        );
        disposeTrainerState(state);
        return { losses: step.losses, read };
      };
      const gpuStep = await run('webgpu');
      const cpuStep = await run('cpu');
      for (const [term, value] of Object.entries(cpuStep.losses))
        expect(gpuStep.losses[term as keyof typeof cpuStep.losses], term).toBeCloseTo(value, 4);
      expect(cpuStep.losses.contrastive).toBeGreaterThan(0);
      expect(cpuStep.losses.consistency).toBeGreaterThan(0);
      expectClose(gpuStep.read, cpuStep.read, 'variables after the step', 2e-4);
    },
    300_000,
  );

  gpu(
    'sliding-window inference over overlapping windows',
    async () => {
      const dims: [number, number, number] = [20, 18, 12];
      const image = values(20 * 18 * 12, 8);
      const predict = async (backend: string) => {
        await tf.setBackend(backend);
        const params = initParams({ ...VNET_PRESETS.tiny, depth: 2 }, 4);
        const result = await predictProbabilities(params, image, dims, {
          patchSize: [16, 16, 8],
          stride: [8, 8, 4],
          batchSize: 2,
          blending: 'gaussian',
        });
        disposeParams(params);
        return result.probs;
      };
      expectClose([await predict('webgpu')], [await predict('cpu')], 'probabilities', 1e-4);
    },
    300_000,
  );
});

describe('WebGPU failures are loud', () => {
  gpu('the probe refuses a deliberately broken kernel', async () => {
    await tf.setBackend('webgpu');
    const relu = tf.getKernel('Relu', 'webgpu')!;
    tf.unregisterKernel('Relu', 'webgpu');
    tf.registerKernel({
      ...relu,
      kernelFunc: (args) => tf.getKernel('Identity', 'webgpu')!.kernelFunc(args),
    });
    try {
      await expect(probeActiveBackend()).rejects.toThrow(/the forward pass .* gives wrong values/);
    } finally {
      tf.unregisterKernel('Relu', 'webgpu');
      tf.registerKernel(relu);
    }
    await tf.setBackend('webgpu');
    await expect(probeActiveBackend()).resolves.toBeUndefined();
  });

  gpu(
    'an invalid shader (a rank-5 broadcast add in tfjs-webgpu 4.22) is an error, not numbers',
    async () => {
      await tf.setBackend('webgpu');
      takeGpuErrors();
      const y = tf.add(tf.ones([1, 2, 2, 2, 3]), tf.tensor1d([1, 2, 3]));
      await y.data();
      y.dispose();
      expect(() => assertNoGpuErrors('a test')).toThrow(GpuError);
      expect(() => assertNoGpuErrors('a test')).not.toThrow();
    },
  );

  gpu("'auto' never takes a software adapter, and says so", async () => {
    const info = await initBackend('auto');
    expect(info.name).not.toBe('webgpu');
    expect(info.reason).toMatch(
      /Skipped webgpu: its only adapter is a software one, slower than the CPU: .*swiftshader/i,
    );
  });
});
