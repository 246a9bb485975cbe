// A label volume as a DICOM Segmentation object (plain Node, encoded by dcmjs): one BINARY
// segment per label value present, named after its label class, with its colour as the
// recommended CIELab value and SCT category/type codes; one frame per slice a segment touches,
// placed at that source slice's ImagePositionPatient and referencing its SOP instance (and
// frame); patient, study and Frame of Reference carried over from the source series.
import type { LabelClass } from '../../shared/contract/project';
import { AppError } from '../errors';
import type { DicomSeriesReference } from '../volume/dicom';
import type { Vec3 } from '../volume/volume';
import { segmentCodes } from './codes';
import { loadDcmjs, type Dcmjs, type NaturalDataset } from './dcmjs';

/** MANUAL for a person's label; SEMIAUTOMATIC for a model's proposal a person accepted. */
export type SegAlgorithm =
  { type: 'MANUAL' } | { type: 'SEMIAUTOMATIC'; modelId: string; edited: boolean };

export interface SegBuildInput {
  reference: DicomSeriesReference;
  /** The study grid: [columns, rows, slices] of the source series. */
  dims: Vec3;
  /** Label values on that grid, i fastest. */
  labels: Uint8Array;
  classes: LabelClass[];
  algorithm: SegAlgorithm;
  seriesInstanceUid: string;
  sopInstanceUid: string;
  seriesDescription: string;
  /** ContentDescription: which label version this is. */
  contentDescription: string;
  contentCreator?: string;
  softwareVersion: string;
  now?: Date;
}

export interface BuiltSegment {
  number: number;
  label: string;
  value: number;
  voxels: number;
  frames: number;
}

export interface BuiltSeg {
  bytes: Uint8Array;
  segments: BuiltSegment[];
  frames: number;
}

const MANUFACTURER = 'SimCVD Workstation';
const SOURCE_PURPOSE = {
  CodeValue: '121322',
  CodingSchemeDesignator: 'DCM',
  CodeMeaning: 'Source image for image processing operation',
};

/** Voxels per value and, per value, the slices holding any. */
function countSlices(labels: Uint8Array, sliceSize: number, slices: number) {
  const voxels = new Float64Array(256);
  const onSlice = new Map<number, number[]>();
  for (let k = 0; k < slices; k++) {
    const seen = new Uint8Array(256);
    const offset = k * sliceSize;
    for (let p = 0; p < sliceSize; p++) {
      const v = labels[offset + p]!;
      if (v === 0) continue;
      voxels[v]++;
      if (!seen[v]) {
        seen[v] = 1;
        const list = onSlice.get(v) ?? [];
        list.push(k);
        onSlice.set(v, list);
      }
    }
  }
  return { voxels, onSlice };
}

function hexToRgb(hex: string): [number, number, number] {
  const n = Number.parseInt(hex.slice(1), 16);
  return [((n >> 16) & 255) / 255, ((n >> 8) & 255) / 255, (n & 255) / 255];
}

function dicomDate(d: Date): { date: string; time: string } {
  const pad = (n: number, w = 2) => String(n).padStart(w, '0');
  return {
    date: `${d.getFullYear()}${pad(d.getMonth() + 1)}${pad(d.getDate())}`,
    time: `${pad(d.getHours())}${pad(d.getMinutes())}${pad(d.getSeconds())}`,
  };
}

/**
 * The multi-frame view of the source series that dcmjs derives from: per slice its plane
 * position and referenced instance, the shared orientation and spacing, patient and study.
 */
