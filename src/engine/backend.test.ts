// Unit tests (Node) for backend selection. tfjs-node(-gpu) are optional native packages, so
// their loading is simulated: a fake package registers a 'tensorflow' backend (the cpu backend
// with the flags tfjs-node's NodeJSKernelBackend exposes). wasm and cpu are the real ones.
import * as tf from '@tensorflow/tfjs';
import { MATMUL_CONV3D_KERNEL } from './kernels/conv/fastConv';
import { FUSED_BATCH_NORM_KERNEL } from './kernels/batchNorm/fusedBatchNorm';
import { createRequire } from 'node:module';
import { afterEach, describe, expect, it } from 'vitest';
import { initBackend, MODEL_KERNELS } from './backend';
import { initParams, disposeParams, trainableVariables } from './model/params';
import { VNET_PRESETS } from './model/config';
import { forward } from './model/vnet';

const realImport = (spec: string): Promise<unknown> => import(/* @vite-ignore */ spec);

interface FakeNative {
  gpuPackage: boolean;
  gpuVisible: boolean;
  /** Replace the Conv3D kernel with one that returns zeros, to see the probe catch it. */
  breakConv3d?: boolean;
  /**
   * Make the Conv3D filter gradient come out spatially flipped: right shape, right values in
   * the wrong places, invisible to a probe with symmetric (all-ones) inputs.
   */
  flipFilterGradient?: boolean;
}

/** Registers a stand-in for tfjs-node's 'tensorflow' backend on import of a native package. */
function importer(fakes: Partial<Record<string, FakeNative>>) {
  const imported: string[] = [];
  const load = async (spec: string): Promise<unknown> => {
    imported.push(spec);
    const fake = fakes[spec];
    if (!fake) {
      // The optional GPU packages are absent here unless a test fakes them.
      if (spec.startsWith('@tensorflow/tfjs-node') || spec === 'webgpu')
        throw new Error(`Cannot find package '${spec}'`);
      return realImport(spec);
    }
    const Cpu = tf.findBackend('cpu')!.constructor as new () => tf.KernelBackend;
    tf.registerBackend('tensorflow', () =>
      Object.assign(new Cpu(), {
        isGPUPackage: fake.gpuPackage,
        isUsingGpuDevice: fake.gpuVisible,
      }),
    );
    for (const k of tf.getKernelsForBackend('cpu')) {
      const broken = fake.breakConv3d === true && k.kernelName === 'Conv3D';
      if (fake.flipFilterGradient && k.kernelName === 'Conv3DBackpropFilterV2') {
        tf.registerKernel({
          ...k,
          backendName: 'tensorflow',
          kernelFunc: (args) => {
            const right = k.kernelFunc(args) as tf.TensorInfo;
            const backend = args.backend as unknown as {
              readSync: (id: unknown) => Float32Array;
              makeTensorInfo: (s: number[], d: string, v: Float32Array) => tf.TensorInfo;
              disposeData: (id: unknown) => void;
            };
            const values = backend.readSync(right.dataId);
            const [kd, kh, kw, ci, co] = right.shape;
            const flipped = new Float32Array(values.length);
            const per = ci! * co!;
            const taps = kd! * kh! * kw!;
            for (let t = 0; t < taps; t++)
              flipped.set(values.subarray(t * per, (t + 1) * per), (taps - 1 - t) * per);
            backend.disposeData(right.dataId);
            return backend.makeTensorInfo(right.shape, 'float32', flipped);
          },
        });
        continue;
      }
      tf.registerKernel({
        ...k,
        backendName: 'tensorflow',
        kernelFunc: broken
          ? (args) => {
              // Conv3D that returns zeros of the right shape.
              const x = args.inputs.x as tf.TensorInfo;
              const filter = args.inputs.filter as tf.TensorInfo;
              const shape = [...x.shape.slice(0, 4), filter.shape[4]];
              const backend = args.backend as unknown as {
                makeTensorInfo: (s: number[], d: string, v: Float32Array) => tf.TensorInfo;
              };
              return backend.makeTensorInfo(
                shape,
                'float32',
                new Float32Array(tf.util.sizeFromShape(shape)),
              );
            }
          : k.kernelFunc,
      });
    }
    return {};
  };
  return { load, imported };
}

