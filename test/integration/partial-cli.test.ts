// Partially labeled studies through the real `simcvd` command: a mask attached with its
// annotated slices, listed by info, trained on (the plan names them), exported with nnU-Net's
// ignore label (checked with nibabel), and a one-slice mask marked finished gets a warning.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { simcvd } from '../helpers/cli';
import { runPythonJson, tempDir } from '../helpers/fixtures';

let dir: string;
let data: string;
let project: string;
const truth = (id: string) => path.join(data, 'labelsTr', `${id}.nii.gz`);

beforeAll(async () => {
  dir = await tempDir('simcvd-partial-');
  data = path.join(dir, 'd');
  project = path.join(dir, 'p');
  expect((await simcvd('demo', data, '--studies', '4', '--test', '0', '--seed', '6')).code).toBe(0);
  expect((await simcvd('init', project)).code).toBe(0);
  expect((await simcvd('import', project, data, '--labeled', '0')).code).toBe(0);
}, 120_000);

afterAll(async () => {
  if (dir) await fs.rm(dir, { recursive: true, force: true });
});

describe('partial labels from the CLI', () => {
  it('attaches masks with their annotated slices, lists them, and trains on them', async () => {
    const a = await simcvd(
      'label',
      project,
      'case_001',
      truth('case_001'),
      '--annotated-slices',
      '20,8,14',
    );
    expect(a.stdout).toMatch(/saved label version v0001 \(partial: 3 annotated slices\)/);
    await simcvd('label', project, 'case_002', truth('case_002'), '--annotated-slices', '10,16');
    const bad = await simcvd(
      'label',
      project,
      'case_003',
      truth('case_003'),
      '--annotated-slices',
      '9999',
    );
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/annotated k-slice 9999 is outside the grid/);

    const info = JSON.parse((await simcvd('info', project, '--json')).stdout) as {
      studies: { id: string; coverage: string; annotatedSliceList: { k: number[] } | null }[];
    };
    expect(info.studies.map((s) => [s.id, s.coverage, s.annotatedSliceList?.k ?? null])).toEqual([
      ['case_001', 'partial', [8, 14, 20]],
      ['case_002', 'partial', [10, 16]],
      ['case_003', 'none', null],
      ['case_004', 'none', null],
    ]);
    expect((await simcvd('info', project)).stdout).toMatch(/case_001 .* 3 \/ \d+ /);

    const trained = await simcvd(
      'train',
      project,
      '--profile',
      'tiny',
      '--backend',
      'cpu',
      '--iterations',
      '2',
      '--no-predict',
    );
    expect(trained.code, trained.stderr).toBe(0);
    expect(trained.stderr).toMatch(
      /plan: 0 labeled, 2 partially labeled \(5 slices\), 2 unlabeled \(the partial ones feed the unlabeled terms too\)/,
    );
    expect(trained.stdout).toMatch(
      /0 labeled \+ 2 partially labeled \(5 slices\) \+ 2 unlabeled studies/,
    );
    const record = JSON.parse(
      await fs.readFile(path.join(project, 'models', 'm0001', 'record.json'), 'utf8'),
    );
    expect(record.labeled[0]).toMatchObject({
      studyId: 'case_001',
      annotatedSlices: { k: [8, 14, 20] },
    });
  }, 300_000);

  it('exports partial labels with an ignore value off the annotated slices (nibabel)', async () => {
    const plain = await simcvd('export', project, path.join(dir, 'plain'));
    expect(plain.code).not.toBe(0);
    expect(plain.stderr).toMatch(
      /partial \(annotated slices only\): export it with an ignore label/,
    );
    const taken = await simcvd('export', project, path.join(dir, 'x'), '--ignore-label', '1');
    expect(taken.stderr).toMatch(/ignore label 1 is the value of label class "left atrium"/);

    const out = path.join(dir, 'out');
    const exported = await simcvd(
      'export',
      project,
      out,
      '--ignore-label',
      '255',
      '--annotated-masks',
    );
    expect(exported.code, exported.stderr).toBe(0);
    expect(exported.stdout).toMatch(/case_001\.nii\.gz .* human, partial/);
    expect(exported.stdout).toMatch(/annotated\/case_002\.nii\.gz/);
    const check = runPythonJson<{
      outside: number[];
      inside: boolean;
      mask: boolean;
      affine: boolean;
    }>(
      `
import json, sys
import nibabel as nib, numpy as np
out, truth, img = sys.argv[1], sys.argv[2], sys.argv[3]
e = np.asanyarray(nib.load(out + '/case_001.nii.gz').dataobj)
t = np.asanyarray(nib.load(truth).dataobj)
m = np.asanyarray(nib.load(out + '/annotated/case_001.nii.gz').dataobj)
k = [8, 14, 20]
others = [z for z in range(e.shape[2]) if z not in k]
print(json.dumps(dict(
  outside=sorted(set(np.unique(e[:, :, others]).tolist())),
  inside=bool(np.array_equal(e[:, :, k], t[:, :, k])),
  mask=bool(m[:, :, k].all() and not m[:, :, others].any()),
  affine=bool(np.allclose(nib.load(out + '/case_001.nii.gz').affine, nib.load(img).affine, atol=1e-6)),
)))
`,
      [out, truth('case_001'), path.join(data, 'imagesTr', 'case_001.nii.gz')],
    );
    expect(check).toEqual({ outside: [255], inside: true, mask: true, affine: true });
  });

  it('warns when a mask painted on one slice is marked finished', async () => {
    const one = path.join(dir, 'one.nii.gz');
    runPythonJson(
      `
import json, sys
import nibabel as nib, numpy as np
src = nib.load(sys.argv[1]); d = np.asanyarray(src.dataobj).copy()
k = int(np.argmax(d.sum(axis=(0, 1)))); d[:, :, :k] = 0; d[:, :, k + 1:] = 0
nib.save(nib.Nifti1Image(d, src.affine, src.header), sys.argv[2]); print(json.dumps(k))
`,
      [truth('case_003'), one],
    );
    const finished = await simcvd('label', project, 'case_003', one);
    expect(finished.code).toBe(0);
    expect(finished.stderr).toMatch(
      /warning: The structure is still large on slice \d+; it probably continues/,
    );
  });
});
