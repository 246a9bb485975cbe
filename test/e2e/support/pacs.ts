// A PACS with demo studies for the browser tests (Node): Orthanc (test/helpers/orthanc.ts)
// holding small synthetic MR series — demo volumes written as DICOM by pydicom
// (test/reference/dicom_from_nifti.py) and loaded through Orthanc's REST API — plus the
// pydicom check of a SEG read back from it (test/reference/seg_check.py).
import { execFile, execFileSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { writeDemoDataset } from '../../../src/core/demo';
import { PYTHON } from '../../helpers/fixtures';
import { startOrthanc, type Orthanc, type SourceSeries } from '../../helpers/orthanc';

const run = promisify(execFile);

/** One series as dicom_from_nifti.py describes it, with the files the checks need. */
export interface DemoSeries extends SourceSeries {
  /** The manifest entry as a file (seg_check.py reads it). */
  manifest: string;
  /** The demo's own label of this case (NIfTI). */
  label: string;
}

export interface DemoPacs {
  orthanc: Orthanc;
  series: DemoSeries[];
}

/** Orthanc (HTTP basic with `users`) holding `count` demo MR series of `dims` voxels. */
export async function startDemoPacs(
  dir: string,
  options: { count: number; dims: [number, number, number]; users?: Record<string, string> },
): Promise<DemoPacs> {
  const demo = path.join(dir, 'demo');
  await writeDemoDataset(demo, { studies: options.count, test: 0, seed: 4, dims: options.dims });
  const cases = Array.from(
    { length: options.count },
    (_, i) => `case_${String(i + 1).padStart(3, '0')}`,
  );
  const { stdout } = await run(
    PYTHON,
    [
      path.resolve('test/reference/dicom_from_nifti.py'),
      path.join(dir, 'dicom'),
      ...cases.map((c) => path.join(demo, 'imagesTr', `${c}.nii.gz`)),
    ],
    { maxBuffer: 64 * 1024 * 1024 },
  );
  const written = JSON.parse(stdout) as Omit<DemoSeries, 'manifest' | 'label'>[];
  const orthanc = await startOrthanc({ users: options.users });
  try {
    const series: DemoSeries[] = [];
    for (const [i, s] of written.entries()) {
      const manifest = path.join(dir, `${s.name}.source.json`);
      await fs.writeFile(manifest, JSON.stringify(s));
      const files = (await fs.readdir(s.folder)).map((f) => path.join(s.folder, f));
      await orthanc.upload(files);
      series.push({ ...s, manifest, label: path.join(demo, 'labelsTr', `${cases[i]}.nii.gz`) });
    }
    return { orthanc, series };
  } catch (error) {
    await orthanc.stop();
    throw error;
  }
}

export interface SegCheck {
  modality: string;
  studyInstanceUid: string;
  referencedSeries: string[];
  segmentationType: string;
  segments: { number: number; label: string; algorithmType: string }[];
  positionsMatchSource: boolean;
  labelVoxels: number;
  mismatchedVoxels: number;
}

/** pydicom's reading of a SEG against its source series and a label (NIfTI) voxel for voxel. */
export function checkSeg(
  segFile: string,
  source: DemoSeries,
  labelFile: string,
  values: Record<string, number>,
): SegCheck {
  const out = execFileSync(
    PYTHON,
    [
      path.resolve('test/reference/seg_check.py'),
      segFile,
      source.manifest,
      labelFile,
      JSON.stringify(values),
    ],
    { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
  );
  return JSON.parse(out) as SegCheck;
}
