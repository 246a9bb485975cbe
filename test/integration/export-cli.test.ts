// `simcvd export` as a user runs it (Node, child processes): --only and --studies, the printed
// summary with origin and skipped drafts, and the refusal of a folder inside the project.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeDemoDataset } from '../../src/core/demo';
import { createProject, importStudies, ProjectStore } from '../../src/core/project';
import { readVolumeFile } from '../../src/core/volume/nifti';
import { tempDir } from '../helpers/fixtures';
import { simcvd } from '../helpers/cli';

describe('simcvd export', () => {
  it('filters by origin and study, prints what it wrote and skipped, refuses the project folder', async () => {
    // Setup in process (each CLI start costs seconds); only `export` runs as a command.
    const dir = await tempDir();
    const d = path.join(dir, 'd');
    const p = path.join(dir, 'p');
    const out = path.join(dir, 'out');
    await writeDemoDataset(d, { studies: 3, test: 0, seed: 2, dims: [24, 24, 16] });
    await createProject(p);
    const store = await ProjectStore.open(p, { write: true, purpose: 'test' });
    try {
      await importStudies(store, [d], { labeled: 2 });
      const mask = await readVolumeFile(path.join(d, 'labelsTr', 'case_003.nii.gz'));
      await store.saveLabel('case_003', mask, { provenance: { kind: 'human' }, final: false });
    } finally {
      await store.close();
    }

    const result = await simcvd(
      'export',
      p,
      out,
      '--only',
      'human',
      '--studies',
      'case_002,case_003',
    );
    expect(result.code).toBe(0);
    const lines = result.stdout.trim().split('\n');
    expect(lines[1]).toMatch(/^case_002\.nii\.gz\s+v0001\s+human$/);
    expect(lines).toContain(
      'skipped case_003: label v0001 is a draft: mark the annotation finished to export it',
    );
    expect(lines.at(-1)).toBe(`exported 1 file to ${out}`);
    expect(await fs.readdir(out)).toEqual(['case_002.nii.gz']);

    const inside = await simcvd('export', p, path.join(p, 'export'));
    expect(inside.code).toBe(2);
    expect(inside.stderr).toMatch(/inside the project folder/);
    const none = await simcvd('export', p, out, '--only', 'accepted');
    expect(none.code).toBe(1);
    expect(none.stderr).toMatch(
      /Nothing to export: no study has an accepted \(from a model\) label/,
    );
  });
});
