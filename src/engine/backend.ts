// TF.js backend selection (engine, Node main or worker process): picks the fastest backend that
// loads and can train the V-Net, and says why. 'auto' tries tfjs-node-gpu (only with a visible
// GPU), tfjs-node, wasm, cpu; every candidate must pass a small Conv3D forward/gradient probe.
//
// Which `tf` to use: the optional @tensorflow/tfjs-node(-gpu) packages import
// '@tensorflow/tfjs' themselves and re-export it, registering their 'tensorflow' backend into
// it. The engine, kernel registry and gradient registry live on globalThis (_tfengine,
// kernelRegistry, gradRegistry), and Tensor/Variable use duck-typed instanceof, so the plain
// '@tensorflow/tfjs' import that src/engine/model uses drives the same engine even if npm
// nests a second copy of tfjs-core under tfjs-node. We therefore return that one module; code
// never needs the tfjs-node namespace (whose only extras are file:// IO and image codecs).
import * as tf from '@tensorflow/tfjs';
import { AppError } from '../core/errors';

export const BACKEND_CHOICES = ['auto', 'tfjs-node-gpu', 'tfjs-node', 'wasm', 'cpu'] as const;
export type BackendChoice = (typeof BACKEND_CHOICES)[number];
export type BackendName = Exclude<BackendChoice, 'auto'>;

/** Kernels one V-Net training step runs (forward and backward). backend.test.ts profiles the
 *  model and fails if this list misses one. */
export const MODEL_KERNELS = [
  'Add',
  'BatchMatMul',
  'Cast',
  'Conv3D',
  'Conv3DBackpropFilterV2',
  'Conv3DBackpropInputV2',
  'Floor',
  'Identity',
  'Mean',
  'Multiply',
  'Neg',
  'Pow',
  'RealDiv',
  'Relu',
  'Reshape',
  'Rsqrt',
  'Square',
  'Step',
  'Sub',
  'Sum',
  'Tanh',
  'Transpose',
] as const;

export interface BackendInfo {
  name: BackendName;
  /** tf.getBackend() after selection ('tensorflow', 'wasm' or 'cpu'). */
  tfBackend: string;
  /** Why this one, including why the faster ones before it were skipped. */
  reason: string;
  tf: typeof tf;
}

export interface InitBackendOptions {
  /** Loads an optional package; tests replace it. Defaults to dynamic import(). */
  importModule?: (specifier: string) => Promise<unknown>;
  /** Kernels the caller needs beyond MODEL_KERNELS (e.g. its losses). */
  extraKernels?: readonly string[];
}

const NATIVE_PACKAGES = {
  'tfjs-node-gpu': '@tensorflow/tfjs-node-gpu',
  'tfjs-node': '@tensorflow/tfjs-node',
} as const;

/** What tfjs-node's NodeJSKernelBackend exposes about its device. */
interface NativeBackendFlags {
  isGPUPackage?: boolean;
  isUsingGpuDevice?: boolean;
}

class Unavailable extends Error {}

function firstLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split('\n')[0].slice(0, 300);
}

function defaultImport(specifier: string): Promise<unknown> {
  // A variable specifier keeps bundlers and tsc from resolving optional packages.
  return import(/* @vite-ignore */ specifier);
}

function close(actual: ArrayLike<number>, expected: number[], what: string): void {
  for (let i = 0; i < expected.length; i++) {
    if (!(Math.abs(actual[i] - expected[i]) <= 1e-4 * Math.max(1, Math.abs(expected[i])))) {
      throw new Unavailable(`${what} gives wrong values (${actual[i]} instead of ${expected[i]})`);
    }
  }
}

/**
 * Checks the active backend: every needed kernel is registered, and Conv3D, both its
 * gradients and a rank-6 transpose (the up-sampling) give the right numbers on a 3³ example.
 */
export function probeActiveBackend(extraKernels: readonly string[] = []): void {
  const backendName = tf.getBackend();
  const missing = [...MODEL_KERNELS, ...extraKernels].filter(
    (k) => tf.getKernel(k, backendName) === undefined,
  );
  if (missing.length > 0) {
    throw new Unavailable(`it lacks kernels the model needs: ${missing.join(', ')}`);
  }
  tf.tidy(() => {
    const x = tf.ones([1, 3, 3, 3, 1]) as tf.Tensor5D;
    const k = tf.ones([3, 3, 3, 1, 1]) as tf.Tensor5D;
    // With all-ones, every value is the number of in-bounds neighbours: 8 at a corner, 12 at
    // an edge, 18 at a face centre, 27 in the middle — for the output and both gradients.
    const counts = [8, 12, 8, 12, 18, 12, 8, 12, 8, 12, 18, 12, 18, 27, 18, 12, 18, 12];
    const f = (a: tf.Tensor, b: tf.Tensor) =>
      tf.sum(tf.conv3d(a as tf.Tensor5D, b as tf.Tensor5D, 1, 'same'));
    close(tf.conv3d(x, k, 1, 'same').dataSync(), counts, 'Conv3D');
    const [gx, gk] = tf.grads(f)([x, k]);
    close(gx.dataSync(), counts, 'the Conv3D input gradient');
    close(gk.dataSync(), counts, 'the Conv3D filter gradient');
    const shape = [2, 1, 2, 2, 1, 2];
    const t = tf.transpose(tf.range(0, 16).reshape(shape), [0, 3, 1, 4, 2, 5]).dataSync();
    close(t, [0, 1, 4, 5, 2, 3, 6, 7, 8, 9, 12, 13, 10, 11, 14, 15], 'a rank-6 transpose');
  });
}

