// The PACS loop against a real Orthanc (Debian's orthanc + orthanc-dicomweb on loopback, with
// HTTP basic auth): demo studies written as DICOM MR series (pydicom) and loaded into it; a
// source registered with its password from stdin; QIDO-RS search; retrieve into studies; a
// human label, tiny training and an accepted proposal; the SEGs stored back with STOW-RS as the
// API's job — then read from Orthanc's own REST API and checked with pydicom (SOP class,
// segments, references, frames, positions, masks voxel for voxel), dcmdump and dciodvfy; and
// the SEGs attached back as label versions, the wrong study refused.
import { execFile, execFileSync, spawn } from 'node:child_process';
import { existsSync, promises as fs } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Workspace } from '../../src/backend/workspace';
import { writeDemoDataset } from '../../src/core/demo';
import { readVolumeFile } from '../../src/core/volume/nifti';
import type { ApiMethod, ApiParams, ApiResult } from '../../src/shared/contract/api';
import type { ApiEventName } from '../../src/shared/contract/events';
import type { PacsJobState } from '../../src/shared/contract/pacs';
import type { StudySummary } from '../../src/shared/contract/project';
import { simcvd } from '../helpers/cli';
import { PYTHON, runPythonJson, tempDir } from '../helpers/fixtures';
import { orthancMissing, startOrthanc, type Orthanc, type SourceSeries } from '../helpers/orthanc';

const missing = orthancMissing();
if (missing) console.warn(`skipping the Orthanc PACS tests: ${missing}`);

const PASSWORD = 'orthanc-pw-7f3a';
const BIN = path.resolve('bin/simcvd.js');
const run = promisify(execFile);
const tiny = ['--profile', 'tiny', '--backend', 'cpu', '--seed', '1', '--iterations', '2'];

interface SegCheck {
  sopClassUid: string;
  modality: string;
  studyInstanceUid: string;
  sopInstanceUid: string;
  frameOfReferenceUid: string;
  referencedSeries: string[];
  referencedInstances: number;
  patientName: string;
  specificCharacterSet: string;
  segmentationType: string;
  numberOfFrames: number;
  segments: {
    number: number;
    label: string;
    algorithmType: string;
    algorithmName: string | null;
    category: string[];
    type: string[];
    cielab: number[];
  }[];
  frames: { segment: number; slice: number | null }[];
  positionsMatchSource: boolean;
  labelVoxels: number;
  mismatchedVoxels: number;
}

let dir: string;
let orthanc: Orthanc;
let project: string;
let demo: string;
let sources: SourceSeries[];
let studies: StudySummary[];
const segFiles = new Map<string, string>();

async function info(): Promise<StudySummary[]> {
  const result = await simcvd('info', project, '--json');
  expect(result.code, result.stderr).toBe(0);
  return (JSON.parse(result.stdout) as { studies: StudySummary[] }).studies;
}

const studyOf = (source: SourceSeries) =>
  studies.find((s) => s.seriesInstanceUid === source.series)!;

const currentLabelFile = async (studyId: string) => {
  const record = JSON.parse(
    await fs.readFile(path.join(project, 'studies', studyId, 'study.json'), 'utf8'),
  ) as { currentLabel: string };
  return path.join(project, 'studies', studyId, 'labels', `${record.currentLabel}.nii.gz`);
};

/** `simcvd args…` with stdin text and extra environment; never rejects. */
function simcvdWith(args: string[], options: { input?: string; env?: Record<string, string> }) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      env: { ...process.env, ...options.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr += c));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(options.input ?? '');
  });
}

