// loadDicomSeries (plain Node): reads every slice of one series, checks they form one volume,
// decodes and rescales the pixels, and returns a Volume with an RAS affine plus the series
// metadata. Failures name the file (and instance number) at fault.
import { basename } from 'node:path';
import { AppError, isAppError } from '../../errors';
import { geometryFromAffine, spacingOf } from '../geometry';
import type { Vec3, Volume } from '../volume';
import { checkSeriesConsistency, requireVolumeSlice } from './consistency';
import { readDicomFile } from './dicomFile';
import type { DicomHeader } from './header';
import { frameBytes, frameHeader, frameLayout, mosaicTiles } from './frames';
import { decodePixelData, singleFrameBytes } from './pixelData';
import { seriesReference } from './reference';
import { assembleVolumeData, isIdentityRescale } from './rescale';
import { lpsToRas, stackSlices } from './sliceStack';
import type { DicomSeriesInfo, DicomSeriesMeta, StoredPixels } from './types';

const PARALLEL_READS = 4;

interface LoadedSlice {
  file: string;
  label: string;
  header: DicomHeader;
  pixels: StoredPixels;
}

function withFile(label: string, error: unknown): unknown {
  if (!isAppError(error) || error.message.includes(label)) return error;
  return new AppError(error.code, `${label}: ${error.message}`, { cause: error });
}

/** Every slice a file holds: itself, each frame of a multi-frame object, or each MOSAIC tile. */
async function loadFileSlices(file: string, warnings: string[]): Promise<LoadedSlice[]> {
  const label = basename(file);
  try {
    const { dataSet, header, transferSyntaxUid } = await readDicomFile(file);
    requireVolumeSlice(header, label);
    const layout = frameLayout(header, dataSet, label);
    const decode = async (bytes: Uint8Array, info = header.image) =>
      invertMonochrome1(header, await decodePixelData(transferSyntaxUid, bytes, info));
    if (layout.kind === 'single') {
      return [
        { file, label, header, pixels: await decode(singleFrameBytes(dataSet, header.image)) },
      ];
    }
    if (layout.kind === 'mosaic') {
      const tiles = mosaicTiles(
        header,
        await decode(singleFrameBytes(dataSet, header.image)),
        layout,
      );
      warnings.push(`${label}: a Siemens MOSAIC of ${layout.images} slices, cut apart.`);
      return tiles.map((tile, k) => ({ file, label: `${label} slice ${k + 1}`, ...tile }));
    }
    if (layout.warning) warnings.push(layout.warning);
    const slices: LoadedSlice[] = [];
    for (let frame = 0; frame < layout.frames; frame++) {
      const bytes = frameBytes(dataSet, header.image, frame, layout.frames);
      slices.push({
        file,
        label: `${label} frame ${frame + 1}`,
        header: frameHeader(header, frame),
        pixels: await decode(bytes),
      });
    }
    return slices;
  } catch (error) {
    throw withFile(label, error);
  }
}

async function loadSlices(files: string[], warnings: string[]): Promise<LoadedSlice[]> {
  const slices: LoadedSlice[] = [];
  for (let start = 0; start < files.length; start += PARALLEL_READS) {
    const batch = files.slice(start, start + PARALLEL_READS);
    for (const loaded of await Promise.all(batch.map((f) => loadFileSlices(f, warnings))))
      slices.push(...loaded);
  }
  if (slices.some((s) => s.header.photometricInterpretation === 'MONOCHROME1'))
    warnings.push('MONOCHROME1 (white is low) was inverted, so brighter means a higher value.');
  return slices;
}

/**
 * MONOCHROME1 shows low values as white. Flipping the stored values within their bit range
 * (before the rescale) makes the volume read like every other: brighter is higher.
 */
function invertMonochrome1(header: DicomHeader, pixels: StoredPixels): StoredPixels {
  if (header.photometricInterpretation !== 'MONOCHROME1') return pixels;
  const bits = header.image.bitsStored;
  const [lo, hi] =
    header.image.pixelRepresentation === 1
      ? [-(2 ** (bits - 1)), 2 ** (bits - 1) - 1]
      : [0, 2 ** bits - 1];
  for (let p = 0; p < pixels.length; p++) pixels[p] = lo + hi - pixels[p]!;
  return pixels;
}

