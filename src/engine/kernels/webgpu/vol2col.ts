// 3-D convolution on WebGPU as a tiled matrix product (engine, TF.js): tfjs-webgpu 4.22 runs
// Conv3D and both its gradients as naive per-output loops. Here a WGSL vol2col gather turns a
// block of output positions into rows of their k³·C input values, and tfjs's tiled matMul does
// the arithmetic: y = cols · W. The gradients are matrix products too: dW = colsᵀ · dy block by
// block; dx is the same convolution of dy with the flipped, transposed kernel (k = 3, stride
// 1), or dy · Wᵀ rearranged depth-to-space (k = 2, stride 2, whose windows do not overlap).
// Blocks keep every gathered matrix under a fixed size, whatever the patch.
import * as tf from '@tensorflow/tfjs';

export const VOL2COL_KERNEL = 'SimcvdVol2Col';

/** Bytes of one gathered block: well under every adapter's binding limit. */
const DEFAULT_BLOCK_BYTES = 64 * 2 ** 20;
let blockBytes = DEFAULT_BLOCK_BYTES;

/** Tests: small blocks, so that tiny volumes exercise the multi-block path. */
export function setVol2ColBlockBytesForTesting(bytes: number | undefined): void {
  blockBytes = bytes ?? DEFAULT_BLOCK_BYTES;
}

interface Geometry {
  n: number;
  d: number;
  h: number;
  w: number;
  c: number;
  k: number;
  stride: number;
  pad: number;
  od: number;
  oh: number;
  ow: number;
}

function geometry(shape: number[], k: number, stride: number, pad: number): Geometry {
  const [n, d, h, w, c] = shape as [number, number, number, number, number];
  const out = (s: number) => Math.floor((s + 2 * pad - k) / stride) + 1;
  return { n, d, h, w, c, k, stride, pad, od: out(d), oh: out(h), ow: out(w) };
}

type WebGpuUtil = {
  flatDispatchLayout(shape: number[]): { x: number[] };
  computeDispatch(layout: { x: number[] }, shape: number[], workgroup: number[]): number[];
};

/** cols[r, (kd, kh, kw, c)] = x[n, od·s − p + kd, …, c] (0 outside) for row r + rowStart. */
function vol2colProgram(util: WebGpuUtil, g: Geometry, rows: number) {
  const outputShape = [rows, g.k * g.k * g.k * g.c];
  const dispatchLayout = util.flatDispatchLayout(outputShape);
  const workgroupSize: [number, number, number] = [64, 1, 1];
  return {
    variableNames: ['x'],
    uniforms: 'k : i32, stride : i32, pad : i32, od : i32, oh : i32, ow : i32, rowStart : i32,',
    outputShape,
    dispatchLayout,
    workgroupSize,
    dispatch: util.computeDispatch(dispatchLayout, outputShape, workgroupSize),
    size: true,
    shaderKey: 'simcvdVol2Col',
    // Rank-5 shapes reach WGSL as a struct with fields x, y, z, w, u (not indexable).
    getUserCode: () => `
      fn main(index : i32) {
        if (index >= uniforms.size) { return; }
        let rc = getCoordsFromIndex(index);
        let c = uniforms.xShape.u;
        var row = rc.x + uniforms.rowStart;
        let ow = row % uniforms.ow; row = row / uniforms.ow;
        let oh = row % uniforms.oh; row = row / uniforms.oh;
        let od = row % uniforms.od; let n = row / uniforms.od;
        var col = rc.y;
        let ci = col % c; col = col / c;
        let kw = col % uniforms.k; col = col / uniforms.k;
        let kh = col % uniforms.k; let kd = col / uniforms.k;
        let id = od * uniforms.stride - uniforms.pad + kd;
        let ih = oh * uniforms.stride - uniforms.pad + kh;
        let iw = ow * uniforms.stride - uniforms.pad + kw;
        var v = 0.0;
        if (id >= 0 && id < uniforms.xShape.y && ih >= 0 && ih < uniforms.xShape.z &&
            iw >= 0 && iw < uniforms.xShape.w) {
          v = getX(n, id, ih, iw, ci);
        }
        setOutputAtIndex(index, v);
      }`,
  };
}

let webgpuUtil: WebGpuUtil | undefined;

/** Registers the vol2col kernel for 'webgpu' (once; needs the package's program helpers). */
export function registerVol2Col(util: WebGpuUtil): void {
  if (webgpuUtil) return;
  webgpuUtil = util;
  tf.registerKernel({
    kernelName: VOL2COL_KERNEL,
    backendName: 'webgpu',
    kernelFunc: ({ inputs, backend, attrs }) => {
      const x = inputs.x as tf.TensorInfo;
      const { k, stride, pad, rowStart, rows } = attrs as Record<string, number>;
      const g = geometry(x.shape, k!, stride!, pad!);
      const uniforms = [g.k, g.stride, g.pad, g.od, g.oh, g.ow, rowStart!].map((v) => ({
        type: 'int32',
        data: [v],
      }));
      const gpu = backend as unknown as {
        runWebGPUProgram(p: unknown, i: tf.TensorInfo[], d: string, u: unknown): tf.TensorInfo;
      };
      return gpu.runWebGPUProgram(vol2colProgram(util, g, rows!), [x], 'float32', uniforms);
    },
  });
}

/** Output rows per block for `columns` gathered values per row. */
function blockRows(columns: number, totalRows: number): number {
  return Math.max(1, Math.min(totalRows, Math.floor(blockBytes / (4 * columns))));
}

/** Blocks of [rowStart, rows) covering every output row. */
function blocks(totalRows: number, perBlock: number): [number, number][] {
  const out: [number, number][] = [];
  for (let start = 0; start < totalRows; start += perBlock)
    out.push([start, Math.min(perBlock, totalRows - start)]);
  return out;
}

