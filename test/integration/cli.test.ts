// The `simcvd` command line as a user runs it: demo -> init -> import -> export, checked with
// nibabel (the reference NIfTI implementation), plus its error behaviour.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { simcvd } from '../helpers/cli';
import { runPythonJson, tempDir } from '../helpers/fixtures';

describe('simcvd CLI', () => {
  it('demo, init, import --labeled, export: exported masks equal labelsTr with the image affine (nibabel)', async () => {
    const dir = await tempDir();
    const d = path.join(dir, 'd');
    const p = path.join(dir, 'p');
    const out = path.join(dir, 'out');
    expect((await simcvd('demo', d, '--studies', '3', '--test', '1', '--seed', '1')).code).toBe(0);
    expect((await simcvd('init', p)).code).toBe(0);
    const imported = await simcvd('import', p, d, '--labeled', '2');
    expect(imported.stdout).toMatch(/imported 3 studies \(2 labeled, 1 unlabeled\)/);
    const info = JSON.parse((await simcvd('info', p, '--json')).stdout) as {
      studies: { id: string; status: string }[];
    };
    expect(info.studies.map((s) => [s.id, s.status])).toEqual([
      ['case_001', 'labeled'],
      ['case_002', 'labeled'],
      ['case_003', 'unlabeled'],
    ]);
    expect((await simcvd('export', p, out)).code).toBe(0);
    const check = runPythonJson<{ name: string; equal: boolean; affine: boolean; dtype: string }[]>(
      `
import json, os, sys
import nibabel as nib, numpy as np
d, out = sys.argv[1], sys.argv[2]
res = []
for name in sorted(os.listdir(out)):
    e = nib.load(os.path.join(out, name))
    ref = nib.load(os.path.join(d, 'labelsTr', name))
    img = nib.load(os.path.join(d, 'imagesTr', name))
    res.append(dict(name=name, equal=bool(np.array_equal(np.asanyarray(e.dataobj), np.asanyarray(ref.dataobj))),
                    affine=bool(np.allclose(e.affine, img.affine, atol=1e-6)), dtype=str(e.get_data_dtype())))
print(json.dumps(res))
`,
      [d, out],
    );
    expect(check).toEqual([
      { name: 'case_001.nii.gz', equal: true, affine: true, dtype: 'uint8' },
      { name: 'case_002.nii.gz', equal: true, affine: true, dtype: 'uint8' },
    ]);
  });

  it('fails with one clear line and a non-zero exit', async () => {
    const dir = await tempDir();
    const missing = await simcvd('info', path.join(dir, 'nope'));
    expect(missing.code).not.toBe(0);
    expect(missing.stderr.trim().split('\n')).toHaveLength(1);
    expect(missing.stderr).toMatch(/No project at .*simcvd init/);
    const badCount = await simcvd('demo', path.join(dir, 'd'), '--studies', 'many');
    expect(badCount.code).toBe(2);
    expect(badCount.stderr).toMatch(/--studies must be a whole number/);
    const help = await simcvd('import', '--help');
    expect(help.stdout).toMatch(/--labeled/);
  });
});