function sourceDataset(ref: DicomSeriesReference, dims: Vec3): NaturalDataset {
  return {
    _meta: {},
    _vrMap: {},
    ...ref.attributes,
    SOPClassUID: ref.slices[0]!.sopClassUid,
    SOPInstanceUID: ref.slices[0]!.sopInstanceUid,
    StudyInstanceUID: ref.studyInstanceUid,
    SeriesInstanceUID: ref.seriesInstanceUid,
    FrameOfReferenceUID: ref.frameOfReferenceUid,
    PositionReferenceIndicator: ref.attributes.PositionReferenceIndicator ?? '',
    Rows: dims[1],
    Columns: dims[0],
    NumberOfFrames: dims[2],
    SamplesPerPixel: 1,
    PhotometricInterpretation: 'MONOCHROME2',
    BitsAllocated: 8,
    BitsStored: 8,
    HighBit: 7,
    PixelRepresentation: 0,
    SharedFunctionalGroupsSequence: {
      PlaneOrientationSequence: { ImageOrientationPatient: ref.orientationLps },
      PixelMeasuresSequence: {
        PixelSpacing: ref.pixelSpacingMm,
        SliceThickness: ref.sliceThicknessMm ?? ref.sliceSpacingMm,
        SpacingBetweenSlices: ref.sliceSpacingMm,
      },
    },
    PerFrameFunctionalGroupsSequence: ref.slices.map((s) => ({
      PlanePositionSequence: { ImagePositionPatient: s.positionLps },
    })),
    ReferencedSeriesSequence: {
      SeriesInstanceUID: ref.seriesInstanceUid,
      ReferencedInstanceSequence: ref.slices.map((s) => ({
        ReferencedSOPClassUID: s.sopClassUid,
        ReferencedSOPInstanceUID: s.sopInstanceUid,
      })),
    },
    PixelData: new ArrayBuffer(0),
  };
}

function checkGrid(ref: DicomSeriesReference, dims: Vec3, labels: Uint8Array): void {
  if (ref.segUnsupported)
    throw new AppError(
      'UNSUPPORTED',
      `No DICOM SEG can be made for this series: ${ref.segUnsupported}.`,
    );
  if (dims[0] !== ref.columns || dims[1] !== ref.rows || dims[2] !== ref.slices.length)
    throw new AppError(
      'GEOMETRY_MISMATCH',
      `The study grid ${dims.join('×')} is not its DICOM series' ${ref.columns}×${ref.rows}×${ref.slices.length} ` +
        '(was its geometry repaired on import?); a SEG must lie on the source slices.',
    );
  if (labels.length !== dims[0] * dims[1] * dims[2])
    throw new AppError(
      'INTERNAL',
      `The label holds ${labels.length} voxels, not ${dims.join('×')}.`,
    );
}

export async function buildSegmentation(input: SegBuildInput): Promise<BuiltSeg> {
  const { reference: ref, dims, labels } = input;
  checkGrid(ref, dims, labels);
  const dcmjs = await loadDcmjs();
  const sliceSize = dims[0] * dims[1];
  const { voxels, onSlice } = countSlices(labels, sliceSize, dims[2]);
  const values = [...onSlice.keys()].sort((a, b) => a - b);
  if (values.length === 0)
    throw new AppError('BAD_INPUT', 'The label is empty: a DICOM SEG needs at least one segment.');
  const frames = values.reduce((n, v) => n + onSlice.get(v)!.length, 0);
  const when = dicomDate(input.now ?? new Date());
  const seg = new dcmjs.derivations.Segmentation([sourceDataset(ref, dims)], {
    includeSliceSpacing: true,
    Manufacturer: MANUFACTURER,
    ManufacturerModelName: MANUFACTURER,
    SoftwareVersions: input.softwareVersion,
    SeriesDescription: input.seriesDescription.slice(0, 64),
    SeriesNumber: String(seriesNumberFor(ref)),
    SOPInstanceUID: input.sopInstanceUid,
    SeriesInstanceUID: input.seriesInstanceUid,
    SeriesDate: when.date,
    SeriesTime: when.time,
    ContentDate: when.date,
    ContentTime: when.time,
    ContentLabel: 'SEGMENTATION',
    ContentDescription: input.contentDescription.slice(0, 64),
    ContentCreatorName: input.contentCreator ?? '',
    ImageComments: input.contentDescription,
  });
  seg.setNumberOfFrames(frames);
  const segments: BuiltSegment[] = [];
  for (const value of values) {
    const slices = onSlice.get(value)!;
    const pixels = new Uint8Array(slices.length * sliceSize);
    slices.forEach((k, f) => {
      const offset = k * sliceSize;
      for (let p = 0; p < sliceSize; p++)
        if (labels[offset + p] === value) pixels[f * sliceSize + p] = 1;
    });
    const cls = input.classes.find((c) => c.value === value);
    const label = cls?.name ?? `label ${value}`;
    seg.addSegment(
      segmentAttributes(dcmjs, label, value, cls?.color, input.algorithm),
      pixels,
      slices.map((k) => k + 1),
    );
    segments.push({
      number: segments.length + 1,
      label,
      value,
      voxels: voxels[value]!,
      frames: slices.length,
    });
  }
  seg.bitPackPixelData();
  finish(
    seg.dataset,
    ref,
    values.map((v) => onSlice.get(v)!),
    segments,
  );
  return { bytes: dcmjs.data.datasetToBuffer(seg.dataset), segments, frames };
}