function checkSeg(file: string, source: SourceSeries, label: string): SegCheck {
  const out = execFileSync(
    PYTHON,
    [
      path.resolve('test/reference/seg_check.py'),
      file,
      path.join(dir, `${source.name}.source.json`),
      label,
      JSON.stringify({ target: 1 }),
    ],
    { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
  );
  return JSON.parse(out) as SegCheck;
}

describe.skipIf(!!missing)('the PACS loop against Orthanc', () => {
  beforeAll(async () => {
    dir = await tempDir('simcvd-pacs-');
    process.env.SIMCVD_CONFIG_DIR = path.join(dir, 'config');
    orthanc = await startOrthanc({ users: { alice: PASSWORD } });
    demo = path.join(dir, 'demo');
    await writeDemoDataset(demo, { studies: 3, test: 0, seed: 4, dims: [64, 64, 40] });
    const images = ['case_001', 'case_002', 'case_003'].map((c) =>
      path.join(demo, 'imagesTr', `${c}.nii.gz`),
    );
    const { stdout } = await run(
      PYTHON,
      [path.resolve('test/reference/dicom_from_nifti.py'), path.join(dir, 'dicom'), ...images],
      { maxBuffer: 64 * 1024 * 1024 },
    );
    sources = JSON.parse(stdout) as SourceSeries[];
    for (const source of sources) {
      await fs.writeFile(path.join(dir, `${source.name}.source.json`), JSON.stringify(source));
      const files = (await fs.readdir(source.folder)).map((f) => path.join(source.folder, f));
      await orthanc.upload(files);
    }
    project = path.join(dir, 'p');
    expect((await simcvd('init', project)).code).toBe(0);
  }, 240_000);

  afterAll(async () => {
    delete process.env.SIMCVD_CONFIG_DIR;
    await orthanc?.stop();
    if (dir) await fs.rm(dir, { recursive: true, force: true });
  });

  it('registers the source with its password read from stdin, kept in a 0600 file', async () => {
    const added = await simcvdWith(
      [
        'pacs',
        'add',
        'orthanc',
        orthanc.dicomweb,
        '--name',
        'Test PACS',
        '--auth',
        'basic',
        '--user',
        'alice',
        '--password-stdin',
      ],
      { input: `${PASSWORD}\n` },
    );
    expect(added.code, added.stderr).toBe(0);
    const file = path.join(process.env.SIMCVD_CONFIG_DIR!, 'dicomweb-sources.json');
    expect((await fs.stat(file)).mode & 0o777).toBe(0o600);
    const listed = await simcvd('pacs', 'sources', '--json');
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.stdout).not.toContain(PASSWORD);
    const { sources: summaries } = JSON.parse(listed.stdout) as {
      sources: { id: string; secret: string; auth: { username: string } }[];
    };
    expect(summaries).toEqual([
      expect.objectContaining({
        id: 'orthanc',
        secret: 'stored',
        auth: { kind: 'basic', username: 'alice' },
      }),
    ]);
  });

  it('searches studies and series (QIDO-RS) by modality, patient and date', async () => {
    const all = await simcvd('pacs', 'search', 'orthanc', '--modality', 'MR', '--json');
    expect(all.code, all.stderr).toBe(0);
    const found = JSON.parse(all.stdout) as {
      studies: { patientName: string; studyInstanceUid: string }[];
    };
    expect(found.studies.map((s) => s.patientName).sort()).toEqual(
      sources.map((s) => s.patientName).sort(),
    );
    const one = JSON.parse(
      (await simcvd('pacs', 'search', 'orthanc', '--patient', 'patient3', '--json')).stdout,
    ) as { studies: { studyInstanceUid: string }[] };
    expect(one.studies.map((s) => s.studyInstanceUid)).toEqual([sources[2]!.study]);
    const day = JSON.parse(
      (
        await simcvd(
          'pacs',
          'search',
          'orthanc',
          '--from',
          '2024-01-02',
          '--to',
          '2024-01-02',
          '--json',
        )
      ).stdout,
    ) as { studies: { studyInstanceUid: string }[] };
    expect(day.studies.map((s) => s.studyInstanceUid)).toEqual([sources[1]!.study]);
    const series = await simcvd(
      'pacs',
      'search',
      'orthanc',
      '--series',
      '--study',
      sources[0]!.study,
      '--json',
    );
    expect(JSON.parse(series.stdout).series).toEqual([
      expect.objectContaining({
        seriesInstanceUid: sources[0]!.series,
        modality: 'MR',
        instanceCount: 40,
      }),
    ]);
  });

  it('refuses wrong credentials naming the server, never the password', async () => {
    const wrong = 'not-the-pw-9c1e';
    const result = await simcvdWith(
      ['pacs', 'search', orthanc.dicomweb, '--config-dir', path.join(dir, 'none')],
      {
        env: { SIMCVD_DICOMWEB_USER: 'alice', SIMCVD_DICOMWEB_PASSWORD: wrong },
      },
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`${orthanc.dicomweb} refused HTTP basic as "alice" (HTTP 401`);
    expect(result.stderr).not.toContain(wrong);
    expect(result.stderr).not.toContain(Buffer.from(`alice:${wrong}`).toString('base64'));
  });

  it('retrieves the series into studies on their own grid, recording where they came from', async () => {
    const retrieved = await simcvd(
      'import',
      project,
      '--dicomweb',
      'orthanc',
      '--series',
      ...sources.map((s) => s.series),
    );
    expect(retrieved.code, retrieved.stderr).toBe(0);
    expect(retrieved.stdout).toMatch(/retrieved 120 instances from Test PACS/);
    expect(retrieved.stderr).toMatch(/retrieve \[#+\] 100% 120\/120/);
    studies = await info();
    expect(studies).toHaveLength(3);
    for (const source of sources) {
      const study = studyOf(source);
      expect(study.dims).toEqual([64, 64, 40]);
      expect(study.studyInstanceUid).toBe(source.study);
      expect(study.dicomweb).toEqual({ sourceId: 'orthanc', baseUrl: orthanc.dicomweb });
      const reference = JSON.parse(
        await fs.readFile(path.join(project, 'studies', study.id, 'dicom.json'), 'utf8'),
      ) as { slices: { sopInstanceUid: string }[]; attributes: { PatientName: string } };
      expect(reference.slices.map((s) => s.sopInstanceUid)).toEqual(
        source.slices.map((s) => s.sop),
      );
      expect(reference.attributes.PatientName).toBe(source.patientName);
    }
    expect(existsSync(path.join(project, '.retrieve'))).toBe(false);
    // The NIfTI label of the same case fits the retrieved study's grid exactly.
    const labeled = await simcvd(
      'label',
      project,
      studyOf(sources[0]!).id,
      path.join(demo, 'labelsTr', 'case_001.nii.gz'),
    );
    expect(labeled.code, labeled.stderr).toBe(0);
  }, 120_000);

  it('refuses to retrieve a series the project already holds', async () => {
    const again = await simcvd(
      'import',
      project,
      '--dicomweb',
      'orthanc',
      '--series',
      sources[0]!.series,
    );
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/is already study "SIMCVD001_LGE_3D".*nothing was retrieved/);
  });

  it('trains tiny, accepts a proposal, and stores both labels as SEGs with STOW-RS (API job)', async () => {
    const trained = await simcvd('train', project, ...tiny);
    expect(trained.code, trained.stderr).toBe(0);
    const events: { event: ApiEventName; payload: unknown }[] = [];
    const workspace = new Workspace({
      shell: 'server',
      configDir: process.env.SIMCVD_CONFIG_DIR,
      defaultDemoPath: path.join(dir, 'unused-demo'),
      emit: (event, payload) => events.push({ event, payload }),
    });
    const call = async <M extends ApiMethod>(method: M, params: ApiParams<M>) => {
      const response = await workspace.call(method, params);
      if (!response.ok) throw Object.assign(new Error(response.error.message), response.error);
      return response.result as ApiResult<M>;
    };
    try {
      await workspace.openProject(project);
      // Two iterations propose little: the reviewer paints the structure in, then accepts.
      const edited = await readVolumeFile(path.join(demo, 'labelsTr', 'case_002.nii.gz'));
      await call('proposals.accept', {
        studyId: studyOf(sources[1]!).id,
        modelId: 'm0001',
        data: Uint8Array.from(edited.data).buffer,
      });
      const targets = await call('pacs.segTargets', {});
      expect(targets.studies.every((t) => t.possible)).toBe(true);
      const { job } = await call('pacs.exportSeg', { stow: true });
      expect(job.kind).toBe('exportSeg');
      let state: PacsJobState | null = job;
      for (
        let tries = 0;
        tries < 600 && !['finished', 'failed', 'cancelled'].includes(state!.phase);
        tries++
      ) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        state = (await call('pacs.status', {})).job;
      }
      expect(state!.error).toBeUndefined();
      expect(state!.phase).toBe('finished');
      expect(state!.export!.exported.map((e) => e.studyId).sort()).toEqual(
        [studyOf(sources[0]!).id, studyOf(sources[1]!).id].sort(),
      );
      expect(
        state!.export!.exported.every((e) => e.server === `Test PACS (${orthanc.dicomweb})`),
      ).toBe(true);
      const progressed = events
        .filter((e) => e.event === 'pacsJobChanged')
        .map((e) => e.payload as PacsJobState);
      expect(progressed.some((p) => p.progress?.done === 2 && p.progress.total === 2)).toBe(true);
    } finally {
      await workspace.dispose();
    }
    const stored = await orthanc.find({ Modality: 'SEG' });
    expect(stored).toHaveLength(2);
    for (const id of stored) {
      const file = path.join(dir, `stored-${id}.dcm`);
      await fs.writeFile(file, await orthanc.file(id));
      const uid = runPythonJson<{ study: string }>(
        'import json, sys, pydicom; d = pydicom.dcmread(sys.argv[1]); print(json.dumps({"study": str(d.StudyInstanceUID)}))',
        [file],
      ).study;
      segFiles.set(uid, file);
    }
  }, 300_000);

  it('the stored SEGs decode (pydicom) to the labels voxel for voxel, at the source slices', async () => {
    for (const [index, source] of sources.slice(0, 2).entries()) {
      const file = segFiles.get(source.study)!;
      const check = checkSeg(file, source, await currentLabelFile(studyOf(source).id));
      expect(check.sopClassUid).toBe('1.2.840.10008.5.1.4.1.1.66.4');
      expect(check.modality).toBe('SEG');
      expect(check.studyInstanceUid).toBe(source.study);
      expect(check.referencedSeries).toEqual([source.series]);
      expect(check.referencedInstances).toBe(40);
      expect(check.frameOfReferenceUid).toBe(source.frameOfReference);
      expect(check.patientName).toBe(source.patientName);
      expect(check.specificCharacterSet).toBe('ISO_IR 192');
      expect(check.segmentationType).toBe('BINARY');
      expect(check.segments).toHaveLength(1);
      const segment = check.segments[0]!;
      expect(segment.label).toBe('target');
      expect(segment.category).toEqual(['85756007', 'SCT', 'Tissue']);
      expect(segment.type).toEqual(['85756007', 'SCT', 'Tissue']);
      expect(segment.cielab).toHaveLength(3);
      expect([segment.algorithmType, segment.algorithmName]).toEqual(
        index === 0 ? ['MANUAL', null] : ['SEMIAUTOMATIC', 'm0001'],
      );
      expect(check.numberOfFrames).toBe(check.frames.length);
      expect(check.frames.every((f) => f.segment === 1 && f.slice !== null)).toBe(true);
      expect(check.positionsMatchSource).toBe(true);
      expect(check.labelVoxels).toBeGreaterThan(0);
      expect(check.mismatchedVoxels).toBe(0);
    }
  });

  it('dcmdump reads the SEG and dciodvfy finds no error in it', async () => {
    const file = segFiles.get(sources[0]!.study)!;
    const dump = execFileSync('dcmdump', [file], { encoding: 'utf8' });
    expect(dump).toContain('=SegmentationStorage');
    expect(dump).toContain('ReferencedSegmentNumber');
    expect(dump).toContain('PerFrameFunctionalGroupsSequence');
    if (existsSync('/usr/bin/dciodvfy')) {
      const verify = await run('dciodvfy', [file]).catch(
        (e: { stdout: string; stderr: string }) => e,
      );
      const text = `${verify.stdout}${verify.stderr}`;
      expect(text).toContain('Segmentation');
      expect(text.split('\n').filter((l) => /^Error/.test(l))).toEqual([]);
    }
  });

  it('export --format seg writes the same instances to a folder and skips a study from NIfTI', async () => {
    const nifti = path.join(demo, 'imagesTr', 'case_003.nii.gz');
    expect((await simcvd('import', project, nifti)).code).toBe(0);
    expect(
      (await simcvd('label', project, 'case_003', path.join(demo, 'labelsTr', 'case_003.nii.gz')))
        .code,
    ).toBe(0);
    const out = path.join(dir, 'seg-out');
    const exported = await simcvd('export', project, out, '--format', 'seg');
    expect(exported.code, exported.stderr).toBe(0);
    expect(exported.stdout).toMatch(/skipped case_003: no DICOM SEG: it was imported from NIfTI/);
    expect(exported.stdout).toMatch(/exported 2 DICOM SEGs/);
    const uid = (file: string) =>
      runPythonJson<{ uid: string }>(
        'import json, sys, pydicom; print(json.dumps({"uid": str(pydicom.dcmread(sys.argv[1]).SOPInstanceUID)}))',
        [file],
      ).uid;
    const first = studyOf(sources[0]!).id;
    expect(uid(path.join(out, `${first}.seg.dcm`))).toBe(uid(segFiles.get(sources[0]!.study)!));
    // Stored again: the same instances, so the PACS keeps one of each.
    const again = await simcvd('export', project, '--format', 'seg', '--stow');
    expect(again.code, again.stderr).toBe(0);
    expect(await orthanc.find({ Modality: 'SEG' })).toHaveLength(2);
  }, 120_000);

  it('attaches the SEGs from the PACS back as label versions, and refuses the wrong study', async () => {
    const [first, second] = [studyOf(sources[0]!).id, studyOf(sources[1]!).id];
    const before = await currentLabelFile(first);
    const labeled = await simcvd('label', project, first, segFiles.get(sources[0]!.study)!);
    expect(labeled.code, labeled.stderr).toBe(0);
    expect(labeled.stdout).toMatch(/saved label version v0002 from DICOM SEG \(target → 1\)/);
    const secondBefore = await currentLabelFile(second);
    const imported = await simcvd('import', project, segFiles.get(sources[1]!.study)!);
    expect(imported.code, imported.stderr).toBe(0);
    expect(imported.stdout).toContain(`study ${second}: saved label version`);
    const same = runPythonJson<boolean[]>(
      `
import json, sys
import nibabel as nib, numpy as np
a, b, c, d = (np.asarray(nib.load(f).dataobj) for f in sys.argv[1:5])
print(json.dumps([bool((a == b).all()), bool((c == d).all()), int(a.sum())]))
`,
      [before, await currentLabelFile(first), secondBefore, await currentLabelFile(second)],
    );
    expect(same.slice(0, 2)).toEqual([true, true]);
    const wrong = await simcvd('label', project, second, segFiles.get(sources[0]!.study)!);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toMatch(
      new RegExp(`was drawn on series ${sources[0]!.series.replace(/\./g, '\\.')}`),
    );
  }, 120_000);

  it("attaches another tool's SEG (FRACTIONAL, own codes, overlapping segments) adding its classes", async () => {
    const source = sources[2]!;
    const study = studyOf(source).id;
    const seg = path.join(dir, 'foreign.seg.dcm');
    const expected = path.join(dir, 'foreign-expected.nii.gz');
    execFileSync(PYTHON, [
      path.resolve('test/reference/seg_foreign.py'),
      path.join(dir, `${source.name}.source.json`),
      path.join(demo, 'imagesTr', 'case_003.nii.gz'),
      seg,
      expected,
    ]);
    const imported = await simcvd('import', project, seg);
    expect(imported.code, imported.stderr).toBe(0);
    expect(imported.stdout).toContain(
      `study ${study}: saved label version v0001 from DICOM SEG (Left atrium → 2, Scar → 3)`,
    );
    expect(imported.stderr).toMatch(
      /label classes added for segments no class matched: 2=Left atrium, 3=Scar/,
    );
    expect(imported.stderr).toMatch(
      /voxels lie in more than one segment; the higher-numbered segment was kept/,
    );
    const manifest = JSON.parse(await fs.readFile(path.join(project, 'project.json'), 'utf8')) as {
      labels: { value: number; name: string }[];
    };
    expect(manifest.labels.map((l) => `${l.value}=${l.name}`)).toEqual([
      '1=target',
      '2=Left atrium',
      '3=Scar',
    ]);
    const same = runPythonJson<{ equal: boolean; voxels: number }>(
      `
import json, sys
import nibabel as nib, numpy as np
ours = np.asarray(nib.load(sys.argv[1]).dataobj)
expected = np.asarray(nib.load(sys.argv[2]).dataobj)
mapped = np.where(expected == 1, 2, np.where(expected == 2, 3, 0))
print(json.dumps({"equal": bool((ours == mapped).all()), "voxels": int((ours > 0).sum())}))
`,
      [await currentLabelFile(study), expected],
    );
    expect(same).toEqual({ equal: true, voxels: expect.any(Number) });
    expect(same.voxels).toBeGreaterThan(0);
  }, 60_000);

  it('a new project retrieving a series and its SEG series gets the label with it', async () => {
    const source = sources[0]!;
    const fresh = path.join(dir, 'fresh');
    expect((await simcvd('init', fresh)).code).toBe(0);
    const listed = await simcvd(
      'pacs',
      'search',
      'orthanc',
      '--series',
      '--study',
      source.study,
      '--json',
    );
    const all = JSON.parse(listed.stdout).series as {
      seriesInstanceUid: string;
      modality: string;
    }[];
    const seg = all.find((s) => s.modality === 'SEG')!;
    expect(seg).toBeDefined();
    const retrieved = await simcvd(
      'import',
      fresh,
      '--dicomweb',
      'orthanc',
      '--study',
      source.study,
      '--series',
      source.series,
      seg.seriesInstanceUid,
    );
    expect(retrieved.code, retrieved.stderr).toBe(0);
    expect(retrieved.stdout).toMatch(
      /study SIMCVD001_LGE_3D: DICOM SEG 2\.25\.\d+ saved as label version v0001/,
    );
    const same = runPythonJson<boolean>(
      'import json, sys, nibabel as nib, numpy as np; a, b = (np.asarray(nib.load(f).dataobj) for f in sys.argv[1:3]); print(json.dumps(bool((a == b).all())))',
      [
        path.join(fresh, 'studies', 'SIMCVD001_LGE_3D', 'labels', 'v0001.nii.gz'),
        path.join(project, 'studies', 'SIMCVD001_LGE_3D', 'labels', 'v0001.nii.gz'),
      ],
    );
    expect(same).toBe(true);
  }, 120_000);
});
