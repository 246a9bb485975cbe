// matMul-based 3-D conv for TF.js's CPU-side backends (engine, wherever TF.js runs). The 'cpu'
// and 'wasm' Conv3D kernels (forward and both backprops) are naive loops at ~0.3 GFLOP/s, and
// in tfjs-backend-wasm 4.22 both backprop kernels return wrong values for most shapes. Here the
// products run on the compute pool (kernels/cpu: a WebAssembly SIMD GEMM at ~20 GFLOP/s per
// thread, on setComputeThreads() threads, results independent of the count). Where WebAssembly
// threads are unavailable, the patches are gathered in JavaScript (im2col.ts) and the products
// run as tf.matMul on 'wasm' (XNNPACK) or as gemm.ts on 'cpu'. tfjs-node keeps its conv3d.
import * as tf from '@tensorflow/tfjs';
import { AppError } from '../../../core/errors';
import { pooledConvApplies, pooledConvForward, pooledInputGrad } from './pooledConv';
import { pooledKernelGrad } from './pooledKernelGrad';
import { computeShared } from '../cpu/pool';
import { convForwardValues, inputGradValues, kernelGradValues } from './convValues';
import type { ConvGeometry } from './im2col';
import { productsFor } from './products';

/** Backends whose own Conv3D kernels are naive loops; every other backend ('tensorflow' of
 *  tfjs-node, 'webgl', …) keeps tf.conv3d. */
const MATMUL_CONV_BACKENDS = ['wasm', 'cpu'] as const;

let matMulConvEnabled = true;

/** Benchmarks and A/B checks: false sends every conv back to tf.conv3d. */
export function enableMatMulConv3d(enabled: boolean): void {
  matMulConvEnabled = enabled;
}

let pooledEnabled = true;

/** Benchmarks and A/B checks: false keeps the products off the compute pool (tf.matMul on
 *  'wasm', gemm.ts on 'cpu'), as before the pool existed. */
export function enablePooledConv3d(enabled: boolean): void {
  pooledEnabled = enabled;
}

function usesPool(g: ConvGeometry): boolean {
  return pooledEnabled && pooledConvApplies(g) && computeShared() !== null;
}

/** Whether `conv` should run conv3dFast instead of tf.conv3d on this backend. */
export function prefersMatMulConv3d(backendName: string): boolean {
  return matMulConvEnabled && (MATMUL_CONV_BACKENDS as readonly string[]).includes(backendName);
}

export interface FastConvOptions {
  /** Largest gathered patch matrix, in floats; bounds the extra memory at large batches. */
  maxChunkFloats?: number;
}

/** 2 Mi floats (8 MB): the gathered matrices stay cache-friendly and the filter-gradient
 *  products get inner dimensions of ~10k rows, where XNNPACK runs fastest. */
const DEFAULT_CHUNK_FLOATS = 1 << 21;

/** Output size and front padding exactly as tf.conv3d computes them. */
export function convGeometry(
  xShape: readonly number[],
  kernelShape: readonly number[],
  stride: number,
  padding: 'same' | 'valid',
): ConvGeometry {
  const [batch, inD, inH, inW, cin] = xShape;
  const [k, kh, kw, kcin, cout] = kernelShape;
  if (xShape.length !== 5 || kh !== k || kw !== k || kcin !== cin || !(stride >= 1)) {
    throw new AppError(
      'INTERNAL',
      `conv3dFast needs a cubic kernel over the input channels and stride ≥ 1, got input ` +
        `[${xShape}], kernel [${kernelShape}], stride ${stride}.`,
    );
  }
  if (padding === 'same') {
    // TF pads 'same' asymmetrically for even kernels or strides > 1; the V-Net never asks.
    if (stride !== 1 || k % 2 !== 1) {
      throw new AppError('INTERNAL', `conv3dFast 'same' needs stride 1 and an odd kernel.`);
    }
    const pad = (k - 1) / 2;
    return { batch, inD, inH, inW, cin, cout, k, stride, pad, outD: inD, outH: inH, outW: inW };
  }
  const out = (s: number) => Math.floor((s - k) / stride) + 1;
  if (out(inD) < 1 || out(inH) < 1 || out(inW) < 1) {
    throw new AppError('INTERNAL', `conv3dFast: input [${xShape}] is smaller than the kernel.`);
  }
  return {
    ...{ batch, inD, inH, inW, cin, cout, k, stride, pad: 0 },
    ...{ outD: out(inD), outH: out(inH), outW: out(inW) },
  };
}