afterEach(async () => {
  if (tf.findBackend('tensorflow') !== null || tf.engine().registryFactory['tensorflow']) {
    for (const k of tf.getKernelsForBackend('tensorflow'))
      tf.unregisterKernel(k.kernelName, 'tensorflow');
    tf.removeBackend('tensorflow');
  }
  await tf.setBackend('cpu');
});

const GPU = '@tensorflow/tfjs-node-gpu';
const NODE = '@tensorflow/tfjs-node';

describe('initBackend', () => {
  it('auto falls back to wasm when no native package loads, and says why', async () => {
    const { load, imported } = importer({});
    const info = await initBackend('auto', { importModule: load });
    expect(info).toMatchObject({ name: 'wasm', tfBackend: 'wasm' });
    expect(info.reason).toMatch(/auto: using wasm/);
    expect(info.reason).toMatch(
      /Skipped tfjs-node-gpu: @tensorflow\/tfjs-node-gpu is not installed/,
    );
    expect(info.reason).toMatch(/Skipped tfjs-node: @tensorflow\/tfjs-node is not installed/);
    expect(info.reason).toMatch(
      /Skipped webgpu: the webgpu package \(dawn\.node\) is not installed/,
    );
    expect(imported.slice(0, 3)).toEqual([GPU, 'webgpu', NODE]);
    // The returned tf is the module the model code imports, driving the same engine.
    expect(info.tf).toBe(tf);
    expect(tf.getBackend()).toBe('wasm');
  });

  it('auto takes tfjs-node-gpu only when TensorFlow sees a GPU', async () => {
    const { load } = importer({ [GPU]: { gpuPackage: true, gpuVisible: true } });
    const info = await initBackend('auto', { importModule: load });
    expect(info).toMatchObject({ name: 'tfjs-node-gpu', tfBackend: 'tensorflow' });
    expect(info.reason).toMatch(/GPU/);
  });

  it('auto uses the GPU build on the CPU when it loads but finds no GPU', async () => {
    const { load, imported } = importer({ [GPU]: { gpuPackage: true, gpuVisible: false } });
    const info = await initBackend('auto', { importModule: load });
    expect(info).toMatchObject({ name: 'tfjs-node', tfBackend: 'tensorflow' });
    expect(info.reason).toMatch(/Skipped tfjs-node-gpu: .*sees no GPU/);
    // tfjs-node is not imported on top: both would register the same 'tensorflow' backend.
    expect(imported.filter((p) => p.startsWith('@tensorflow/tfjs-node'))).toEqual([GPU]);
  });

  it('auto takes tfjs-node after the GPU package fails to load', async () => {
    const { load } = importer({ [NODE]: { gpuPackage: false, gpuVisible: false } });
    const info = await initBackend('auto', { importModule: load });
    expect(info).toMatchObject({ name: 'tfjs-node', tfBackend: 'tensorflow' });
    expect(info.reason).toMatch(/Skipped tfjs-node-gpu/);
  });

  it('auto skips a native backend whose Conv3D gives wrong numbers', async () => {
    const { load } = importer({
      [NODE]: { gpuPackage: false, gpuVisible: false, breakConv3d: true },
    });
    const info = await initBackend('auto', { importModule: load });
    expect(info.name).toBe('wasm');
    expect(info.reason).toMatch(
      /Skipped tfjs-node: (the forward pass .* gives wrong values|the correctness probe failed)/,
    );
  });

  it('auto skips a backend whose filter gradient is flipped (asymmetric probe inputs)', async () => {
    const { load } = importer({
      [NODE]: { gpuPackage: false, gpuVisible: false, flipFilterGradient: true },
    });
    const info = await initBackend('auto', { importModule: load });
    expect(info.name).toBe('wasm');
    expect(info.reason).toMatch(
      /Skipped tfjs-node: the 3×3×3 convolution filter gradient gives wrong values/,
    );
  });

  it('auto skips wasm when it lacks a kernel the model needs (e.g. a Conv3D gradient)', async () => {
    await import('@tensorflow/tfjs-backend-wasm');
    const saved = tf.getKernel('Conv3DBackpropFilterV2', 'wasm')!;
    tf.unregisterKernel('Conv3DBackpropFilterV2', 'wasm');
    try {
      const info = await initBackend('auto', { importModule: importer({}).load });
      expect(info.name).toBe('cpu');
      expect(info.reason).toMatch(
        /Skipped wasm: it lacks kernels the model needs: Conv3DBackpropFilterV2/,
      );
    } finally {
      tf.registerKernel(saved);
    }
  });

  it('a forced backend that is unavailable throws UNSUPPORTED with advice', async () => {
    const { load } = importer({});
    await expect(initBackend('tfjs-node', { importModule: load })).rejects.toMatchObject({
      code: 'UNSUPPORTED',
      message: expect.stringMatching(
        /tfjs-node backend is not available.*install @tensorflow\/tfjs-node/,
      ),
    });
    const cpuBuild = importer({ [GPU]: { gpuPackage: true, gpuVisible: false } }).load;
    await expect(initBackend('tfjs-node-gpu', { importModule: cpuBuild })).rejects.toMatchObject({
      code: 'UNSUPPORTED',
      message: expect.stringMatching(/sees no GPU/),
    });
    await expect(initBackend('cpu', { extraKernels: ['NoSuchKernel'] })).rejects.toMatchObject({
      code: 'UNSUPPORTED',
      message: expect.stringMatching(/NoSuchKernel/),
    });
    await expect(initBackend('gpu' as never)).rejects.toMatchObject({ code: 'BAD_INPUT' });
  });

  it('forced cpu and wasm work here', async () => {
    expect((await initBackend('cpu')).tfBackend).toBe('cpu');
    expect((await initBackend('wasm')).tfBackend).toBe('wasm');
  });

  it('auto with the real optional packages picks what is installed', async () => {
    const require = createRequire(import.meta.url);
    const installed = (p: string) => {
      try {
        require.resolve(p);
        return true;
      } catch {
        return false;
      }
    };
    const info = await initBackend('auto');
    if (!installed(GPU) && !installed(NODE)) {
      expect(info.name).toBe('wasm');
      expect(info.reason).toMatch(/Skipped tfjs-node: @tensorflow\/tfjs-node is not installed/);
    } else {
      expect(info.name.startsWith('tfjs-node')).toBe(true);
    }
  });
});

describe('MODEL_KERNELS', () => {
  it('lists every kernel of a V-Net training step', async () => {
    await tf.setBackend('cpu');
    const params = initParams({ ...VNET_PRESETS.tiny, depth: 1 }, 1);
    const x = tf.randomNormal([2, 4, 4, 4, 1]) as tf.Tensor5D;
    const info = await tf.profile(() => {
      const { value, grads } = tf.variableGrads(() => {
        const r = forward(params, x, { training: true, dropout: true, bnMode: 'batch' });
        return tf.add(tf.mean(tf.square(r.logits)), tf.mean(r.sdm!)) as tf.Scalar;
      }, trainableVariables(params));
      tf.dispose([value, ...Object.values(grads)]);
    });
    // Our own kernels (registered by src/engine/model for cpu/wasm) are always there.
    const own = [MATMUL_CONV3D_KERNEL, FUSED_BATCH_NORM_KERNEL];
    const missing = [...new Set(info.kernelNames)].filter(
      (k) => !(MODEL_KERNELS as readonly string[]).includes(k) && !own.includes(k),
    );
    expect(missing).toEqual([]);
    x.dispose();
    disposeParams(params);
  });
});
