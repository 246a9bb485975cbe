// Voxel conversion (pure, plain Node/browser): raw NIfTI bytes -> typed arrays (byte order,
// 64-bit ints, scl_slope/scl_inter) and range-checked type conversion for writing. The hot path
// is one memcpy plus, only for a foreign byte order, one in-place swap over whole words.
import { AppError } from '../../errors';
import type { VoxelArray, VoxelType } from '../volume';
import type { DatatypeInfo } from './datatypes';

export const HOST_LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

type ArrayCtor = new (buffer: ArrayBuffer | number) => VoxelArray;

export const ARRAY_TYPES: Record<VoxelType, ArrayCtor> = {
  uint8: Uint8Array,
  int8: Int8Array,
  uint16: Uint16Array,
  int16: Int16Array,
  uint32: Uint32Array,
  int32: Int32Array,
  float32: Float32Array,
  float64: Float64Array,
};

export interface Scaling {
  slope: number;
  inter: number;
}

/**
 * nibabel's rule: a zero or non-finite slope means "no scaling"; slope 1 / inter 0 is a no-op.
 * Returns undefined when the stored values must be used as they are.
 */
export function scalingFrom(slope: number, inter: number, source: string): Scaling | undefined {
  if (slope === 0 || !Number.isFinite(slope)) return undefined;
  if (!Number.isFinite(inter)) {
    throw new AppError(
      'CORRUPT_FILE',
      `${source}: header scl_slope is ${slope} but scl_inter is ${inter}; the scaling is invalid.`,
    );
  }
  if (slope === 1 && inter === 0) return undefined;
  return { slope, inter };
}

/** Reverses the byte order of every `width`-byte word (2, 4 or 8) in place; aligned input. */
export function swapBytes(bytes: Uint8Array, width: number): void {
  const { buffer, byteOffset, byteLength } = bytes;
  if (width === 2) {
    const words = new Uint16Array(buffer, byteOffset, byteLength / 2);
    for (let i = 0; i < words.length; i++) {
      const v = words[i]!;
      words[i] = ((v & 0xff) << 8) | (v >>> 8);
    }
    return;
  }
  const words = new Uint32Array(buffer, byteOffset, byteLength / 4);
  for (let i = 0; i < words.length; i++) {
    const v = words[i]!;
    words[i] = ((v & 0xff) << 24) | ((v & 0xff00) << 8) | ((v >>> 8) & 0xff00) | (v >>> 24);
  }
  if (width === 8) {
    for (let i = 0; i < words.length; i += 2) {
      const lo = words[i]!;
      words[i] = words[i + 1]!;
      words[i + 1] = lo;
    }
  }
}

/** 64-bit integers (host order) -> doubles; exact up to 2^53, like numpy's astype(float64). */
function int64ToFloat64(buffer: ArrayBuffer, signed: boolean): Float64Array {
  const lo = new Uint32Array(buffer);
  const hi = signed ? new Int32Array(buffer) : lo;
  const [loAt, hiAt] = HOST_LITTLE_ENDIAN ? [0, 1] : [1, 0];
  const out = new Float64Array(lo.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = hi[2 * i + hiAt]! * 4294967296 + lo[2 * i + loAt]!;
  return out;
}

/**
 * Copies `count` voxels of `type` starting at `byteOffset` into a fresh, aligned typed array.
 * With scaling, returns float32 (float64 for float64 and 64-bit integer sources).
 */
export function readVoxels(
  bytes: Uint8Array,
  byteOffset: number,
  count: number,
  type: DatatypeInfo,
  littleEndian: boolean,
  scaling?: Scaling,
): VoxelArray {
  // A fresh copy (not bytes.slice: on a Node Buffer that is a view) keeps the result aligned
  // and lets the file's buffer be freed.
  const copy = new Uint8Array(count * type.bytes);
  copy.set(bytes.subarray(byteOffset, byteOffset + copy.length));
  if (type.bytes > 1 && littleEndian !== HOST_LITTLE_ENDIAN) swapBytes(copy, type.bytes);
  const buffer = copy.buffer;
  const raw =
    type.type === 'int64' || type.type === 'uint64'
      ? int64ToFloat64(buffer, type.type === 'int64')
      : new ARRAY_TYPES[type.type](buffer);
  if (!scaling) return raw;
  const out = raw instanceof Float64Array ? new Float64Array(count) : new Float32Array(count);
  const { slope, inter } = scaling;
  for (let i = 0; i < count; i++) out[i] = raw[i]! * slope + inter;
  return out;
}

const INTEGER_RANGES: Partial<Record<VoxelType, [number, number]>> = {
  uint8: [0, 255],
  int8: [-128, 127],
  uint16: [0, 65535],
  int16: [-32768, 32767],
  uint32: [0, 4294967295],
  int32: [-2147483648, 2147483647],
};

const FLOAT32_MAX = 3.4028234663852886e38;

/**
 * Converts voxel data to another type for writing. Values that the target cannot hold
 * exactly (out of range, fractional or NaN for an integer type) throw BAD_INPUT instead of
 * wrapping, so a label map never silently changes.
 */
export function castVoxels(data: VoxelArray, to: VoxelType, what: string): VoxelArray {
  const Target = ARRAY_TYPES[to];
  if (data instanceof Target) return data;
  const range = INTEGER_RANGES[to];
  for (let i = 0; i < data.length; i++) {
    const v = data[i]!;
    const ok = range
      ? Number.isInteger(v) && v >= range[0] && v <= range[1]
      : to === 'float64' || !Number.isFinite(v) || Math.abs(v) <= FLOAT32_MAX;
    if (!ok) {
      const limits = range ? `integers ${range[0]}..${range[1]}` : `|value| <= ${FLOAT32_MAX}`;
      throw new AppError(
        'BAD_INPUT',
        `Cannot store ${what} as ${to}: voxel ${i} is ${v}, but ${to} holds only ${limits}. ` +
          'Choose a wider datatype.',
      );
    }
  }
  const out = new Target(data.length);
  out.set(data);
  return out;
}
