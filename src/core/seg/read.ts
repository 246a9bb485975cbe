// Reading a DICOM Segmentation object (plain Node, parsed by dcmjs): its segments with their
// names, codes, colours and algorithm, and per frame the segment it belongs to, its plane
// position and orientation and its pixels — BINARY (bit-packed across frames) or FRACTIONAL
// (set above half the maximum). Anything that is not a readable SEG is refused by name.
import { promises as fs } from 'node:fs';
import { AppError } from '../errors';
import type { Vec3 } from '../volume/volume';
import type { CodedConcept } from './codes';
import { loadDcmjs, type NaturalDataset } from './dcmjs';

export const SEG_SOP_CLASS = '1.2.840.10008.5.1.4.1.1.66.4';
const LABELMAP_SEG_SOP_CLASS = '1.2.840.10008.5.1.4.1.1.66.7';
/** Uncompressed transfer syntaxes (the pixels are read as they lie). */
const NATIVE_SYNTAXES = new Set([
  '1.2.840.10008.1.2',
  '1.2.840.10008.1.2.1',
  '1.2.840.10008.1.2.2',
]);
/** A SEG this large would not fit a study anyway. */
const MAX_SEG_BYTES = 2 * 1024 * 1024 * 1024 - 1;

export interface ParsedSegment {
  number: number;
  label: string;
  algorithmType?: string;
  algorithmName?: string;
  category?: CodedConcept;
  type?: CodedConcept;
  typeModifier?: CodedConcept;
  anatomicRegion?: CodedConcept;
  /** RecommendedDisplayCIELabValue as in the file (0–65535 each). */
  cielab?: [number, number, number];
}

export interface ParsedFrame {
  segmentNumber: number;
  positionLps: Vec3;
  orientationLps: [number, number, number, number, number, number];
}

export interface ParsedSeg {
  sopInstanceUid: string;
  studyInstanceUid: string;
  seriesInstanceUid: string;
  frameOfReferenceUid?: string;
  /** The source series it references (ReferencedSeriesSequence). */
  referencedSeriesUids: string[];
  rows: number;
  columns: number;
  /** [between rows, between columns], when the file says. */
  pixelSpacingMm?: [number, number];
  segments: ParsedSegment[];
  frames: ParsedFrame[];
  /** Frame f's pixel p (row-major) is in its segment. */
  isSet(frame: number, pixel: number): boolean;
}

type Item = Record<string, unknown>;

/** A sequence's items whether dcmjs gave an array or one object. */
function items(value: unknown): Item[] {
  if (Array.isArray(value))
    return value.filter((v): v is Item => typeof v === 'object' && v !== null);
  return typeof value === 'object' && value !== null ? [value as Item] : [];
}

const first = (value: unknown): Item | undefined => items(value)[0];

function text(value: unknown): string | undefined {
  const v = Array.isArray(value) ? value[0] : value;
  if (typeof v === 'string') return v.trim() || undefined;
  if (typeof v === 'number') return String(v);
  if (v && typeof v === 'object' && 'Alphabetic' in v) return text((v as Item).Alphabetic);
  return undefined;
}

function num(value: unknown): number | undefined {
  const v = Array.isArray(value) ? value[0] : value;
  const n = typeof v === 'number' ? v : typeof v === 'string' ? Number(v) : NaN;
  return Number.isFinite(n) ? n : undefined;
}

function numbers(value: unknown, count: number): number[] | undefined {
  const list = (Array.isArray(value) ? value : [value]).map((v) => num(v));
  return list.length >= count && list.slice(0, count).every((v) => v !== undefined)
    ? (list.slice(0, count) as number[])
    : undefined;
}

function code(value: unknown): CodedConcept | undefined {
  const item = first(value);
  const CodeValue = text(item?.CodeValue) ?? text(item?.LongCodeValue) ?? text(item?.URNCodeValue);
  const CodingSchemeDesignator = text(item?.CodingSchemeDesignator);
  if (!CodeValue || !CodingSchemeDesignator) return undefined;
  return { CodeValue, CodingSchemeDesignator, CodeMeaning: text(item?.CodeMeaning) ?? '' };
}

