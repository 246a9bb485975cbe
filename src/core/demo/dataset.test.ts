// Unit tests (Node, temp folders) for the demo dataset writer's guards and seed derivation;
// writing and reading back real files is covered by test/integration/demo.test.ts.
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isAppError } from '../errors';
import { demoCaseSeed, writeDemoDataset } from './dataset';

let tmp: string;
beforeEach(async () => {
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'demo-unit-'));
});
afterEach(async () => {
  await fs.rm(tmp, { recursive: true, force: true });
});

async function codeOf(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
  } catch (error) {
    return isAppError(error) ? error.code : 'not an AppError';
  }
  return undefined;
}

describe('demoCaseSeed', () => {
  it('is deterministic and gives distinct seeds per case and per dataset seed', () => {
    expect(demoCaseSeed(1, 1)).toBe(demoCaseSeed(1, 1));
    const seeds = new Set<number>();
    for (let dataset = 0; dataset < 20; dataset++)
      for (let n = 1; n <= 50; n++) seeds.add(demoCaseSeed(dataset, n));
    expect(seeds.size).toBe(1000);
    for (const s of seeds) expect(Number.isInteger(s) && s >= 0 && s < 2 ** 32).toBe(true);
  });
});

describe('writeDemoDataset guards', () => {
  it('refuses a non-empty folder that is not a demo dataset, leaving it untouched', async () => {
    await fs.writeFile(path.join(tmp, 'notes.txt'), 'mine');
    const error = await writeDemoDataset(tmp, { studies: 1, test: 0 }).catch((e: unknown) => e);
    expect(isAppError(error) && error.code).toBe('CONFLICT');
    expect((error as Error).message).toContain(tmp);
    expect(await fs.readdir(tmp)).toEqual(['notes.txt']);
  });

  it('refuses a path that is a file', async () => {
    const file = path.join(tmp, 'file');
    await fs.writeFile(file, '');
    expect(await codeOf(writeDemoDataset(file, { studies: 1, test: 0 }))).toBe('CONFLICT');
  });

  it('rejects bad counts, seeds and dims before touching the disk', async () => {
    const target = path.join(tmp, 'new');
    const bad = [
      { studies: 0 },
      { studies: 1.5 },
      { test: -1 },
      { studies: 600, test: 400 },
      { seed: -3 },
      { seed: 2 ** 32 },
      { dims: [10, 10, 10] as [number, number, number] },
    ];
    for (const options of bad) {
      expect(await codeOf(writeDemoDataset(target, options))).toBe('BAD_INPUT');
    }
    await expect(fs.stat(target)).rejects.toThrow();
  });
});
