// Modality rescale and output type (plain Node): applies each slice's RescaleSlope/Intercept
// while copying slices into one i-fastest volume array. Integer scaling keeps an integer
// array (the smallest of Uint8/Int16/Uint16/Int32 that holds the values); any fractional
// slope or intercept gives Float32.
import type { VoxelArray } from '../volume';
import type { StoredPixels } from './types';

export interface RescaledSlice {
  pixels: StoredPixels;
  slope: number;
  intercept: number;
}

function sliceRange(slice: RescaledSlice): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (let p = 0; p < slice.pixels.length; p++) {
    const v = slice.pixels[p]!;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  const a = lo * slice.slope + slice.intercept;
  const b = hi * slice.slope + slice.intercept;
  return a <= b ? [a, b] : [b, a];
}

type IntegerArray = Uint8Array | Int16Array | Uint16Array | Int32Array | Float64Array;

function integerArrayFor(lo: number, hi: number, length: number, eightBit: boolean): IntegerArray {
  if (eightBit && lo >= 0 && hi <= 0xff) return new Uint8Array(length);
  if (lo >= -0x8000 && hi <= 0x7fff) return new Int16Array(length);
  if (lo >= 0 && hi <= 0xffff) return new Uint16Array(length);
  if (lo >= -0x80000000 && hi <= 0x7fffffff) return new Int32Array(length);
  // Only 32-bit unsigned data above 2^31 gets here; float64 holds it exactly.
  return new Float64Array(length);
}

export function isIdentityRescale(slices: RescaledSlice[]): boolean {
  return slices.every((s) => s.slope === 1 && s.intercept === 0);
}

/** Concatenates the slices (already in volume order) and applies the modality rescale. */
export function assembleVolumeData(slices: RescaledSlice[], bitsAllocated: number): VoxelArray {
  const perSlice = slices[0]?.pixels.length ?? 0;
  const length = perSlice * slices.length;
  const integer = slices.every((s) => Number.isInteger(s.slope) && Number.isInteger(s.intercept));
  let out: VoxelArray;
  if (integer) {
    let lo = Infinity;
    let hi = -Infinity;
    for (const slice of slices) {
      const [a, b] = sliceRange(slice);
      lo = Math.min(lo, a);
      hi = Math.max(hi, b);
    }
    out = integerArrayFor(lo, hi, length, bitsAllocated === 8);
  } else {
    out = new Float32Array(length);
  }
  slices.forEach((slice, k) => {
    const offset = k * perSlice;
    const { pixels, slope, intercept } = slice;
    if (slope === 1 && intercept === 0) {
      out.set(pixels, offset);
      return;
    }
    for (let p = 0; p < perSlice; p++) out[offset + p] = pixels[p]! * slope + intercept;
  });
  return out;
}