export async function readSegFile(file: string): Promise<ParsedSeg> {
  const stat = await fs.stat(file).catch(() => undefined);
  if (!stat?.isFile()) throw new AppError('NOT_FOUND', `${file} is not a file.`);
  if (stat.size > MAX_SEG_BYTES)
    throw new AppError('UNSUPPORTED', `${file} is larger than 2 GiB; it cannot be read as a SEG.`);
  return parseSeg(await fs.readFile(file), file);
}

export async function parseSeg(bytes: Uint8Array, source: string): Promise<ParsedSeg> {
  const dcmjs = await loadDcmjs();
  let ds: NaturalDataset;
  let syntax: string | undefined;
  try {
    const buffer = bytes.buffer.slice(
      bytes.byteOffset,
      bytes.byteOffset + bytes.byteLength,
    ) as ArrayBuffer;
    const dict = dcmjs.data.DicomMessage.readFile(buffer, { ignoreErrors: true });
    ds = dcmjs.data.DicomMetaDictionary.naturalizeDataset(dict.dict);
    syntax = text((dict.meta as Record<string, { Value?: unknown[] }>)['00020010']?.Value);
  } catch (error) {
    throw new AppError(
      'BAD_INPUT',
      `${source} is not a readable DICOM file (${error instanceof Error ? error.message : String(error)}).`,
      { cause: error },
    );
  }
  const sopClass = text(ds.SOPClassUID);
  if (sopClass === LABELMAP_SEG_SOP_CLASS)
    throw new AppError(
      'UNSUPPORTED',
      `${source} is a Label Map Segmentation, which is not read yet; export it as a binary SEG.`,
    );
  if (sopClass !== SEG_SOP_CLASS)
    throw new AppError(
      'BAD_INPUT',
      `${source} is a DICOM ${text(ds.Modality) ?? ''} object of SOP class ${sopClass ?? '(none)'}, not a Segmentation (DICOM SEG).`,
    );
  if (syntax && !NATIVE_SYNTAXES.has(syntax))
    throw new AppError(
      'UNSUPPORTED',
      `${source} has compressed pixel data (transfer syntax ${syntax}); only uncompressed SEGs are read.`,
    );
  return parsedFrom(ds, source);
}

function parsedFrom(ds: NaturalDataset, source: string): ParsedSeg {
  const corrupt = (why: string) => new AppError('CORRUPT_FILE', `${source}: ${why}.`);
  const rows = num(ds.Rows);
  const columns = num(ds.Columns);
  const frameCount = num(ds.NumberOfFrames) ?? 1;
  if (!rows || !columns || frameCount < 1)
    throw corrupt('Rows, Columns or NumberOfFrames is missing');
  const type = text(ds.SegmentationType) ?? 'BINARY';
  const shared = first(ds.SharedFunctionalGroupsSequence) ?? {};
  const perFrame = items(ds.PerFrameFunctionalGroupsSequence);
  if (perFrame.length !== frameCount)
    throw corrupt(`it has ${perFrame.length} per-frame functional groups for ${frameCount} frames`);
  const frames = perFrame.map((group, f) => frameOf(group, shared, f, corrupt));
  const segments = items(ds.SegmentSequence).map((s, index) => segmentOf(s, index));
  if (segments.length === 0) throw corrupt('it has no segments');
  for (const frame of frames)
    if (!segments.some((s) => s.number === frame.segmentNumber))
      throw corrupt(`a frame names segment ${frame.segmentNumber}, which SegmentSequence lacks`);
  const spacing = numbers(first(shared.PixelMeasuresSequence)?.PixelSpacing, 2);
  return {
    sopInstanceUid: text(ds.SOPInstanceUID) ?? '',
    studyInstanceUid: text(ds.StudyInstanceUID) ?? '',
    seriesInstanceUid: text(ds.SeriesInstanceUID) ?? '',
    frameOfReferenceUid: text(ds.FrameOfReferenceUID),
    referencedSeriesUids: items(ds.ReferencedSeriesSequence)
      .map((s) => text(s.SeriesInstanceUID))
      .filter((s): s is string => !!s),
    rows,
    columns,
    ...(spacing ? { pixelSpacingMm: spacing as [number, number] } : {}),
    segments,
    frames,
    isSet: pixelReader(ds, type, rows * columns, frameCount, corrupt),
  };
}

