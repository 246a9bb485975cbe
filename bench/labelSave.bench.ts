// npm run bench:label-save — how long saving a large label (512×512×300, a brush-painted
// structure) blocks the calling thread, which in the desktop app is Electron's main process:
// the longest gap between 5 ms timer ticks while the save runs, and the save's wall time.
// Measured side by side for a sparse mask (a few strokes) and a dense one (half the volume).
// Options: --dims 512x512x300 --repeats 3
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createProject, ProjectStore } from '../src/core/project';
import { geometryFromAffine } from '../src/core/volume/geometry';
import { writeVolumeFile } from '../src/core/volume/nifti';
import { importStudies } from '../src/core/project';

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1]! : fallback;
};
const dims = arg('dims', '512x512x300').split('x').map(Number) as [number, number, number];
const repeats = Number(arg('repeats', '3'));
const voxels = dims[0] * dims[1] * dims[2];

/** Runs `work` while a 5 ms interval records the longest time between its ticks. */
async function blocking(
  work: () => Promise<unknown>,
): Promise<{ blockedMs: number; wallMs: number }> {
  let last = performance.now();
  let longest = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    longest = Math.max(longest, now - last);
    last = now;
  }, 5);
  const t0 = performance.now();
  await work();
  const wallMs = performance.now() - t0;
  clearInterval(timer);
  longest = Math.max(longest, performance.now() - last);
  return { blockedMs: longest, wallMs };
}

const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'simcvd-label-bench-'));
try {
  const affine = [0.7, 0, 0, 0, 0, 0.7, 0, 0, 0, 0, 1.5, 0, 0, 0, 0, 1];
  const image = new Int16Array(voxels);
  for (let v = 0; v < voxels; v += 97) image[v] = v % 2000;
  const imageFile = path.join(dir, 'big.nii.gz');
  await writeVolumeFile(imageFile, {
    dims,
    spacingMm: [0.7, 0.7, 1.5],
    affine,
    geometry: geometryFromAffine(affine),
    data: image,
  });
  const project = path.join(dir, 'p');
  await createProject(project);
  const store = await ProjectStore.open(project, { write: true, purpose: 'bench' });
  await importStudies(store, [imageFile]);
  const masks: [string, Uint8Array][] = [
    ['sparse (strokes on 20 slices)', new Uint8Array(voxels)],
    ['dense (half the volume)', new Uint8Array(voxels)],
  ];
  for (let k = 100; k < 120; k++)
    masks[0]![1].fill(
      1,
      k * dims[0] * dims[1] + 200 * dims[0],
      k * dims[0] * dims[1] + 260 * dims[0],
    );
  masks[1]![1].fill(1, 0, voxels / 2);
  console.log(
    `label save of ${dims.join('×')} (${(voxels / 2 ** 20).toFixed(0)} MiB of uint8), ${repeats} saves each`,
  );
  for (const [name, mask] of masks) {
    const runs = [];
    for (let r = 0; r < repeats; r++)
      runs.push(
        await blocking(() =>
          store.saveLabel(
            'big',
            { dims, affine, data: mask },
            { provenance: { kind: 'human' }, final: false },
          ),
        ),
      );
    const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    console.log(
      `  ${name}: thread blocked ${median(runs.map((r) => r.blockedMs)).toFixed(0)} ms at most, ` +
        `save ${median(runs.map((r) => r.wallMs)).toFixed(0)} ms (medians)`,
    );
  }
  await store.close();
} finally {
  await fs.rm(dir, { recursive: true, force: true });
}