/** The same SOP instance under two file names is one slice, not a duplicate position. */
function dropRepeatedInstances(slices: LoadedSlice[], warnings: string[]): LoadedSlice[] {
  const seen = new Map<string, string>();
  return slices.filter((slice) => {
    const uid = slice.header.sopInstanceUid;
    if (!uid) return true;
    const earlier = seen.get(uid);
    if (earlier) {
      warnings.push(`${slice.label} is another copy of ${earlier} (same SOPInstanceUID); ignored.`);
      return false;
    }
    seen.set(uid, slice.label);
    return true;
  });
}

const validSpacing = (s: [number, number] | undefined): s is [number, number] =>
  s !== undefined && s[0] > 0 && s[1] > 0;

function inPlaneSpacing(header: DicomHeader, warnings: string[]): [number, number] {
  if (validSpacing(header.pixelSpacingMm)) return header.pixelSpacingMm;
  if (validSpacing(header.imagerPixelSpacingMm)) {
    warnings.push(
      'No PixelSpacing; used ImagerPixelSpacing (measured at the detector, not the patient).',
    );
    return header.imagerPixelSpacingMm;
  }
  warnings.push('PixelSpacing is missing or invalid; in-plane spacing set to 1 mm.');
  return [1, 1];
}

export async function loadDicomSeries(
  series: DicomSeriesInfo,
): Promise<{ volume: Volume; meta: DicomSeriesMeta }> {
  if (series.files.length === 0) {
    throw new AppError('BAD_INPUT', `Series ${series.seriesInstanceUid} lists no files.`);
  }
  const warnings: string[] = [];
  const slices = dropRepeatedInstances(await loadSlices(series.files, warnings), warnings);
  const headers = slices.map((s) => s.header);
  checkSeriesConsistency(
    headers,
    slices.map((s) => s.label),
  );
  const first = headers[0]!;
  const pixelSpacing = inPlaneSpacing(first, warnings);
  const stack = stackSlices(
    slices.map((s) => ({
      imagePositionPatient: s.header.imagePositionPatient,
      imageOrientationPatient: s.header.imageOrientationPatient,
      instanceNumber: s.header.instanceNumber,
      label: s.label,
    })),
    pixelSpacing,
    first.sliceThicknessMm,
  );
  warnings.push(...stack.warnings);
  const ordered = stack.order.map((index) => slices[index]!);
  const rescaleInput = ordered.map((s) => ({
    pixels: s.pixels,
    slope: s.header.rescaleSlope,
    intercept: s.header.rescaleIntercept,
  }));
  const data = assembleVolumeData(rescaleInput, first.image.bitsAllocated);
  const affine = lpsToRas(stack.affineLps);
  const dims: Vec3 = [first.image.columns, first.image.rows, ordered.length];
  const volume: Volume = {
    dims,
    spacingMm: spacingOf(affine),
    affine,
    data,
    geometry: geometryFromAffine(affine),
  };
  const lead = ordered[0]!.header;
  const meta: DicomSeriesMeta = {
    modality: lead.modality,
    seriesDescription: lead.seriesDescription,
    seriesInstanceUid: lead.seriesInstanceUid,
    studyInstanceUid: lead.studyInstanceUid,
    sopClassUid: lead.sopClassUid,
    patientId: lead.patientId,
    seriesNumber: lead.seriesNumber,
    transferSyntaxUids: [...new Set(ordered.map((s) => s.header.transferSyntaxUid))],
    photometricInterpretation: lead.photometricInterpretation,
    sliceCount: ordered.length,
    rows: lead.image.rows,
    columns: lead.image.columns,
    files: ordered.map((s) => s.file),
    instanceNumbers: ordered.map((s) => s.header.instanceNumber ?? NaN),
    sliceSpacingMm: stack.sliceSpacingMm,
    sliceThicknessMm: lead.sliceThicknessMm,
    windowCenter: lead.windowCenter,
    windowWidth: lead.windowWidth,
    rescaled: !isIdentityRescale(rescaleInput),
    affineLps: stack.affineLps,
    reference: seriesReference(
      ordered.map((s) => s.header),
      {
        orientationLps: lead.imageOrientationPatient ?? [1, 0, 0, 0, 1, 0],
        pixelSpacingMm: pixelSpacing,
        sliceSpacingMm: stack.sliceSpacingMm,
      },
    ),
    warnings,
  };
  return { volume, meta };
}
