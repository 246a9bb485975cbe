// `simcvd eval` as a user runs it: small NIfTI masks written in-process, the command's numbers
// checked against the numpy/scipy medpy replica reading the same files
// (test/reference/metrics_medpy.py), plus its error behaviour (missing files, grid mismatches,
// nothing in common, ambiguous labels). One run goes through bin/simcvd.js as a child process;
// the rest run the registered command in-process (same code path as main.ts's runCli, stdout and
// stderr captured) because each child costs ~2 s of tsx start-up on this machine.
import type { CaseMetrics } from '../../src/core/metrics/evaluate';
import { execFileSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { registerEvalCommand } from '../../src/cli/commands/eval';
import { reportError } from '../../src/cli/output';
import type { Dims3 } from '../../src/core/image/edt';
import { surfaceOf } from '../../src/core/metrics/surface';
import { blobPair, shiftMask } from '../../src/core/metrics/testing';
import { writeVolumeFile } from '../../src/core/volume/nifti';
import type { VoxelArray } from '../../src/core/volume/volume';
import { makeAffine, makeVolume, PYTHON, tempDir } from '../helpers/fixtures';
import { simcvd, type CliResult } from '../helpers/cli';

const SCRIPT = fileURLToPath(new URL('../reference/metrics_medpy.py', import.meta.url));
const DIMS: Dims3 = [28, 24, 18];
const AFFINE = makeAffine([0.8, 0.8, 1.5], [-10, 4, 30]);
const METRICS = ['dice', 'jaccard', 'hd95', 'asd', 'assd', 'hd95Mm', 'asdMm', 'assdMm'] as const;

interface CaseJson extends CaseMetrics {
  name: string;
}

interface EvalJson {
  cases: CaseJson[];
  mean: Record<(typeof METRICS)[number], number | null>;
}

/** `simcvd eval ...args` in this process, with runCli's error handling. Not concurrency-safe. */
async function evalCommand(...args: string[]): Promise<CliResult> {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const capture = (sink: string[]) => (chunk: string | Uint8Array) => {
    sink.push(String(chunk));
    return true;
  };
  const outSpy = vi.spyOn(process.stdout, 'write').mockImplementation(capture(stdout));
  const errSpy = vi.spyOn(process.stderr, 'write').mockImplementation(capture(stderr));
  const savedExitCode = process.exitCode;
  process.exitCode = undefined;
  let code = 0;
  try {
    const program = new Command('simcvd').exitOverride();
    registerEvalCommand(program);
    await program.parseAsync(['eval', ...args], { from: 'user' });
  } catch (error) {
    reportError(error);
  } finally {
    outSpy.mockRestore();
    errSpy.mockRestore();
    code = Number(process.exitCode ?? 0);
    process.exitCode = savedExitCode;
  }
  return { stdout: stdout.join(''), stderr: stderr.join(''), code };
}

async function writeMask(
  dir: string,
  name: string,
  data: VoxelArray,
  dims: Dims3 = DIMS,
  affine = AFFINE,
) {
  await fs.mkdir(dir, { recursive: true });
  await writeVolumeFile(path.join(dir, name), makeVolume([...dims], data, affine));
}

function erode(mask: Uint8Array): Uint8Array {
  const surface = surfaceOf(mask, DIMS);
  return mask.map((x, v) => (x && !surface[v] ? 1 : 0));
}

let root = '';
let truthDir = '';
const truths: Record<string, Uint8Array> = {};
/** The one child-process run (bin/simcvd.js), started in beforeAll to overlap the set-up. */
let missingRun: Promise<CliResult>;

beforeAll(async () => {
  root = await tempDir('simcvd-eval-');
  truthDir = path.join(root, 'truth');
  const pred = path.join(root, 'pred');
  const names = ['case_a', 'case_b', 'case_c'];
  names.forEach((name, n) => (truths[name] = blobPair(DIMS, 50 + n, 0.2, 0).truth));
  for (const name of names) await writeMask(truthDir, `${name}.nii.gz`, truths[name]!);
  // Shifted, eroded (written as plain .nii: names match without the extension), empty.
  await writeMask(pred, 'case_a.nii.gz', shiftMask(truths.case_a!, DIMS, [2, -1, 1]));
  await writeMask(pred, 'case_b.nii', erode(truths.case_b!));
  await writeMask(pred, 'case_c.nii.gz', new Uint8Array(truths.case_c!.length));
  const partial = path.join(root, 'pred-missing');
  await writeMask(partial, 'case_a.nii.gz', truths.case_a!);
  await writeMask(partial, 'case_z.nii.gz', truths.case_a!);
  missingRun = simcvd('eval', '--pred', partial, '--truth', truthDir, '--json');
});

describe('simcvd eval', () => {
  it('scores the truth against itself as Dice 1 and zero distances', async () => {
    const r = await evalCommand('--pred', truthDir, '--truth', truthDir, '--json');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as EvalJson;
    expect(out.cases.map((c) => c.name)).toEqual(['case_a', 'case_b', 'case_c']);
    for (const c of out.cases)
      expect(c).toEqual({
        name: c.name,
        dice: 1,
        jaccard: 1,
        hd95: 0,
        asd: 0,
        assd: 0,
        hd95Mm: 0,
        asdMm: 0,
        assdMm: 0,
        predEmpty: false,
        truthEmpty: false,
      });
    expect(out.mean).toEqual({
      dice: 1,
      jaccard: 1,
      hd95: 0,
      asd: 0,
      assd: 0,
      hd95Mm: 0,
      asdMm: 0,
      assdMm: 0,
    });
  });

  it('gives the reference values for shifted, eroded and empty predictions (JSON and table)', async () => {
    const pred = path.join(root, 'pred');
    const json = await evalCommand('--pred', pred, '--truth', truthDir, '--json');
    const table = await evalCommand('--pred', pred, '--truth', truthDir);
    expect(json.code).toBe(0);
    const out = JSON.parse(json.stdout) as EvalJson;
    expect(Object.keys(out)).toEqual(['cases', 'mean']);
    expect(Object.keys(out.mean)).toEqual([...METRICS]);
    const files = [
      ['case_a', 'case_a.nii.gz'],
      ['case_b', 'case_b.nii'],
      ['case_c', 'case_c.nii.gz'],
    ].map(([name, file]) => ({
      pred: path.join(pred, file!),
      truth: path.join(truthDir, `${name}.nii.gz`),
    }));
    const want = JSON.parse(
      execFileSync(PYTHON, [SCRIPT], { input: JSON.stringify({ files }), encoding: 'utf8' }),
    ).results as Omit<CaseJson, 'name'>[];
    expect(out.cases.map((c) => c.name)).toEqual(['case_a', 'case_b', 'case_c']);
    out.cases.forEach((c, n) => {
      expect(Object.keys(c)).toEqual(['name', ...METRICS, 'predEmpty', 'truthEmpty']);
      for (const key of [...METRICS, 'predEmpty', 'truthEmpty'] as const) {
        const w = want[n]![key];
        if (typeof w === 'number')
          expect(Math.abs((c[key] as number) - w), `${c.name} ${key}`).toBeLessThan(1e-6);
        else expect(c[key], `${c.name} ${key}`).toBe(w);
      }
    });
    // Non-trivial: the shift and erosion really moved the surface; the empty case is flagged.
    expect(out.cases[0]!.hd95!).toBeGreaterThan(1);
    expect(out.cases[1]!.asd!).toBeGreaterThan(0.5);
    expect(out.cases[2]).toMatchObject({ dice: 0, hd95: null, assdMm: null, predEmpty: true });
    // Mean: Dice over all three cases, distances over the two with both surfaces.
    expect(out.mean.dice).toBeCloseTo((want[0]!.dice + want[1]!.dice + 0) / 3, 9);
    expect(out.mean.hd95Mm).toBeCloseTo((want[0]!.hd95Mm! + want[1]!.hd95Mm!) / 2, 9);
    expect(out.mean.asd).toBeCloseTo((want[0]!.asd! + want[1]!.asd!) / 2, 9);

    expect(table.code).toBe(0);
    const rowOf = (name: string) =>
      table.stdout
        .split('\n')
        .find((l) => l.startsWith(name + ' '))!
        .split(/\s+/);
    expect(rowOf('case_a').slice(1, 9)).toEqual(
      METRICS.map((k) =>
        (out.cases[0]![k] as number).toFixed(k === 'dice' || k === 'jaccard' ? 4 : 2),
      ),
    );
    expect(rowOf('case_c')).toEqual([
      'case_c',
      '0.0000',
      '0.0000',
      '-',
      '-',
      '-',
      '-',
      '-',
      '-',
      'empty',
      'prediction',
    ]);
    expect(rowOf('mean')[1]).toBe(out.mean.dice!.toFixed(4));
    expect(table.stdout).toMatch(/asd: mean surface distance prediction→truth/);
  });

  it('bin/simcvd.js: lists files present in one folder only and exits non-zero', async () => {
    const r = await missingRun;
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout) as EvalJson;
    expect(out.cases.map((c) => [c.name, c.dice, c.hd95, c.assdMm])).toEqual([['case_a', 1, 0, 0]]);
    expect(r.stderr).toMatch(
      /3 files have no partner, so the results cover only the 1 paired case/,
    );
    expect(r.stderr).toMatch(/case_b: .*truth.case_b\.nii\.gz has no prediction/);
    expect(r.stderr).toMatch(/case_c: .*has no prediction/);
    expect(r.stderr).toMatch(/case_z: .*pred-missing.case_z\.nii\.gz has no ground truth/);
  });

  it('refuses folders with nothing in common, or a missing folder', async () => {
    const pred = path.join(root, 'pred-other');
    await writeMask(pred, 'other.nii.gz', truths.case_a!);
    const r = await evalCommand('--pred', pred, '--truth', truthDir);
    expect(r.code).not.toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(
      /No file name is in both .*pred-other \(other\) and .*truth \(case_a, case_b, case_c\)/,
    );
    const gone = await evalCommand('--pred', path.join(root, 'nope'), '--truth', truthDir);
    expect(gone.code).not.toBe(0);
    expect(gone.stderr).toMatch(/prediction folder .*nope does not exist/);
  });

  it('refuses a pair on a different grid, naming the file', async () => {
    const smaller = path.join(root, 'pred-dims');
    const small: Dims3 = [DIMS[0], DIMS[1], DIMS[2] - 1];
    await writeMask(
      smaller,
      'case_a.nii.gz',
      new Uint8Array(small[0] * small[1] * small[2]),
      small,
    );
    const moved = path.join(root, 'pred-affine');
    await writeMask(
      moved,
      'case_a.nii.gz',
      truths.case_a!,
      DIMS,
      makeAffine([0.8, 0.8, 1.5], [-10, 4, 33]),
    );
    const a = await evalCommand('--pred', smaller, '--truth', truthDir);
    const b = await evalCommand('--pred', moved, '--truth', truthDir);
    expect(a.code).toBe(1);
    expect(a.stderr).toMatch(
      /pred-dims.case_a\.nii\.gz has 28×24×17 voxels but its truth .*case_a\.nii\.gz has 28×24×18/,
    );
    expect(b.code).toBe(1);
    expect(b.stderr).toMatch(
      /pred-affine.case_a\.nii\.gz has the size of its truth .* but a different position/,
    );
  });

  it('asks for --label when masks hold other values, and scores the chosen label', async () => {
    const pred = path.join(root, 'pred-labels');
    const truth = path.join(root, 'truth-labels');
    const twice = (m: Uint8Array) => m.map((x) => x * 2);
    await writeMask(truth, 'case_a.nii.gz', twice(truths.case_a!));
    await writeMask(pred, 'case_a.nii.gz', twice(erode(truths.case_a!)));
    const plain = await evalCommand('--pred', pred, '--truth', truth);
    const chosen = await evalCommand('--pred', pred, '--truth', truth, '--label', '2', '--json');
    expect(plain.code).toBe(2);
    expect(plain.stderr).toMatch(
      /case_a\.nii\.gz holds values 2, not only 0 and 1\. Choose the label to score with --label N/,
    );
    expect(chosen.code).toBe(0);
    const got = (JSON.parse(chosen.stdout) as EvalJson).cases[0]!;
    expect(got.dice).toBeLessThan(1);
    // Eroding case_a's truth by hand gives the same numbers as label 1 of the binary masks.
    const binary = path.join(root, 'pred-eroded-a');
    await writeMask(binary, 'case_a.nii.gz', erode(truths.case_a!));
    const same = JSON.parse(
      (await evalCommand('--pred', binary, '--truth', truthDir, '--json')).stdout,
    ) as EvalJson;
    expect(got).toEqual(same.cases[0]);
  });
});