/** Float32 values of a tensor on any backend ('wasm' copies them out of its heap). */
function valuesOf(t: tf.TensorInfo): Float32Array {
  if (t.dtype !== 'float32') {
    throw new AppError('INTERNAL', `conv3dFast needs float32 tensors, got ${t.dtype}.`);
  }
  return tf.engine().readSync(t.dataId) as Float32Array;
}

/** A registered kernel rather than tf.customGrad: its gradient map is evaluated per input,
 *  so the gradient w.r.t. an input that needs none (the image fed to the first conv) is never
 *  computed, and tf.profile reports the op under this name. Registered for 'cpu' and 'wasm'. */
export const MATMUL_CONV3D_KERNEL = 'SimcvdMatMulConv3D';
const KERNEL_NAME = MATMUL_CONV3D_KERNEL;

interface KernelAttrs {
  stride: number;
  padding: 'same' | 'valid';
  maxChunkFloats: number;
}

function attrsOf(attrs: tf.NamedAttrMap | undefined): KernelAttrs {
  return attrs as unknown as KernelAttrs;
}

function forwardKernel(args: { inputs: tf.NamedTensorInfoMap; attrs?: tf.NamedAttrMap }) {
  const { x, filter } = args.inputs as { x: tf.TensorInfo; filter: tf.TensorInfo };
  const { stride, padding, maxChunkFloats } = attrsOf(args.attrs);
  const g = convGeometry(x.shape, filter.shape, stride, padding);
  const y = usesPool(g)
    ? pooledConvForward(valuesOf(x), g, valuesOf(filter), maxChunkFloats)
    : convForwardValues(
        valuesOf(x),
        g,
        valuesOf(filter),
        productsFor(tf.getBackend()),
        maxChunkFloats,
      );
  return tf.tensor5d(y, [g.batch, g.outD, g.outH, g.outW, g.cout]);
}

function gradient(dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[], attrs: tf.NamedAttrMap) {
  const [x, filter] = saved;
  const { stride, padding, maxChunkFloats } = attrsOf(attrs);
  const g = convGeometry(x.shape, filter.shape, stride, padding);
  const dyValues = valuesOf(dy as tf.Tensor);
  if (usesPool(g)) {
    return {
      x: () => tf.tensor(pooledInputGrad(dyValues, g, valuesOf(filter), maxChunkFloats), x.shape),
      filter: () =>
        tf.tensor(pooledKernelGrad(valuesOf(x), g, dyValues, maxChunkFloats), filter.shape),
    };
  }
  const products = productsFor(tf.getBackend());
  return {
    x: () =>
      tf.tensor(inputGradValues(dyValues, g, valuesOf(filter), products, maxChunkFloats), x.shape),
    filter: () =>
      tf.tensor(kernelGradValues(valuesOf(x), g, dyValues, products, maxChunkFloats), filter.shape),
  };
}

function registerOnce(): void {
  for (const backendName of MATMUL_CONV_BACKENDS) {
    if (tf.getKernel(KERNEL_NAME, backendName) == null) {
      tf.registerKernel({ kernelName: KERNEL_NAME, backendName, kernelFunc: forwardKernel });
    }
  }
  if (tf.getGradient(KERNEL_NAME) == null) {
    tf.registerGradient({
      kernelName: KERNEL_NAME,
      inputsToSave: ['x', 'filter'],
      gradFunc: gradient,
    });
  }
}

registerOnce();

/**
 * Same result and gradients as tf.conv3d(x, kernel, stride, padding) (to float rounding), for
 * 'same' with stride 1 and an odd kernel, or 'valid' with any stride; kernel is
 * [k, k, k, cin, cout]. Runs on the 'cpu' and 'wasm' backends only. Only x and the kernel are
 * kept for the backward pass, which gathers the patches again: keeping them would hold tens
 * of MB per conv for the whole step.
 */
export function conv3dFast(
  x: tf.Tensor5D,
  kernel: tf.Tensor5D,
  stride: number,
  padding: 'same' | 'valid',
  options: FastConvOptions = {},
): tf.Tensor5D {
  convGeometry(x.shape, kernel.shape, stride, padding);
  const attrs: KernelAttrs = {
    stride,
    padding,
    maxChunkFloats: options.maxChunkFloats ?? DEFAULT_CHUNK_FLOATS,
  };
  const inputs = { x, filter: kernel };
  return tf
    .engine()
    .runKernel(KERNEL_NAME, inputs, attrs as unknown as tf.NamedAttrMap) as tf.Tensor5D;
}
