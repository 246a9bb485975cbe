// Typed view of the DICOM attributes the importer uses (plain Node): identity, pixel module,
// geometry and rescale, read once from a parsed data set.
import type { DataSet } from 'dicom-parser';
import type { Vec3 } from '../volume';
import { readCsaImageInfo } from './csa';
import { readFunctionalGroups, type FrameFunctionalGroup } from './functionalGroups';
import { readCarriedAttributes, type CarriedAttribute } from './identity';
import type { DicomImageInfo } from './types';

export interface DicomHeader {
  sopClassUid: string;
  sopInstanceUid: string;
  studyInstanceUid: string;
  seriesInstanceUid: string;
  frameOfReferenceUid?: string;
  /** Patient and study attributes a derived object (a SEG) carries over, decoded. */
  carried: Partial<Record<CarriedAttribute, string>>;
  /**
   * A slice cut from a multi-frame object or a MOSAIC: the instance it came from and, for a
   * frame, its 1-based number there (`sopInstanceUid` is then made unique per slice).
   */
  sourceFrame?: { sopInstanceUid: string; frameNumber?: number; mosaicTile?: number };
  modality: string;
  seriesDescription: string;
  seriesNumber?: number;
  patientId?: string;
  instanceNumber?: number;
  transferSyntaxUid: string;
  hasPixelData: boolean;
  /** Float/Double Float Pixel Data (parametric maps) instead of integer Pixel Data. */
  hasFloatPixelData: boolean;
  image: DicomImageInfo;
  photometricInterpretation: string;
  /** ImageType values, e.g. ORIGINAL, PRIMARY, M, ND, MOSAIC. */
  imageType: string[];
  /** NumberOfFrames (1 when absent); undefined when the attribute is malformed (e.g. "1A"). */
  numberOfFrames: number | undefined;
  /** NumberOfFrames as written, for messages. */
  numberOfFramesText?: string;
  /** Enhanced multi-frame: geometry and rescale per frame (Per-frame over Shared groups). */
  perFrameGroups?: FrameFunctionalGroup[];
  sharedGroups?: FrameFunctionalGroup;
  /** Legacy multi-frame (RT Dose): frame offsets along the normal from the first frame, mm. */
  gridFrameOffsetVector?: number[];
  /** RT Dose: the factor from stored values to Gy (applied like a rescale slope). */
  doseGridScaling?: number;
  /** Siemens MOSAIC: slices tiled into the one frame, and their normal (CSA header). */
  mosaic?: { images: number; sliceNormal?: Vec3 };
  /** LPS millimetres. */
  imagePositionPatient?: Vec3;
  /** Row cosine (direction of increasing column index) then column cosine. */
  imageOrientationPatient?: [number, number, number, number, number, number];
  /** [between rows (along a column), between columns (along a row)] as in the file. */
  pixelSpacingMm?: [number, number];
  /** Detector-plane spacing of projection radiographs, same order as PixelSpacing. */
  imagerPixelSpacingMm?: [number, number];
  sliceThicknessMm?: number;
  spacingBetweenSlicesMm?: number;
  rescaleSlope: number;
  rescaleIntercept: number;
  windowCenter?: number;
  windowWidth?: number;
}

function text(ds: DataSet, tag: string): string | undefined {
  const value = ds.string(tag)?.replace(/\0/g, '').trim();
  return value ? value : undefined;
}

function decimal(ds: DataSet, tag: string, index = 0): number | undefined {
  const raw = ds.string(tag, index);
  if (raw === undefined || raw.trim() === '') return undefined;
  const value = Number(raw.replace(/\0/g, '').trim());
  return Number.isFinite(value) ? value : undefined;
}

function decimals(ds: DataSet, tag: string, count: number): number[] | undefined {
  const values: number[] = [];
  for (let index = 0; index < count; index++) {
    const value = decimal(ds, tag, index);
    if (value === undefined) return undefined;
    values.push(value);
  }
  return values;
}

/** Every backslash-separated value of a text attribute. */
export function textValues(ds: DataSet, tag: string): string[] {
  const raw = ds.string(tag);
  return raw ? raw.split('\\').map((v) => v.replace(/\0/g, '').trim()) : [];
}

