// Patch gathering for the matMul-based 3-D conv (engine, wherever TF.js runs): im2col, its
// transpose and the scatter-add col2im on plain Float32Arrays in channels-last NDHWC layout.
// TF.js slicing ops are far slower than these loops on the CPU-side backends.

/** A cubic conv: k×k×k kernel, equal stride on D, H, W, `pad` zero voxels in front. */
export interface ConvGeometry {
  batch: number;
  inD: number;
  inH: number;
  inW: number;
  cin: number;
  cout: number;
  k: number;
  stride: number;
  pad: number;
  outD: number;
  outH: number;
  outW: number;
}

/** Columns of one patch row: (kd, kh, kw, ci), the order of a [k, k, k, cin, cout] kernel
 *  reshaped to [k³·cin, cout]. */
export function patchSize(g: ConvGeometry): number {
  return g.k * g.k * g.k * g.cin;
}

/** Output rows of one (sample, output depth) plane; chunks are runs of whole planes. */
export function planeRows(g: ConvGeometry): number {
  return g.outH * g.outW;
}

export function planeCount(g: ConvGeometry): number {
  return g.batch * g.outD;
}

/**
 * Writes the patches of output planes [p0, p1) as rows of `cols` ([rows, k³·cin]). Per (kd, kh)
 * the k·cin values of a patch are contiguous in NDHWC input, so each is one short copy.
 */
export function im2col(
  x: Float32Array,
  g: ConvGeometry,
  p0: number,
  p1: number,
  cols: Float32Array,
) {
  const { inD, inH, inW, cin, k, stride, pad, outD, outH, outW } = g;
  const run = k * cin;
  let dst = 0;
  for (let p = p0; p < p1; p++) {
    const n = Math.floor(p / outD);
    const id0 = (p - n * outD) * stride - pad;
    for (let oh = 0; oh < outH; oh++) {
      const ih0 = oh * stride - pad;
      for (let ow = 0; ow < outW; ow++) {
        const iw0 = ow * stride - pad;
        const lo = Math.max(0, -iw0) * cin;
        const hi = Math.min(k, inW - iw0) * cin;
        for (let kd = 0; kd < k; kd++) {
          const id = id0 + kd;
          const dOk = id >= 0 && id < inD;
          for (let kh = 0; kh < k; kh++, dst += run) {
            const ih = ih0 + kh;
            if (!dOk || ih < 0 || ih >= inH) {
              for (let j = 0; j < run; j++) cols[dst + j] = 0;
              continue;
            }
            const src = (((n * inD + id) * inH + ih) * inW + iw0) * cin;
            for (let j = 0; j < lo; j++) cols[dst + j] = 0;
            for (let j = lo; j < hi; j++) cols[dst + j] = x[src + j];
            for (let j = hi; j < run; j++) cols[dst + j] = 0;
          }
        }
      }
    }
  }
}

/** Same patches as im2col, transposed: `colsT` is [k³·cin, rows] so that colsᵀ·dy (the
 *  filter gradient) is a plain matMul with the small dy chunk as its right operand. */
export function im2colT(
  x: Float32Array,
  g: ConvGeometry,
  p0: number,
  p1: number,
  colsT: Float32Array,
) {
  const { inD, inH, inW, cin, k, stride, pad, outD, outH, outW } = g;
  const rows = (p1 - p0) * outH * outW;
  for (let p = p0; p < p1; p++) {
    const n = Math.floor(p / outD);
    const id0 = (p - n * outD) * stride - pad;
    const planeOffset = (p - p0) * outH * outW;
    for (let kd = 0; kd < k; kd++) {
      const id = id0 + kd;
      const dOk = id >= 0 && id < inD;
      for (let kh = 0; kh < k; kh++) {
        for (let kw = 0; kw < k; kw++) {
          // Output columns whose input w = ow·stride − pad + kw lies inside the volume.
          const owLo = Math.max(0, Math.ceil((pad - kw) / stride));
          const owHi = Math.min(outW, Math.floor((inW - 1 + pad - kw) / stride) + 1);
          for (let ci = 0; ci < cin; ci++) {
            const row = ((kd * k + kh) * k + kw) * cin + ci;
            let dst = row * rows + planeOffset;
            for (let oh = 0; oh < outH; oh++, dst += outW) {
              const ih = oh * stride - pad + kh;
              if (!dOk || ih < 0 || ih >= inH) {
                for (let ow = 0; ow < outW; ow++) colsT[dst + ow] = 0;
                continue;
              }
              const src = (((n * inD + id) * inH + ih) * inW + kw - pad) * cin + ci;
              const step = stride * cin;
              for (let ow = 0; ow < owLo; ow++) colsT[dst + ow] = 0;
              for (let ow = owLo; ow < owHi; ow++) colsT[dst + ow] = x[src + ow * step];
              for (let ow = owHi; ow < outW; ow++) colsT[dst + ow] = 0;
            }
          }
        }
      }
    }
  }
}

/** Adjoint of im2col: adds the rows of `cols` (planes [p0, p1)) back into the input-shaped
 *  `dx`. For the k=2 s=2 down conv the windows do not overlap, so this is a permutation. */
export function col2imAdd(
  cols: Float32Array,
  g: ConvGeometry,
  p0: number,
  p1: number,
  dx: Float32Array,
) {
  const { inD, inH, inW, cin, k, stride, pad, outD, outH, outW } = g;
  const run = k * cin;
  let src = 0;
  for (let p = p0; p < p1; p++) {
    const n = Math.floor(p / outD);
    const id0 = (p - n * outD) * stride - pad;
    for (let oh = 0; oh < outH; oh++) {
      const ih0 = oh * stride - pad;
      for (let ow = 0; ow < outW; ow++) {
        const iw0 = ow * stride - pad;
        const lo = Math.max(0, -iw0) * cin;
        const hi = Math.min(k, inW - iw0) * cin;
        for (let kd = 0; kd < k; kd++) {
          const id = id0 + kd;
          const dOk = id >= 0 && id < inD;
          for (let kh = 0; kh < k; kh++, src += run) {
            const ih = ih0 + kh;
            if (!dOk || ih < 0 || ih >= inH) continue;
            const dst = (((n * inD + id) * inH + ih) * inW + iw0) * cin;
            for (let j = lo; j < hi; j++) dx[dst + j] += cols[src + j];
          }
        }
      }
    }
  }
}
