// Crashes and races against the real `simcvd` command (Node, separate processes): an import
// killed at each step of its commit leaves the project unchanged or complete, and writable; a
// process killed while creating the lock does not lock the project for good; two writers taking
// over one stale lock never both write.
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeVolumeFile } from '../../src/core/volume/nifti';
import { simcvd, startSimcvd } from '../helpers/cli';
import { makeImageAndMask, tempDir } from '../helpers/fixtures';

let dir: string;

beforeAll(async () => {
  dir = await tempDir('simcvd-crash-');
  for (const name of ['a', 'b', 'c', 'd']) {
    const { image, mask } = makeImageAndMask([6, 5, 4]);
    await writeVolumeFile(path.join(dir, `${name}.nii.gz`), image);
    await writeVolumeFile(path.join(dir, `${name}_mask.nii.gz`), mask);
  }
});

afterAll(async () => {
  if (dir) await fs.rm(dir, { recursive: true, force: true });
});

async function newProject(name: string): Promise<string> {
  const project = path.join(dir, name);
  expect((await simcvd('init', project)).code).toBe(0);
  expect((await simcvd('import', project, path.join(dir, 'a.nii.gz'))).code).toBe(0);
  return project;
}

async function studyIds(project: string): Promise<{ ids: string[]; problems: unknown[] }> {
  const info = await simcvd('info', project, '--json');
  expect(info.code, info.stderr).toBe(0);
  const json = JSON.parse(info.stdout) as { studies: { id: string }[]; problems: unknown[] };
  return { ids: json.studies.map((s) => s.id).sort(), problems: json.problems };
}

const sources = () => ['b', 'c', 'd'].map((n) => path.join(dir, `${n}.nii.gz`));

describe('an import killed at each step of its commit', () => {
  for (const [step, complete] of [
    ['import-staged', false],
    ['import-committed', true],
    ['import-moved-one', true],
  ] as const) {
    it(`at ${step}: the project holds ${complete ? 'all' : 'none'} of it and stays writable`, async () => {
      const project = await newProject(`p-${step}`);
      const run = startSimcvd(['import', project, ...sources()], { SIMCVD_TEST_PAUSE: step });
      await run.paused(step);
      run.child.kill('SIGKILL');
      await run.exited;
      const after = await studyIds(project);
      expect(after.problems).toEqual([]);
      expect(after.ids).toEqual(complete ? ['a', 'b', 'c', 'd'] : ['a']);
      // Writable again, and a retry of an uncommitted import is not refused as "already exists".
      if (!complete) expect((await simcvd('import', project, ...sources())).code).toBe(0);
      const label = await simcvd('label', project, 'b', path.join(dir, 'b_mask.nii.gz'));
      expect(label.stdout).toMatch(/saved label version v0001/);
      expect((await studyIds(project)).ids).toEqual(['a', 'b', 'c', 'd']);
      // The first write after the crash cleaned what the dead import left.
      const entries = await fs.readdir(project);
      expect(entries).not.toContain('.staging');
      expect(entries.filter((e) => e.endsWith('.tmp'))).toEqual([]);
    }, 120_000);
  }
});

describe('a writer killed while taking the lock', () => {
  for (const step of ['lock-temp-written', 'lock-created']) {
    it(`at ${step}: the next writer gets in`, async () => {
      const project = await newProject(`lock-${step}`);
      const run = startSimcvd(['label', project, 'a', path.join(dir, 'a_mask.nii.gz')], {
        SIMCVD_TEST_PAUSE: step,
      });
      await run.paused(step);
      run.child.kill('SIGKILL');
      await run.exited;
      const lockText = await fs
        .readFile(path.join(project, '.simcvd.lock'), 'utf8')
        .catch(() => null);
      // Never an empty or partial lock: either none, or a whole record of the dead process.
      if (lockText !== null) expect(JSON.parse(lockText).pid).toBe(run.child.pid);
      const next = await simcvd('label', project, 'a', path.join(dir, 'a_mask.nii.gz'));
      expect(next.code, next.stderr).toBe(0);
      expect(next.stdout).toMatch(/saved label version v0001/);
    }, 120_000);
  }
});

describe('two writers taking over one stale lock', () => {
  it('never both write: every version reported saved is in the history', async () => {
    const project = await newProject('race');
    await fs.writeFile(
      path.join(project, '.simcvd.lock'),
      JSON.stringify({ pid: 4194305, host: os.hostname(), since: 'crash', purpose: 'dead' }),
    );
    const mask = path.join(dir, 'a_mask.nii.gz');
    // Both read the stale lock; A takes it over first and holds it; B's takeover comes while A
    // holds it (the window in which the old code deleted A's fresh lock).
    const a = startSimcvd(['label', project, 'a', mask], {
      SIMCVD_TEST_DELAY: 'lock-before-takeover:1500,lock-created:3000',
    });
    const b = startSimcvd(['label', project, 'a', mask], {
      SIMCVD_TEST_DELAY: 'lock-before-takeover:3000',
    });
    const results = await Promise.all([a.exited, b.exited]);
    const saved = results.flatMap((r) =>
      [...r.stdout.matchAll(/saved label version (v\d+)/g)].map((m) => m[1]!),
    );
    const record = JSON.parse(
      await fs.readFile(path.join(project, 'studies', 'a', 'study.json'), 'utf8'),
    );
    const history = record.labelVersions.map((v: { id: string }) => v.id);
    for (const id of saved) expect(history).toContain(id);
    expect(saved.length).toBeGreaterThanOrEqual(1);
    expect(history).toHaveLength(saved.length);
    // B's takeover came while A held the lock: B must have been refused, not A's lock deleted.
    const refused = results.filter((r) => r.code !== 0);
    expect(refused).toHaveLength(1);
    expect(refused[0]!.stderr).toMatch(/open for writing by process/);
  }, 120_000);
});
