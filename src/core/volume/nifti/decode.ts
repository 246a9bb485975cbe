// NIfTI decoding (pure, plain Node/browser): bytes of a .nii(.gz) or a .hdr/.img pair -> Volume.
// Header fields are kept verbatim in Volume.geometry; the affine follows what nibabel reports
// (sform, else qform, else the centred base affine; header fix-ups applied as nibabel does).
//
// Dimensionality: dims past dim[0] are taken as 1, so a 2-D image loads as one slice (nz = 1).
// Everything past dim[3] counts as "volumes" (dim[4] * dim[5] * ...): a file with more than one
// needs `volumeIndex`, which counts through them in file (Fortran) order.
import { AppError } from '../../errors';
import { bestAffine, spacingOf } from '../geometry';
import type { Mat4, NiftiGeometry, Vec3, Volume } from '../volume';
import { readVoxels, scalingFrom } from './convert';
import { parseNiftiHeader, type NiftiHeader } from './header';
import { isGzip } from './gzip';

export interface DecodeOptions {
  /** Which 3-D volume of a 4-D (or higher) file to return, counting from 0. */
  volumeIndex?: number;
  /** File name used in error messages. */
  source?: string;
}

export interface DecodePairOptions extends DecodeOptions {
  /** Name of the .img file for error messages (defaults to `source`'s image). */
  imageSource?: string;
}

/** Refuses gzip data: inflating is the file layer's (readVolumeFile), on a worker thread. */
function uncompressed(bytes: Uint8Array, source: string): Uint8Array {
  if (isGzip(bytes))
    throw new AppError(
      'BAD_INPUT',
      `${source}: gzip-compressed bytes reached the decoder; read .nii.gz files with readVolumeFile.`,
    );
  return bytes;
}

/** Decodes an uncompressed single-file NIfTI-1/NIfTI-2 image (`n+1`/`n+2`). */
export function decodeNifti(bytes: Uint8Array, options: DecodeOptions = {}): Volume {
  const source = options.source ?? 'NIfTI data';
  const raw = uncompressed(bytes, source);
  const header = parseNiftiHeader(raw, source);
  if (header.isPair) {
    throw new AppError(
      'UNSUPPORTED',
      `${source}: this is the header of a .hdr/.img pair (magic "ni${header.layout.version}"), ` +
        'its voxels are in the separate .img file. Open the .hdr with its .img beside it.',
    );
  }
  return buildVolume(header, raw, singleFileOffset(header, source), source, options.volumeIndex);
}

/** Decodes an uncompressed `.hdr` + `.img` pair (`ni1`/`ni2` magic). */
export function decodeNiftiPair(
  headerBytes: Uint8Array,
  imageBytes: Uint8Array,
  options: DecodePairOptions = {},
): Volume {
  const source = options.source ?? 'NIfTI header';
  const imageSource = options.imageSource ?? `image file of ${source}`;
  const rawHeader = uncompressed(headerBytes, source);
  const header = parseNiftiHeader(rawHeader, source);
  if (!header.isPair) {
    throw new AppError(
      'UNSUPPORTED',
      `${source}: this is a single-file NIfTI (magic "n+${header.layout.version}") that carries ` +
        'its own voxels, not the header of a .hdr/.img pair. Open it on its own.',
    );
  }
  const image = uncompressed(imageBytes, imageSource);
  return buildVolume(header, image, Math.floor(header.voxOffset), imageSource, options.volumeIndex);
}

/** Where a single file's voxels start; 0 means "unset", read as right after the header. */
function singleFileOffset(header: NiftiHeader, source: string): number {
  const min = header.layout.minVoxOffset;
  if (header.voxOffset === 0) return min;
  if (header.voxOffset < min) {
    throw new AppError(
      'CORRUPT_FILE',
      `${source}: header vox_offset is ${header.voxOffset}, inside the header (voxels must start at byte ${min} or later).`,
    );
  }
  return Math.floor(header.voxOffset);
}

function gridOf(header: NiftiHeader): { dims: Vec3; volumes: number } {
  const rank = header.dim[0]!;
  const size = (i: number) => (i <= rank ? header.dim[i]! : 1);
  let volumes = 1;
  for (let i = 4; i <= rank; i++) volumes *= size(i);
  return { dims: [size(1), size(2), size(3)], volumes };
}

