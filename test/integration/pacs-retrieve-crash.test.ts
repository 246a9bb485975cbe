// Retrieves from a real Orthanc interrupted in every way (the real `simcvd` command, separate
// processes): killed half-way through the downloads, killed with everything staged but not
// committed, killed just after the commit, and cancelled with Ctrl-C. None leaves a half study;
// the same retrieve again resumes — verifying what it finds and fetching a damaged file again.
import { execFile } from 'node:child_process';
import { existsSync, promises as fs } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Workspace } from '../../src/backend/workspace';
import { writeDemoDataset } from '../../src/core/demo';
import type { ApiMethod, ApiParams, ApiResult } from '../../src/shared/contract/api';
import type { ApiEventName } from '../../src/shared/contract/events';
import type { PacsJobState } from '../../src/shared/contract/pacs';
import { simcvd, startSimcvd } from '../helpers/cli';
import { PYTHON, tempDir } from '../helpers/fixtures';
import { orthancMissing, startOrthanc, type Orthanc } from '../helpers/orthanc';

const missing = orthancMissing();
const SLICES = 24;

let dir: string;
let orthanc: Orthanc;
let series: string;

async function newProject(name: string): Promise<string> {
  const project = path.join(dir, name);
  expect((await simcvd('init', project)).code).toBe(0);
  return project;
}

async function studies(project: string): Promise<{ ids: string[]; problems: unknown[] }> {
  const info = await simcvd('info', project, '--json');
  expect(info.code, info.stderr).toBe(0);
  const json = JSON.parse(info.stdout) as { studies: { id: string }[]; problems: unknown[] };
  return { ids: json.studies.map((s) => s.id), problems: json.problems };
}

async function downloads(project: string): Promise<string[]> {
  const root = path.join(project, '.retrieve');
  const keys = await fs.readdir(root).catch(() => [] as string[]);
  const files: string[] = [];
  for (const key of keys)
    for (const f of await fs.readdir(path.join(root, key)))
      if (f.endsWith('.dcm')) files.push(path.join(root, key, f));
  return files;
}

const retrieve = (project: string) => [
  'import',
  project,
  '--dicomweb',
  orthanc.dicomweb,
  '--series',
  series,
  '--parallel',
  '1',
];

