// WebGPU correctness checks (engine on TF.js, any adapter): each runs one computation on
// 'webgpu' and on 'cpu' and compares them — the vol2col convolution and both its gradients
// over several blocks, the two-pass reductions, a V-Net forward pass with every parameter
// gradient, one whole SimCVD step, sliding-window inference — plus the failure paths: the
// probe refuses a broken kernel, an invalid shader is an error. The vitest suite runs them on
// SwiftShader (test/integration/webgpu.test.ts); the GPU kit runs them on a real GPU.
import * as tf from '@tensorflow/tfjs';
import { createRng } from '../../src/core/random';
import { probeActiveBackend } from '../../src/engine/backend';
import { assertNoGpuErrors, GpuError, takeGpuErrors } from '../../src/engine/backends/webgpu';
import { syntheticBatch } from '../../src/engine/host/worker/probe';
import { predictProbabilities } from '../../src/engine/inference/slidingWindow';
import { setVol2ColBlockBytesForTesting } from '../../src/engine/kernels/webgpu';
import { VNET_PRESETS } from '../../src/engine/model/config';
import { conv } from '../../src/engine/model/layers';
import { disposeParams, initParams, trainableVariables } from '../../src/engine/model/params';
import { forward } from '../../src/engine/model/vnet';
import { resolveTrainingConfig } from '../../src/engine/trainer/config';
import { createTrainerState, disposeTrainerState } from '../../src/engine/trainer/state';
import { trainStep } from '../../src/engine/trainer/step';

export interface GpuCheck {
  name: string;
  run(): Promise<void>;
}

export class CheckFailed extends Error {}

/** Runs `work` on one backend and reads every tensor it returns. */
async function on(backend: string, work: () => tf.Tensor[]): Promise<Float32Array[]> {
  await tf.setBackend(backend);
  const tensors = work();
  const values = await Promise.all(tensors.map(async (t) => Float32Array.from(await t.data())));
  tf.dispose(tensors);
  if (backend === 'webgpu') assertNoGpuErrors('the check');
  return values;
}

/**
 * Equal within float32 summation order, relative to each tensor's largest value (at least
 * `floor`: a gradient that is zero in exact arithmetic, such as a bias before BatchNorm, is
 * rounding noise on both backends).
 */
export function assertClose(
  actual: Float32Array[],
  expected: Float32Array[],
  what: string,
  tol = 1e-4,
  floor = 1e-6,
): void {
  if (actual.length !== expected.length)
    throw new CheckFailed(`${what}: ${actual.length} results instead of ${expected.length}`);
  expected.forEach((want, t) => {
    const got = actual[t]!;
    let scale = floor;
    for (const v of want) scale = Math.max(scale, Math.abs(v));
    let worst = 0;
    for (let i = 0; i < want.length; i++) worst = Math.max(worst, Math.abs(got[i]! - want[i]!));
    if (!(worst / scale <= tol))
      throw new CheckFailed(
        `${what} #${t}: off by ${(worst / scale).toExponential(2)} of its scale (limit ${tol})`,
      );
  });
}

function values(n: number, seed: number): Float32Array {
  const rng = createRng(seed);
  return Float32Array.from({ length: n }, () => rng.next() * 2 - 1);
}

async function convolutions(): Promise<void> {
  setVol2ColBlockBytesForTesting(4096); // a handful of rows per block
  try {
    for (const [stride, k, cin, cout] of [
      [1, 3, 2, 3],
      [2, 2, 3, 4],
    ] as const) {
      const x = values(2 * 4 * 6 * 4 * cin, 1);
      const w = values(k * k * k * cin * cout, 2);
      const b = values(cout, 3);
      const out = [2, 4 / stride, 6 / stride, 4 / stride, cout] as [
        number,
        number,
        number,
        number,
        number,
      ];
      const mix = values(
        out.reduce((p, q) => p * q, 1),
        4,
      );
      const run = () => {
        const xt = tf.tensor5d(x, [2, 4, 6, 4, cin]);
        const wt = tf.tensor5d(w, [k, k, k, cin, cout]);
        const bt = tf.tensor1d(b);
        const weights = tf.tensor5d(mix, out);
        const f = (a: tf.Tensor, c: tf.Tensor) =>
          tf.sum(tf.mul(conv(a as tf.Tensor5D, c, bt, stride), weights));
        const [dx, dw] = tf.grads(f)([xt, wt]);
        return [conv(xt, wt, bt, stride), dx!, dw!];
      };
      assertClose(await on('webgpu', run), await on('cpu', run), `conv k${k} s${stride}`);
    }
  } finally {
    setVol2ColBlockBytesForTesting(undefined);
  }
}

async function reductions(): Promise<void> {
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
  assertClose(await on('webgpu', run), await on('cpu', run), 'reductions', 1e-5);
}

