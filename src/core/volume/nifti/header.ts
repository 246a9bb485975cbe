// NIfTI-1/NIfTI-2 header layout and parser (pure, plain Node/browser). We read the fixed binary
// layout ourselves rather than through nifti-reader-js: that library drops srow_* whenever the
// qform takes precedence in its own (non-nibabel) rule, and we need every field verbatim.
import { AppError } from '../../errors';
import type { Vec3 } from '../volume';
import { datatypeFromCode, type DatatypeInfo } from './datatypes';

/** Byte offsets of the fields we use; NIfTI-2 widens most of them to 64 bits. */
export interface Layout {
  version: 1 | 2;
  headerSize: number;
  /** First byte a single-file image's voxels may start at (header + 4-byte extension flag). */
  minVoxOffset: number;
  magic: number;
  dim: number;
  datatype: number;
  bitpix: number;
  pixdim: number;
  voxOffset: number;
  sclSlope: number;
  sclInter: number;
  calMax: number;
  calMin: number;
  descrip: number;
  qformCode: number;
  sformCode: number;
  quatern: number;
  qoffset: number;
  srow: number;
  xyztUnits: number;
}

export const NIFTI1_LAYOUT: Layout = {
  version: 1,
  headerSize: 348,
  minVoxOffset: 352,
  magic: 344,
  dim: 40,
  datatype: 70,
  bitpix: 72,
  pixdim: 76,
  voxOffset: 108,
  sclSlope: 112,
  sclInter: 116,
  calMax: 124,
  calMin: 128,
  descrip: 148,
  qformCode: 252,
  sformCode: 254,
  quatern: 256,
  qoffset: 268,
  srow: 280,
  xyztUnits: 123,
};

export const NIFTI2_LAYOUT: Layout = {
  version: 2,
  headerSize: 540,
  minVoxOffset: 544,
  magic: 4,
  dim: 16,
  datatype: 12,
  bitpix: 14,
  pixdim: 104,
  voxOffset: 168,
  sclSlope: 176,
  sclInter: 184,
  calMax: 192,
  calMin: 200,
  descrip: 240,
  qformCode: 344,
  sformCode: 348,
  quatern: 352,
  qoffset: 376,
  srow: 400,
  xyztUnits: 500,
};

/** NIfTI-2 follows its 4-byte magic with these bytes to catch text-mode (CR/LF) corruption. */
export const NIFTI2_EOL_CHECK = [13, 10, 26, 10];

export const MAGIC = { 1: { single: 'n+1', pair: 'ni1' }, 2: { single: 'n+2', pair: 'ni2' } };

export interface NiftiHeader {
  layout: Layout;
  littleEndian: boolean;
  /** Magic ni1/ni2: the voxels live in a separate .img file. */
  isPair: boolean;
  /** dim[0..7] as stored. */
  dim: number[];
  datatype: DatatypeInfo;
  /** pixdim[0..7] as stored. */
  pixdim: number[];
  voxOffset: number;
  sclSlope: number;
  sclInter: number;
  xyztUnits: number;
  qformCode: number;
  sformCode: number;
  quatern: Vec3;
  qoffset: Vec3;
  srow: number[];
}

/** Field readers for one header: float and int widths follow the NIfTI version. */
function fieldReader(bytes: Uint8Array, layout: Layout, littleEndian: boolean) {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const wide = layout.version === 2;
  return {
    float: (at: number) =>
      wide ? view.getFloat64(at, littleEndian) : view.getFloat32(at, littleEndian),
    /** dim[]: int16 in NIfTI-1, int64 in NIfTI-2. */
    dimInt: (at: number) =>
      wide ? Number(view.getBigInt64(at, littleEndian)) : view.getInt16(at, littleEndian),
    code: (at: number) =>
      wide ? view.getInt32(at, littleEndian) : view.getInt16(at, littleEndian),
    int16: (at: number) => view.getInt16(at, littleEndian),
    floats: (at: number, n: number) =>
      Array.from({ length: n }, (_, i) =>
        wide
          ? view.getFloat64(at + 8 * i, littleEndian)
          : view.getFloat32(at + 4 * i, littleEndian),
      ),
    voxOffset: () =>
      wide
        ? Number(view.getBigInt64(layout.voxOffset, littleEndian))
        : view.getFloat32(layout.voxOffset, littleEndian),
    xyztUnits: () =>
      wide ? view.getInt32(layout.xyztUnits, littleEndian) : view.getUint8(layout.xyztUnits),
  };
}

function ascii(bytes: Uint8Array, at: number, length: number): string {
  let out = '';
  for (let i = at; i < at + length && i < bytes.length && bytes[i] !== 0; i++)
    out += String.fromCharCode(bytes[i]!);
  return out;
}

function readInt32(bytes: Uint8Array, littleEndian: boolean): number {
  return new DataView(bytes.buffer, bytes.byteOffset, 4).getInt32(0, littleEndian);
}

