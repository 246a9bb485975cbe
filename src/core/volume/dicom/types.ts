// Public and shared types of the DICOM importer (plain Node; no I/O here).
import type { Mat4 } from '../volume';
import type { DicomSeriesReference } from './reference';

/** The pixel-module attributes a codec needs to turn one frame's bytes into stored values. */
export interface DicomImageInfo {
  rows: number;
  columns: number;
  samplesPerPixel: number;
  bitsAllocated: number;
  bitsStored: number;
  /** 0 = unsigned, 1 = two's complement. */
  pixelRepresentation: number;
}

/** Stored pixel values of one frame, row-major (column index fastest), samples interleaved. */
export type StoredPixels =
  Uint8Array | Int8Array | Uint16Array | Int16Array | Uint32Array | Int32Array;

/** One image series found by `scanDicomFolder`. */
export interface DicomSeriesInfo {
  seriesInstanceUid: string;
  studyInstanceUid: string;
  modality: string;
  seriesDescription: string;
  seriesNumber?: number;
  patientId?: string;
  /** Absolute paths, ordered by InstanceNumber (then path); one file per slice. */
  files: string[];
  sliceCount: number;
  /** Rows/Columns of the first file; load checks that every slice agrees. */
  rows: number;
  columns: number;
  /** Distinct transfer syntaxes used by the files, in first-seen order. */
  transferSyntaxUids: string[];
}

export interface DicomSkippedFile {
  path: string;
  reason: string;
}

/**
 * `scanDicomFolder`'s result: the series, plus the files that were passed over and why.
 * `skipped` is a property on the array, so copy it explicitly across IPC/JSON.
 */
export type DicomScanResult = DicomSeriesInfo[] & { skipped: DicomSkippedFile[] };

export interface DicomSeriesMeta {
  modality: string;
  seriesDescription: string;
  seriesInstanceUid: string;
  studyInstanceUid: string;
  sopClassUid: string;
  patientId?: string;
  seriesNumber?: number;
  transferSyntaxUids: string[];
  photometricInterpretation: string;
  sliceCount: number;
  rows: number;
  columns: number;
  /** Files in volume order (index k). */
  files: string[];
  /** InstanceNumber of each slice in volume order (NaN where absent). */
  instanceNumbers: number[];
  /** Distance between slice centres along the normal; SliceThickness for a single slice. */
  sliceSpacingMm: number;
  sliceThicknessMm?: number;
  /** First value of WindowCenter/WindowWidth of the first slice, in rescaled units. */
  windowCenter?: number;
  windowWidth?: number;
  /** True when any slice had a RescaleSlope != 1 or RescaleIntercept != 0. */
  rescaled: boolean;
  /** LPS affine as in the files, before the RAS conversion (row-major 4x4). */
  affineLps: Mat4;
  /** Per slice, the instance it came from: what a derived object (a SEG) references. */
  reference: DicomSeriesReference;
  /** Things the user should know that did not stop the import. */
  warnings: string[];
}
