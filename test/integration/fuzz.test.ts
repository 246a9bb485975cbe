// Seeded fuzzing of the NIfTI and DICOM readers through the real import (Node, in process):
// hundreds of mutated files, each either refused with a specific message that names the file
// (never an internal error) or imported with finite, non-degenerate geometry — and after each
// one the project still lists every study with no unreadable record. Bounded in time.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProject, importStudies, ProjectStore } from '../../src/core/project';
import { createRng, type Rng } from '../../src/core/random';
import { toErrorPayload } from '../../src/core/errors';
import { geometryProblem } from '../../src/core/volume/geometryCheck';
import { encodeNifti } from '../../src/core/volume/nifti';
import { makeAffine, makeImageAndMask, runPythonJson, tempDir } from '../helpers/fixtures';

const NIFTI_MUTANTS = 300;
const DICOM_MUTANTS = 120;
const TIME_LIMIT_MS = 90_000;

let dir: string;
let store: ProjectStore;

beforeAll(async () => {
  dir = await tempDir('simcvd-fuzz-');
  await createProject(path.join(dir, 'project'));
  store = await ProjectStore.open(path.join(dir, 'project'), { write: true, purpose: 'fuzz' });
});

afterAll(async () => {
  await store?.close();
  if (dir) await fs.rm(dir, { recursive: true, force: true });
});

/** Values that break parsers: specials, extremes, sign flips, and plain random bytes. */
function mutate(bytes: Uint8Array, rng: Rng, headerBytes: number): Uint8Array {
  const out = bytes.slice();
  const view = new DataView(out.buffer);
  const edits = 1 + rng.int(4);
  for (let e = 0; e < edits; e++) {
    const kind = rng.int(4);
    if (kind === 0) {
      const at = rng.int(headerBytes) & ~3;
      const specials = [NaN, Infinity, -Infinity, 0, -1, 1e30, 1e-30, 2.95e20];
      view.setFloat32(at, specials[rng.int(specials.length)]!, true);
    } else if (kind === 1) {
      const at = rng.int(headerBytes) & ~1;
      const ints = [0, -1, 1, 32767, -32768, 7, 255];
      view.setInt16(at, ints[rng.int(ints.length)]!, true);
    } else if (kind === 2) {
      out[rng.int(headerBytes)] = rng.int(256);
    } else {
      return out.subarray(0, rng.int(out.length)); // truncated
    }
  }
  return out;
}

interface Outcome {
  imported: number;
  refused: Map<string, number>;
}

/** Imports `source`; checks the outcome and that the project stays wholly readable. */
async function tryImport(source: string, name: string, outcome: Outcome): Promise<void> {
  try {
    const result = await importStudies(store, [source]);
    for (const study of result) {
      const record = await store.getStudy(study.id);
      expect(geometryProblem(record), `${name} imported with bad geometry`).toBeUndefined();
      expect(record.spacingMm.every((s) => s > 0 && s <= 1e4)).toBe(true);
    }
    outcome.imported++;
  } catch (error) {
    const { code, message } = toErrorPayload(error);
    expect(code, `${name}: ${message}`).not.toBe('INTERNAL');
    expect(message, `${name}: the message must name the input`).toContain(name);
    const kind = message.replace(/^.*?: /, '').slice(0, 40);
    outcome.refused.set(kind, (outcome.refused.get(kind) ?? 0) + 1);
  }
  const { problems } = await store.scanStudies();
  expect(problems, `after ${name}`).toEqual([]);
}

