// The CLI's loop as the app runs it (Node, the real `simcvd` command): `train` predicts
// proposals when it ends (unless --no-predict), the maps are stored as bytes that nibabel reads
// back as probabilities, `export --proposals` lists every file and refuses before writing
// anything when it cannot complete, a supervised-only record names no unlabeled study, and
// `eval` follows symlinked masks.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { simcvd } from '../helpers/cli';
import { runPythonJson, tempDir } from '../helpers/fixtures';

let dir: string;
let data: string;
let project: string;
const tiny = ['--profile', 'tiny', '--backend', 'cpu', '--seed', '1', '--iterations', '2'];

const record = async (id: string) =>
  JSON.parse(await fs.readFile(path.join(project, 'models', id, 'record.json'), 'utf8'));

beforeAll(async () => {
  dir = await tempDir('simcvd-cli-loop-');
  data = path.join(dir, 'd');
  project = path.join(dir, 'p');
  expect((await simcvd('demo', data, '--studies', '3', '--test', '0', '--seed', '4')).code).toBe(0);
  expect((await simcvd('init', project)).code).toBe(0);
  expect((await simcvd('import', project, data, '--labeled', '1')).code).toBe(0);
}, 120_000);

afterAll(async () => {
  if (dir) await fs.rm(dir, { recursive: true, force: true });
});

describe('the CLI loop', () => {
  it('train predicts proposals for the unlabeled studies when it ends', async () => {
    const trained = await simcvd('train', project, ...tiny);
    expect(trained.code, trained.stderr).toBe(0);
    expect(trained.stdout).toMatch(/2 proposals stored for model m0001 \(/);
    // One final progress line per job, not two.
    expect(trained.stderr.match(/predict m0001.*100 ?%/g) ?? []).toHaveLength(1);
    const proposals = await fs.readdir(path.join(project, 'predictions', 'm0001'));
    expect(proposals.sort()).toEqual(['case_002', 'case_003']);
  }, 300_000);

  it('stores probabilities and uncertainty as uint8 with scl_slope 1/255, read as floats (nibabel)', () => {
    const dirOf = path.join(project, 'predictions', 'm0001', 'case_002');
    const maps = runPythonJson<
      Record<string, { dtype: string; slope: number; min: number; max: number; steps: boolean }>
    >(
      `
import json, os, sys
import nibabel as nib, numpy as np
d = sys.argv[1]
out = {}
for name in sorted(os.listdir(d)):
    if not name.endswith('.nii.gz') or name.startswith('label'):
        continue
    img = nib.load(os.path.join(d, name))
    v = img.get_fdata()
    out[name] = dict(dtype=str(img.get_data_dtype()), slope=float(img.dataobj.slope),
                     min=float(v.min()), max=float(v.max()),
                     steps=bool(np.allclose(v * 255, np.round(v * 255), atol=1e-3)))
print(json.dumps(out))
`,
      [dirOf],
    );
    expect(Object.keys(maps).length).toBe(2);
    for (const map of Object.values(maps)) {
      expect(map.dtype).toBe('uint8');
      expect(map.slope).toBeCloseTo(1 / 255, 9);
      expect(map.min).toBeGreaterThanOrEqual(0);
      expect(map.max).toBeLessThanOrEqual(1);
      expect(map.steps).toBe(true);
    }
  });

  it('export --proposals lists the model files; a model without proposals fails before writing', async () => {
    const out = path.join(dir, 'out');
    const exported = await simcvd('export', project, out, '--proposals', '--uncertainty');
    expect(exported.code, exported.stderr).toBe(0);
    for (const file of [
      'case_001.nii.gz',
      'proposals/case_002.nii.gz',
      'proposals/case_003.nii.gz',
      'uncertainty/case_003.nii.gz',
    ])
      expect(exported.stdout).toContain(file);
    expect(exported.stdout).toMatch(/exported 5 files \(4 from the model\)/);

    const second = await simcvd('train', project, ...tiny, '--no-predict', '--from-scratch');
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout).not.toMatch(/proposals stored/);
    const refused = path.join(dir, 'refused');
    const failed = await simcvd('export', project, refused, '--proposals', '--model', 'm0002');
    expect(failed.code).not.toBe(0);
    expect(failed.stderr).toMatch(/Model m0002 has no proposals.*nothing was exported/);
    await expect(fs.stat(refused)).rejects.toMatchObject({ code: 'ENOENT' });
  }, 300_000);

  it('a supervised-only model records no unlabeled study', async () => {
    const run = await simcvd('train', project, ...tiny, '--supervised-only', '--no-predict');
    expect(run.code, run.stderr).toBe(0);
    const supervised = await record('m0003');
    expect(supervised.supervisedOnly).toBe(true);
    expect(supervised.labeled.map((l: { studyId: string }) => l.studyId)).toEqual(['case_001']);
    expect(supervised.unlabeled).toEqual([]);
    expect((await record('m0001')).unlabeled).toEqual(['case_002', 'case_003']);
  }, 300_000);

  it('eval follows symlinked masks', async () => {
    const linked = path.join(dir, 'linked');
    await fs.mkdir(linked);
    for (const name of ['case_001.nii.gz', 'case_002.nii.gz', 'case_003.nii.gz'])
      await fs.symlink(path.join(data, 'labelsTr', name), path.join(linked, name));
    const scored = await simcvd(
      'eval',
      '--pred',
      linked,
      '--truth',
      path.join(data, 'labelsTr'),
      '--json',
    );
    expect(scored.code, scored.stderr).toBe(0);
    const report = JSON.parse(scored.stdout) as { cases: { name: string; dice: number }[] };
    expect(report.cases.map((c) => [c.name, c.dice])).toEqual([
      ['case_001', 1],
      ['case_002', 1],
      ['case_003', 1],
    ]);
  });
});
