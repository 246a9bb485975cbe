// Proposal facts against scipy and numpy (Debian's python3-scipy): voxels and connected
// components per class (scipy.ndimage.label's default 6-connectivity), the axial extent and
// the slices touching the in-plane border, on a seeded mask of blobs in three classes.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/core/random';
import { proposalFacts } from '../../src/core/review/facts';
import type { Vec3 } from '../../src/core/volume/volume';
import { runPythonJson, tempDir } from '../helpers/fixtures';

const DIMS: Vec3 = [23, 17, 11];
const SPACING: Vec3 = [0.7, 0.9, 2.5];

function blobs(seed: number): Uint8Array {
  const [nx, ny, nz] = DIMS;
  const rng = createRng(seed);
  const mask = new Uint8Array(nx * ny * nz);
  for (let b = 0; b < 14; b++) {
    const value = 1 + rng.int(3);
    const c = [rng.int(nx), rng.int(ny), 1 + rng.int(nz - 2)];
    const r = 1 + rng.int(3);
    for (let k = 0; k < nz; k++)
      for (let j = 0; j < ny; j++)
        for (let i = 0; i < nx; i++)
          if ((i - c[0]!) ** 2 + (j - c[1]!) ** 2 + (k - c[2]!) ** 2 <= r * r)
            mask[i + nx * (j + ny * k)] = value;
  }
  return mask;
}

describe('proposal facts', () => {
  it('match scipy.ndimage.label and numpy on a mask of blobs', async () => {
    const dir = await tempDir();
    for (const seed of [1, 2, 3]) {
      const mask = blobs(seed);
      const file = path.join(dir, `m${seed}.bin`);
      await fs.writeFile(file, mask);
      const ours = proposalFacts(mask, DIMS, SPACING);
      const ref = runPythonJson<{
        classes: { value: number; voxels: number; components: number }[];
        extent: [number, number] | null;
        border: number;
      }>(
        `
import json, sys
import numpy as np
from scipy import ndimage
nx, ny, nz = ${DIMS.join(', ')}
m = np.fromfile(sys.argv[1], dtype=np.uint8).reshape((nz, ny, nx))  # i fastest
classes = []
for v in sorted(int(x) for x in np.unique(m) if x):
    classes.append(dict(value=v, voxels=int((m == v).sum()), components=int(ndimage.label(m == v)[1])))
ks = np.nonzero(m.any(axis=(1, 2)))[0]
edge = np.zeros((ny, nx), bool); edge[0, :] = edge[-1, :] = edge[:, 0] = edge[:, -1] = True
border = int(sum(bool((m[k] != 0)[edge].any()) for k in range(nz)))
print(json.dumps(dict(classes=classes, extent=[int(ks[0]), int(ks[-1])] if len(ks) else None, border=border)))
`,
        [file],
      );
      expect(
        ours.classes.map(({ value, voxels, components }) => ({ value, voxels, components })),
      ).toEqual(ref.classes);
      const ml = (0.7 * 0.9 * 2.5) / 1000;
      ours.classes.forEach((c) => expect(c.volumeMl).toBeCloseTo(c.voxels * ml, 9));
      expect(ours.sliceExtent).toEqual(ref.extent);
      expect(ours.borderSlices).toBe(ref.border);
      expect(ours.slices).toBe(DIMS[2]);
      // The blobs are meant to give several components and touch the border somewhere.
      expect(ref.classes.some((c) => c.components > 1)).toBe(true);
      expect(ref.border).toBeGreaterThan(0);
    }
  });
});