describe.skipIf(!!missing)('a retrieve interrupted', () => {
  beforeAll(async () => {
    dir = await tempDir('simcvd-pacs-crash-');
    orthanc = await startOrthanc();
    const demo = path.join(dir, 'demo');
    await writeDemoDataset(demo, { studies: 1, test: 0, seed: 2, dims: [32, 32, SLICES] });
    const { stdout } = await promisify(execFile)(PYTHON, [
      path.resolve('test/reference/dicom_from_nifti.py'),
      path.join(dir, 'dicom'),
      path.join(demo, 'imagesTr', 'case_001.nii.gz'),
    ]);
    const [source] = JSON.parse(stdout) as { folder: string; series: string }[];
    series = source!.series;
    await orthanc.upload(
      (await fs.readdir(source!.folder)).map((f) => path.join(source!.folder, f)),
    );
  }, 120_000);

  afterAll(async () => {
    await orthanc?.stop();
    if (dir) await fs.rm(dir, { recursive: true, force: true });
  });

  it('killed half-way leaves no study; the same retrieve resumes, fetching a damaged file again', async () => {
    const project = await newProject('half');
    const run = startSimcvd(retrieve(project), {
      SIMCVD_TEST_PAUSE: `retrieve-saved-${SLICES / 2}`,
    });
    await run.paused(`retrieve-saved-${SLICES / 2}`);
    run.child.kill('SIGKILL');
    await run.exited;
    expect(await studies(project)).toEqual({ ids: [], problems: [] });
    const partial = await simcvd('pacs', 'partial', project, '--json');
    expect(JSON.parse(partial.stdout).partial).toEqual([
      expect.objectContaining({ seriesInstanceUid: series, downloaded: SLICES / 2, total: SLICES }),
    ]);
    const kept = await downloads(project);
    await fs.writeFile(kept[0]!, 'not DICOM any more');

    const resumed = await simcvd(...retrieve(project));
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stderr).toContain(
      `resuming: ${SLICES / 2 - 1} of ${SLICES} instances were already downloaded`,
    );
    expect(resumed.stdout).toContain(`(${SLICES / 2 - 1} from an earlier, interrupted retrieve)`);
    const after = await studies(project);
    expect(after.ids).toHaveLength(1);
    expect(after.problems).toEqual([]);
    const record = JSON.parse(
      await fs.readFile(path.join(project, 'studies', after.ids[0]!, 'study.json'), 'utf8'),
    ) as { dims: number[] };
    expect(record.dims).toEqual([32, 32, SLICES]);
    expect(existsSync(path.join(project, '.retrieve'))).toBe(false);
  }, 120_000);

  it('killed with the study staged but not committed: no study; then resumed without downloading', async () => {
    const project = await newProject('staged');
    const run = startSimcvd(retrieve(project), { SIMCVD_TEST_PAUSE: 'import-staged' });
    await run.paused('import-staged');
    run.child.kill('SIGKILL');
    await run.exited;
    expect(await studies(project)).toEqual({ ids: [], problems: [] });
    expect(await downloads(project)).toHaveLength(SLICES);
    const resumed = await simcvd(...retrieve(project));
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stderr).toContain(`resuming: ${SLICES} of ${SLICES} instances`);
    expect((await studies(project)).ids).toHaveLength(1);
  }, 120_000);

  it('killed just after the commit: the study is complete, and the leftovers go on the next retrieve', async () => {
    const project = await newProject('committed');
    const run = startSimcvd(retrieve(project), { SIMCVD_TEST_PAUSE: 'import-committed' });
    await run.paused('import-committed');
    run.child.kill('SIGKILL');
    await run.exited;
    // Opening the project rolls the committed import forward.
    expect((await studies(project)).ids).toHaveLength(1);
    const again = await simcvd(...retrieve(project));
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/is already study .*nothing was retrieved/);
    expect(JSON.parse((await simcvd('pacs', 'partial', project, '--json')).stdout).partial).toEqual(
      [],
    );
  }, 120_000);

  it('Ctrl-C cancels, keeping what was downloaded for the next run', async () => {
    const project = await newProject('cancelled');
    const run = startSimcvd(retrieve(project), { SIMCVD_TEST_DELAY: 'retrieve-saved-5:3000' });
    for (let tries = 0; tries < 300 && (await downloads(project)).length < 5; tries++)
      await new Promise((resolve) => setTimeout(resolve, 50));
    run.child.kill('SIGINT');
    const ended = await run.exited;
    expect(ended.code).toBe(1);
    expect(ended.stderr).toMatch(
      /Retrieve cancelled after 5 of 24 instances; they are kept in .* resumes from there/,
    );
    expect(await studies(project)).toEqual({ ids: [], problems: [] });
    const resumed = await simcvd(...retrieve(project));
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stderr).toContain(`resuming: 5 of ${SLICES} instances`);
  }, 120_000);

  it("as the API's job: per-instance progress, cancel keeps the downloads, the next job resumes", async () => {
    const project = await newProject('api');
    const events: { event: ApiEventName; payload: unknown }[] = [];
    const workspace = new Workspace({
      shell: 'server',
      defaultDemoPath: path.join(dir, 'unused'),
      emit: (event, payload) => events.push({ event, payload }),
    });
    const call = async <M extends ApiMethod>(method: M, params: ApiParams<M>) => {
      const response = await workspace.call(method, params);
      if (!response.ok) throw Object.assign(new Error(response.error.message), response.error);
      return response.result as ApiResult<M>;
    };
    const until = async (done: (job: PacsJobState) => boolean) => {
      for (let tries = 0; tries < 600; tries++) {
        const job = (await call('pacs.status', {})).job!;
        if (done(job)) return job;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      throw new Error('the PACS job did not get there');
    };
    process.env.SIMCVD_TEST_DELAY = 'retrieve-saved-3:1500';
    try {
      await workspace.openProject(project);
      const request = {
        server: orthanc.dicomweb,
        series: [{ seriesInstanceUid: series }],
        parallel: 1,
      };
      await call('pacs.retrieve', request);
      await until((job) => (job.progress?.done ?? 0) >= 3);
      await call('pacs.cancel', {});
      const cancelled = await until((job) => job.phase === 'cancelled');
      expect(cancelled.error).toBeUndefined();
      const { partial } = await call('pacs.status', {});
      expect(partial).toEqual([
        expect.objectContaining({ seriesInstanceUid: series, downloaded: 3, total: SLICES }),
      ]);
      await expect(call('app.closeProject', {})).resolves.toBeDefined();
      await workspace.openProject(project);
      delete process.env.SIMCVD_TEST_DELAY;
      await call('pacs.retrieve', request);
      const finished = await until((job) => ['finished', 'failed'].includes(job.phase));
      expect(finished.error).toBeUndefined();
      expect(finished.retrieve).toMatchObject({ resumed: 3, downloaded: SLICES - 3 });
      expect(finished.retrieve!.imported).toHaveLength(1);
      const progress = events
        .filter((e) => e.event === 'pacsJobChanged')
        .map((e) => (e.payload as PacsJobState).progress)
        .filter((p) => p && p.total === SLICES);
      expect(progress.at(-1)).toMatchObject({ done: SLICES, resumed: 3 });
      expect(events.some((e) => e.event === 'importProgressed')).toBe(true);
      const info = await call('project.info', {});
      expect(info.studies[0]!.dicomweb).toEqual({ baseUrl: orthanc.dicomweb });
      const targets = await call('pacs.segTargets', {});
      expect(targets.studies).toEqual([
        expect.objectContaining({
          studyId: info.studies[0]!.id,
          possible: true,
          dicomweb: { baseUrl: orthanc.dicomweb },
        }),
      ]);
    } finally {
      delete process.env.SIMCVD_TEST_DELAY;
      await workspace.dispose();
    }
  }, 120_000);
});