async function network(): Promise<void> {
  const config = { ...VNET_PRESETS.tiny, depth: 2 };
  const input = values(2 * 8 * 8 * 8, 6);
  const mixing = values(2 * 8 * 8 * 8 * 2, 7);
  const run = () => {
    const params = initParams(config, 3);
    const x = tf.tensor5d(input, [2, 8, 8, 8, 1]);
    const mix = tf.tensor5d(mixing, [2, 8, 8, 8, 2]);
    const loss = () => {
      const r = forward(params, x, { training: true, dropout: false, bnMode: 'batch' });
      return tf.add(
        tf.sum(tf.mul(tf.softmax(r.logits), mix)),
        tf.mean(tf.square(r.sdm!)),
      ) as tf.Scalar;
    };
    const r = forward(params, x, { training: false, dropout: false, bnMode: 'moving' });
    const { value, grads } = tf.variableGrads(loss, trainableVariables(params));
    const out = [r.logits, r.sdm!, value, ...trainableVariables(params).map((v) => grads[v.name]!)];
    tf.dispose([r.bottleneck, r.features]);
    disposeParams(params);
    return out;
  };
  const expected = await on('cpu', run);
  const largestGradient = Math.max(...expected.slice(3).flatMap((g) => Array.from(g, Math.abs)));
  assertClose(await on('webgpu', run), expected, 'V-Net', 2e-4, 1e-3 * largestGradient);
}

async function simcvdStep(): Promise<void> {
  const base = resolveTrainingConfig('tiny', { backend: 'cpu', iterations: 4, rampUpStepEvery: 1 });
  const config = { ...base, patchSize: [16, 16, 8] as [number, number, number] };
  const batch = syntheticBatch(config);
  const run = async (backend: string) => {
    await tf.setBackend(backend);
    const state = createTrainerState(config);
    const step = await trainStep(state, batch);
    const variables = [...trainableVariables(state.student), ...trainableVariables(state.teacher)];
    const read = await Promise.all(variables.map(async (v) => Float32Array.from(await v.data())));
    disposeTrainerState(state);
    return { losses: step.losses, read };
  };
  const gpu = await run('webgpu');
  const cpu = await run('cpu');
  for (const [term, value] of Object.entries(cpu.losses)) {
    const got = gpu.losses[term as keyof typeof cpu.losses];
    if (!(Math.abs(got - value) <= 1e-4 * Math.max(1, Math.abs(value))))
      throw new CheckFailed(`loss term ${term}: ${got} on webgpu, ${value} on cpu`);
  }
  if (!(cpu.losses.contrastive > 0 && cpu.losses.consistency > 0))
    throw new CheckFailed('the unlabeled terms did not take part');
  assertClose(
    gpu.read,
    cpu.read,
    'variables after the step (student after SGD, EMA teacher)',
    2e-4,
  );
}

async function slidingWindow(): Promise<void> {
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
  assertClose([await predict('webgpu')], [await predict('cpu')], 'probabilities', 1e-4);
}

async function brokenKernelRefused(): Promise<void> {
  await tf.setBackend('webgpu');
  const relu = tf.getKernel('Relu', 'webgpu')!;
  const identity = tf.getKernel('Identity', 'webgpu')!;
  tf.unregisterKernel('Relu', 'webgpu');
  tf.registerKernel({ ...relu, kernelFunc: (args) => identity.kernelFunc(args) });
  let refused: string | undefined;
  try {
    await probeActiveBackend();
  } catch (error) {
    refused = (error as Error).message;
  } finally {
    tf.unregisterKernel('Relu', 'webgpu');
    tf.registerKernel(relu);
  }
  if (!refused || !/the forward pass .* gives wrong values/.test(refused))
    throw new CheckFailed(
      `the probe accepted a ReLU that is the identity (${refused ?? 'no error'})`,
    );
  await tf.setBackend('webgpu');
  await probeActiveBackend();
}

async function invalidShaderIsAnError(): Promise<void> {
  await tf.setBackend('webgpu');
  takeGpuErrors();
  // tfjs-webgpu 4.22 compiles a rank-5 add with a broadcast channel vector to invalid WGSL.
  const y = tf.add(tf.ones([1, 2, 2, 2, 3]), tf.tensor1d([1, 2, 3]));
  await y.data();
  y.dispose();
  let thrown: unknown;
  try {
    assertNoGpuErrors('a check');
  } catch (error) {
    thrown = error;
  }
  if (!(thrown instanceof GpuError))
    throw new CheckFailed('an invalid shader went unnoticed (no GPU error was reported)');
}

export const GPU_CHECKS: GpuCheck[] = [
  {
    name: 'vol2col convolution, both kinds, forward and both gradients, several blocks',
    run: convolutions,
  },
  { name: 'two-pass Sum and Mean', run: reductions },
  { name: 'V-Net forward outputs and every parameter gradient', run: network },
  { name: 'one SimCVD step: four losses, SGD, EMA teacher', run: simcvdStep },
  { name: 'sliding-window inference', run: slidingWindow },
  { name: 'the probe refuses a broken kernel', run: brokenKernelRefused },
  { name: 'an invalid shader is an error, not numbers', run: invalidShaderIsAnError },
];
