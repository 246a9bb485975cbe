// API contract, voxel-data domain (shared by every process): the study image and its label
// masks as raw bytes plus a header. Binary fields are ArrayBuffers: structured-cloned over
// Electron IPC, sent as binary frames (../binaryFrame) over HTTP — never as JSON arrays.
import { z } from 'zod';
import { isArrayBuffer } from '../binaryFrame';
import type { LabelVersion, StudySummary } from './project';

const studyId = z.string().min(1).max(128);

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

export interface LabelVolumeResult {
  studyId: string;
  dims: [number, number, number];
  /** The version read; null when the study has no label yet. */
  versionId: string | null;
  final: boolean;
  /** uint8 label values on the image grid (same voxel order), or null when unlabeled. */
  data: ArrayBuffer | null;
}

export interface SaveLabelResult {
  version: LabelVersion;
  study: StudySummary;
}

export const volumeParamSchemas = {
  /** The study image as display-ready voxels plus geometry and intensity statistics. */
  'volume.image': z.object({ studyId }),
  /** The current label (or one version) as uint8 voxels on the image grid. */
  'labels.read': z.object({ studyId, versionId: z.string().min(1).optional() }),
  /**
   * Save a mask drawn in the app as a new label version (provenance "human"). `baseVersion` is
   * the version the edit started from: when another writer saved meanwhile the call fails with
   * CONFLICT instead of silently replacing their work; omit it to save anyway.
   */
  'labels.save': z.object({
    studyId,
    data: binarySchema,
    baseVersion: z.string().min(1).nullable().optional(),
    final: z.boolean().optional(),
    note: z.string().max(500).optional(),
  }),
} as const;

export interface VolumeApiResults {
  'volume.image': ImageVolumeResult;
  'labels.read': LabelVolumeResult;
  'labels.save': SaveLabelResult;
}
