// NIfTI encoding (pure, plain Node/browser): Volume -> single-file .nii bytes (NIfTI-1 by
// default, or NIfTI-2), little-endian, voxels at the minimum offset, no extensions; gzip is
// the file layer's (./file encodeVolumeFile). The
// geometry fields are written exactly as they are in Volume.geometry, so a mask saved for an
// image carries that image's header geometry.
import { AppError } from '../../errors';
import { voxelTypeOf, type Volume, type VoxelArray, type VoxelType } from '../volume';
import { castVoxels, HOST_LITTLE_ENDIAN, swapBytes } from './convert';
import { bytesPerVoxel, DATATYPE_CODES } from './datatypes';
import { MAGIC, NIFTI1_LAYOUT, NIFTI2_EOL_CHECK, NIFTI2_LAYOUT, type Layout } from './header';

export interface EncodeOptions {
  /** Store voxels as this type (range-checked); default: the data array's own type. */
  datatype?: VoxelType;
  /** Header `descrip` text (ASCII, at most 79 characters kept). */
  description?: string;
  format?: 'nifti1' | 'nifti2';
  /**
   * Store `data` as given but declare value = stored × slope + inter (scl_slope/scl_inter):
   * e.g. probabilities quantised to uint8 with slope 1/255 read back as floats everywhere.
   */
  scale?: { slope: number; inter: number };
}

const DESCRIP_BYTES = 80;
const INT16_MAX = 32767;

export function encodeNifti(volume: Volume, options: EncodeOptions = {}): Uint8Array {
  const layout = options.format === 'nifti2' ? NIFTI2_LAYOUT : NIFTI1_LAYOUT;
  checkVolume(volume, layout);
  const type = options.datatype ?? voxelTypeOf(volume.data);
  const data = castVoxels(volume.data, type, 'the volume');
  const out = new Uint8Array(layout.minVoxOffset + data.byteLength);
  writeHeader(out, layout, volume, type, data, options.description ?? '', options.scale);
  const voxels = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  out.set(voxels, layout.minVoxOffset);
  if (!HOST_LITTLE_ENDIAN && bytesPerVoxel(type) > 1) {
    swapBytes(out.subarray(layout.minVoxOffset), bytesPerVoxel(type));
  }
  return out;
}

function checkVolume(volume: Volume, layout: Layout): void {
  const { dims, data } = volume;
  if (!dims.every((n) => Number.isInteger(n) && n >= 1)) {
    throw new AppError(
      'BAD_INPUT',
      `Cannot write a volume with dims ${dims.join('×')}: each must be a positive integer.`,
    );
  }
  if (dims[0] * dims[1] * dims[2] !== data.length) {
    throw new AppError(
      'BAD_INPUT',
      `Cannot write the volume: dims ${dims.join('×')} need ${dims[0] * dims[1] * dims[2]} voxels, but the data has ${data.length}.`,
    );
  }
  if (layout.version === 1 && dims.some((n) => n > INT16_MAX)) {
    throw new AppError(
      'BAD_INPUT',
      `Cannot write dims ${dims.join('×')} as NIfTI-1 (at most ${INT16_MAX} per axis); use format 'nifti2'.`,
    );
  }
}

/** Finite data range for cal_min/cal_max, so viewers open the image with a sensible window. */
function dataRange(data: VoxelArray): [number, number] {
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < data.length; i++) {
    const v = data[i]!;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return min <= max ? [min, max] : [0, 0];
}

function writeHeader(
  out: Uint8Array,
  layout: Layout,
  volume: Volume,
  type: VoxelType,
  data: VoxelArray,
  description: string,
  scale: EncodeOptions['scale'],
): void {
  const view = new DataView(out.buffer, out.byteOffset, layout.headerSize);
  const wide = layout.version === 2;
  const floats = (at: number, values: readonly number[]) =>
    values.forEach((v, i) =>
      wide ? view.setFloat64(at + 8 * i, v, true) : view.setFloat32(at + 4 * i, v, true),
    );
  const int = (at: number, v: number) =>
    wide ? view.setBigInt64(at, BigInt(v), true) : view.setInt16(at, v, true);
  const code = (at: number, v: number) =>
    wide ? view.setInt32(at, v, true) : view.setInt16(at, v, true);
  const g = volume.geometry;

  view.setInt32(0, layout.headerSize, true);
  const magic = MAGIC[layout.version].single;
  for (let i = 0; i < 3; i++) out[layout.magic + i] = magic.charCodeAt(i);
  if (wide) out.set(NIFTI2_EOL_CHECK, layout.magic + 4);
  else out[38] = 'r'.charCodeAt(0); // Analyze "regular" flag, as nibabel writes it

  [3, ...volume.dims, 1, 1, 1, 1].forEach((n, i) => int(layout.dim + (wide ? 8 : 2) * i, n));
  view.setInt16(layout.datatype, DATATYPE_CODES[type], true);
  view.setInt16(layout.bitpix, bytesPerVoxel(type) * 8, true);
  floats(layout.pixdim, [g.qfac, ...g.pixdim, 1, 1, 1, 1]);
  if (wide) int(layout.voxOffset, layout.minVoxOffset);
  else view.setFloat32(layout.voxOffset, layout.minVoxOffset, true);
  floats(layout.sclSlope, [scale?.slope ?? 1]);
  floats(layout.sclInter, [scale?.inter ?? 0]);
  const [storedMin, storedMax] = dataRange(data);
  const [calMin, calMax] = scale
    ? [storedMin * scale.slope + scale.inter, storedMax * scale.slope + scale.inter]
    : [storedMin, storedMax];
  floats(layout.calMax, [calMax]);
  floats(layout.calMin, [calMin]);
  if (wide) view.setInt32(layout.xyztUnits, g.xyztUnits, true);
  else view.setUint8(layout.xyztUnits, g.xyztUnits);
  const text = description.slice(0, DESCRIP_BYTES - 1);
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    out[layout.descrip + i] = c >= 32 && c < 127 ? c : 63; // '?' for non-ASCII
  }
  code(layout.qformCode, g.qformCode);
  code(layout.sformCode, g.sformCode);
  floats(layout.quatern, g.quatern);
  floats(layout.qoffset, g.qoffset);
  floats(layout.srow, g.srow.slice(0, 12));
}