/** A series number after the source's, so viewers list the SEG beside it. */
function seriesNumberFor(ref: DicomSeriesReference): number {
  return Math.min((ref.seriesNumber ?? 0) + 1000, 2 ** 31 - 1);
}

function segmentAttributes(
  dcmjs: Dcmjs,
  label: string,
  value: number,
  color: string | undefined,
  algorithm: SegAlgorithm,
): Record<string, unknown> {
  const codes = segmentCodes(label);
  const lab = dcmjs.data.Colors.rgb2DICOMLAB(hexToRgb(color ?? '#808080')).map((x) =>
    Math.max(0, Math.min(65535, Math.round(x))),
  );
  return {
    SegmentLabel: label.slice(0, 64),
    SegmentDescription: `label value ${value}`,
    SegmentAlgorithmType: algorithm.type,
    ...(algorithm.type === 'SEMIAUTOMATIC' ? { SegmentAlgorithmName: algorithm.modelId } : {}),
    RecommendedDisplayCIELabValue: lab,
    SegmentedPropertyCategoryCodeSequence: codes.category,
    SegmentedPropertyTypeCodeSequence: codes.type,
  };
}

/**
 * What dcmjs leaves out or gets wrong for us: UTF-8 declared for the text it writes, the
 * type modifier and anatomic region of each segment, each frame's source instance (and frame
 * number) from the reference, and the referenced instances listed once each.
 */
function finish(
  ds: NaturalDataset,
  ref: DicomSeriesReference,
  slicesPerSegment: number[][],
  segments: BuiltSegment[],
): void {
  ds.SpecificCharacterSet = 'ISO_IR 192';
  ds._vrMap = { ...ds._vrMap, PixelData: 'OB' };
  const sequence = ds.SegmentSequence as Record<string, unknown>[];
  segments.forEach((segment, index) => {
    const codes = segmentCodes(segment.label);
    const item = sequence[index]!;
    if (codes.typeModifier) item.SegmentedPropertyTypeModifierCodeSequence = codes.typeModifier;
    if (codes.anatomicRegion) item.AnatomicRegionSequence = codes.anatomicRegion;
  });
  const perFrame = ds.PerFrameFunctionalGroupsSequence as Record<string, unknown>[];
  const frameSlices = slicesPerSegment.flat();
  perFrame.forEach((group, f) => {
    const slice = ref.slices[frameSlices[f]!]!;
    group.DerivationImageSequence = {
      SourceImageSequence: {
        ReferencedSOPClassUID: slice.sopClassUid,
        ReferencedSOPInstanceUID: slice.sopInstanceUid,
        ...(slice.frameNumber !== undefined ? { ReferencedFrameNumber: slice.frameNumber } : {}),
        PurposeOfReferenceCodeSequence: SOURCE_PURPOSE,
      },
      DerivationCodeSequence: {
        CodeValue: '113076',
        CodingSchemeDesignator: 'DCM',
        CodeMeaning: 'Segmentation',
      },
    };
  });
  const seen = new Set<string>();
  const instances = ref.slices
    .filter((s) => !seen.has(s.sopInstanceUid) && seen.add(s.sopInstanceUid))
    .map((s) => ({
      ReferencedSOPClassUID: s.sopClassUid,
      ReferencedSOPInstanceUID: s.sopInstanceUid,
    }));
  ds.ReferencedSeriesSequence = {
    SeriesInstanceUID: ref.seriesInstanceUid,
    ReferencedInstanceSequence: instances,
  };
}
