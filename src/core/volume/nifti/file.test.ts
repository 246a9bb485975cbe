// Unit tests for NIfTI file I/O (plain Node): .nii/.nii.gz, content sniffing, .hdr/.img pairs
// found from either half, gzip errors through node:zlib, and the write rules.
import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { geometryFromAffine } from '../geometry';
import type { Volume } from '../volume';
import { encodeNifti } from './encode';
import { encodeVolumeFile, readVolumeFile, writeVolumeFile } from './file';

const AFFINE = [1.5, 0, 0, -10, 0, 1.5, 0, -20, 0, 0, 4, 8, 0, 0, 0, 1];
const volume: Volume = {
  dims: [5, 4, 3],
  spacingMm: [1.5, 1.5, 4],
  affine: AFFINE,
  data: Int16Array.from({ length: 60 }, (_, i) => (i * 37) % 200),
  geometry: geometryFromAffine(AFFINE),
};

let dir: string;
beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(tmpdir(), 'nifti-file-'));
});
afterAll(() => fs.rm(dir, { recursive: true, force: true }));

const at = (name: string) => path.join(dir, name);

/** Writes `stem.hdr`/`stem.img` (optionally gzipped) from a single-file encoding. */
async function writePair(stem: string, { gz = false, upper = false } = {}): Promise<void> {
  const single = encodeNifti(volume);
  const header = single.slice(0, 348);
  header[345] = 'i'.charCodeAt(0);
  new DataView(header.buffer).setFloat32(108, 0, true);
  const [h, i] = upper ? ['HDR', 'IMG'] : ['hdr', 'img'];
  const z = (b: Uint8Array) => (gz ? gzipSync(b) : b);
  await fs.writeFile(at(`${stem}.${h}${gz ? '.gz' : ''}`), z(header));
  await fs.writeFile(at(`${stem}.${i}${gz ? '.gz' : ''}`), z(single.slice(352)));
}

describe('writeVolumeFile / readVolumeFile', () => {
  it('round-trips .nii and .nii.gz, gzipping only .gz names', async () => {
    for (const name of ['plain.nii', 'packed.nii.gz']) {
      await writeVolumeFile(at(name), volume);
      const read = await readVolumeFile(at(name));
      expect(read.data).toEqual(volume.data);
      expect(read.dims).toEqual(volume.dims);
      const head = (await fs.readFile(at(name))).subarray(0, 2);
      expect(head[0] === 0x1f && head[1] === 0x8b).toBe(name.endsWith('.gz'));
    }
    expect((await fs.readdir(dir)).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('sniffs the content, not the name', async () => {
    await fs.writeFile(at('really-gzipped.nii'), await encodeVolumeFile(volume, { gzip: true }));
    await fs.writeFile(at('not-gzipped.nii.gz'), encodeNifti(volume));
    expect((await readVolumeFile(at('really-gzipped.nii'))).data).toEqual(volume.data);
    expect((await readVolumeFile(at('not-gzipped.nii.gz'))).data).toEqual(volume.data);
  });

  it('reads a .hdr/.img pair from either file, any case, gzipped or not', async () => {
    await writePair('pair');
    await writePair('zipped', { gz: true });
    await writePair('LOUD', { upper: true });
    for (const name of [
      'pair.hdr',
      'pair.img',
      'zipped.hdr.gz',
      'zipped.img.gz',
      'LOUD.HDR',
      'LOUD.IMG',
    ]) {
      expect((await readVolumeFile(at(name))).data, name).toEqual(volume.data);
    }
  });

  it('reports a missing partner, a missing file and a corrupt gzip by name', async () => {
    await writePair('lonely');
    await fs.rm(at('lonely.img'));
    await expect(readVolumeFile(at('lonely.hdr'))).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: expect.stringMatching(/lonely\.hdr .*image file lonely\.img/),
    });
    await expect(readVolumeFile(at('absent.nii'))).rejects.toMatchObject({ code: 'NOT_FOUND' });
    const gz = await encodeVolumeFile(volume, { gzip: true });
    await fs.writeFile(at('cut.nii.gz'), gz.subarray(0, gz.length - 20));
    await expect(readVolumeFile(at('cut.nii.gz'))).rejects.toMatchObject({
      code: 'CORRUPT_FILE',
      message: expect.stringContaining(
        `${at('cut.nii.gz')}: the gzip data is truncated or corrupt`,
      ),
    });
    const flipped = gz.slice();
    flipped[flipped.length - 6]! ^= 0xff; // CRC: only zlib checks it
    await fs.writeFile(at('crc.nii.gz'), flipped);
    await expect(readVolumeFile(at('crc.nii.gz'))).rejects.toMatchObject({ code: 'CORRUPT_FILE' });
  });

  it('writes only .nii or .nii.gz', async () => {
    await expect(writeVolumeFile(at('x.img'), volume)).rejects.toMatchObject({ code: 'BAD_INPUT' });
    await expect(writeVolumeFile(at('x.nrrd'), volume)).rejects.toMatchObject({
      code: 'BAD_INPUT',
    });
  });
});
