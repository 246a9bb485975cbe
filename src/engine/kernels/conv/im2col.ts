// Patch gathering for the matMul-based 3-D conv (engine, wherever TF.js runs), on plain
// Float32Arrays in channels-last NDHWC layout: im2col (strided convs), expandW (stride-1 convs,
// W only), the transposed gathers of the filter gradient and the scatter-add col2im (the
// stride-1 filter gradient's wide-grid gathers are in wideGrid.ts). TF.js slicing ops are far
// slower than these loops on the CPU-side backends.

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

/** dst[d + j] = src[s + j] for j in [lo, hi), zeros elsewhere in [0, run). Unrolled by four:
 *  the runs are short (k·cin/2 pairs) and V8 does not unroll them itself. */
function copyRun(
  dst: Float64Array,
  d: number,
  src: Float64Array,
  s: number,
  lo: number,
  hi: number,
  run: number,
): void {
  let j = 0;
  for (; j < lo; j++) dst[d + j] = 0;
  for (; j + 4 <= hi; j += 4) {
    dst[d + j] = src[s + j];
    dst[d + j + 1] = src[s + j + 1];
    dst[d + j + 2] = src[s + j + 2];
    dst[d + j + 3] = src[s + j + 3];
  }
  for (; j < hi; j++) dst[d + j] = src[s + j];
  for (; j < run; j++) dst[d + j] = 0;
}

/** Output positions [lo, hi) along one axis whose whole window lies inside the input. */
function interiorRange(outSize: number, inSize: number, k: number, stride: number, pad: number) {
  const lo = Math.min(outSize, Math.ceil(pad / stride));
  const hi = Math.max(lo, Math.min(outSize, Math.floor((inSize - k + pad) / stride) + 1));
  return [lo, hi];
}

/** Pairs of float32 as one float64: half the element copies, bits unchanged (NaN payloads
 *  included: V8 does not canonicalise doubles copied between typed arrays). */
function pairView(a: Float32Array): Float64Array {
  if (a.byteOffset % 8 !== 0 || a.length % 2 !== 0) {
    throw new Error('im2col needs 8-byte aligned arrays of even length.');
  }
  return new Float64Array(a.buffer, a.byteOffset, a.length / 2);
}

/**
 * Writes the patches of output planes [p0, p1) as rows of `cols` ([rows, k³·cin]). Per (kd, kh)
 * the k·cin values of a patch are contiguous in NDHWC input, so each is one short copy. The
 * copies move float32 pairs as float64 (cin must be even, arrays 8-byte aligned), and the
 * loops run per (oh, kd, kh) along W so the common interior copy has no bounds tests: this
 * gather costs about as much as the matMul at 8 channels.
 */
export function im2col(
  x32: Float32Array,
  g: ConvGeometry,
  p0: number,
  p1: number,
  cols32: Float32Array,
): void {
  if (g.cin % 2 !== 0) throw new Error('im2col needs an even channel count.');
  const x = pairView(x32);
  const cols = pairView(cols32);
  const { inD, inH, inW, k, stride, pad, outD, outH, outW } = g;
  const lanes = g.cin / 2;
  const run = k * lanes;
  const rowLength = k * k * run;
  const step = stride * lanes;
  const [owA, owB] = interiorRange(outW, inW, k, stride, pad);
  let row = 0;
  for (let p = p0; p < p1; p++) {
    const n = Math.floor(p / outD);
    const id0 = (p - n * outD) * stride - pad;
    for (let oh = 0; oh < outH; oh++, row += outW * rowLength) {
      const ih0 = oh * stride - pad;
      for (let kd = 0; kd < k; kd++) {
        const id = id0 + kd;
        for (let kh = 0; kh < k; kh++) {
          const ih = ih0 + kh;
          const seg = row + (kd * k + kh) * run;
          if (id < 0 || id >= inD || ih < 0 || ih >= inH) {
            for (let ow = 0; ow < outW; ow++)
              copyRun(cols, seg + ow * rowLength, x, 0, run, run, run);
            continue;
          }
          const line = (((n * inD + id) * inH + ih) * inW - pad) * lanes;
          // Columns [owA, owB) see whole windows; the few others are clipped at the border.
          for (let ow = 0; ow < outW; ow++) {
            if (ow === owA) ow = owB;
            if (ow >= outW) break;
            const lo = Math.max(0, pad - ow * stride) * lanes;
            const hi = Math.min(k, inW + pad - ow * stride) * lanes;
            copyRun(cols, seg + ow * rowLength, x, line + ow * step, lo, hi, run);
          }
          let d = seg + owA * rowLength;
          let s = line + owA * step;
          for (let ow = owA; ow < owB; ow++, d += rowLength, s += step) {
            copyRun(cols, d, x, s, 0, run, run);
          }
        }
      }
    }
  }
}