/** Identifies version and byte order from sizeof_hdr (348 or 540), as nibabel does. */
function detectLayout(
  bytes: Uint8Array,
  source: string,
): { layout: Layout; littleEndian: boolean } {
  if (bytes.length < 4) {
    throw new AppError(
      'CORRUPT_FILE',
      `${source}: the file is empty or truncated (${bytes.length} bytes); it is not a NIfTI image.`,
    );
  }
  for (const layout of [NIFTI1_LAYOUT, NIFTI2_LAYOUT]) {
    for (const littleEndian of [true, false]) {
      if (readInt32(bytes, littleEndian) === layout.headerSize) return { layout, littleEndian };
    }
  }
  // Messages name the problem, never the bytes found: they could be any file's content.
  for (const layout of [NIFTI1_LAYOUT, NIFTI2_LAYOUT]) {
    const magic = ascii(bytes, layout.magic, 4);
    if (magic === MAGIC[layout.version].single || magic === MAGIC[layout.version].pair) {
      throw new AppError(
        'CORRUPT_FILE',
        `${source}: header field sizeof_hdr is not ${layout.headerSize}, as NIfTI-${layout.version} ` +
          'requires; the header is damaged.',
      );
    }
  }
  throw new AppError(
    'CORRUPT_FILE',
    `${source}: not a NIfTI file (its header size field is neither 348 for NIfTI-1 nor 540 for ` +
      'NIfTI-2). Choose a .nii, .nii.gz or .hdr/.img file.',
  );
}

function checkMagic(bytes: Uint8Array, layout: Layout, source: string): boolean {
  const magic = ascii(bytes, layout.magic, 4);
  const names = MAGIC[layout.version];
  if (magic !== names.single && magic !== names.pair) {
    if (layout.version === 1) {
      throw new AppError(
        'UNSUPPORTED',
        `${source}: this is a plain Analyze 7.5 header (no NIfTI magic "n+1"/"ni1"), which is not ` +
          'supported because its orientation is ambiguous. Convert it to NIfTI first (e.g. ' +
          'nibabel or fslchfiletype).',
      );
    }
    throw new AppError(
      'CORRUPT_FILE',
      `${source}: the NIfTI-2 magic is not "n+2" or "ni2"; the header is damaged.`,
    );
  }
  if (layout.version === 2) {
    const eol = Array.from(bytes.subarray(layout.magic + 4, layout.magic + 8));
    const ok = eol.every((b, i) => b === NIFTI2_EOL_CHECK[i]) || eol.every((b) => b === 0);
    if (!ok) {
      throw new AppError(
        'CORRUPT_FILE',
        `${source}: the NIfTI-2 line-ending check bytes are damaged (the file was probably copied ` +
          'in text mode); copy it again in binary mode.',
      );
    }
  }
  return magic === names.pair;
}

/** dim[0] and dim[1..dim[0]] must be sane; dims past dim[0] are ignored (nibabel's shape). */
function checkDims(dim: number[], source: string): void {
  const rank = dim[0]!;
  if (!(rank >= 1 && rank <= 7)) {
    throw new AppError(
      'CORRUPT_FILE',
      `${source}: header dim[0] (number of dimensions) is ${rank}, must be 1..7; the header is damaged.`,
    );
  }
  for (let i = 1; i <= rank; i++) {
    if (!(dim[i]! >= 1) || !Number.isSafeInteger(dim[i])) {
      throw new AppError(
        'CORRUPT_FILE',
        `${source}: header dim[${i}] is ${dim[i]}; every dimension must be a positive size. The header is damaged.`,
      );
    }
  }
}

/** Parses and validates the header at the start of `bytes` (uncompressed). */
export function parseNiftiHeader(bytes: Uint8Array, source: string): NiftiHeader {
  const { layout, littleEndian } = detectLayout(bytes, source);
  if (bytes.length < layout.headerSize) {
    throw new AppError(
      'CORRUPT_FILE',
      `${source}: truncated NIfTI-${layout.version} header (${bytes.length} bytes, expected at least ${layout.headerSize}).`,
    );
  }
  const isPair = checkMagic(bytes, layout, source);
  const read = fieldReader(bytes, layout, littleEndian);
  const width = layout.version === 2 ? 8 : 2;
  const dim = Array.from({ length: 8 }, (_, i) => read.dimInt(layout.dim + width * i));
  checkDims(dim, source);
  const voxOffset = read.voxOffset();
  if (!(voxOffset >= 0) || !Number.isFinite(voxOffset)) {
    throw new AppError(
      'CORRUPT_FILE',
      `${source}: header vox_offset is ${voxOffset}; the header is damaged.`,
    );
  }
  const srow = read.floats(layout.srow, 12);
  return {
    layout,
    littleEndian,
    isPair,
    dim,
    datatype: datatypeFromCode(read.int16(layout.datatype), source),
    pixdim: read.floats(layout.pixdim, 8),
    voxOffset,
    sclSlope: read.float(layout.sclSlope),
    sclInter: read.float(layout.sclInter),
    xyztUnits: read.xyztUnits(),
    qformCode: read.code(layout.qformCode),
    sformCode: read.code(layout.sformCode),
    quatern: read.floats(layout.quatern, 3) as Vec3,
    qoffset: read.floats(layout.qoffset, 3) as Vec3,
    srow,
  };
}