function chooseVolume(
  header: NiftiHeader,
  volumes: number,
  source: string,
  volumeIndex?: number,
): number {
  if (volumeIndex === undefined) {
    if (volumes === 1) return 0;
    const shape = header.dim.slice(1, header.dim[0]! + 1).join('×');
    throw new AppError(
      'UNSUPPORTED',
      `${source} holds ${volumes} volumes (a ${header.dim[0]}-D image of ${shape} voxels), but only ` +
        `one 3-D volume can be opened at a time. Import one with --volume N (0 to ${volumes - 1}), ` +
        'or split the series into 3-D files first (e.g. fslsplit).',
    );
  }
  if (!Number.isInteger(volumeIndex) || volumeIndex < 0 || volumeIndex >= volumes) {
    throw new AppError(
      'BAD_INPUT',
      `${source} holds ${volumes} volume${volumes === 1 ? '' : 's'}; volume index ${volumeIndex} ` +
        `is out of range (use 0 to ${volumes - 1}).`,
    );
  }
  return volumeIndex;
}

function geometryOf(header: NiftiHeader): NiftiGeometry {
  return {
    qformCode: header.qformCode,
    sformCode: header.sformCode,
    quatern: header.quatern,
    qoffset: header.qoffset,
    qfac: header.pixdim[0]!,
    pixdim: [header.pixdim[1]!, header.pixdim[2]!, header.pixdim[3]!],
    srow: header.srow,
    xyztUnits: header.xyztUnits,
  };
}

/**
 * The affine nibabel reports. nibabel repairs a header on load before using it: qfac other than
 * ±1 becomes 1, negative pixdims become positive (zero ones 1), unknown xform codes become 0.
 * The stored geometry stays verbatim; only the affine sees the repairs.
 */
export function affineOf(geometry: NiftiGeometry, dims: Vec3, rank = 3): Mat4 {
  const validCode = (code: number) => (code >= 0 && code <= 5 ? code : 0);
  const repaired: NiftiGeometry = {
    ...geometry,
    qformCode: validCode(geometry.qformCode),
    sformCode: validCode(geometry.sformCode),
    qfac: geometry.qfac === -1 ? -1 : 1,
    pixdim: geometry.pixdim.map(Math.abs) as Vec3,
  };
  // nibabel's base affine takes zooms only for the dims a 1-D/2-D image has.
  if (repaired.sformCode === 0 && repaired.qformCode === 0) {
    repaired.pixdim = repaired.pixdim.map((p, i) => (i < rank ? p : 1)) as Vec3;
  }
  return bestAffine(repaired, dims);
}

function buildVolume(
  header: NiftiHeader,
  bytes: Uint8Array,
  dataOffset: number,
  source: string,
  volumeIndex?: number,
): Volume {
  const { dims, volumes } = gridOf(header);
  const type = header.datatype;
  const voxels = dims[0] * dims[1] * dims[2];
  const needed = dataOffset + voxels * volumes * type.bytes;
  if (bytes.length < needed) {
    const shape = header.dim.slice(1, header.dim[0]! + 1).join('×');
    throw new AppError(
      'CORRUPT_FILE',
      `${source}: too few bytes for the image data. The header describes ${shape} ${type.type} ` +
        `voxels starting at byte ${dataOffset}, so the file needs ${needed} bytes, but it has ` +
        `${bytes.length}. The file is truncated or its header is wrong.`,
    );
  }
  const index = chooseVolume(header, volumes, source, volumeIndex);
  const scaling = scalingFrom(header.sclSlope, header.sclInter, source);
  const start = dataOffset + index * voxels * type.bytes;
  const data = readVoxels(bytes, start, voxels, type, header.littleEndian, scaling);
  const geometry = geometryOf(header);
  const affine = affineOf(geometry, dims, header.dim[0]);
  return {
    dims,
    // The affine is what places voxels in the world, so spacing is its column lengths (equal to
    // |pixdim| except in files whose pixdim disagrees with their sform).
    spacingMm: spacingOf(affine),
    affine,
    data,
    geometry,
  };
}
