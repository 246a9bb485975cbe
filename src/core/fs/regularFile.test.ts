// Unit tests for reading input files safely (Node, real FIFOs and links): a named pipe or a
// link to one is refused at once instead of blocking the read forever.
import { execFileSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isRegularFile, readRegularFile } from './regularFile';
import { scanDicomFolder } from '../volume/dicom';

let dir: string;
const posix = process.platform !== 'win32';

beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'simcvd-regular-'));
  await fs.writeFile(path.join(dir, 'plain.bin'), Buffer.from([1, 2, 3, 4, 5]));
  if (posix) {
    execFileSync('mkfifo', [path.join(dir, 'pipe')]);
    await fs.symlink(path.join(dir, 'pipe'), path.join(dir, 'link-to-pipe.dcm'));
    await fs.symlink(path.join(dir, 'plain.bin'), path.join(dir, 'link-to-plain'));
  }
});

afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

describe.skipIf(!posix)('readRegularFile', () => {
  it('reads a file, or its first bytes, through a link too', async () => {
    expect(Array.from((await readRegularFile(path.join(dir, 'plain.bin'))).bytes)).toEqual([
      1, 2, 3, 4, 5,
    ]);
    const head = await readRegularFile(path.join(dir, 'link-to-plain'), { maxBytes: 2 });
    expect(Array.from(head.bytes)).toEqual([1, 2]);
    expect(head.size).toBe(5);
  });

  it('refuses a FIFO and a link to one at once, naming what it is', async () => {
    for (const name of ['pipe', 'link-to-pipe.dcm']) {
      await expect(readRegularFile(path.join(dir, name))).rejects.toMatchObject({
        code: 'UNSUPPORTED',
        message: expect.stringMatching(/named pipe \(FIFO\), not a file/),
      });
    }
    expect(await isRegularFile(path.join(dir, 'link-to-pipe.dcm'))).toBe(false);
    await expect(readRegularFile(path.join(dir, 'missing'))).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  });

  it('lets a DICOM folder scan finish, listing the pipe and the link as skipped', async () => {
    const scan = await scanDicomFolder(dir);
    expect(scan).toHaveLength(0);
    expect(scan.skipped.map((s) => [path.basename(s.path), s.reason])).toEqual([
      ['link-to-pipe.dcm', 'a link to something that is not a regular file'],
      ['link-to-plain', 'not a DICOM file'],
      ['pipe', 'not a regular file (a pipe, socket or device)'],
      ['plain.bin', 'not a DICOM file'],
    ]);
  });
});
