// NIfTI reader/writer checked against nibabel, the reference implementation (plain Node;
// needs /usr/bin/python3 with nibabel). (a) nibabel writes files covering every datatype, byte
// order, scaling and transform case, plus nibabel's own test data -> we read them and compare
// with what nibabel reports. (b) we write files -> nibabel reads them back.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, promises as fs, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../src/core/errors';
import { geometryFromAffine, XFORM_ALIGNED_ANAT } from '../../src/core/volume/geometry';
import {
  decodeNifti,
  encodeNifti,
  encodeVolumeFile,
  readVolumeFile,
  writeVolumeFile,
} from '../../src/core/volume/nifti';
import type { Mat4, Volume, VoxelArray } from '../../src/core/volume/volume';
import { createRng } from '../../src/core/random';

const PYTHON = '/usr/bin/python3';
const REFERENCE = path.resolve(__dirname, '../reference');
const NIBABEL_DATA = '/usr/lib/python3/dist-packages/nibabel/tests/data';

interface Made {
  name: string;
  file: string;
  volumes: number;
  sform_code: number;
  qform_code: number;
  endianness: '<' | '>';
}

interface RawHeader {
  sform_code: number;
  qform_code: number;
  quatern_b: number;
  quatern_c: number;
  quatern_d: number;
  qoffset_x: number;
  qoffset_y: number;
  qoffset_z: number;
  xyzt_units: number;
  vox_offset: number;
  scl_slope: number | string;
  scl_inter: number | string;
  cal_min: number;
  cal_max: number;
  descrip: string;
  magic: string;
  datatype: number;
  pixdim: number[];
  dim: number[];
  srow: number[];
  endianness: '<' | '>';
}

interface NibabelView {
  spec: string;
  class: string;
  shape: number[];
  volumes: number;
  dtype: string;
  affine: number[][];
  qform: number[][];
  sform_code: number;
  qform_code: number;
  zooms: number[];
  slope: number;
  inter: number;
  raw: RawHeader;
  diagnose: string;
  values: Float64Array;
}

let work: string;

/** What nibabel reads from each spec (`file` or `file::volume`). One Python process for all. */
function nibabel(specs: string[]): NibabelView[] {
  const out = mkdtempSync(path.join(work, 'dump-'));
  const json = execFileSync(PYTHON, [path.join(REFERENCE, 'nifti_dump.py'), out, ...specs], {
    encoding: 'utf8',
    maxBuffer: 64 << 20,
  });
  return (JSON.parse(json) as (NibabelView & { data: string })[]).map((view) => {
    const bytes = readFileSync(view.data);
    return {
      ...view,
      values: new Float64Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 8),
    };
  });
}

const rows = (m: Mat4) => [m.slice(0, 4), m.slice(4, 8), m.slice(8, 12), m.slice(12, 16)];

function expectAffineClose(actual: Mat4, expected: number[][], tol = 1e-5): void {
  rows(actual).forEach((row, r) =>
    row.forEach((v, c) =>
      expect(Math.abs(v - expected[r]![c]!), `affine[${r}][${c}]`).toBeLessThanOrEqual(tol),
    ),
  );
}

/** Voxels equal: exactly, or within float32 rounding when `tolerance` is set. NaN matches NaN. */
function expectValues(actual: VoxelArray, expected: Float64Array, tolerance = 0): void {
  expect(actual.length).toBe(expected.length);
  let worst = 0;
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i]!;
    const e = expected[i]!;
    if (Number.isNaN(e) && Number.isNaN(a)) continue;
    const err = Math.abs(a - e) / Math.max(1, Math.abs(e));
    if (!(err <= worst)) worst = Number.isNaN(err) ? Infinity : err;
  }
  expect(worst).toBeLessThanOrEqual(tolerance);
}

const FLOAT64_SOURCES = new Set(['float64', 'int64', 'uint64']);

function expectedArrayType(view: NibabelView): string {
  const scaled = view.slope !== 1 || view.inter !== 0;
  if (FLOAT64_SOURCES.has(view.dtype)) return 'Float64Array';
  if (scaled) return 'Float32Array';
  const name = view.dtype.replace(
    /^u?int|^float/,
    (m) => ({ uint: 'Uint', int: 'Int', float: 'Float' })[m]!,
  );
  return `${name}Array`;
}

