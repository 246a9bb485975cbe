// What a derived object needs to point back at a series (plain Node): per volume slice k the
// SOP instance (and frame) it came from and its ImagePositionPatient, the plane orientation,
// spacing and Frame of Reference, and the patient and study attributes to carry over. Built
// when a series is imported, so a SEG can be written long after the files are gone.
import type { Vec3 } from '../volume';
import type { DicomHeader } from './header';
import type { CarriedAttribute } from './identity';

export interface DicomSliceReference {
  sopClassUid: string;
  sopInstanceUid: string;
  /** 1-based frame of a multi-frame instance; absent for a single-frame one. */
  frameNumber?: number;
  /** ImagePositionPatient of the slice, LPS mm, as in the file. */
  positionLps: Vec3;
}

export interface DicomSeriesReference {
  studyInstanceUid: string;
  seriesInstanceUid: string;
  frameOfReferenceUid?: string;
  modality: string;
  seriesDescription: string;
  seriesNumber?: number;
  attributes: Partial<Record<CarriedAttribute, string>>;
  rows: number;
  columns: number;
  /** ImageOrientationPatient: row cosine then column cosine (LPS). */
  orientationLps: [number, number, number, number, number, number];
  /** PixelSpacing as in the files: [between rows, between columns]. */
  pixelSpacingMm: [number, number];
  sliceThicknessMm?: number;
  sliceSpacingMm: number;
  /** In volume order: slices[k] is the study's slice k. */
  slices: DicomSliceReference[];
  /** Set when no SEG can reference these slices, saying why. */
  segUnsupported?: string;
}

/** `headers` in volume order (k), after stacking; `orientation` and spacing as stacked. */
export function seriesReference(
  headers: DicomHeader[],
  geometry: {
    orientationLps: [number, number, number, number, number, number];
    pixelSpacingMm: [number, number];
    sliceSpacingMm: number;
  },
): DicomSeriesReference {
  const lead = headers[0]!;
  const segUnsupported = headers.some((h) => h.sourceFrame?.mosaicTile !== undefined)
    ? 'its slices are tiles of a Siemens MOSAIC, which a DICOM SEG cannot reference one by one'
    : headers.some((h) => !h.imagePositionPatient)
      ? 'its slices have no ImagePositionPatient, so a SEG cannot place its frames'
      : !lead.frameOfReferenceUid
        ? 'its images have no FrameOfReferenceUID, which a DICOM SEG must share with them'
        : undefined;
  return {
    studyInstanceUid: lead.studyInstanceUid,
    seriesInstanceUid: lead.seriesInstanceUid,
    ...(lead.frameOfReferenceUid ? { frameOfReferenceUid: lead.frameOfReferenceUid } : {}),
    modality: lead.modality,
    seriesDescription: lead.seriesDescription,
    ...(lead.seriesNumber !== undefined ? { seriesNumber: lead.seriesNumber } : {}),
    attributes: lead.carried,
    rows: lead.image.rows,
    columns: lead.image.columns,
    orientationLps: geometry.orientationLps,
    pixelSpacingMm: geometry.pixelSpacingMm,
    ...(lead.sliceThicknessMm !== undefined ? { sliceThicknessMm: lead.sliceThicknessMm } : {}),
    sliceSpacingMm: geometry.sliceSpacingMm,
    slices: headers.map((h) => ({
      sopClassUid: h.sopClassUid,
      sopInstanceUid: h.sourceFrame?.sopInstanceUid ?? h.sopInstanceUid,
      ...(h.sourceFrame?.frameNumber !== undefined
        ? { frameNumber: h.sourceFrame.frameNumber }
        : {}),
      positionLps: h.imagePositionPatient ?? [0, 0, 0],
    })),
    ...(segUnsupported ? { segUnsupported } : {}),
  };
}