/** NumberOfFrames: 1 when absent, undefined when not a whole number ≥ 1. */
function frameCount(ds: DataSet): {
  numberOfFrames: number | undefined;
  numberOfFramesText?: string;
} {
  const raw = ds.string('x00280008')?.replace(/\0/g, '').trim();
  if (raw === undefined || raw === '') return { numberOfFrames: 1 };
  const count = /^\+?\d+$/.test(raw) ? Number(raw) : NaN;
  return {
    numberOfFrames: Number.isInteger(count) && count >= 1 ? count : undefined,
    numberOfFramesText: raw,
  };
}

function mosaicOf(ds: DataSet, imageType: string[]): DicomHeader['mosaic'] {
  if (!imageType.includes('MOSAIC')) return undefined;
  const csa = readCsaImageInfo(ds);
  // (0019,100A) NumberOfImagesInMosaic in the "SIEMENS MR HEADER" block, else the CSA header.
  const privateCount =
    ds.elements.x0019100a && ds.elements.x0019100a.length >= 2 ? ds.uint16('x0019100a') : undefined;
  const images = privateCount || csa.numberOfImagesInMosaic;
  return images ? { images, sliceNormal: csa.sliceNormalVector } : { images: 0 };
}

function ushort(ds: DataSet, tag: string): number | undefined {
  const element = ds.elements[tag];
  return element && element.length >= 2 ? ds.uint16(tag) : undefined;
}

export function readHeader(ds: DataSet, transferSyntaxUid: string): DicomHeader {
  const iop = decimals(ds, 'x00200037', 6);
  const ipp = decimals(ds, 'x00200032', 3);
  const spacing = decimals(ds, 'x00280030', 2);
  const imageType = textValues(ds, 'x00080008').map((v) => v.toUpperCase());
  const groups = readFunctionalGroups(ds);
  const offsets = textValues(ds, 'x3004000c').map(Number);
  return {
    // DICOMDIR files name their class only in the meta header.
    sopClassUid: text(ds, 'x00080016') ?? text(ds, 'x00020002') ?? '',
    sopInstanceUid: text(ds, 'x00080018') ?? '',
    studyInstanceUid: text(ds, 'x0020000d') ?? '',
    seriesInstanceUid: text(ds, 'x0020000e') ?? '',
    frameOfReferenceUid: text(ds, 'x00200052'),
    carried: readCarriedAttributes(ds),
    modality: text(ds, 'x00080060') ?? '',
    seriesDescription: text(ds, 'x0008103e') ?? '',
    seriesNumber: decimal(ds, 'x00200011'),
    patientId: text(ds, 'x00100020'),
    instanceNumber: decimal(ds, 'x00200013'),
    transferSyntaxUid,
    hasPixelData: ds.elements.x7fe00010 !== undefined,
    hasFloatPixelData: ds.elements.x7fe00008 !== undefined || ds.elements.x7fe00009 !== undefined,
    image: {
      rows: ushort(ds, 'x00280010') ?? 0,
      columns: ushort(ds, 'x00280011') ?? 0,
      samplesPerPixel: ushort(ds, 'x00280002') ?? 1,
      bitsAllocated: ushort(ds, 'x00280100') ?? 0,
      bitsStored: ushort(ds, 'x00280101') ?? ushort(ds, 'x00280100') ?? 0,
      pixelRepresentation: ushort(ds, 'x00280103') ?? 0,
    },
    photometricInterpretation: text(ds, 'x00280004') ?? 'MONOCHROME2',
    imageType,
    ...frameCount(ds),
    ...groups,
    ...(offsets.length > 0 && offsets.every(Number.isFinite)
      ? { gridFrameOffsetVector: offsets }
      : {}),
    ...(decimal(ds, 'x3004000e') !== undefined
      ? { doseGridScaling: decimal(ds, 'x3004000e') }
      : {}),
    mosaic: mosaicOf(ds, imageType),
    imagePositionPatient: ipp as Vec3 | undefined,
    imageOrientationPatient: iop as DicomHeader['imageOrientationPatient'],
    pixelSpacingMm: spacing as [number, number] | undefined,
    imagerPixelSpacingMm: decimals(ds, 'x00181164', 2) as [number, number] | undefined,
    sliceThicknessMm: decimal(ds, 'x00180050'),
    spacingBetweenSlicesMm: decimal(ds, 'x00180088'),
    rescaleSlope: decimal(ds, 'x00281053') ?? 1,
    rescaleIntercept: decimal(ds, 'x00281052') ?? 0,
    windowCenter: decimal(ds, 'x00281050'),
    windowWidth: decimal(ds, 'x00281051'),
  };
}
