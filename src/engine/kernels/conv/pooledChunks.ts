// Arena chunks shared by the pooled conv's passes (engine, main thread of the engine process):
// how many output planes a chunk holds, copies into the arena, and the zero-padded input planes
// and (kd, kh) taps of a stride-1 conv (see pooledConv.ts for the wide-grid scheme).
import { arenaAlloc, arenaView } from '../cpu/pool';
import type { Tap } from '../cpu/tasks';
import type { ConvGeometry } from './im2col';

/** Rows per work item of the big products: ~10–50 µs of work, small enough to balance. */
export const BAND_ROWS = 128;

/** Whole output planes per chunk so that a chunk's arena buffers hold ≤ maxChunk floats. */
export function planesPerChunk(planes: number, floatsPerPlane: number, maxChunk: number): number {
  return Math.max(1, Math.min(planes, Math.floor(maxChunk / floatsPerPlane)));
}

/** im2col moves float32 pairs as float64: it needs 8-byte aligned input. */
export function aligned(x: Float32Array): Float32Array {
  return x.byteOffset % 8 === 0 ? x : x.slice();
}

/** Copies `values` into a new arena block; returns its address. */
export function arenaCopy(values: Float32Array): number {
  const at = arenaAlloc(values.length);
  arenaView(at, values.length).set(values);
  return at;
}

/** The padded grid of a stride-1 conv: depth, height and width of the zero-padded input. */
export function paddedGrid(g: ConvGeometry) {
  return { dp: g.outD + g.k - 1, hp: g.outH + g.k - 1, wp: g.outW + g.k - 1 };
}

/**
 * Zero-padded channels-last input planes [z0, z1) of sample n (padded depth coordinates) into
 * `dst`: x[n, z − pad, h − pad, w − pad, :] at [z − z0, h, w, :], zeros outside the volume.
 */
export function padPlanes(
  x: Float32Array,
  g: ConvGeometry,
  n: number,
  z0: number,
  z1: number,
  dst: Float32Array,
) {
  const { inD, inH, inW, cin, pad } = g;
  const { hp, wp } = paddedGrid(g);
  dst.fill(0);
  const line = inW * cin;
  for (let z = z0; z < z1; z++) {
    const d = z - pad;
    if (d < 0 || d >= inD) continue;
    for (let h = 0; h < inH; h++) {
      const src = ((n * inD + d) * inH + h) * line;
      dst.set(x.subarray(src, src + line), (((z - z0) * hp + h + pad) * wp + pad) * cin);
    }
  }
}

/** Taps (kd, kh) of a stride-1 conv over a padded chunk at `xpad`: A shifts, B or C blocks;
 *  each overwrites its C (or, fused, they overwrite the one C). */
export function stride1Taps(
  g: ConvGeometry,
  xpad: number,
  b: (t: number) => number,
  c: (t: number) => number,
): Tap[] {
  const { hp, wp } = paddedGrid(g);
  const taps: Tap[] = [];
  for (let kd = 0; kd < g.k; kd++) {
    for (let kh = 0; kh < g.k; kh++) {
      const t = kd * g.k + kh;
      const a = xpad + (kd * hp + kh) * wp * g.cin * 4;
      taps.push({ a, b: b(t), c: c(t), accumulate: false });
    }
  }
  return taps;
}
