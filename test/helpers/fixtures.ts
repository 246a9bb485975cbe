// Test fixtures built in code (Node): temp folders, small volumes, folder snapshots.
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { geometryFromAffine } from '../../src/core/volume/geometry';
import type { Mat4, Vec3, Volume, VoxelArray } from '../../src/core/volume/volume';

export const PYTHON = '/usr/bin/python3';

export async function tempDir(prefix = 'simcvd-test-'): Promise<string> {
  return fs.mkdtemp(path.join(os.tmpdir(), prefix));
}

/** An affine with the given spacing and origin, optionally rotated about z (oblique). */
export function makeAffine(spacing: Vec3, origin: Vec3 = [0, 0, 0], rotateZDeg = 0): Mat4 {
  const t = (rotateZDeg * Math.PI) / 180;
  const c = Math.cos(t);
  const s = Math.sin(t);
  return [
    c * spacing[0],
    -s * spacing[1],
    0,
    origin[0],
    s * spacing[0],
    c * spacing[1],
    0,
    origin[1],
    0,
    0,
    spacing[2],
    origin[2],
    0,
    0,
    0,
    1,
  ];
}

export function makeVolume(
  dims: Vec3,
  data: VoxelArray,
  affine: Mat4 = makeAffine([1, 1, 1]),
): Volume {
  const geometry = geometryFromAffine(affine);
  return { dims, spacingMm: geometry.pixdim, affine, geometry, data };
}

/** Image with a smooth gradient and a mask with a box, on the same grid. */
export function makeImageAndMask(dims: Vec3, affine?: Mat4): { image: Volume; mask: Volume } {
  const n = dims[0] * dims[1] * dims[2];
  const img = new Int16Array(n);
  const mask = new Uint8Array(n);
  for (let k = 0; k < dims[2]; k++)
    for (let j = 0; j < dims[1]; j++)
      for (let i = 0; i < dims[0]; i++) {
        const idx = i + dims[0] * (j + dims[1] * k);
        img[idx] = i * 3 + j * 5 + k * 7 - 40;
        const inside =
          i >= 2 && i < dims[0] - 2 && j >= 1 && j < dims[1] - 2 && k >= 1 && k < dims[2] - 1;
        mask[idx] = inside ? 1 : 0;
      }
  return { image: makeVolume(dims, img, affine), mask: makeVolume(dims, mask, affine) };
}

/** Every file below `dir` with its SHA-256, for "nothing changed" assertions. */
export async function snapshotDir(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  async function walk(current: string): Promise<void> {
    for (const entry of await fs.readdir(current, { withFileTypes: true })) {
      const full = path.join(current, entry.name);
      if (entry.isDirectory()) {
        out[path.relative(dir, full) + '/'] = 'dir';
        await walk(full);
      } else {
        out[path.relative(dir, full)] = createHash('sha256')
          .update(await fs.readFile(full))
          .digest('hex');
      }
    }
  }
  await walk(dir);
  return out;
}

/** Runs a Python snippet with Debian's interpreter and parses its JSON stdout. */
export function runPythonJson<T>(code: string, args: string[] = []): T {
  const out = execFileSync(PYTHON, ['-c', code, ...args], {
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  return JSON.parse(out) as T;
}
