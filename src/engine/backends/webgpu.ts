// WebGPU for the engine (engine process, Node): dawn.node (the optional `webgpu` package) gives
// a GPU through the ordinary driver (Vulkan, Metal, D3D12) with no CUDA install; TF.js's WebGPU
// backend is registered on the device taken here, so this module knows the adapter, its
// limits, and every error the device reports. tfjs-backend-webgpu 4.22 does not throw when a
// shader is invalid — it returns garbage — so errors are collected here and checked after
// every step (`assertNoGpuErrors`).
import * as tf from '@tensorflow/tfjs';
import { registerWebGpuKernels } from '../kernels/webgpu';

/** What the engine reports about the adapter in use. */
export interface GpuAdapterInfo {
  vendor: string;
  architecture: string;
  device: string;
  description: string;
  /** A CPU rasteriser (SwiftShader, lavapipe, llvmpipe, WARP): correct, but slow. */
  software: boolean;
  maxBufferSize: number;
  maxStorageBufferBindingSize: number;
  timestampQuery: boolean;
}

/** The parts of the WebGPU API this module touches (dawn.node implements the standard). */
interface GpuAdapter {
  info: Partial<Record<'vendor' | 'architecture' | 'device' | 'description', string>> & {
    isFallbackAdapter?: boolean;
  };
  limits: Record<string, number>;
  features: { has(name: string): boolean };
  requestDevice(descriptor: {
    requiredLimits: Record<string, number>;
    requiredFeatures: string[];
  }): Promise<GpuDevice>;
}
interface GpuDevice {
  addEventListener(
    type: 'uncapturederror',
    listener: (event: { error: { message: string }; preventDefault(): void }) => void,
  ): void;
  lost: Promise<{ reason: string; message: string }>;
  pushErrorScope(filter: 'validation' | 'out-of-memory' | 'internal'): void;
  popErrorScope(): Promise<{ message: string } | null>;
}
interface DawnModule {
  create(flags: string[]): {
    requestAdapter(o: { powerPreference: string }): Promise<GpuAdapter | null>;
  };
  globals: Record<string, unknown>;
}

export class GpuUnavailable extends Error {}

const SOFTWARE = /swiftshader|llvmpipe|lavapipe|softpipe|warp|microsoft basic render/i;
const LIMITS = [
  'maxBufferSize',
  'maxStorageBufferBindingSize',
  'maxComputeWorkgroupStorageSize',
  'maxComputeWorkgroupsPerDimension',
  'maxComputeWorkgroupSizeX',
  'maxComputeInvocationsPerWorkgroup',
];

interface Session {
  info: GpuAdapterInfo;
  device: GpuDevice;
  errors: string[];
}
let session: Session | undefined;

export function isSoftwareAdapter(info: GpuAdapter['info']): boolean {
  const text = [info.vendor, info.architecture, info.device, info.description].join(' ');
  return info.isFallbackAdapter === true || SOFTWARE.test(text);
}

const mib = (bytes: number) => `${Math.round(bytes / 2 ** 20)} MiB`;

/** "NVIDIA ampere (NVIDIA RTX A4000), buffers ≤ 4096 MiB, bindings ≤ 2048 MiB". */
export function describeAdapter(info: GpuAdapterInfo): string {
  const name = info.description || info.device || 'unnamed device';
  const kind = [info.vendor, info.architecture].filter(Boolean).join(' ');
  return (
    `${kind ? `${kind} ` : ''}(${name})${info.software ? ', a software adapter' : ''}, ` +
    `buffers ≤ ${mib(info.maxBufferSize)}, bindings ≤ ${mib(info.maxStorageBufferBindingSize)}`
  );
}

/** The adapter in use, once `startWebGpu` succeeded in this process. */
export function webGpuAdapter(): GpuAdapterInfo | undefined {
  return session?.info;
}

/**
 * Takes a high-performance adapter and a device with its largest limits, and registers
 * TF.js's 'webgpu' backend on that device (not made active). Throws GpuUnavailable with a plain
 * reason when the package or a driver is missing.
 */
