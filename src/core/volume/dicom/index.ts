// Public API of the DICOM importer (plain Node): scan a folder for image series, load one
// series as a Volume, or decode a single frame.
export { scanDicomFolder } from './scan';
export { loadDicomSeries } from './load';
export { decodePixelData } from './pixelData';
export { transferSyntaxInfo, transferSyntaxLabel } from './transferSyntax';
export type { DicomSeriesReference, DicomSliceReference } from './reference';
export type {
  DicomImageInfo,
  DicomScanResult,
  DicomSeriesInfo,
  DicomSeriesMeta,
  DicomSkippedFile,
  StoredPixels,
} from './types';