/** Our volume against nibabel's view of the same file. */
function expectMatchesNibabel(volume: Volume, view: NibabelView): void {
  const shape = [...view.shape.slice(0, 3), 1, 1].slice(0, 3);
  expect(volume.dims).toEqual(shape);
  expectAffineClose(volume.affine, view.affine);
  // Spacing is the length of each column of the affine nibabel reports (its zooms are pixdim,
  // which files may contradict).
  const affine = view.affine.flat();
  [0, 1, 2].forEach((c) =>
    expect(volume.spacingMm[c]).toBeCloseTo(
      Math.hypot(affine[c]!, affine[4 + c]!, affine[8 + c]!),
      5,
    ),
  );
  expect(volume.data.constructor.name).toBe(expectedArrayType(view));
  // Scaled values are computed in float64 by nibabel and stored as float32 by us.
  const scaled = view.slope !== 1 || view.inter !== 0;
  expectValues(volume.data, view.values, scaled && volume.data instanceof Float32Array ? 1e-6 : 0);
  // Geometry is the header verbatim (before nibabel's load-time repairs).
  const g = volume.geometry;
  const raw = view.raw;
  expect([g.sformCode, g.qformCode]).toEqual([raw.sform_code, raw.qform_code]);
  expect(g.quatern).toEqual([raw.quatern_b, raw.quatern_c, raw.quatern_d]);
  expect(g.qoffset).toEqual([raw.qoffset_x, raw.qoffset_y, raw.qoffset_z]);
  expect([g.qfac, ...g.pixdim]).toEqual(raw.pixdim.slice(0, 4));
  expect(g.srow).toEqual(raw.srow);
  expect(g.xyztUnits).toBe(raw.xyzt_units);
}