async function activate(tfBackend: string, extraKernels: readonly string[]): Promise<void> {
  let ok = false;
  try {
    ok = await tf.setBackend(tfBackend);
  } catch (error) {
    throw new Unavailable(`its backend failed to start: ${firstLine(error)}`);
  }
  if (!ok) throw new Unavailable('its backend failed to start');
  try {
    probeActiveBackend(extraKernels);
  } catch (error) {
    if (error instanceof Unavailable) throw error;
    throw new Unavailable(`the Conv3D probe failed: ${firstLine(error)}`);
  }
}

async function tryNative(
  name: keyof typeof NATIVE_PACKAGES,
  options: Required<InitBackendOptions>,
): Promise<string> {
  const pkg = NATIVE_PACKAGES[name];
  if (tf.findBackend('tensorflow') === null) {
    try {
      await options.importModule(pkg);
    } catch (error) {
      throw new Unavailable(`${pkg} is not installed or failed to load (${firstLine(error)})`);
    }
    if (tf.findBackend('tensorflow') === null) {
      throw new Unavailable(`${pkg} loaded but registered no 'tensorflow' backend`);
    }
  }
  const flags = tf.findBackend('tensorflow') as unknown as NativeBackendFlags;
  if (name === 'tfjs-node-gpu') {
    if (!flags.isGPUPackage) {
      throw new Unavailable('the loaded TensorFlow is the CPU build (@tensorflow/tfjs-node)');
    }
    if (!flags.isUsingGpuDevice) {
      throw new Unavailable('it loaded, but TensorFlow sees no GPU (no CUDA device or driver)');
    }
  }
  await activate('tensorflow', options.extraKernels);
  if (name === 'tfjs-node-gpu') return 'native TensorFlow on the GPU';
  return flags.isGPUPackage
    ? 'native TensorFlow on the CPU (through the already loaded GPU build, which found no GPU)'
    : 'native TensorFlow on the CPU';
}

async function describeWasm(): Promise<string> {
  const simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
  const threads = await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT');
  return `WebAssembly (${simd ? 'SIMD' : 'no SIMD'}, ${threads ? 'multi-threaded' : 'one thread'})`;
}

async function tryBackend(
  name: BackendName,
  options: Required<InitBackendOptions>,
): Promise<string> {
  switch (name) {
    case 'tfjs-node-gpu':
    case 'tfjs-node':
      return tryNative(name, options);
    case 'wasm':
      try {
        await options.importModule('@tensorflow/tfjs-backend-wasm');
      } catch (error) {
        throw new Unavailable(`@tensorflow/tfjs-backend-wasm failed to load (${firstLine(error)})`);
      }
      await activate('wasm', options.extraKernels);
      return describeWasm();
    case 'cpu':
      await activate('cpu', options.extraKernels);
      return 'plain JavaScript, the slowest backend';
  }
}

/**
 * Selects and initialises a backend. 'auto' takes the first that works of tfjs-node-gpu (with
 * a GPU), tfjs-node, wasm and cpu; a named choice that does not work throws UNSUPPORTED.
 */
export async function initBackend(
  choice: BackendChoice,
  options: InitBackendOptions = {},
): Promise<BackendInfo> {
  if (!(BACKEND_CHOICES as readonly string[]).includes(choice)) {
    throw new AppError(
      'BAD_INPUT',
      `Unknown backend "${choice}"; choose one of ${BACKEND_CHOICES.join(', ')}.`,
    );
  }
  const resolved: Required<InitBackendOptions> = {
    importModule: options.importModule ?? defaultImport,
    extraKernels: options.extraKernels ?? [],
  };
  const order: BackendName[] =
    choice === 'auto' ? ['tfjs-node-gpu', 'tfjs-node', 'wasm', 'cpu'] : [choice];
  const skipped: string[] = [];
  for (const name of order) {
    try {
      const what = await tryBackend(name, resolved);
      const reason =
        choice === 'auto'
          ? [`auto: using ${name}, ${what}.`, ...skipped.map((s) => `Skipped ${s}.`)].join(' ')
          : `${name} requested: ${what}.`;
      return { name, tfBackend: tf.getBackend(), reason, tf };
    } catch (error) {
      if (!(error instanceof Unavailable)) throw error;
      if (choice !== 'auto') {
        const install = error.message.includes('is not installed')
          ? `, or install ${NATIVE_PACKAGES[name as keyof typeof NATIVE_PACKAGES]}`
          : '';
        throw new AppError(
          'UNSUPPORTED',
          `The ${name} backend is not available: ${error.message}. Choose another backend or ` +
            `'auto'${install}.`,
        );
      }
      skipped.push(`${name}: ${error.message}`);
    }
  }
  throw new AppError(
    'UNSUPPORTED',
    `No TF.js backend can run the model. ${skipped.map((s) => `${s}.`).join(' ')}`,
  );
}
