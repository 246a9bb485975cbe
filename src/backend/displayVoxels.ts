// Display-ready voxel data (plain Node, pure): converts a stored image to a type the viewer can
// upload as a texture and computes the intensity statistics the window/level presets need.
import type { DisplayVoxelType } from '../shared/contract/volume';
import { voxelTypeOf, type VoxelArray } from '../core/volume/volume';

export interface DisplayVoxels {
  dataType: DisplayVoxelType;
  /** A standalone buffer holding exactly the voxels (never a view into a larger one). */
  buffer: ArrayBuffer;
  storedType: string;
}

/** int8 widens to int16 (exact); 32/64-bit types become float32 (what WebGL textures take). */
export function toDisplayVoxels(data: VoxelArray): DisplayVoxels {
  const storedType = voxelTypeOf(data);
  switch (storedType) {
    case 'uint8':
    case 'int16':
    case 'uint16':
    case 'float32':
      return { dataType: storedType, storedType, buffer: copyBuffer(data) };
    case 'int8':
      return { dataType: 'int16', storedType, buffer: Int16Array.from(data).buffer };
    default:
      return { dataType: 'float32', storedType, buffer: Float32Array.from(data).buffer };
  }
}

function copyBuffer(data: VoxelArray): ArrayBuffer {
  const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  return bytes.slice().buffer;
}

export interface IntensityStats {
  minValue: number;
  maxValue: number;
  /** 0.5th and 99.5th percentiles, estimated from at most `maxSamples` evenly strided voxels. */
  robustRange: [number, number];
}

export function intensityStats(data: ArrayLike<number>, maxSamples = 1_000_000): IntensityStats {
  const n = data.length;
  if (n === 0) return { minValue: 0, maxValue: 0, robustRange: [0, 0] };
  let minValue = Infinity;
  let maxValue = -Infinity;
  for (let index = 0; index < n; index++) {
    const v = data[index]!;
    if (v < minValue) minValue = v;
    if (v > maxValue) maxValue = v;
  }
  const stride = Math.max(1, Math.ceil(n / maxSamples));
  const sample = new Float64Array(Math.ceil(n / stride));
  for (let s = 0, index = 0; index < n; index += stride, s++) sample[s] = data[index]!;
  sample.sort();
  const at = (q: number) => sample[Math.min(sample.length - 1, Math.floor(q * sample.length))]!;
  return { minValue, maxValue, robustRange: [at(0.005), at(0.995)] };
}
