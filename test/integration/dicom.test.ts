// Integration tests of the DICOM importer (Node) against pydicom: decoded pixels of pydicom's
// own test files per transfer syntax, and series built at test time by
// test/reference/dicom_make_series.py, stacked independently by dicom_reference_volume.py.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../src/core/errors';
import { geometryFromAffine } from '../../src/core/volume/geometry';
import type { VoxelArray } from '../../src/core/volume/volume';
import {
  decodePixelData,
  loadDicomSeries,
  scanDicomFolder,
  type DicomSeriesInfo,
} from '../../src/core/volume/dicom';
import { readDicomFile } from '../../src/core/volume/dicom/dicomFile';
import { singleFrameBytes } from '../../src/core/volume/dicom/pixelData';

const PYTHON = '/usr/bin/python3';
const REFERENCE = fileURLToPath(new URL('../reference', import.meta.url));
const TEST_FILES = join(
  execFileSync(PYTHON, ['-c', 'import pydicom, os; print(os.path.dirname(pydicom.__file__))'], {
    encoding: 'utf8',
  }).trim(),
  'data',
  'test_files',
);

let work: string;
let made: Record<string, string[]> & { codecs: Record<string, string> };

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'dicom-it-'));
  const root = join(work, 'series');
  made = JSON.parse(
    execFileSync(PYTHON, [join(REFERENCE, 'dicom_make_series.py'), root], { encoding: 'utf8' }),
  );
});

afterAll(() => rmSync(work, { recursive: true, force: true }));

function readF64(path: string): Float64Array {
  const bytes = readFileSync(path);
  return new Float64Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length));
}

/** pydicom's pixel_array and modality-LUT output for each file (JSON result + arrays). */
function pydicomPixels(files: string[]) {
  const out = mkdtempSync(join(work, 'px-'));
  const results = JSON.parse(
    execFileSync(PYTHON, [join(REFERENCE, 'dicom_pixels.py'), out, ...files], { encoding: 'utf8' }),
  ) as { ok: boolean; error?: string; shape?: number[] }[];
  return results.map((r, n) => {
    if (!r.ok) throw new Error(`pydicom cannot decode ${files[n]}: ${r.error}`);
    return {
      raw: readF64(join(out, `${n}.raw.f64`)),
      rescaled: readF64(join(out, `${n}.rescaled.f64`)),
    };
  });
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let max = 0;
  for (let p = 0; p < a.length; p++) max = Math.max(max, Math.abs(a[p]! - b[p]!));
  return max;
}

async function decodeFile(path: string) {
  const { dataSet, header, transferSyntaxUid } = await readDicomFile(path);
  return decodePixelData(transferSyntaxUid, singleFrameBytes(dataSet, header.image), header.image);
}

function seriesOf(files: string[]): DicomSeriesInfo {
  return {
    seriesInstanceUid: 'test',
    studyInstanceUid: 'test',
    modality: '',
    seriesDescription: '',
    files,
    sliceCount: files.length,
    rows: 0,
    columns: 0,
    transferSyntaxUids: [],
  };
}

