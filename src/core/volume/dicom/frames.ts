// The 2-D slices one DICOM file holds (plain Node): itself (single-frame), each frame of an
// enhanced or legacy multi-frame object (positions from the functional groups, or from RT
// Dose's GridFrameOffsetVector), or each tile of a Siemens MOSAIC. Every slice gets a header of
// its own with the geometry and rescale that apply to it, so stacking treats them all alike.
import type { DataSet } from 'dicom-parser';
import { AppError } from '../../errors';
import type { Vec3 } from '../volume';
import { frameByteLength } from './codecs/native';
import type { DicomHeader } from './header';
import { dicomParser } from './parser';
import { PIXEL_DATA_TAG } from './pixelData';
import type { DicomImageInfo, StoredPixels } from './types';

export type FrameLayout =
  | { kind: 'single' }
  | { kind: 'multi-frame'; frames: number; warning?: string }
  | { kind: 'mosaic'; images: number; tilesPerSide: number };

const add = (a: Vec3, b: Vec3): Vec3 => [a[0] + b[0], a[1] + b[1], a[2] + b[2]];
const scale = (a: Vec3, s: number): Vec3 => [a[0] * s, a[1] * s, a[2] * s];
const cross = (a: Vec3, b: Vec3): Vec3 => [
  a[1] * b[2] - a[2] * b[1],
  a[2] * b[0] - a[0] * b[2],
  a[0] * b[1] - a[1] * b[0],
];
const unit = (a: Vec3): Vec3 => scale(a, 1 / (Math.hypot(...a) || 1));

/** Frames the pixel data holds when NumberOfFrames cannot be trusted; undefined if unclear. */
function framesInPixelData(ds: DataSet, info: DicomImageInfo): number | undefined {
  const element = ds.elements[PIXEL_DATA_TAG];
  if (!element) return undefined;
  if (element.encapsulatedPixelData) {
    const table = element.basicOffsetTable?.length ?? 0;
    return table > 0 ? table : element.fragments?.length;
  }
  const frame = frameByteLength(info);
  const available = Math.min(element.length, ds.byteArray.length - element.dataOffset);
  return frame > 0 && available % frame === 0 && available > 0 ? available / frame : undefined;
}

/** Why a multi-frame object cannot be stacked, or undefined when its frames can be placed. */
export function multiFrameProblem(header: DicomHeader): string | undefined {
  const frames = header.numberOfFrames;
  if (frames === 1 && !header.mosaic) return undefined;
  if (header.mosaic) {
    return header.mosaic.images > 0
      ? undefined
      : 'a Siemens MOSAIC whose tile count (NumberOfImagesInMosaic) is missing, so its slices cannot be cut apart';
  }
  const positioned =
    header.perFrameGroups?.every(
      (g) => g.imagePositionPatient ?? header.sharedGroups?.imagePositionPatient,
    ) || header.gridFrameOffsetVector !== undefined;
  if (!positioned)
    return (
      `a multi-frame object (NumberOfFrames = ${header.numberOfFramesText ?? frames}) without ` +
      'per-frame positions (neither functional groups nor GridFrameOffsetVector)'
    );
  return undefined;
}

export function frameLayout(header: DicomHeader, ds: DataSet, label: string): FrameLayout {
  if (header.mosaic && header.mosaic.images > 0) {
    const tilesPerSide = Math.ceil(Math.sqrt(header.mosaic.images));
    const { rows, columns } = header.image;
    if (rows % tilesPerSide !== 0 || columns % tilesPerSide !== 0)
      throw new AppError(
        'CORRUPT_FILE',
        `${label}: a MOSAIC of ${header.mosaic.images} images needs a ${tilesPerSide}×${tilesPerSide} grid, ` +
          `but ${rows}×${columns} pixels do not divide into one.`,
      );
    return { kind: 'mosaic', images: header.mosaic.images, tilesPerSide };
  }
  const inData = framesInPixelData(ds, header.image);
  if (header.numberOfFrames === undefined) {
    if (!inData)
      throw new AppError(
        'CORRUPT_FILE',
        `${label}: NumberOfFrames "${header.numberOfFramesText}" is not a number, and the pixel data ` +
          'does not tell how many frames it holds.',
      );
    return {
      kind: 'multi-frame',
      frames: inData,
      warning: `${label}: NumberOfFrames "${header.numberOfFramesText}" is malformed; took the ${inData} frames the pixel data holds.`,
    };
  }
  if (header.numberOfFrames === 1) return { kind: 'single' };
  if (
    inData !== undefined &&
    inData < header.numberOfFrames &&
    !ds.elements[PIXEL_DATA_TAG]?.encapsulatedPixelData
  )
    throw new AppError(
      'CORRUPT_FILE',
      `${label}: NumberOfFrames is ${header.numberOfFrames} but the pixel data holds only ${inData} frames (truncated?).`,
    );
  return { kind: 'multi-frame', frames: header.numberOfFrames };
}