beforeAll(() => {
  work = mkdtempSync(path.join(tmpdir(), 'nifti-int-'));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('reading files nibabel wrote', () => {
  let made: Made[];
  let views: Map<string, NibabelView>;

  beforeAll(() => {
    const dir = mkdtempSync(path.join(work, 'made-'));
    made = JSON.parse(
      execFileSync(PYTHON, [path.join(REFERENCE, 'nifti_make.py'), dir], { encoding: 'utf8' }),
    );
    const specs = made.flatMap((m) =>
      m.volumes === 1 ? [m.file] : Array.from({ length: m.volumes }, (_, v) => `${m.file}::${v}`),
    );
    views = new Map(nibabel(specs).map((v) => [v.spec, v]));
  });

  it('covers the intended cases', () => {
    expect(made.length).toBeGreaterThanOrEqual(50);
    expect(made.filter((m) => m.endianness === '>').length).toBeGreaterThanOrEqual(10);
    for (const m of made) {
      const view = views.get(m.volumes === 1 ? m.file : `${m.file}::0`)!;
      expect([view.raw.sform_code, view.raw.qform_code, view.raw.endianness], m.name).toEqual([
        m.sform_code,
        m.qform_code,
        m.endianness,
      ]);
    }
  });

  it('reads every single-volume case as nibabel does', async () => {
    for (const m of made.filter((c) => c.volumes === 1)) {
      const volume = await readVolumeFile(m.file);
      try {
        expectMatchesNibabel(volume, views.get(m.file)!);
      } catch (error) {
        throw new Error(`${m.name}: ${(error as Error).message}`);
      }
    }
  });

  it('refuses multi-volume files without an index, naming the count, and reads each volume', async () => {
    for (const m of made.filter((c) => c.volumes > 1)) {
      const refused = await readVolumeFile(m.file).catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(AppError);
      expect((refused as AppError).code).toBe('UNSUPPORTED');
      expect((refused as AppError).message).toContain(`${m.volumes} volumes`);
      expect((refused as AppError).message).toContain(m.file);
      for (let v = 0; v < m.volumes; v++) {
        expectMatchesNibabel(
          await readVolumeFile(m.file, { volumeIndex: v }),
          views.get(`${m.file}::${v}`)!,
        );
      }
    }
  });

  it('applies nibabel header repairs to the affine but keeps the stored fields', async () => {
    const file = made.find((m) => m.name === 'repairs.nii')!.file;
    const volume = await readVolumeFile(file);
    expect(volume.geometry.qfac).toBe(0);
    expect(volume.geometry.pixdim[1]).toBe(-1.25);
    expect(volume.geometry.sformCode).toBe(9);
    expect(views.get(file)!.diagnose).toMatch(/qfac/); // nibabel flags (and repairs) this header
  });

  it('reads a .hdr/.img pair given either file name', async () => {
    const hdr = made.find((m) => m.name === 'pair1.hdr')!.file;
    const fromImg = await readVolumeFile(hdr.replace(/\.hdr$/, '.img'));
    expectMatchesNibabel(fromImg, views.get(hdr)!);
    const gzHeader = made
      .find((m) => m.name === 'pair1_gz.img.gz')!
      .file.replace('.img.gz', '.hdr.gz');
    expectMatchesNibabel(
      await readVolumeFile(gzHeader),
      views.get(gzHeader.replace('.hdr.gz', '.img.gz'))!,
    );
  });
});

describe("reading nibabel's own test files", () => {
  const cases: [string, number | undefined][] = [
    ['anatomical.nii', undefined], // big-endian int16, vox_offset 0
    ['reoriented_anat_moved.nii', undefined], // big-endian float32
    ['resampled_anat_moved.nii', undefined],
    ['standard.nii.gz', undefined], // sform only, uint8
    ['example_nifti2.nii.gz', 1], // NIfTI-2, 4-D
    ['example4d.nii.gz', 1], // 4-D, oblique qform
    ['functional.nii', 7], // 4-D, 20 volumes
  ];

  it('matches nibabel for each file', async () => {
    const specs = cases.map(([f, v]) =>
      v === undefined ? `${NIBABEL_DATA}/${f}` : `${NIBABEL_DATA}/${f}::${v}`,
    );
    const views = nibabel(specs);
    for (const [i, [file, volumeIndex]] of cases.entries()) {
      const volume = await readVolumeFile(`${NIBABEL_DATA}/${file}`, { volumeIndex });
      try {
        expectMatchesNibabel(volume, views[i]!);
      } catch (error) {
        throw new Error(`${file}: ${(error as Error).message}`);
      }
    }
  });

  it('refuses example4d.nii.gz without a volume index', async () => {
    await expect(readVolumeFile(`${NIBABEL_DATA}/example4d.nii.gz`)).rejects.toMatchObject({
      code: 'UNSUPPORTED',
      message: expect.stringMatching(/2 volumes.*--volume N \(0 to 1\)/),
    });
  });

  it('refuses the plain Analyze header analyze.hdr as unsupported', async () => {
    const dir = mkdtempSync(path.join(work, 'analyze-'));
    await fs.copyFile(`${NIBABEL_DATA}/analyze.hdr`, `${dir}/analyze.hdr`);
    await fs.writeFile(`${dir}/analyze.img`, new Uint8Array(91 * 109 * 91));
    await expect(readVolumeFile(`${dir}/analyze.hdr`)).rejects.toMatchObject({
      code: 'UNSUPPORTED',
      message: expect.stringContaining('Analyze'),
    });
  });
});

describe('files we write, read by nibabel', () => {
  const rng = createRng(7);
  const dims: [number, number, number] = [7, 6, 5];
  const n = dims[0] * dims[1] * dims[2];
  // Oblique (rotated about z, then tilted about x), anisotropic and left-handed (qfac -1),
  // the way real scans look: columns are R · diag(0.9, 1.1, -2.5).
  const [cz, sz, cx, sx] = [Math.cos(0.3), Math.sin(0.3), Math.cos(0.1), Math.sin(0.1)];
  const rotation = [
    [cz, -sz * cx, sz * sx],
    [sz, cz * cx, -cz * sx],
    [0, sx, cx],
  ];
  const zooms = [0.9, 1.1, -2.5];
  const origin = [-80.25, 12.5, 33];
  const oblique: Mat4 = [
    ...[0, 1, 2].flatMap((r) => [...zooms.map((z, c) => rotation[r]![c]! * z), origin[r]!]),
    0,
    0,
    0,
    1,
  ];

  function volumeOf(
    data: VoxelArray,
    geometry = geometryFromAffine(oblique),
    affine = oblique,
  ): Volume {
    return { dims, spacingMm: [0.9, 1.1, 2.5], affine, data, geometry };
  }

  it('a uint8 mask with an oblique affine: same labels, affine, codes and quaternion', async () => {
    const labels = Uint8Array.from({ length: n }, () => rng.int(4));
    const volume = volumeOf(labels, geometryFromAffine(oblique, XFORM_ALIGNED_ANAT));
    const file = path.join(work, 'mask.nii.gz');
    await writeVolumeFile(file, volume, { description: 'test mask' });
    const [view] = nibabel([file]);
    const g = volume.geometry;
    expect(view!.dtype).toBe('uint8');
    expectValues(labels, view!.values);
    expectAffineClose(oblique, view!.affine);
    expectAffineClose(oblique, view!.qform, 1e-5); // the quaternion reproduces the affine
    expect([view!.sform_code, view!.qform_code]).toEqual([2, 2]);
    const raw = view!.raw;
    [raw.quatern_b, raw.quatern_c, raw.quatern_d].forEach((q, i) =>
      expect(q).toBe(Math.fround(g.quatern[i]!)),
    );
    expect(raw.pixdim[0]).toBe(-1);
    expect(raw).toMatchObject({
      vox_offset: 352,
      scl_slope: 1,
      scl_inter: 0,
      magic: 'n+1',
      endianness: '<',
    });
    expect([raw.cal_min, raw.cal_max]).toEqual([0, Math.max(...labels)]);
    expect(raw.descrip).toBe('test mask');
    expect(view!.diagnose).toBe('');
  });

  it('int16 data with the geometry of anatomical.nii: header geometry identical', async () => {
    const source = decodeNifti(readFileSync(`${NIBABEL_DATA}/anatomical.nii`));
    const data = Int16Array.from({ length: source.data.length }, () => rng.int(65536) - 32768);
    const file = path.join(work, 'on_anatomical.nii');
    await writeVolumeFile(file, { ...source, data });
    const [original, written] = nibabel([`${NIBABEL_DATA}/anatomical.nii`, file]);
    expectValues(data, written!.values);
    expect(written!.affine).toEqual(original!.affine);
    const geometryFields = [
      'sform_code',
      'qform_code',
      'quatern_b',
      'quatern_c',
      'quatern_d',
      'qoffset_x',
      'qoffset_y',
      'qoffset_z',
      'xyzt_units',
      'srow',
    ] as const;
    for (const field of geometryFields)
      expect(written!.raw[field], field).toEqual(original!.raw[field]);
    expect(written!.raw.pixdim.slice(0, 4)).toEqual(original!.raw.pixdim.slice(0, 4));
    expect(written!.raw.endianness).toBe('<'); // the source was big-endian
    expect(written!.diagnose).toBe('');
  });

  it('float32 (with NaN) gzipped in memory, NIfTI-2, and a range-checked type conversion', async () => {
    const floats = Float32Array.from({ length: n }, () => rng.normal() * 100);
    floats[5] = NaN;
    const labels = Int32Array.from({ length: n }, () => rng.int(256));
    const cases = {
      'float.nii.gz': await encodeVolumeFile(volumeOf(floats), { gzip: true }),
      'float2.nii': encodeNifti(volumeOf(floats), { format: 'nifti2' }),
      'labels_u8.nii': encodeNifti(volumeOf(labels), { datatype: 'uint8' }),
    };
    const files = Object.keys(cases).map((name) => path.join(work, name));
    await Promise.all(Object.values(cases).map((bytes, i) => fs.writeFile(files[i]!, bytes)));
    const [gz, nifti2, u8] = nibabel(files);
    expect([gz!.dtype, nifti2!.dtype, u8!.dtype]).toEqual(['float32', 'float32', 'uint8']);
    expect([gz!.class, nifti2!.class]).toEqual(['Nifti1Image', 'Nifti2Image']);
    expectValues(floats, gz!.values);
    expectValues(floats, nifti2!.values);
    expectValues(labels, u8!.values);
    for (const view of [gz!, nifti2!, u8!]) {
      expectAffineClose(oblique, view.affine);
      expect(view.diagnose).toBe('');
    }
    expect(nifti2!.raw.vox_offset).toBe(544);
  });
});
