// Intensity normalisation (pure): per-volume z-score (the paper's [B] choice) or a CT window.
import type { VoxelArray } from '../../core/volume/volume';

export type IntensityNormalization =
  | { kind: 'zscore' }
  /** Clip to [minHu, maxHu] then scale to [-1, 1]: a fixed window suits calibrated CT. */
  | { kind: 'ct-window'; minHu: number; maxHu: number };

export const DEFAULT_NORMALIZATION: IntensityNormalization = { kind: 'zscore' };

export function normalizeIntensity(data: VoxelArray, method: IntensityNormalization): Float32Array {
  const out = new Float32Array(data.length);
  if (method.kind === 'ct-window') {
    const { minHu, maxHu } = method;
    const half = (maxHu - minHu) / 2;
    for (let index = 0; index < data.length; index++) {
      const v = Math.min(maxHu, Math.max(minHu, data[index]!));
      out[index] = (v - minHu) / half - 1;
    }
    return out;
  }
  let sum = 0;
  for (let index = 0; index < data.length; index++) sum += data[index]!;
  const mean = sum / data.length;
  let squares = 0;
  for (let index = 0; index < data.length; index++) squares += (data[index]! - mean) ** 2;
  const std = Math.sqrt(squares / data.length) || 1;
  for (let index = 0; index < data.length; index++) out[index] = (data[index]! - mean) / std;
  return out;
}