async function rejection(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

describe('pixel decoding matches pydicom', () => {
  const t = (name: string) => join(TEST_FILES, name);
  // [file, file pydicom decodes to the same pixels (itself unless it cannot), tolerance, type]
  const cases: [string, string | undefined, number, string][] = [
    ['CT_small.dcm', undefined, 0, 'Int16Array'],
    ['MR_small.dcm', undefined, 0, 'Int16Array'],
    ['MR_small_implicit.dcm', undefined, 0, 'Int16Array'],
    ['MR_small_bigendian.dcm', undefined, 0, 'Int16Array'],
    ['MR_small_expb.dcm', undefined, 0, 'Int16Array'],
    ['MR_small_padded.dcm', undefined, 0, 'Int16Array'],
    ['MR_small_RLE.dcm', undefined, 0, 'Int16Array'],
    ['MR_small_jp2klossless.dcm', undefined, 0, 'Int16Array'],
    ['MR_small_jpeg_ls_lossless.dcm', 'MR_small.dcm', 0, 'Int16Array'],
    ['J2K_pixelrep_mismatch.dcm', undefined, 0, 'Int16Array'],
    ['693_J2KI.dcm', undefined, 0, 'Int16Array'],
    ['JPEG2000.dcm', undefined, 0, 'Int16Array'],
    ['image_dfl.dcm', undefined, 0, 'Uint8Array'],
    ['rtdose_1frame.dcm', undefined, 0, 'Int32Array'],
    ['rtdose_expb_1frame.dcm', undefined, 0, 'Int32Array'],
    ['rtdose_rle_1frame.dcm', undefined, 0, 'Int32Array'],
  ];
  const madeCases: [string, string | undefined, number, string][] = [
    ['jpegLossless16', 'MR_small', 0, 'Int16Array'],
    ['jpegLossless12', 'jpegLossless12Twin', 0, 'Int16Array'],
    ['jpegBaseline', undefined, 2, 'Uint8Array'],
    ['rle8', 'rle8Twin', 0, 'Uint8Array'],
    ['deflated', undefined, 0, 'Int16Array'],
    ['noMetaImplicit', 'MR_small', 0, 'Int16Array'],
    ['noMetaExplicit', 'MR_small', 0, 'Int16Array'],
  ];

  it('decodes every supported transfer syntax to pydicom pixel_array, before and after rescale', async () => {
    const resolve = (key: string) => made.codecs[key] ?? t(`${key}.dcm`);
    const all = [
      ...cases.map(([f, twin, tol, type]) => [t(f), t(twin ?? f), tol, type] as const),
      ...madeCases.map(
        ([k, twin, tol, type]) => [resolve(k), resolve(twin ?? k), tol, type] as const,
      ),
    ];
    const references = pydicomPixels(all.map(([, reference]) => reference));
    for (const [n, [file, , tolerance, type]] of all.entries()) {
      const stored = await decodeFile(file);
      expect(
        maxAbsDiff(stored, references[n]!.raw),
        `${basename(file)} stored`,
      ).toBeLessThanOrEqual(tolerance);
      const { volume } = await loadDicomSeries(seriesOf([file]));
      expect(volume.data.constructor.name, basename(file)).toBe(type);
      expect(volume.dims[2]).toBe(1);
      expect(
        maxAbsDiff(volume.data, references[n]!.rescaled),
        `${basename(file)} rescaled`,
      ).toBeLessThanOrEqual(tolerance);
    }
  });

  it('refuses 12-bit lossy JPEG and unknown syntaxes as UNSUPPORTED, naming them', async () => {
    const lossy12 = await rejection(decodeFile(t('JPEG-lossy.dcm')));
    expect(lossy12.code).toBe('UNSUPPORTED');
    expect(lossy12.message).toMatch(/12-bit/);
    const mpeg = await rejection(loadDicomSeries(seriesOf([made.codecs.unsupportedSyntax!])));
    expect(mpeg.code).toBe('UNSUPPORTED');
    expect(mpeg.message).toContain('1.2.840.10008.1.2.4.100');
    expect(mpeg.message).toContain('MPEG2');
  });

  it('reports a truncated file as CORRUPT_FILE, but still lists it when scanning', async () => {
    const folder = join(work, 'series', 'truncated');
    const scanned = await scanDicomFolder(folder);
    expect(scanned).toHaveLength(1);
    const error = await rejection(loadDicomSeries(scanned[0]!));
    expect(error.code).toBe('CORRUPT_FILE');
    expect(error.message).toMatch(/MR_truncated\.dcm.*truncated/);
  });
});

/** Runs the Python stacking reference on `files`. */
function referenceVolume(files: string[]) {
  const out = join(mkdtempSync(join(work, 'ref-')), 'volume.f64');
  const json = JSON.parse(
    execFileSync(PYTHON, [join(REFERENCE, 'dicom_reference_volume.py'), out, ...files], {
      encoding: 'utf8',
    }),
  ) as {
    affine: number[];
    instanceNumbers: number[];
    files: string[];
    spacing: number;
    shape: number[];
  };
  return { ...json, data: readF64(out) };
}

// IOP is stored to 6 decimals; we normalise the cosines, the reference does not: 1e-5 mm apart.
function expectAffineClose(actual: number[], expected: number[], tolerance = 1e-5) {
  expect(actual).toHaveLength(16);
  actual.forEach((v, idx) =>
    expect(Math.abs(v - expected[idx]!), `affine[${idx}]`).toBeLessThan(tolerance),
  );
}

function expectSameVolume(data: VoxelArray, expected: Float64Array, relTolerance = 0) {
  expect(data.length).toBe(expected.length);
  for (let p = 0; p < expected.length; p++) {
    const allowed = relTolerance * Math.max(1, Math.abs(expected[p]!));
    if (Math.abs(data[p]! - expected[p]!) > allowed)
      expect(data[p], `voxel ${p}`).toBe(expected[p]);
  }
}

describe('series scanning and stacking', () => {
  const folder = (name: string) => join(work, 'series', name);

  it('stacks a shuffled, oblique, mixed-syntax series as the independent reference does', async () => {
    const scanned = await scanDicomFolder(folder('oblique'));
    expect(scanned).toHaveLength(1);
    const series = scanned[0]!;
    expect(series.sliceCount).toBe(6);
    expect([series.rows, series.columns]).toEqual([120, 100]);
    expect(new Set(series.transferSyntaxUids)).toEqual(
      new Set([
        '1.2.840.10008.1.2.1',
        '1.2.840.10008.1.2',
        '1.2.840.10008.1.2.2',
        '1.2.840.10008.1.2.5',
      ]),
    );
    const { volume, meta } = await loadDicomSeries(series);
    const reference = referenceVolume(series.files);
    expect(volume.dims).toEqual([100, 120, 6]);
    expect(volume.spacingMm[0]).toBeCloseTo(0.55, 6);
    expect(volume.spacingMm[1]).toBeCloseTo(0.7, 6);
    expect(meta.instanceNumbers).toEqual(reference.instanceNumbers);
    expect(meta.instanceNumbers).toEqual([6, 5, 4, 3, 2, 1]);
    expect(meta.files).toEqual(reference.files);
    expect(meta.sliceSpacingMm).toBeCloseTo(2.5, 3);
    expectAffineClose(volume.affine, reference.affine);
    expect(volume.spacingMm[2]).toBeCloseTo(reference.spacing, 5);
    expect(volume.geometry).toEqual(geometryFromAffine(volume.affine));
    expect(volume.data).toBeInstanceOf(Int16Array);
    expect(meta.rescaled).toBe(true); // CT_small has RescaleIntercept -1024
    expect([meta.windowCenter, meta.windowWidth]).toEqual([40, 400]);
    expectSameVolume(volume.data, reference.data);
  });

  it('applies fractional, per-slice rescale into a Float32 volume', async () => {
    const [series] = await scanDicomFolder(folder('float_rescale'));
    const { volume, meta } = await loadDicomSeries(series!);
    const reference = referenceVolume(series!.files);
    expect(volume.data).toBeInstanceOf(Float32Array);
    expect(meta.rescaled).toBe(true);
    expectAffineClose(volume.affine, reference.affine);
    expectSameVolume(volume.data, reference.data, 1e-6);
  });

  it('separates two series, recurses into sub-folders only when asked, and skips non-images', async () => {
    const all = await scanDicomFolder(folder('two_series'));
    const descriptions = all.map((s) => s.seriesDescription).sort();
    expect(descriptions).toEqual(['nested', 'series A', 'series B']);
    const skipped = new Map(all.skipped.map((s) => [basename(s.path), s.reason]));
    expect(skipped.get('junk.bin')).toBe('not a DICOM file');
    expect(skipped.get('notes.txt')).toBe('not a DICOM file');
    expect(skipped.get('report.dcm')).toMatch(/Structured Report/);
    const seriesA = all.find((s) => s.seriesDescription === 'series A')!;
    expect(seriesA.sliceCount).toBe(3); // one of them has a 300 kB private element in its header
    const flat = await scanDicomFolder(folder('two_series'), { recursive: false });
    expect(flat.map((s) => s.seriesDescription).sort()).toEqual(['series A', 'series B']);
    for (const series of flat) {
      const { volume } = await loadDicomSeries(series);
      const reference = referenceVolume(series.files);
      expectAffineClose(volume.affine, reference.affine);
      expectSameVolume(volume.data, reference.data);
    }
  });

  it('names the neighbours of a missing slice', async () => {
    const [series] = await scanDicomFolder(folder('missing'));
    const error = await rejection(loadDicomSeries(series!));
    expect(error.code).toBe('CORRUPT_FILE');
    expect(error.message).toMatch(/Missing slice/);
    expect(error.message).toMatch(/instance 3, at 4 mm.*instance 5, at 8 mm/);
  });

  it('names two slices at the same position', async () => {
    const [series] = await scanDicomFolder(folder('duplicate'));
    expect(series!.sliceCount).toBe(6);
    const error = await rejection(loadDicomSeries(series!));
    expect(error.code).toBe('UNSUPPORTED');
    expect(error.message).toMatch(/same position/);
    expect(error.message).toMatch(/instance 3, at 4 mm.*instance 99, at 4 mm/);
  });

  it('refuses a series whose slices differ in Rows, saying so', async () => {
    const [series] = await scanDicomFolder(folder('rows'));
    const error = await rejection(loadDicomSeries(series!));
    expect(error.code).toBe('UNSUPPORTED');
    expect(error.message).toMatch(/Rows is 64 in .* but 32 in/);
  });

  it('loads a real CT series (descending positions) like the reference, and flags a real gap', async () => {
    const scanned = await scanDicomFolder(join(TEST_FILES, 'dicomdirtests', '98892001'));
    const ct5n = scanned.find((s) => s.files[0]!.includes('CT5N'))!;
    const { volume, meta } = await loadDicomSeries(ct5n);
    const reference = referenceVolume(ct5n.files);
    expect(meta.instanceNumbers).toEqual(reference.instanceNumbers);
    expect(meta.sliceSpacingMm).toBeCloseTo(2.5, 6);
    expectAffineClose(volume.affine, reference.affine);
    expectSameVolume(volume.data, reference.data);
    const [ct2] = await scanDicomFolder(join(TEST_FILES, 'dicomdirtests', '77654033', 'CT2'));
    const gap = await rejection(loadDicomSeries(ct2!));
    expect(gap.code).toBe('CORRUPT_FILE');
    expect(gap.message).toMatch(/161 slice\(s\) are missing/);
  });
});