function frameOf(
  group: Item,
  shared: Item,
  f: number,
  corrupt: (why: string) => AppError,
): ParsedFrame {
  const segmentNumber =
    num(first(group.SegmentIdentificationSequence)?.ReferencedSegmentNumber) ??
    num(first(shared.SegmentIdentificationSequence)?.ReferencedSegmentNumber);
  const position = numbers(first(group.PlanePositionSequence)?.ImagePositionPatient, 3);
  const orientation =
    numbers(first(group.PlaneOrientationSequence)?.ImageOrientationPatient, 6) ??
    numbers(first(shared.PlaneOrientationSequence)?.ImageOrientationPatient, 6);
  if (segmentNumber === undefined) throw corrupt(`frame ${f + 1} names no segment`);
  if (!position || !orientation)
    throw corrupt(`frame ${f + 1} has no plane position or orientation`);
  return {
    segmentNumber,
    positionLps: position as Vec3,
    orientationLps: orientation as ParsedFrame['orientationLps'],
  };
}

function segmentOf(s: Item, index: number): ParsedSegment {
  const number = num(s.SegmentNumber) ?? index + 1;
  const lab = numbers(s.RecommendedDisplayCIELabValue, 3);
  return {
    number,
    label: text(s.SegmentLabel) ?? `segment ${number}`,
    algorithmType: text(s.SegmentAlgorithmType),
    algorithmName: text(s.SegmentAlgorithmName),
    category: code(s.SegmentedPropertyCategoryCodeSequence),
    type: code(s.SegmentedPropertyTypeCodeSequence),
    typeModifier: code(s.SegmentedPropertyTypeModifierCodeSequence),
    anatomicRegion: code(s.AnatomicRegionSequence),
    ...(lab ? { cielab: lab as [number, number, number] } : {}),
  };
}

function pixelBytes(ds: NaturalDataset): Uint8Array {
  const fragments = (Array.isArray(ds.PixelData) ? ds.PixelData : [ds.PixelData]).filter(
    (f): f is ArrayBuffer => f instanceof ArrayBuffer,
  );
  if (fragments.length === 1) return new Uint8Array(fragments[0]!);
  const total = fragments.reduce((n, f) => n + f.byteLength, 0);
  const out = new Uint8Array(total);
  let at = 0;
  for (const f of fragments) {
    out.set(new Uint8Array(f), at);
    at += f.byteLength;
  }
  return out;
}

function pixelReader(
  ds: NaturalDataset,
  type: string,
  frameSize: number,
  frames: number,
  corrupt: (why: string) => AppError,
): ParsedSeg['isSet'] {
  const bytes = pixelBytes(ds);
  const bitsAllocated = num(ds.BitsAllocated) ?? 1;
  if (type === 'BINARY') {
    if (bitsAllocated !== 1)
      throw corrupt(`a BINARY SEG with BitsAllocated ${bitsAllocated}, not 1`);
    if (bytes.length < Math.ceil((frameSize * frames) / 8))
      throw corrupt(`its pixel data holds ${bytes.length} bytes, fewer than ${frames} frames need`);
    // Bits run on across frames, least significant bit first (PS3.5 8.1.1).
    return (f, p) => {
      const bit = f * frameSize + p;
      return ((bytes[bit >> 3]! >> (bit & 7)) & 1) === 1;
    };
  }
  if (type === 'FRACTIONAL') {
    if (bitsAllocated !== 8)
      throw corrupt(`a FRACTIONAL SEG with BitsAllocated ${bitsAllocated}, not 8`);
    if (bytes.length < frameSize * frames)
      throw corrupt(`its pixel data holds ${bytes.length} bytes, fewer than ${frames} frames need`);
    const half = (num(ds.MaximumFractionalValue) ?? 255) / 2;
    return (f, p) => bytes[f * frameSize + p]! > half;
  }
  throw new AppError(
    'UNSUPPORTED',
    `SegmentationType ${type} is not read (BINARY and FRACTIONAL are).`,
  );
}
