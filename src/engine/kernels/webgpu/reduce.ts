// Large reductions on WebGPU (engine, TF.js kernels): tfjs-webgpu 4.22 reduces with one
// workgroup per output value, so a sum over a whole feature map (the losses) or over every
// voxel of a channel (BatchNorm's moments) runs on one or a handful of workgroups. These
// overrides of Sum and Mean split the reduced extent into √n blocks — two passes of the
// built-in kernel, each with many workgroups — which gives the same value up to float32
// summation order. Gradients are the ops' own (registered per op, not per kernel).
import * as tf from '@tensorflow/tfjs';

type KernelFunc = tf.KernelConfig['kernelFunc'];
type Backend = { disposeData(dataId: unknown): void };

/** Below this many values per output the built-in single pass is fast enough. */
const TWO_PASS_FROM = 16_384;

/** A divisor of n near √n (within 4×), or undefined when n has none (two passes then cost more). */
export function blockSize(n: number): number | undefined {
  const root = Math.sqrt(n);
  for (let d = Math.floor(root); d >= Math.ceil(root / 4); d--) if (n % d === 0) return d;
  return undefined;
}

function twoPass(builtin: KernelFunc, transpose: KernelFunc, reshape: KernelFunc): KernelFunc {
  return (args) => {
    const x = args.inputs.x as tf.TensorInfo;
    const backend = args.backend as unknown as Backend;
    const { axis, keepDims } = args.attrs as unknown as {
      axis: number | number[];
      keepDims: boolean;
    };
    const rank = x.shape.length;
    const axes = tf.util.parseAxisParam(axis, x.shape);
    const reduced = axes.reduce((p, a) => p * x.shape[a]!, 1);
    const block = reduced >= TWO_PASS_FROM ? blockSize(reduced) : undefined;
    if (block === undefined || x.dtype !== 'float32') return builtin(args);
    const run = (kernel: KernelFunc, input: tf.TensorInfo, attrs: object) =>
      kernel({
        inputs: { x: input },
        backend: args.backend,
        attrs: attrs as tf.NamedAttrMap,
      }) as tf.TensorInfo;
    const temps: tf.TensorInfo[] = [];
    const keep = (t: tf.TensorInfo) => (temps.push(t), t);
    const perm = tf.backend_util.getAxesPermutation(axes, rank);
    const inner = perm ? keep(run(transpose, x, { perm })) : x;
    const outer = tf.util.sizeFromShape(x.shape) / reduced;
    const blocks = reduced / block;
    const grid = keep(run(reshape, inner, { shape: [outer * blocks, block] }));
    const first = keep(run(builtin, grid, { axis: [1], keepDims: false }));
    const partial = keep(run(reshape, first, { shape: [outer, blocks] }));
    const second = keep(run(builtin, partial, { axis: [1], keepDims: false }));
    const [outShape] = tf.backend_util.computeOutAndReduceShapes(x.shape, axes);
    const shape = keepDims ? tf.backend_util.expandShapeToKeepDim(outShape, axes) : outShape;
    const result = run(reshape, second, { shape });
    for (const t of temps) backend.disposeData(t.dataId);
    return result;
  };
}

/** Replaces the webgpu Sum and Mean kernels (built-ins kept for the small cases). */
export function registerTwoPassReductions(): void {
  const kernel = (name: string) => tf.getKernel(name, 'webgpu')?.kernelFunc;
  const transpose = kernel('Transpose');
  const reshape = kernel('Reshape');
  for (const name of ['Sum', 'Mean']) {
    const builtin = kernel(name);
    if (!builtin || !transpose || !reshape || (builtin as { twoPass?: boolean }).twoPass) continue;
    const kernelFunc = Object.assign(twoPass(builtin, transpose, reshape), { twoPass: true });
    tf.unregisterKernel(name, 'webgpu');
    tf.registerKernel({ kernelName: name, backendName: 'webgpu', kernelFunc });
  }
}
