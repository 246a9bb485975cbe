// DICOM objects that are not one slice per file (Node, nibabel and pydicom as references): a
// Siemens MOSAIC cut into its slices, an enhanced multi-frame MR stacked from its functional
// groups, an RT dose whose NumberOfFrames is malformed, MONOCHROME1 inverted, and a folder whose
// one bad series no longer blocks the good one.
import { execFileSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProject, importStudies, ProjectStore } from '../../src/core/project';
import { readVolumeFile } from '../../src/core/volume/nifti';
import type { Volume } from '../../src/core/volume/volume';
import { PYTHON, tempDir } from '../helpers/fixtures';

const NIBABEL_DATA = '/usr/lib/python3/dist-packages/nibabel/nicom/tests/data';
const PYDICOM_DATA = '/usr/lib/python3/dist-packages/pydicom/data/test_files';

let dir: string;
let store: ProjectStore;

beforeAll(async () => {
  dir = await tempDir('simcvd-frames-');
  await createProject(path.join(dir, 'project'));
  store = await ProjectStore.open(path.join(dir, 'project'), { write: true, purpose: 'test' });
});

afterAll(async () => {
  await store?.close();
  if (dir) await fs.rm(dir, { recursive: true, force: true });
});

/**
 * nibabel's reading of a DICOM file, saved as a NIfTI in this project's voxel convention:
 * nibabel's wrapper gives (rows, columns, slices) in LPS; ours is (columns, rows, slices) in RAS.
 */
function nibabelReference(dicom: string, out: string, slicesFromFrames = false): void {
  const code = [
    'import sys, warnings, numpy as np, nibabel as nib, pydicom',
    'from nibabel.nicom import dicomwrappers as dw',
    'warnings.simplefilter("ignore")',
    'ds = pydicom.dcmread(sys.argv[1]); w = dw.wrapper_from_data(ds)',
    'data = np.swapaxes(np.asarray(w.get_data(), dtype=np.float32), 0, 1)',
    'aff = w.affine.copy(); aff[:, [0, 1]] = aff[:, [1, 0]]',
    // nibabel 5.0 points an enhanced multi-frame's slice axis away from its own frames (its
    // origin is the first frame, its direction the negated normal): take that axis from the
    // per-frame positions pydicom reads instead, as the DICOM standard defines it.
    'if sys.argv[3] == "1":',
    '    pos = [np.array(f.PlanePositionSequence[0].ImagePositionPatient, float) for f in ds.PerFrameFunctionalGroupsSequence]',
    '    aff[:3, 2] = (pos[-1] - pos[0]) / (len(pos) - 1); aff[:3, 3] = pos[0]',
    'aff[:2, :] *= -1',
    'nib.save(nib.Nifti1Image(data, aff), sys.argv[2])',
  ].join('\n');
  execFileSync(PYTHON, ['-c', code, dicom, out, slicesFromFrames ? '1' : '0']);
}

/** Compares grids, affines and voxels, allowing the slice order to run the other way. */
function expectSameVolume(ours: Volume, reference: Volume, tolerance: number): void {
  expect(ours.dims).toEqual(reference.dims);
  const [nx, ny, nz] = ours.dims;
  const col2 = (a: number[]) => [a[2]!, a[6]!, a[10]!];
  const flipped = col2(ours.affine).every(
    (x, i) => Math.abs(x + col2(reference.affine)[i]!) < 1e-3,
  );
  const ref = reference.affine.slice();
  if (flipped) {
    // Same voxels with k reversed: the origin moves to the last slice.
    for (let r = 0; r < 3; r++) {
      ref[r * 4 + 3] = ref[r * 4 + 3]! + ref[r * 4 + 2]! * (nz - 1);
      ref[r * 4 + 2] = -ref[r * 4 + 2]!;
    }
  }
  ours.affine.forEach((x, i) => expect(x).toBeCloseTo(ref[i]!, 2));
  let worst = 0;
  for (let k = 0; k < nz; k++)
    for (let j = 0; j < ny; j++)
      for (let i = 0; i < nx; i++) {
        const a = ours.data[i + nx * (j + ny * k)]!;
        const b = reference.data[i + nx * (j + ny * (flipped ? nz - 1 - k : k))]!;
        worst = Math.max(worst, Math.abs(a - b) / Math.max(1, Math.abs(b)));
      }
  expect(worst).toBeLessThanOrEqual(tolerance);
}

