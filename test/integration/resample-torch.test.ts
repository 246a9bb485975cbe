// Trilinear and nearest resampling checked against PyTorch's interpolate (Debian python3-torch).
import { execFileSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/core/random';
import type { Vec3 } from '../../src/core/volume/volume';
import { resampleLinear, resampleNearest } from '../../src/engine/data/resample';
import { PYTHON, tempDir } from '../helpers/fixtures';

const script = path.resolve('test/reference/resample_torch.py');

describe('resampling vs PyTorch', () => {
  for (const [dims, target] of [
    [
      [9, 7, 5],
      [17, 4, 8],
    ],
    [
      [16, 16, 10],
      [8, 8, 25],
    ],
  ] as [Vec3, Vec3][]) {
    it(`${dims.join('×')} -> ${target.join('×')}`, async () => {
      const rng = createRng(11);
      const data = Float32Array.from({ length: dims[0] * dims[1] * dims[2] }, () => rng.int(4));
      const dir = await tempDir();
      const src = path.join(dir, 'in.f32');
      await fs.writeFile(src, Buffer.from(data.buffer));
      execFileSync(PYTHON, [
        script,
        src,
        path.join(dir, 'lin.f32'),
        path.join(dir, 'near.f32'),
        ...dims.map(String),
        ...target.map(String),
      ]);
      const lin = new Float32Array((await fs.readFile(path.join(dir, 'lin.f32'))).buffer.slice(0));
      const near = new Float32Array(
        (await fs.readFile(path.join(dir, 'near.f32'))).buffer.slice(0),
      );
      const ours = resampleLinear(data, dims, target);
      let maxErr = 0;
      ours.forEach((v, n) => (maxErr = Math.max(maxErr, Math.abs(v - lin[n]!))));
      expect(maxErr).toBeLessThan(1e-5);
      const oursNear = resampleNearest(Uint8Array.from(data), dims, target);
      expect(Array.from(oursNear)).toEqual(Array.from(near));
    });
  }
});
