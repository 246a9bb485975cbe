// NIfTI read/write benchmark (plain Node; `npx tsx bench/io.bench.ts`). Creates once a
// 512×512×300 int16 .nii.gz with CT-like content (body, organs, smooth shading, noise) under
// .tmp/bench/, then times our readVolumeFile against nibabel.load(...).get_fdata() on the same
// file (timed inside Python) and our writeVolumeFile.
import { execFileSync } from 'node:child_process';
import { existsSync, promises as fs } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { geometryFromAffine } from '../src/core/volume/geometry';
import { readVolumeFile, writeVolumeFile } from '../src/core/volume/nifti';
import type { Mat4, Volume } from '../src/core/volume/volume';
import { createRng } from '../src/core/random';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const DIR = path.join(ROOT, '.tmp', 'bench');
const INPUT = path.join(DIR, 'io_512x512x300_int16.nii.gz');
const OUTPUT = path.join(DIR, 'io_write_test.nii.gz');
const DIMS: [number, number, number] = [512, 512, 300];
const READ_RUNS = 3;
const WRITE_RUNS = 2;

/** CT-like volume: air, an elliptic body with spherical "organs", smooth shading, noise. */
function syntheticVolume(): Volume {
  const [nx, ny, nz] = DIMS;
  const rng = createRng(12345);
  const organs = Array.from({ length: 12 }, () => ({
    x: rng.uniform(150, 360),
    y: rng.uniform(170, 340),
    z: rng.uniform(40, 260),
    r: rng.uniform(15, 50),
    hu: rng.uniform(-100, 400),
  }));
  const data = new Int16Array(nx * ny * nz);
  let i = 0;
  for (let k = 0; k < nz; k++) {
    for (let j = 0; j < ny; j++) {
      for (let x = 0; x < nx; x++, i++) {
        const ex = (x - 256) / 200;
        const ey = (j - 256) / 140;
        let hu = -1000;
        if (ex * ex + ey * ey < 1) {
          hu = 40 + 30 * Math.sin(x / 40) * Math.cos(j / 55) + 20 * Math.sin(k / 30);
          for (const o of organs) {
            const d2 = (x - o.x) ** 2 + (j - o.y) ** 2 + (k - o.z) ** 2;
            if (d2 < o.r * o.r) hu = o.hu;
          }
        }
        data[i] = Math.round(hu + 15 * rng.normal());
      }
    }
  }
  const affine: Mat4 = [-0.7, 0, 0, 179, 0, -0.7, 0, 179, 0, 0, 1, -150, 0, 0, 0, 1];
  return {
    dims: DIMS,
    spacingMm: [0.7, 0.7, 1],
    affine,
    data,
    geometry: geometryFromAffine(affine),
  };
}

async function timed<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const start = performance.now();
  const result = await fn();
  return [result, (performance.now() - start) / 1000];
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function main(): Promise<void> {
  await fs.mkdir(DIR, { recursive: true });
  if (!existsSync(INPUT)) {
    console.log(`creating ${path.relative(ROOT, INPUT)} (once) ...`);
    const [, seconds] = await timed(() => writeVolumeFile(INPUT, syntheticVolume()));
    console.log(`  generated and written in ${seconds.toFixed(1)} s`);
  }
  const sizeMb = (await fs.stat(INPUT)).size / 2 ** 20;
  console.log(`file: ${DIMS.join('×')} int16, ${sizeMb.toFixed(0)} MiB gzipped`);

  const reads: number[] = [];
  let volume: Volume | undefined;
  for (let r = 0; r < READ_RUNS; r++) {
    volume = undefined; // let the previous copy go before the next read
    const [v, seconds] = await timed(() => readVolumeFile(INPUT));
    volume = v;
    reads.push(seconds);
  }

  const writes: number[] = [];
  for (let r = 0; r < WRITE_RUNS; r++)
    writes.push((await timed(() => writeVolumeFile(OUTPUT, volume!)))[1]);
  await fs.rm(OUTPUT, { force: true });
  volume = undefined;

  const script = path.join(ROOT, 'test', 'reference', 'nifti_bench.py');
  const nib = JSON.parse(
    execFileSync('/usr/bin/python3', [script, INPUT, String(READ_RUNS)], { encoding: 'utf8' }),
  ) as { seconds: number[]; median: number };

  const ours = median(reads);
  const fmt = (xs: number[]) => xs.map((s) => s.toFixed(2)).join(', ');
  console.log(`ours    readVolumeFile     median ${ours.toFixed(2)} s   (runs: ${fmt(reads)})`);
  console.log(
    `nibabel load().get_fdata() median ${nib.median.toFixed(2)} s   (runs: ${fmt(nib.seconds)})`,
  );
  console.log(`ratio ours/nibabel: ${(ours / nib.median).toFixed(2)}`);
  console.log(
    `ours    writeVolumeFile    median ${median(writes).toFixed(2)} s   (runs: ${fmt(writes)})`,
  );
}

await main();
