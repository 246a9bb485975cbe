// Unit tests for NIfTI decoding (plain Node): datatypes, byte order, scaling, volume choice and
// every kind of bad input. Files are built with encodeNifti and then patched byte by byte.
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../errors';
import { geometryFromAffine } from '../geometry';
import type { Mat4, Volume, VoxelArray, VoxelType } from '../volume';
import { decodeNifti, decodeNiftiPair } from './decode';
import { encodeNifti } from './encode';

const DIMS: [number, number, number] = [4, 3, 2];
const N = 24;
const AFFINE: Mat4 = [0, 0, 2.5, -30, -0.75, 0, 0, 20, 0, 1.25, 0, 4, 0, 0, 0, 1];

function volumeOf(data: VoxelArray): Volume {
  return {
    dims: DIMS,
    spacingMm: [0.75, 1.25, 2.5],
    affine: AFFINE,
    data,
    geometry: geometryFromAffine(AFFINE),
  };
}

const int16Volume = () => volumeOf(Int16Array.from({ length: N }, (_, i) => i * 1000 - 12000));
const file = (volume = int16Volume()) => encodeNifti(volume);

function patch(bytes: Uint8Array, edit: (view: DataView) => void): Uint8Array {
  const copy = bytes.slice();
  edit(new DataView(copy.buffer));
  return copy;
}

/** Rewrites a little-endian NIfTI-1 file from encodeNifti as big-endian. */
function toBigEndian(bytes: Uint8Array, voxelBytes: number): Uint8Array {
  const out = bytes.slice();
  const swap = (at: number, width: number) => out.subarray(at, at + width).reverse();
  swap(0, 4);
  for (let i = 0; i < 8; i++) swap(40 + 2 * i, 2); // dim
  [68, 70, 72, 74, 120, 252, 254].forEach((at) => swap(at, 2)); // intent, datatype, bitpix, slices, codes
  for (let at = 56; at < 68; at += 4) swap(at, 4); // intent_p*
  for (let at = 76; at < 148; at += 4) if (at !== 120) swap(at, 4); // pixdim .. glmin (slice_end is 2 bytes)
  for (let at = 256; at < 328; at += 4) swap(at, 4); // quatern, qoffset, srow
  for (let at = 352; at < out.length; at += voxelBytes) swap(at, voxelBytes);
  return out;
}

function thrown(fn: () => unknown): AppError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    return error as AppError;
  }
  throw new Error('expected an AppError');
}

const TYPES: [VoxelType, VoxelArray][] = [
  ['uint8', Uint8Array.of(0, 1, 255, ...new Array(21).fill(7))],
  ['int8', Int8Array.of(-128, 0, 127, ...new Array(21).fill(-3))],
  ['uint16', Uint16Array.from({ length: N }, (_, i) => i * 2849)],
  ['int16', Int16Array.from({ length: N }, (_, i) => i * 2849 - 32768)],
  ['uint32', Uint32Array.from({ length: N }, (_, i) => i * 186737708)],
  ['int32', Int32Array.from({ length: N }, (_, i) => (i - 12) * 178956970)],
  ['float32', Float32Array.from({ length: N }, (_, i) => Math.fround(Math.sin(i) * 1e5))],
  ['float64', Float64Array.from({ length: N }, (_, i) => Math.sin(i) * 1e300)],
];