async function importOne(folder: string) {
  const [study] = await importStudies(store, [folder]);
  return { study: study!, volume: await store.readImage(study!.id) };
}

async function folderWith(name: string, files: Record<string, Uint8Array>): Promise<string> {
  const folder = path.join(dir, name);
  await fs.mkdir(folder, { recursive: true });
  for (const [file, bytes] of Object.entries(files))
    await fs.writeFile(path.join(folder, file), bytes);
  return folder;
}

describe('multi-frame and mosaic DICOM', () => {
  it('cuts a Siemens MOSAIC into its slices as nibabel does', async () => {
    const bytes = gunzipSync(await fs.readFile(path.join(NIBABEL_DATA, 'siemens_dwi_1000.dcm.gz')));
    const folder = await folderWith('mosaic', { 'dwi.dcm': bytes });
    const { study, volume } = await importOne(folder);
    expect(volume.dims).toEqual([128, 128, 48]);
    expect(study.warnings.join(' ')).toMatch(/MOSAIC of 48 slices/);
    const reference = path.join(dir, 'mosaic-ref.nii');
    nibabelReference(path.join(folder, 'dwi.dcm'), reference);
    expectSameVolume(volume, await readVolumeFile(reference), 0);
  });

  it('stacks an enhanced multi-frame MR from its per-frame functional groups', async () => {
    const bytes = gunzipSync(await fs.readFile(path.join(NIBABEL_DATA, 'philips_mprage.dcm.gz')));
    const folder = await folderWith('enhanced', { 'mprage.dcm': bytes });
    const { volume } = await importOne(folder);
    expect(volume.dims).toEqual([256, 256, 176]);
    const reference = path.join(dir, 'enhanced-ref.nii');
    nibabelReference(path.join(folder, 'mprage.dcm'), reference, true);
    expectSameVolume(volume, await readVolumeFile(reference), 1e-4);
  }, 120_000);

  it('trusts the pixel data over a malformed NumberOfFrames ("1A"), with a warning', async () => {
    const raw = new Uint8Array(await fs.readFile(path.join(PYDICOM_DATA, 'rtdose.dcm')));
    // (0028,0008) IS, length 2, "15" in implicit VR little endian → "1A".
    const at = Buffer.from(raw).indexOf(Buffer.from([0x28, 0, 0x08, 0, 2, 0, 0, 0, 0x31, 0x35]));
    expect(at).toBeGreaterThan(0);
    raw[at + 9] = 0x41;
    const folder = await folderWith('rtdose', { 'dose.dcm': raw });
    const { study, volume } = await importOne(folder);
    expect(volume.dims).toEqual([10, 10, 15]);
    expect(study.warnings.join(' ')).toMatch(
      /NumberOfFrames "1A" is malformed; took the 15 frames/,
    );
    const expected = JSON.parse(
      execFileSync(PYTHON, [
        '-c',
        [
          'import sys, json, pydicom, numpy as np',
          'ds = pydicom.dcmread(sys.argv[1])',
          'a = ds.pixel_array.astype(np.float64) * float(ds.DoseGridScaling)',
          'print(json.dumps({"data": np.transpose(a, (2, 1, 0)).ravel(order="F").tolist(),',
          '  "z": [float(ds.ImagePositionPatient[2]) + float(o) for o in ds.GridFrameOffsetVector]}))',
        ].join('\n'),
        path.join(PYDICOM_DATA, 'rtdose.dcm'),
      ]).toString(),
    ) as { data: number[]; z: number[] };
    // float32 voxels: equal to the float64 reference within float32 rounding.
    Array.from(volume.data).forEach((v, i) =>
      expect(Math.abs(v - expected.data[i]!)).toBeLessThanOrEqual(
        1e-6 * Math.abs(expected.data[i]!) + 1e-12,
      ),
    );
    expect(volume.affine[11]).toBeCloseTo(expected.z[0]!, 4);
    expect(volume.affine[10]).toBeCloseTo(expected.z[1]! - expected.z[0]!, 4);
  });
});

