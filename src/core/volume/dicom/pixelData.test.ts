// Unit tests (Node) for the pixel-data dispatch: native byte orders, refusals with reasons.
import { describe, expect, it } from 'vitest';
import { decodePixelData } from './pixelData';
import type { DicomImageInfo } from './types';

const mono16: DicomImageInfo = {
  rows: 1,
  columns: 2,
  samplesPerPixel: 1,
  bitsAllocated: 16,
  bitsStored: 16,
  pixelRepresentation: 1,
};
const bytes = new Uint8Array([0x01, 0x80, 0xff, 0x7f]);

describe('decodePixelData', () => {
  it('reads native little- and big-endian frames (deflated data arrives inflated, as LE)', async () => {
    expect([...(await decodePixelData('1.2.840.10008.1.2.1', bytes, mono16))]).toEqual([
      -32767, 32767,
    ]);
    expect([...(await decodePixelData('1.2.840.10008.1.2', bytes, mono16))]).toEqual([
      -32767, 32767,
    ]);
    expect([...(await decodePixelData('1.2.840.10008.1.2.1.99', bytes, mono16))]).toEqual([
      -32767, 32767,
    ]);
    expect([...(await decodePixelData('1.2.840.10008.1.2.2', bytes, mono16))]).toEqual([
      0x0180, -129,
    ]);
  });

  it('names unknown and unsupported transfer syntaxes', async () => {
    await expect(decodePixelData('1.2.3.4', bytes, mono16)).rejects.toThrow(
      /1\.2\.3\.4 \(unknown transfer syntax\)/,
    );
    await expect(decodePixelData('1.2.840.10008.1.2.4.201', bytes, mono16)).rejects.toMatchObject({
      code: 'UNSUPPORTED',
      message: expect.stringMatching(/High-Throughput JPEG 2000/),
    });
  });

  it('refuses colour, 1-bit and short frames with the reason', async () => {
    await expect(
      decodePixelData('1.2.840.10008.1.2.1', bytes, { ...mono16, samplesPerPixel: 3 }),
    ).rejects.toThrow(/SamplesPerPixel = 3/);
    await expect(
      decodePixelData('1.2.840.10008.1.2.1', bytes, { ...mono16, bitsAllocated: 1, bitsStored: 1 }),
    ).rejects.toThrow(/BitsAllocated = 1/);
    await expect(
      decodePixelData('1.2.840.10008.1.2.1', bytes, { ...mono16, columns: 3 }),
    ).rejects.toMatchObject({
      code: 'CORRUPT_FILE',
    });
  });

  it('turns codec failures into CORRUPT_FILE', async () => {
    const garbage = new Uint8Array([0xff, 0xd8, 0xff, 0xc3, 0, 2, 1, 2, 3]);
    await expect(decodePixelData('1.2.840.10008.1.2.4.70', garbage, mono16)).rejects.toMatchObject({
      code: 'CORRUPT_FILE',
    });
    await expect(decodePixelData('1.2.840.10008.1.2.4.80', garbage, mono16)).rejects.toMatchObject({
      code: 'CORRUPT_FILE',
    });
    await expect(decodePixelData('1.2.840.10008.1.2.4.90', garbage, mono16)).rejects.toMatchObject({
      code: 'CORRUPT_FILE',
    });
  });
});