describe('decodeNifti', () => {
  it.each(TYPES)('reads %s in both byte orders, NIfTI-1 and NIfTI-2', (type, data) => {
    const volume = volumeOf(data);
    const little = encodeNifti(volume);
    const variants = [
      little,
      toBigEndian(little, data.BYTES_PER_ELEMENT),
      encodeNifti(volume, { format: 'nifti2' }),
    ];
    for (const bytes of variants) {
      const read = decodeNifti(bytes);
      expect(read.data.constructor).toBe(data.constructor);
      expect(Array.from(read.data)).toEqual(Array.from(data));
      expect(read.dims).toEqual(DIMS);
    }
  });

  it('keeps the header geometry and uses the sform as affine', () => {
    const read = decodeNifti(file());
    const written = geometryFromAffine(AFFINE);
    expect(read.geometry.srow).toEqual(written.srow.map(Math.fround));
    expect(read.geometry.quatern).toEqual(written.quatern.map(Math.fround));
    expect(read.affine).toEqual([...AFFINE.slice(0, 12).map(Math.fround), 0, 0, 0, 1]);
    expect(read.spacingMm).toEqual([0.75, 1.25, 2.5]);
  });

  it('reads 64-bit integers as float64, both byte orders', () => {
    const values = [-(2 ** 40) - 3, 0, 2 ** 52 + 1, -1, ...new Array(20).fill(5)];
    const base = patch(file(volumeOf(new Float64Array(N))), (v) => v.setInt16(70, 1024, true));
    const bytes = patch(base, (v) =>
      values.forEach((x, i) => v.setBigInt64(352 + 8 * i, BigInt(x), true)),
    );
    const unsigned = patch(bytes, (v) => {
      v.setInt16(70, 1280, true);
      v.setBigUint64(352, 2n ** 63n + 2048n, true);
    });
    for (const b of [bytes, toBigEndian(bytes, 8)]) {
      const read = decodeNifti(b);
      expect(read.data).toBeInstanceOf(Float64Array);
      expect(Array.from(read.data)).toEqual(values);
    }
    expect(decodeNifti(unsigned).data[0]).toBe(2 ** 63 + 2048);
  });

  it('applies scl_slope/scl_inter as nibabel does', () => {
    const scaled = (bytes: Uint8Array, slope: number, inter: number) =>
      patch(bytes, (v) => {
        v.setFloat32(112, slope, true);
        v.setFloat32(116, inter, true);
      });
    const raw = int16Volume().data;
    const read = decodeNifti(scaled(file(), 0.5, -3));
    expect(read.data).toBeInstanceOf(Float32Array);
    expect(Array.from(read.data)).toEqual(Array.from(raw, (x) => x * 0.5 - 3));
    expect(decodeNifti(toBigEndian(scaled(file(), 0.5, -3), 2)).data).toEqual(read.data);
    const f64 = decodeNifti(scaled(file(volumeOf(new Float64Array(N).fill(0.1))), 3, 0.5));
    expect(f64.data).toBeInstanceOf(Float64Array);
    expect(f64.data[0]).toBe(0.1 * 3 + 0.5);
    for (const [slope, inter] of [
      [0, 5],
      [NaN, 5],
      [Infinity, 5],
      [1, 0],
    ]) {
      const plain = decodeNifti(scaled(file(), slope!, inter!));
      expect(plain.data).toBeInstanceOf(Int16Array);
      expect(plain.data).toEqual(raw);
    }
    expect(thrown(() => decodeNifti(scaled(file(), 2, NaN))).code).toBe('CORRUPT_FILE');
  });

  it('reads a 2-D image as one slice', () => {
    const bytes = patch(file(), (v) => {
      v.setInt16(40, 2, true);
      v.setInt16(42, 4, true);
      v.setInt16(44, 3, true);
      v.setInt16(46, 0, true); // dim[3] past dim[0]: ignored
    });
    const read = decodeNifti(bytes);
    expect(read.dims).toEqual([4, 3, 1]);
    expect(Array.from(read.data)).toEqual(Array.from(int16Volume().data.subarray(0, 12)));
  });

  it('refuses a 4-D file without volumeIndex, naming the count, and returns the chosen volume', () => {
    const first = file();
    const second = Int16Array.from({ length: N }, (_, i) => -i);
    const four = new Uint8Array(first.length + 2 * N);
    four.set(first);
    four.set(new Uint8Array(second.buffer), first.length);
    const bytes = patch(four, (v) => {
      v.setInt16(40, 4, true);
      v.setInt16(48, 2, true);
    });
    const error = thrown(() => decodeNifti(bytes, { source: 'bold.nii' }));
    expect(error.code).toBe('UNSUPPORTED');
    expect(error.message).toMatch(/bold\.nii holds 2 volumes.*--volume N \(0 to 1\)/);
    expect(Array.from(decodeNifti(bytes, { volumeIndex: 1 }).data)).toEqual(Array.from(second));
    expect(decodeNifti(bytes, { volumeIndex: 0 }).data).toEqual(int16Volume().data);
    for (const bad of [2, -1, 0.5]) {
      expect(thrown(() => decodeNifti(bytes, { volumeIndex: bad })).code).toBe('BAD_INPUT');
    }
  });

  it('treats vox_offset 0 in a single file as "right after the header"', () => {
    const bytes = patch(file(), (v) => v.setFloat32(108, 0, true));
    expect(decodeNifti(bytes).data).toEqual(int16Volume().data);
  });
});