describe('photometric and per-series handling', () => {
  /** A little CT series written by pydicom: `options` patch the slices (JSON for Python). */
  function series(folder: string, options: Record<string, unknown>): void {
    const code = [
      'import sys, json, os, numpy as np, pydicom',
      'from pydicom.dataset import Dataset, FileMetaDataset',
      'from pydicom.uid import ExplicitVRLittleEndian, generate_uid, CTImageStorage',
      'root, opt = sys.argv[1], json.loads(sys.argv[2]); os.makedirs(root, exist_ok=True)',
      'study, frame = generate_uid(), generate_uid()',
      'for s, spec in enumerate(opt["series"]):',
      '  uid = generate_uid()',
      '  for k in range(spec["slices"]):',
      '    meta = FileMetaDataset(); meta.MediaStorageSOPClassUID = CTImageStorage',
      '    meta.MediaStorageSOPInstanceUID = generate_uid(); meta.TransferSyntaxUID = ExplicitVRLittleEndian',
      '    ds = Dataset(); ds.file_meta = meta; ds.SOPClassUID = CTImageStorage; ds.Modality = "CT"',
      '    ds.SOPInstanceUID = meta.MediaStorageSOPInstanceUID; ds.SeriesNumber = s + 1',
      '    ds.StudyInstanceUID, ds.SeriesInstanceUID, ds.FrameOfReferenceUID = study, uid, frame',
      '    ds.SeriesDescription = spec["name"]; ds.InstanceNumber = k + 1',
      '    ds.ImagePositionPatient = [0, 0, 2.0 * k]',
      '    ds.ImageOrientationPatient = spec.get("iop", [1, 0, 0, 0, 1, 0]) if k == 1 else [1, 0, 0, 0, 1, 0]',
      '    ds.PixelSpacing = [0.5, 0.5]; ds.SliceThickness = 2.0; ds.Rows, ds.Columns = 4, 3',
      '    ds.SamplesPerPixel = 1; ds.PhotometricInterpretation = spec.get("photometric", "MONOCHROME2")',
      '    ds.BitsAllocated = 16; ds.BitsStored = 12; ds.HighBit = 11; ds.PixelRepresentation = 0',
      '    ds.RescaleSlope = 1; ds.RescaleIntercept = -1024',
      '    ds.PixelData = (np.arange(12, dtype=np.uint16) * 100 + k).tobytes()',
      '    ds.is_little_endian, ds.is_implicit_VR = True, False',
      '    ds.save_as(os.path.join(root, f"s{s}_{k}.dcm"), write_like_original=False)',
    ].join('\n');
    execFileSync(PYTHON, ['-c', code, folder, JSON.stringify(options)]);
  }

  it('inverts MONOCHROME1 within the stored bit range, then rescales', async () => {
    const folder = path.join(dir, 'mono1');
    series(folder, { series: [{ name: 'cr', slices: 2, photometric: 'MONOCHROME1' }] });
    const { study, volume } = await importOne(folder);
    expect(study.warnings.join(' ')).toMatch(/MONOCHROME1 .* inverted/);
    // Stored p → (4095 − p) − 1024.
    expect(volume.data[0]).toBe(4095 - 0 - 1024);
    expect(volume.data[5]).toBe(4095 - 500 - 1024);
    expect(volume.data[12 + 5]).toBe(4095 - 501 - 1024);
  });

  it('imports the consistent series of a folder and lists the broken one with its reason', async () => {
    const folder = path.join(dir, 'mixed');
    series(folder, {
      series: [
        { name: 'axial', slices: 3 },
        { name: 'localizer', slices: 3, iop: [0, 1, 0, 0, 0, -1] },
      ],
    });
    const result = await importStudies(store, [folder]);
    expect(result.map((s) => s.id)).toEqual(['mixed_axial_1']);
    expect(result.skipped).toEqual([
      {
        source: expect.stringMatching(/series 2 "localizer"/),
        reason: expect.stringMatching(
          /ImageOrientationPatient is \[1, 0, 0, 0, 1, 0\].*but \[0, 1, 0, 0, 0, -1\]/,
        ),
      },
    ]);
  });

  it('says why a folder holds nothing importable, with the scan\u2019s own reasons', async () => {
    const folder = await folderWith('only-sr', {
      'struct.dcm': await fs.readFile(path.join(PYDICOM_DATA, 'rtstruct.dcm')),
      'notes.txt': new TextEncoder().encode('hello'),
    });
    await expect(importStudies(store, [folder])).rejects.toMatchObject({
      code: 'UNSUPPORTED',
      message: expect.stringMatching(
        /holds no DICOM image series that can be imported .*1 file: not a DICOM file; 1 file: RTSTRUCT RT Structure Set object, not an image/,
      ),
    });
  });
});