/** The bytes of frame `index` of a (possibly encapsulated) multi-frame pixel data element. */
export function frameBytes(
  ds: DataSet,
  info: DicomImageInfo,
  index: number,
  frames: number,
): Uint8Array {
  const element = ds.elements[PIXEL_DATA_TAG];
  if (!element) throw new AppError('CORRUPT_FILE', 'the file has no Pixel Data (7FE0,0010).');
  if (element.encapsulatedPixelData) {
    const fragments = element.fragments ?? [];
    if (element.basicOffsetTable?.length)
      return dicomParser.readEncapsulatedImageFrame(ds, element, index);
    if (fragments.length === frames)
      return dicomParser.readEncapsulatedPixelDataFromFragments(ds, element, index, 1);
    if (frames === 1)
      return dicomParser.readEncapsulatedPixelDataFromFragments(ds, element, 0, fragments.length);
    throw new AppError(
      'UNSUPPORTED',
      `the ${frames} compressed frames cannot be told apart (no offset table, ${fragments.length} fragments).`,
    );
  }
  const size = frameByteLength(info);
  const start = element.dataOffset + index * size;
  if (start + size > ds.byteArray.length)
    throw new AppError(
      'CORRUPT_FILE',
      `frame ${index + 1} runs past the end of the file (truncated?).`,
    );
  return ds.byteArray.subarray(start, start + size);
}

/** The header of frame `index`: its own geometry and rescale over the file's. */
export function frameHeader(header: DicomHeader, index: number): DicomHeader {
  const own = header.perFrameGroups?.[index] ?? {};
  const shared = header.sharedGroups ?? {};
  let position =
    own.imagePositionPatient ?? shared.imagePositionPatient ?? header.imagePositionPatient;
  const orientation =
    own.imageOrientationPatient ?? shared.imageOrientationPatient ?? header.imageOrientationPatient;
  const offsets = header.gridFrameOffsetVector;
  if (!header.perFrameGroups && offsets && header.imagePositionPatient && orientation) {
    // RT Dose: relative offsets along the normal when the first is 0, else absolute z (axial).
    const normal = unit(cross(orientation.slice(0, 3) as Vec3, orientation.slice(3, 6) as Vec3));
    const offset = offsets[index] ?? NaN;
    position =
      offsets[0] === 0
        ? add(header.imagePositionPatient, scale(normal, offset))
        : [header.imagePositionPatient[0], header.imagePositionPatient[1], offset];
  }
  return {
    ...header,
    sopInstanceUid: `${header.sopInstanceUid}#${index + 1}`,
    sourceFrame: { sopInstanceUid: header.sopInstanceUid, frameNumber: index + 1 },
    instanceNumber: index + 1,
    numberOfFrames: 1,
    perFrameGroups: undefined,
    imagePositionPatient: position,
    imageOrientationPatient: orientation,
    pixelSpacingMm: own.pixelSpacingMm ?? shared.pixelSpacingMm ?? header.pixelSpacingMm,
    sliceThicknessMm: own.sliceThicknessMm ?? shared.sliceThicknessMm ?? header.sliceThicknessMm,
    rescaleSlope:
      own.rescaleSlope ?? shared.rescaleSlope ?? header.doseGridScaling ?? header.rescaleSlope,
    rescaleIntercept: own.rescaleIntercept ?? shared.rescaleIntercept ?? header.rescaleIntercept,
  };
}

/**
 * Cuts a decoded MOSAIC frame into its tiles, each with its own header: the position is moved
 * from the mosaic's corner to the tile's (as nibabel and dcm2niix do), and tile k lies k slice
 * spacings along the CSA slice normal.
 */
export function mosaicTiles(
  header: DicomHeader,
  pixels: StoredPixels,
  layout: Extract<FrameLayout, { kind: 'mosaic' }>,
): { header: DicomHeader; pixels: StoredPixels }[] {
  const { rows, columns } = header.image;
  const tileRows = rows / layout.tilesPerSide;
  const tileCols = columns / layout.tilesPerSide;
  const iop = header.imageOrientationPatient ?? [1, 0, 0, 0, 1, 0];
  const row = iop.slice(0, 3) as Vec3;
  const col = iop.slice(3, 6) as Vec3;
  const [spacingRows, spacingCols] = header.pixelSpacingMm ?? [1, 1];
  const normal = unit(header.mosaic?.sliceNormal ?? cross(row, col));
  const step = header.spacingBetweenSlicesMm ?? header.sliceThicknessMm ?? 1;
  const corner = header.imagePositionPatient ?? [0, 0, 0];
  const first = add(
    corner,
    add(
      scale(col, (spacingRows * (rows - tileRows)) / 2),
      scale(row, (spacingCols * (columns - tileCols)) / 2),
    ),
  );
  const tiles: { header: DicomHeader; pixels: StoredPixels }[] = [];
  for (let k = 0; k < layout.images; k++) {
    const y0 = Math.floor(k / layout.tilesPerSide) * tileRows;
    const x0 = (k % layout.tilesPerSide) * tileCols;
    const tile = new (pixels.constructor as new (n: number) => StoredPixels)(tileRows * tileCols);
    for (let y = 0; y < tileRows; y++)
      tile.set(
        pixels.subarray((y0 + y) * columns + x0, (y0 + y) * columns + x0 + tileCols),
        y * tileCols,
      );
    tiles.push({
      pixels: tile,
      header: {
        ...header,
        image: { ...header.image, rows: tileRows, columns: tileCols },
        sopInstanceUid: `${header.sopInstanceUid}#${k + 1}`,
        sourceFrame: { sopInstanceUid: header.sopInstanceUid, mosaicTile: k + 1 },
        instanceNumber: k + 1,
        mosaic: undefined,
        imagePositionPatient: add(first, scale(normal, k * step)),
        imageOrientationPatient: iop as DicomHeader['imageOrientationPatient'],
      },
    });
  }
  return tiles;
}