describe('fuzzed inputs never brick a project', () => {
  it(`${NIFTI_MUTANTS} NIfTI mutants: refused specifically or imported with sane geometry`, async () => {
    const rng = createRng(20261201);
    const { image } = makeImageAndMask([6, 5, 4], makeAffine([0.9, 0.9, 2], [-3, 4, 10], 10));
    const base = encodeNifti(image);
    const outcome: Outcome = { imported: 0, refused: new Map() };
    const started = Date.now();
    for (let n = 0; n < NIFTI_MUTANTS && Date.now() - started < TIME_LIMIT_MS; n++) {
      const name = `n${String(n).padStart(3, '0')}`;
      const file = path.join(dir, `${name}.nii`);
      await fs.writeFile(file, mutate(base, rng, 352));
      await tryImport(file, name, outcome);
    }
    expect(outcome.imported + [...outcome.refused.values()].reduce((a, b) => a + b, 0)).toBe(
      NIFTI_MUTANTS,
    );
    // Both branches are exercised: the mutations are not all fatal, nor all harmless.
    expect(outcome.imported).toBeGreaterThan(20);
    expect(outcome.refused.size).toBeGreaterThan(3);
  }, 180_000);

  it(`${DICOM_MUTANTS} DICOM series mutants (one slice damaged each)`, async () => {
    const seed = path.join(dir, 'dicom-seed');
    runPythonJson(
      [
        'import sys, os, numpy as np, pydicom',
        'from pydicom.dataset import Dataset, FileMetaDataset',
        'from pydicom.uid import ExplicitVRLittleEndian, generate_uid, CTImageStorage',
        'root = sys.argv[1]; os.makedirs(root, exist_ok=True)',
        'study, series, frame = generate_uid(), generate_uid(), generate_uid()',
        'for k in range(3):',
        '    meta = FileMetaDataset(); meta.MediaStorageSOPClassUID = CTImageStorage',
        '    meta.MediaStorageSOPInstanceUID = generate_uid(); meta.TransferSyntaxUID = ExplicitVRLittleEndian',
        '    ds = Dataset(); ds.file_meta = meta; ds.SOPClassUID = CTImageStorage',
        '    ds.SOPInstanceUID = meta.MediaStorageSOPInstanceUID; ds.Modality = "CT"',
        '    ds.StudyInstanceUID, ds.SeriesInstanceUID, ds.FrameOfReferenceUID = study, series, frame',
        '    ds.InstanceNumber = k + 1; ds.ImagePositionPatient = [0, 0, 2.5 * k]',
        '    ds.ImageOrientationPatient = [1, 0, 0, 0, 1, 0]; ds.PixelSpacing = [0.7, 0.7]',
        '    ds.SliceThickness = 2.5; ds.Rows, ds.Columns = 6, 5; ds.SamplesPerPixel = 1',
        '    ds.PhotometricInterpretation = "MONOCHROME2"; ds.BitsAllocated = 16; ds.BitsStored = 12',
        '    ds.HighBit = 11; ds.PixelRepresentation = 0; ds.RescaleSlope = 1; ds.RescaleIntercept = -1024',
        '    ds.PixelData = (np.arange(30, dtype=np.uint16) * (k + 1)).tobytes()',
        '    ds.is_little_endian, ds.is_implicit_VR = True, False; ds.save_as(os.path.join(root, f"s{k}.dcm"), write_like_original=False)',
        'print("{}")',
      ].join('\n'),
      [seed],
    );
    const files = (await fs.readdir(seed)).sort();
    const slices = await Promise.all(files.map((f) => fs.readFile(path.join(seed, f))));
    const rng = createRng(7);
    const outcome: Outcome = { imported: 0, refused: new Map() };
    const started = Date.now();
    for (let n = 0; n < DICOM_MUTANTS && Date.now() - started < TIME_LIMIT_MS; n++) {
      const name = `d${String(n).padStart(3, '0')}`;
      const folder = path.join(dir, name);
      await fs.mkdir(folder);
      const victim = rng.int(slices.length);
      for (const [index, bytes] of slices.entries()) {
        const data =
          index === victim ? mutate(new Uint8Array(bytes), rng, bytes.length - 60) : bytes;
        await fs.writeFile(path.join(folder, files[index]!), data);
      }
      await tryImport(folder, name, outcome);
    }
    expect(outcome.imported + [...outcome.refused.values()].reduce((a, b) => a + b, 0)).toBe(
      DICOM_MUTANTS,
    );
    expect(outcome.imported).toBeGreaterThan(10);
    expect(outcome.refused.size).toBeGreaterThan(2);
  }, 180_000);
});
