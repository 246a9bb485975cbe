// TF.js backend selection (engine, Node main or worker process): picks the fastest backend that
// loads and can train the V-Net, and says why. 'auto' tries tfjs-node-gpu (only with a visible
// GPU), WebGPU (only on a hardware adapter), tfjs-node, wasm, cpu; every candidate must give
// the same numbers as the cpu backend on a small forward/backward probe (backends/probe.ts).
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
import { ENGINE_BACKENDS } from '../shared/contract/app';
import { probeAgainstCpu, ProbeMismatch } from './backends/probe';
import { describeAdapter, GpuUnavailable, startWebGpu, takeGpuErrors } from './backends/webgpu';

/** The one list of choices, from the contract (the app's settings offer the same). */
export const BACKEND_CHOICES = ENGINE_BACKENDS;
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
  /** tf.getBackend() after selection ('tensorflow', 'webgpu', 'wasm' or 'cpu'). */
  tfBackend: string;
  /** Why this one, including why the faster ones before it were skipped. */
  reason: string;
  /** The GPU adapter in use ('webgpu'), e.g. "nvidia ampere (NVIDIA RTX A4000), …". */
  adapter?: string;
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

/**
 * Checks the active backend: every needed kernel is registered, and a small forward and
 * backward pass through the network's building blocks gives the cpu backend's numbers.
 */
export async function probeActiveBackend(extraKernels: readonly string[] = []): Promise<void> {
  const backendName = tf.getBackend();
  const missing = [...MODEL_KERNELS, ...extraKernels].filter(
    (k) => tf.getKernel(k, backendName) === undefined,
  );
  if (missing.length > 0) {
    throw new Unavailable(`it lacks kernels the model needs: ${missing.join(', ')}`);
  }
  if (backendName === 'cpu') return; // the reference itself
  try {
    await probeAgainstCpu(backendName);
  } catch (error) {
    if (error instanceof ProbeMismatch) throw new Unavailable(error.message);
    throw error;
  } finally {
    await tf.setBackend(backendName);
  }
  const gpuErrors = takeGpuErrors();
  if (gpuErrors.length > 0)
    throw new Unavailable(`the GPU rejected the probe's work (${gpuErrors[0]})`);
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
    await probeActiveBackend(extraKernels);
  } catch (error) {
    if (error instanceof Unavailable) throw error;
    throw new Unavailable(`the correctness probe failed: ${firstLine(error)}`);
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
      // A missing optional package is the common case, said plainly; anything else names the
      // loader's first line (a missing CUDA library, say).
      if (/Cannot find (package|module)|ERR_MODULE_NOT_FOUND/.test(firstLine(error)))
        throw new Unavailable(`${pkg} is not installed`);
      throw new Unavailable(`${pkg} failed to load (${firstLine(error)})`);
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

/** WebGPU through dawn.node; `auto` (not a named choice) refuses software adapters. */
async function tryWebGpu(
  options: Required<InitBackendOptions>,
  auto: boolean,
): Promise<{ what: string; adapter: string }> {
  let info;
  try {
    info = await startWebGpu(options.importModule);
  } catch (error) {
    if (error instanceof GpuUnavailable) throw new Unavailable(error.message);
    throw new Unavailable(`WebGPU failed to start (${firstLine(error)})`);
  }
  const adapter = describeAdapter(info);
  if (info.software && auto)
    throw new Unavailable(`its only adapter is a software one, slower than the CPU: ${adapter}`);
  await activate('webgpu', options.extraKernels);
  return { what: `WebGPU on ${adapter}`, adapter };
}

async function tryBackend(
  name: BackendName,
  options: Required<InitBackendOptions>,
  auto: boolean,
): Promise<{ what: string; adapter?: string }> {
  switch (name) {
    case 'webgpu':
      return tryWebGpu(options, auto);
    case 'tfjs-node-gpu':
    case 'tfjs-node':
      return { what: await tryNative(name, options) };
    case 'wasm':
      try {
        await options.importModule('@tensorflow/tfjs-backend-wasm');
      } catch (error) {
        throw new Unavailable(`@tensorflow/tfjs-backend-wasm failed to load (${firstLine(error)})`);
      }
      await activate('wasm', options.extraKernels);
      return { what: await describeWasm() };
    case 'cpu':
      await activate('cpu', options.extraKernels);
      return { what: 'plain JavaScript, the slowest backend' };
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
    choice === 'auto' ? (BACKEND_CHOICES.filter((c) => c !== 'auto') as BackendName[]) : [choice];
  const skipped: string[] = [];
  for (const name of order) {
    try {
      const { what, adapter } = await tryBackend(name, resolved, choice === 'auto');
      const reason =
        choice === 'auto'
          ? [`auto: using ${name}, ${what}.`, ...skipped.map((s) => `Skipped ${s}.`)].join(' ')
          : `${name} requested: ${what}.`;
      return { name, tfBackend: tf.getBackend(), reason, tf, ...(adapter ? { adapter } : {}) };
    } catch (error) {
      if (!(error instanceof Unavailable)) throw error;
      if (choice !== 'auto') {
        const install = error.message.includes('is not installed')
          ? `, or install ${name === 'webgpu' ? 'webgpu' : NATIVE_PACKAGES[name as keyof typeof NATIVE_PACKAGES]}`
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
