// The next round of the loop continues the last model (Node, the real `simcvd` command): after
// a first model, training starts from it by default with a shorter budget and records it as
// the parent; --from-scratch does not; a changed label set refuses --continue with the reason
// and falls back to scratch by default.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProjectStore } from '../../src/core/project';
import { simcvd } from '../helpers/cli';
import { tempDir } from '../helpers/fixtures';

let dir: string;
let project: string;

const info = async () => JSON.parse((await simcvd('info', project, '--json')).stdout);
const record = async (id: string) =>
  JSON.parse(await fs.readFile(path.join(project, 'models', id, 'record.json'), 'utf8'));

beforeAll(async () => {
  dir = await tempDir('simcvd-continue-');
  project = path.join(dir, 'p');
  expect(
    (await simcvd('demo', path.join(dir, 'd'), '--studies', '5', '--test', '0', '--seed', '2'))
      .code,
  ).toBe(0);
  expect((await simcvd('init', project)).code).toBe(0);
  expect((await simcvd('import', project, path.join(dir, 'd'), '--labeled', '2')).code).toBe(0);
}, 120_000);

afterAll(async () => {
  if (dir) await fs.rm(dir, { recursive: true, force: true });
});

describe('continuing from the last model', () => {
  it('continues by default after a first model, with its own budget, and names the parent', async () => {
    const tiny = ['--profile', 'tiny', '--backend', 'cpu', '--seed', '1'];
    const first = await simcvd('train', project, ...tiny, '--iterations', '3');
    expect(first.code, first.stderr).toBe(0);
    expect(first.stderr).not.toMatch(/continuing/);
    expect((await record('m0001')).parent).toBeNull();

    // The user accepts one more study (here: its true label).
    const truth = path.join(dir, 'd', 'labelsTr', 'case_003.nii.gz');
    expect((await simcvd('label', project, 'case_003', truth)).code).toBe(0);
    const second = await simcvd('train', project, ...tiny);
    expect(second.code, second.stderr).toBe(0);
    expect(second.stderr).toMatch(/continuing from m0001 \(1 new label\): 4 iterations/);
    expect(second.stderr).toMatch(
      /continuing from m0001: student loaded, teacher loaded, projection heads loaded/,
    );
    expect(second.stdout).toMatch(/model m0002 \(continued from m0001\): 4 iterations/);
    expect(await record('m0002')).toMatchObject({ parent: 'm0001', iterations: 4 });

    const scratch = await simcvd('train', project, ...tiny, '--from-scratch', '--iterations', '2');
    expect(scratch.stderr).not.toMatch(/continuing/);
    expect((await record('m0003')).parent).toBeNull();
    const lineage = (await info()).models.map((m: { id: string; parent: string | null }) => [
      m.id,
      m.parent,
    ]);
    expect(lineage).toEqual([
      ['m0001', null],
      ['m0002', 'm0001'],
      ['m0003', null],
    ]);
    expect((await simcvd('info', project)).stdout).toMatch(/m0002\s+m0001/);
  }, 300_000);

  it('refuses to continue across a changed label set, and trains from scratch by default', async () => {
    const store = await ProjectStore.open(project, { write: true, purpose: 'test' });
    await store.setLabelClasses([
      ...store.manifest.labels,
      { value: 2, name: 'second', color: '#3d8be0' },
    ]);
    await store.close();
    const tiny = ['--profile', 'tiny', '--backend', 'cpu', '--iterations', '2'];
    const insisted = await simcvd('train', project, ...tiny, '--continue');
    expect(insisted.code).not.toBe(0);
    expect(insisted.stderr).toMatch(
      /Cannot continue from m0003: it predicts 1 label class, the label set now has 2\. Train from scratch instead\./,
    );
    const auto = await simcvd('train', project, ...tiny);
    expect(auto.code, auto.stderr).toBe(0);
    expect(auto.stderr).toMatch(
      /training from scratch: cannot continue from m0003, it predicts 1 label class/,
    );
    expect((await record('m0004')).parent).toBeNull();
  }, 300_000);
});