export async function startWebGpu(
  importModule: (specifier: string) => Promise<unknown>,
): Promise<GpuAdapterInfo> {
  if (session) return session.info;
  let dawn: DawnModule;
  try {
    dawn = (await importModule('webgpu')) as DawnModule;
  } catch (error) {
    const text = String((error as Error)?.message ?? error);
    if (/Cannot find (package|module)|ERR_MODULE_NOT_FOUND/.test(text))
      throw new GpuUnavailable('the webgpu package (dawn.node) is not installed');
    throw new GpuUnavailable(`the webgpu package failed to load (${text.split('\n')[0]})`);
  }
  Object.assign(globalThis, dawn.globals);
  const gpu = dawn.create([]);
  const g = globalThis as { navigator?: { gpu?: unknown } };
  if (g.navigator === undefined) g.navigator = { gpu };
  else if (!g.navigator.gpu)
    Object.defineProperty(g.navigator, 'gpu', { value: gpu, configurable: true });
  const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  if (!adapter)
    throw new GpuUnavailable(
      'no GPU adapter was found (no Vulkan, Metal or D3D12 driver; on Linux the Vulkan loader libvulkan1 may be missing)',
    );
  const limits = Object.fromEntries(
    LIMITS.filter((k) => adapter.limits[k] !== undefined).map((k) => [k, adapter.limits[k]!]),
  );
  const timestampQuery = adapter.features.has('timestamp-query');
  const device = await adapter.requestDevice({
    requiredLimits: limits,
    requiredFeatures: timestampQuery ? ['timestamp-query'] : [],
  });
  const errors: string[] = [];
  device.addEventListener('uncapturederror', (event) => {
    event.preventDefault(); // dawn.node would otherwise only print it
    errors.push(event.error.message.split('\n')[0]!);
  });
  void device.lost.then((lost) => {
    if (lost.reason !== 'destroyed') errors.push(`the GPU device was lost: ${lost.message}`);
  });
  const info: GpuAdapterInfo = {
    vendor: adapter.info.vendor ?? '',
    architecture: adapter.info.architecture ?? '',
    device: adapter.info.device ?? '',
    description: adapter.info.description ?? '',
    software: isSoftwareAdapter(adapter.info),
    maxBufferSize: adapter.limits.maxBufferSize ?? 0,
    maxStorageBufferBindingSize: adapter.limits.maxStorageBufferBindingSize ?? 0,
    timestampQuery,
  };
  // The package registers a default 'webgpu' factory on import when navigator.gpu exists;
  // ours, on this device, replaces it.
  const webgpuModule = (await importModule('@tensorflow/tfjs-backend-webgpu')) as {
    WebGPUBackend: new (device: unknown, info: unknown) => tf.KernelBackend;
    webgpu_util: unknown;
  };
  const { WebGPUBackend } = webgpuModule;
  // Small ops on CPU-resident inputs would otherwise run on the CPU kernels (and hide GPU bugs).
  tf.env().set('WEBGPU_CPU_FORWARD', false);
  if (tf.findBackendFactory('webgpu')) tf.removeBackend('webgpu');
  tf.registerBackend('webgpu', () => new WebGPUBackend(device, adapter.info), 0);
  registerWebGpuKernels(webgpuModule);
  session = { info, device, errors };
  return info;
}

/** Errors the device reported since the last call (and clears them). */
export function takeGpuErrors(): string[] {
  return session ? session.errors.splice(0) : [];
}

/**
 * Throws when the GPU rejected work since the last check: an invalid shader or an
 * out-of-memory makes tfjs-webgpu return wrong numbers silently, so nothing computed since can
 * be trusted.
 */
export function assertNoGpuErrors(what: string): void {
  const errors = takeGpuErrors();
  if (errors.length === 0) return;
  const oom = errors.some((e) => /out of memory|OutOfMemory|allocation/i.test(e));
  throw new GpuError(
    oom
      ? `The GPU ran out of memory during ${what}.`
      : `The GPU rejected work during ${what}: ${errors[0]}${errors.length > 1 ? ` (and ${errors.length - 1} more)` : ''}.`,
    oom,
  );
}

export class GpuError extends Error {
  constructor(
    message: string,
    readonly outOfMemory: boolean,
  ) {
    super(message);
  }
}