/**
 * Stride-1 convs gather only along W: row (z, hz, w) of `out` holds the k·cin input values
 * x[n, z − pad, hz − pad, w − pad … w − pad + k − 1, :] (zeros outside the volume) for padded
 * depths z ∈ [z0, z1), padded heights hz ∈ [0, outH + k − 1) and w ∈ [0, outW). The patch of
 * tap (kd, kh) for every output voxel of a plane range is then a contiguous block of rows,
 * shifted by (kd·Hp + kh)·outW, so the conv is k² matMuls over row ranges of this 1/k²-size
 * matrix instead of one over a k³-wide im2col. cin must be even (float32 pairs, see im2col).
 */
export function expandW(
  x32: Float32Array,
  g: ConvGeometry,
  n: number,
  z0: number,
  z1: number,
  out32: Float32Array,
): void {
  if (g.cin % 2 !== 0) throw new Error('expandW needs an even channel count.');
  const x = pairView(x32);
  const out = pairView(out32);
  const { inD, inH, inW, k, pad, outH, outW } = g;
  const lanes = g.cin / 2;
  const run = k * lanes;
  const hp = outH + k - 1;
  const [owA, owB] = interiorRange(outW, inW, k, 1, pad);
  let dst = 0;
  for (let z = z0; z < z1; z++) {
    const id = z - pad;
    for (let hz = 0; hz < hp; hz++, dst += outW * run) {
      const ih = hz - pad;
      if (id < 0 || id >= inD || ih < 0 || ih >= inH) {
        out.fill(0, dst, dst + outW * run);
        continue;
      }
      const line = (((n * inD + id) * inH + ih) * inW - pad) * lanes;
      for (let ow = 0; ow < outW; ow++) {
        if (ow === owA) ow = owB;
        if (ow >= outW) break;
        const lo = Math.max(0, pad - ow) * lanes;
        const hi = Math.min(k, inW + pad - ow) * lanes;
        copyRun(out, dst + ow * run, x, line + ow * lanes, lo, hi, run);
      }
      let d = dst + owA * run;
      let s = line + owA * lanes;
      for (let ow = owA; ow < owB; ow++, d += run, s += lanes) copyRun(out, d, x, s, 0, run, run);
    }
  }
}

/** NDHWC → NCDHW, so that im2colT reads contiguous runs along W. */
export function toChannelsFirst(x: Float32Array, g: ConvGeometry): Float32Array {
  const { batch, cin } = g;
  const voxels = g.inD * g.inH * g.inW;
  const out = new Float32Array(x.length);
  for (let n = 0; n < batch; n++) {
    const base = n * voxels * cin;
    for (let v = 0; v < voxels; v++) {
      const s = base + v * cin;
      for (let c = 0; c < cin; c++) out[base + c * voxels + v] = x[s + c];
    }
  }
  return out;
}

/**
 * The patches of im2col, transposed: `colsT` is [k³·cin, rows], so that patchesᵀ·dy (the
 * filter gradient) is a plain matMul whose right operand is the small dy chunk. Reads the
 * channels-first copy of the input (toChannelsFirst).
 */
export function im2colT(
  xcf: Float32Array,
  g: ConvGeometry,
  p0: number,
  p1: number,
  colsT: Float32Array,
): void {
  const { inD, inH, inW, cin, k, stride, pad, outD, outH, outW } = g;
  const rows = (p1 - p0) * outH * outW;
  const voxels = inD * inH * inW;
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
          const owLo = Math.min(outW, Math.max(0, Math.ceil((pad - kw) / stride)));
          const owHi = Math.max(
            owLo,
            Math.min(outW, Math.floor((inW - 1 + pad - kw) / stride) + 1),
          );
          for (let ci = 0; ci < cin; ci++) {
            const channel = (n * cin + ci) * voxels;
            let dst = (((kd * k + kh) * k + kw) * cin + ci) * rows + planeOffset;
            for (let oh = 0; oh < outH; oh++, dst += outW) {
              const ih = oh * stride - pad + kh;
              const src = channel + (id * inH + ih) * inW + kw - pad;
              if (!dOk || ih < 0 || ih >= inH) {
                colsT.fill(0, dst, dst + outW);
              } else if (stride === 1) {
                for (let ow = 0; ow < owLo; ow++) colsT[dst + ow] = 0;
                colsT.set(xcf.subarray(src + owLo, src + owHi), dst + owLo);
                for (let ow = owHi; ow < outW; ow++) colsT[dst + ow] = 0;
              } else {
                for (let ow = 0; ow < owLo; ow++) colsT[dst + ow] = 0;
                for (let ow = owLo; ow < owHi; ow++) colsT[dst + ow] = xcf[src + ow * stride];
                for (let ow = owHi; ow < outW; ow++) colsT[dst + ow] = 0;
              }
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
): void {
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