describe('decodeNifti on bad input', () => {
  const cases: [string, () => Uint8Array, string, RegExp][] = [
    ['empty input', () => new Uint8Array(0), 'CORRUPT_FILE', /empty or truncated/],
    [
      'not a NIfTI file',
      () => new TextEncoder().encode('hello, this is a text file'),
      'CORRUPT_FILE',
      /not a NIfTI file/,
    ],
    [
      // Inflating is the file layer's (readVolumeFile, on a worker thread): see file.test.ts.
      'gzip data',
      () => gzipSync(file()),
      'BAD_INPUT',
      /gzip-compressed bytes reached the decoder/,
    ],
    [
      'wrong sizeof_hdr',
      () => patch(file(), (v) => v.setInt32(0, 350, true)),
      'CORRUPT_FILE',
      /sizeof_hdr is not 348/,
    ],
    [
      'truncated header',
      () => file().subarray(0, 200),
      'CORRUPT_FILE',
      /truncated NIfTI-1 header \(200 bytes/,
    ],
    [
      'too few voxel bytes',
      () => file().subarray(0, 352 + 40),
      'CORRUPT_FILE',
      /needs 400 bytes, but it has 392/,
    ],
    [
      'a zero dim',
      () => patch(file(), (v) => v.setInt16(44, 0, true)),
      'CORRUPT_FILE',
      /dim\[2\] is 0/,
    ],
    [
      'a negative dim',
      () => patch(file(), (v) => v.setInt16(46, -5, true)),
      'CORRUPT_FILE',
      /dim\[3\] is -5/,
    ],
    [
      'dim[0] out of range',
      () => patch(file(), (v) => v.setInt16(40, 9, true)),
      'CORRUPT_FILE',
      /dim\[0\].*is 9/,
    ],
    ['RGB voxels', () => patch(file(), (v) => v.setInt16(70, 128, true)), 'UNSUPPORTED', /RGB24/],
    [
      'complex voxels',
      () => patch(file(), (v) => v.setInt16(70, 32, true)),
      'UNSUPPORTED',
      /complex64/,
    ],
    [
      'an unknown datatype',
      () => patch(file(), (v) => v.setInt16(70, 999, true)),
      'CORRUPT_FILE',
      /datatype code 999/,
    ],
    [
      'vox_offset inside the header',
      () => patch(file(), (v) => v.setFloat32(108, 100, true)),
      'CORRUPT_FILE',
      /vox_offset is 100/,
    ],
    [
      'a pair header',
      () => patch(file(), (v) => v.setUint8(345, 'i'.charCodeAt(0))),
      'UNSUPPORTED',
      /\.hdr\/\.img pair/,
    ],
    [
      'an Analyze header',
      () => patch(file(), (v) => v.setUint32(344, 0)),
      'UNSUPPORTED',
      /Analyze 7\.5/,
    ],
    [
      'damaged NIfTI-2 EOL bytes',
      () => patch(encodeNifti(int16Volume(), { format: 'nifti2' }), (v) => v.setUint8(9, 13)),
      'CORRUPT_FILE',
      /line-ending/,
    ],
  ];

  it.each(cases)('%s', (_name, make, code, message) => {
    const error = thrown(() => decodeNifti(make(), { source: 'scan.nii' }));
    expect(error.code).toBe(code);
    expect(error.message).toMatch(message);
    expect(error.message).toContain('scan.nii');
  });
});

describe('decodeNiftiPair', () => {
  /** Splits an encodeNifti file into a `ni1` header (vox_offset 0) and an image. */
  function pairOf(single: Uint8Array): [Uint8Array, Uint8Array] {
    const header = patch(single.subarray(0, 348), (v) => {
      v.setUint8(345, 'i'.charCodeAt(0));
      v.setFloat32(108, 0, true);
    });
    return [header, single.slice(352)];
  }

  it('reads a pair', () => {
    const [header, image] = pairOf(file());
    expect(decodeNiftiPair(header, image).data).toEqual(int16Volume().data);
  });

  it('honours vox_offset inside the image file', () => {
    const [header, image] = pairOf(file());
    const shifted = new Uint8Array(image.length + 16);
    shifted.set(image, 16);
    const read = decodeNiftiPair(
      patch(header, (v) => v.setFloat32(108, 16, true)),
      shifted,
    );
    expect(read.data).toEqual(int16Volume().data);
  });

  it('names the image file when it is too short, and refuses a single-file header', () => {
    const [header, image] = pairOf(file());
    const error = thrown(() =>
      decodeNiftiPair(header, image.subarray(1), { source: 'a.hdr', imageSource: 'a.img' }),
    );
    expect(error.message).toMatch(/^a\.img: too few bytes.*needs 48 bytes, but it has 47/);
    expect(thrown(() => decodeNiftiPair(file(), image, { source: 'a.hdr' })).code).toBe(
      'UNSUPPORTED',
    );
  });
});
