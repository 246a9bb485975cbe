// API contract, volume namespace (shared): the study image as raw bytes plus a header, and the
// binary field type every voxel payload uses. Binary fields are ArrayBuffers: structured-cloned
// over Electron IPC, sent as binary frames (../binaryFrame) over HTTP — never as JSON arrays.
import { z } from 'zod';
import { isArrayBuffer } from '../binaryFrame';
import { studyIdSchema as studyId } from './ids';

/** Voxel types the viewer can display; other stored types are converted by the back end. */
export const DISPLAY_VOXEL_TYPES = ['uint8', 'int16', 'uint16', 'float32'] as const;
export type DisplayVoxelType = (typeof DISPLAY_VOXEL_TYPES)[number];

export const binarySchema = z.custom<ArrayBuffer>(isArrayBuffer, {
  message: 'expected binary data (an ArrayBuffer)',
});

export interface VolumeHeader {
  studyId: string;
  /** Voxel grid [nx, ny, nz]; data is i-fastest: index = i + nx·(j + ny·k). */
  dims: [number, number, number];
  /** Voxel size along i, j, k in millimetres (the affine's column lengths). */
  spacingMm: [number, number, number];
  /** Row-major 4×4, voxel (i, j, k, 1) → world RAS+ millimetres (NIfTI convention). */
  affine: number[];
  /** Type of `data` as sent (int8/int32/uint32/float64 images arrive as int16 or float32). */
  dataType: DisplayVoxelType;
  /** Type stored in the project before any conversion. */
  storedType: string;
  minValue: number;
  maxValue: number;
  /** 0.5th and 99.5th percentiles: a robust automatic window for MR and unknown modalities. */
  robustRange: [number, number];
  modality?: string;
}

export interface ImageVolumeResult {
  header: VolumeHeader;
  /** dims[0]·dims[1]·dims[2] voxels of `header.dataType`, little-endian. */
  data: ArrayBuffer;
}

export const volumeParamSchemas = {
  /** The study image as display-ready voxels plus geometry and intensity statistics. */
  'volume.image': z.object({ studyId }),
} as const;

export interface VolumeApiResults {
  'volume.image': ImageVolumeResult;
}
