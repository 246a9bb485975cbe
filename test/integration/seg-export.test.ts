// DICOM SEG export of a study imported from a local DICOM folder (the real `simcvd`; no PACS):
// checked with pydicom against the source series and the label; the structure's SCT code when
// the label class name maps to one; the reference rebuilt from the source folder for a study
// imported before references were kept, and the reasons a study gets no SEG or is not stored.
import { execFile, execFileSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeDemoDataset } from '../../src/core/demo';
import { ProjectStore } from '../../src/core/project';
import { simcvd } from '../helpers/cli';
import { PYTHON, tempDir } from '../helpers/fixtures';

let dir: string;
let demo: string;
let project: string;
let sourceFile: string;
let folder: string;

interface Check {
  referencedSeries: string[];
  segments: { label: string; category: string[]; type: string[]; algorithmType: string }[];
  positionsMatchSource: boolean;
  mismatchedVoxels: number;
  labelVoxels: number;
}

function check(seg: string, label: string): Check {
  const out = execFileSync(
    PYTHON,
    [
      path.resolve('test/reference/seg_check.py'),
      seg,
      sourceFile,
      label,
      JSON.stringify({ 'Left atrium': 1 }),
    ],
    { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
  );
  return JSON.parse(out) as Check;
}

beforeAll(async () => {
  dir = await tempDir('simcvd-seg-export-');
  demo = path.join(dir, 'demo');
  await writeDemoDataset(demo, { studies: 1, test: 0, seed: 5, dims: [40, 36, 20] });
  const { stdout } = await promisify(execFile)(PYTHON, [
    path.resolve('test/reference/dicom_from_nifti.py'),
    path.join(dir, 'dicom'),
    path.join(demo, 'imagesTr', 'case_001.nii.gz'),
  ]);
  const [source] = JSON.parse(stdout) as { folder: string; series: string }[];
  folder = source!.folder;
  sourceFile = path.join(dir, 'source.json');
  await fs.writeFile(sourceFile, JSON.stringify(source));
  project = path.join(dir, 'p');
  expect((await simcvd('init', project)).code).toBe(0);
  const store = await ProjectStore.open(project, { write: true, purpose: 'test' });
  await store.setLabelClasses([{ value: 1, name: 'Left atrium', color: '#e0533d' }]);
  await store.close();
  expect((await simcvd('import', project, folder)).code).toBe(0);
  const labeled = await simcvd(
    'label',
    project,
    'case_001',
    path.join(demo, 'labelsTr', 'case_001.nii.gz'),
  );
  expect(labeled.code, labeled.stderr).toBe(0);
}, 120_000);

afterAll(async () => {
  if (dir) await fs.rm(dir, { recursive: true, force: true });
});

const label = () => path.join(project, 'studies', 'case_001', 'labels', 'v0001.nii.gz');

describe('SEG export of a study from a DICOM folder', () => {
  it('writes a SEG pydicom decodes to the label, with the structure’s SCT code', async () => {
    const out = path.join(dir, 'out1');
    const exported = await simcvd('export', project, out, '--format', 'seg');
    expect(exported.code, exported.stderr).toBe(0);
    const result = check(path.join(out, 'case_001.seg.dcm'), label());
    expect(result.segments).toEqual([
      expect.objectContaining({
        label: 'Left atrium',
        algorithmType: 'MANUAL',
        category: ['123037004', 'SCT', 'Anatomical Structure'],
        type: ['82471001', 'SCT', 'Left atrium'],
      }),
    ]);
    expect(result.positionsMatchSource).toBe(true);
    expect(result.labelVoxels).toBeGreaterThan(0);
    expect(result.mismatchedVoxels).toBe(0);
  });

  it('rebuilds the reference from the source folder, and says why when it is gone', async () => {
    await fs.rm(path.join(project, 'studies', 'case_001', 'dicom.json'));
    const out = path.join(dir, 'out2');
    const rebuilt = await simcvd('export', project, out, '--format', 'seg');
    expect(rebuilt.code, rebuilt.stderr).toBe(0);
    expect(check(path.join(out, 'case_001.seg.dcm'), label()).mismatchedVoxels).toBe(0);
    await fs.rename(folder, `${folder}-moved`);
    const gone = await simcvd('export', project, path.join(dir, 'out3'), '--format', 'seg');
    expect(gone.code).toBe(1);
    expect(gone.stderr).toMatch(
      /No DICOM SEG to export: case_001 \(no DICOM SEG: it was imported before DICOM references were kept, and its source folder .* is gone; import the series again\)/,
    );
    await fs.rename(`${folder}-moved`, folder);
  });

  it('does not STOW a study from a local folder, saying how to send it', async () => {
    const result = await simcvd('export', project, '--format', 'seg', '--stow');
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /case_001 \(not stored: it was not retrieved from a DICOMweb server .*use --stow-to SERVER\)/,
    );
    const nifti = await simcvd('export', project, '--stow');
    expect(nifti.code).toBe(2);
    expect(nifti.stderr).toMatch(/--stow and --stow-to send DICOM SEG objects: add --format seg/);
  });
});