function gather(x: tf.Tensor, g: Geometry, rowStart: number, rows: number): tf.Tensor2D {
  return tf.engine().runKernel(VOL2COL_KERNEL, { x }, {
    k: g.k,
    stride: g.stride,
    pad: g.pad,
    rowStart,
    rows,
  } as unknown as tf.NamedAttrMap) as tf.Tensor2D;
}

/** y = conv(x, W) by blocks of output rows, no gradient recorded. */
function convForward(x: tf.Tensor5D, kernel: tf.Tensor5D, stride: 1 | 2): tf.Tensor5D {
  const [k, , , cin, cout] = kernel.shape;
  const g = geometry(x.shape, k, stride, stride === 1 ? (k - 1) / 2 : 0);
  const rows = g.n * g.od * g.oh * g.ow;
  const weights = tf.reshape(kernel, [k * k * k * cin, cout]);
  const parts = blocks(rows, blockRows(k * k * k * cin, rows)).map(([start, count]) =>
    tf.tidy(() => tf.matMul(gather(x, g, start, count), weights)),
  );
  const y = parts.length === 1 ? parts[0]! : tf.concat(parts, 0);
  if (parts.length > 1) tf.dispose(parts);
  weights.dispose();
  const out = tf.reshape(y, [g.n, g.od, g.oh, g.ow, cout]) as tf.Tensor5D;
  y.dispose();
  return out;
}

/** The kernel for dx of a k³ 'same' convolution: taps reversed, in and out channels swapped. */
function flippedTransposed(kernel: tf.Tensor5D): tf.Tensor5D {
  const [k, , , cin, cout] = kernel.shape;
  return tf.tidy(
    () =>
      tf.reshape(
        tf.transpose(tf.reverse(tf.reshape(kernel, [k * k * k, cin, cout]), 0), [0, 2, 1]),
        [k, k, k, cout, cin],
      ) as tf.Tensor5D,
  );
}

/** dx of the k = 2, stride-2 convolution: dy · Wᵀ put back into each 2×2×2 window. */
function strideTwoInputGradient(dy: tf.Tensor5D, kernel: tf.Tensor5D): tf.Tensor5D {
  const [n, od, oh, ow, cout] = dy.shape;
  const cin = kernel.shape[3];
  return tf.tidy(() => {
    const cols = tf.matMul(
      tf.reshape(dy, [n * od * oh * ow, cout]),
      tf.reshape(kernel, [8 * cin, cout]),
      false,
      true,
    );
    // Rows (n, od, oh, ow), columns (kd, kh, kw, c): bring kd beside od, kh beside oh, kw beside ow.
    const a = tf.transpose(tf.reshape(cols, [n * od, oh * ow, 2, 4 * cin]), [0, 2, 1, 3]);
    const b = tf.transpose(tf.reshape(a, [n * od * 2 * oh, ow, 2, 2 * cin]), [0, 2, 1, 3]);
    return tf.reshape(b, [n, 2 * od, 2 * oh, 2 * ow, cin]) as tf.Tensor5D;
  });
}

/** dW = Σ over blocks of colsᵀ · dy. */
function filterGradient(
  x: tf.Tensor5D,
  dy: tf.Tensor5D,
  kernelShape: number[],
  stride: 1 | 2,
): tf.Tensor {
  const [k, , , cin, cout] = kernelShape as [number, number, number, number, number];
  const g = geometry(x.shape, k, stride, stride === 1 ? (k - 1) / 2 : 0);
  const rows = g.n * g.od * g.oh * g.ow;
  return tf.tidy(() => {
    const dy2d = tf.reshape(dy, [rows, cout]);
    let sum: tf.Tensor | undefined;
    for (const [start, count] of blocks(rows, blockRows(k * k * k * cin, rows))) {
      const part = tf.matMul(
        gather(x, g, start, count),
        tf.slice(dy2d, [start, 0], [count, cout]),
        true,
      );
      sum = sum ? tf.add(sum, part) : part;
    }
    return tf.reshape(sum!, kernelShape);
  });
}

/** Whether this convolution can take the vol2col path (the V-Net's two kinds, even sizes). */
export function vol2colApplies(x: tf.Tensor5D, kernel: tf.Tensor, stride: 1 | 2): boolean {
  const k = kernel.shape[0]!;
  const cubic = kernel.shape[1] === k && kernel.shape[2] === k;
  if (!webgpuUtil || !cubic) return false;
  if (stride === 1) return k % 2 === 1;
  return k === 2 && x.shape.slice(1, 4).every((s) => s % 2 === 0);
}

/** conv3d ('same' for stride 1, 'valid' k = 2 stride 2) on WebGPU, with matMul gradients. */
export function conv3dVol2Col(x: tf.Tensor5D, kernel: tf.Tensor5D, stride: 1 | 2): tf.Tensor5D {
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [xs, ks, save] = args as [tf.Tensor5D, tf.Tensor5D, tf.GradSaveFunc];
    save([xs, ks]);
    return {
      value: convForward(xs, ks, stride),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [sx, sk] = saved as [tf.Tensor5D, tf.Tensor5D];
        const dy5 = dy as tf.Tensor5D;
        let dx: tf.Tensor5D;
        if (stride === 1) {
          const flipped = flippedTransposed(sk);
          dx = convForward(dy5, flipped, 1);
          flipped.dispose();
        } else {
          dx = strideTwoInputGradient(dy5, sk);
        }
        return [dx, filterGradient(sx, dy5, sk.shape, stride)];
      },
    };
  });
  return op(x, kernel) as tf.Tensor5D;
}
