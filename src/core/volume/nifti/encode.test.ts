// Unit tests for NIfTI encoding (plain Node): header fields, exact geometry copy, datatype
// conversion with range checks, gzip, and refusal of volumes that cannot be written.
import { gunzipSync } from 'node:zlib';
import { encodeVolumeFile } from './file';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../errors';
import type { NiftiGeometry, Volume, VoxelArray } from '../volume';
import { decodeNifti } from './decode';
import { encodeNifti } from './encode';

// float32-exact values, so the header must hold them bit for bit.
const GEOMETRY: NiftiGeometry = {
  qformCode: 1,
  sformCode: 4,
  quatern: [0.25, -0.5, 0.125],
  qoffset: [-90.5, 126.25, -72],
  qfac: -1,
  pixdim: [0.75, 0.75, 3],
  srow: [-0.75, 0, 0, 90.5, 0, 0.75, 0, -126.25, 0, 0, 3, -72],
  xyztUnits: 10,
};

function volumeOf(data: VoxelArray, dims: [number, number, number] = [3, 2, 2]): Volume {
  return { dims, spacingMm: [0.75, 0.75, 3], affine: [], data, geometry: GEOMETRY };
}

const labels = () => Uint8Array.of(0, 1, 2, 3, 0, 0, 1, 1, 2, 2, 3, 3);

function thrown(fn: () => unknown): AppError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    return error as AppError;
  }
  throw new Error('expected an AppError');
}

describe('encodeNifti', () => {
  it('writes a little-endian NIfTI-1 header with voxels at 352', () => {
    const bytes = encodeNifti(volumeOf(Int16Array.of(-5, 0, 7, 9, 1, 2, 3, 4, 5, 6, 7, 8)), {
      description: 'hello',
    });
    const v = new DataView(bytes.buffer);
    expect(bytes.length).toBe(352 + 24);
    expect(v.getInt32(0, true)).toBe(348);
    expect(new TextDecoder().decode(bytes.subarray(344, 348))).toBe('n+1\0');
    expect([0, 1, 2, 3].map((i) => v.getInt16(40 + 2 * i, true))).toEqual([3, 3, 2, 2]);
    expect([v.getInt16(70, true), v.getInt16(72, true)]).toEqual([4, 16]);
    expect(v.getFloat32(108, true)).toBe(352);
    expect([v.getFloat32(112, true), v.getFloat32(116, true)]).toEqual([1, 0]);
    expect([v.getFloat32(128, true), v.getFloat32(124, true)]).toEqual([-5, 9]); // cal_min, cal_max
    expect(new TextDecoder().decode(bytes.subarray(148, 153))).toBe('hello');
    expect(v.getInt16(352, true)).toBe(-5);
  });

  it('copies the geometry exactly, NIfTI-1 and NIfTI-2', () => {
    for (const format of ['nifti1', 'nifti2'] as const) {
      const read = decodeNifti(encodeNifti(volumeOf(labels()), { format }));
      expect(read.geometry).toEqual(GEOMETRY);
      expect(Array.from(read.data)).toEqual(Array.from(labels()));
    }
  });

  it('gzips deterministically, off the calling thread (encodeVolumeFile)', async () => {
    const a = await encodeVolumeFile(volumeOf(labels()), { gzip: true });
    const b = await encodeVolumeFile(volumeOf(labels()), { gzip: true });
    expect([a[0], a[1]]).toEqual([0x1f, 0x8b]);
    expect(a).toEqual(b);
    expect(new Uint8Array(gunzipSync(a))).toEqual(encodeNifti(volumeOf(labels())));
  });

  it('converts to a requested datatype when every value fits', () => {
    const read = decodeNifti(
      encodeNifti(volumeOf(Int32Array.from(labels())), { datatype: 'uint8' }),
    );
    expect(read.data).toEqual(labels());
    const floats = decodeNifti(
      encodeNifti(volumeOf(Float64Array.from(labels(), (x) => x / 4)), { datatype: 'float32' }),
    );
    expect(floats.data).toEqual(Float32Array.from(labels(), (x) => x / 4));
  });

  it.each([
    [
      'a label above 255 to uint8',
      Uint16Array.of(0, 300, ...new Array(10).fill(1)),
      'uint8',
      /voxel 1 is 300.*0\.\.255/,
    ],
    [
      'a negative label to uint8',
      Int16Array.of(0, 1, -1, ...new Array(9).fill(1)),
      'uint8',
      /voxel 2 is -1/,
    ],
    [
      'a fraction to int16',
      Float32Array.of(0, 1.5, ...new Array(10).fill(1)),
      'int16',
      /voxel 1 is 1\.5/,
    ],
    ['NaN to int32', Float64Array.of(NaN, ...new Array(11).fill(1)), 'int32', /voxel 0 is NaN/],
    [
      '1e39 to float32',
      Float64Array.of(1e39, ...new Array(11).fill(1)),
      'float32',
      /voxel 0 is 1e\+39/,
    ],
  ] as const)('refuses to convert %s instead of wrapping', (_name, data, datatype, message) => {
    const error = thrown(() => encodeNifti(volumeOf(data), { datatype }));
    expect(error.code).toBe('BAD_INPUT');
    expect(error.message).toMatch(message);
  });

  it('refuses data that does not match dims, and NIfTI-1 axes over 32767', () => {
    expect(thrown(() => encodeNifti(volumeOf(new Uint8Array(5)))).message).toMatch(
      /need 12 voxels, but the data has 5/,
    );
    expect(thrown(() => encodeNifti(volumeOf(new Uint8Array(0), [0, 2, 2]))).code).toBe(
      'BAD_INPUT',
    );
    const long = volumeOf(new Uint8Array(40000), [40000, 1, 1]);
    expect(thrown(() => encodeNifti(long)).message).toMatch(/use format 'nifti2'/);
    expect(decodeNifti(encodeNifti(long, { format: 'nifti2' })).dims).toEqual([40000, 1, 1]);
  });
});
