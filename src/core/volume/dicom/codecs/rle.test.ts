// Unit tests (Node) for the DICOM RLE decoder on hand-made segments; whole files are checked
// against pydicom in test/integration/dicom.test.ts.
import { describe, expect, it } from 'vitest';
import type { DicomImageInfo } from '../types';
import { decodeRle, unpackBitsSegment } from './rle';

function rleFrame(segments: number[][]): Uint8Array {
  const header = new Uint8Array(64);
  const view = new DataView(header.buffer);
  view.setUint32(0, segments.length, true);
  let offset = 64;
  segments.forEach((segment, s) => {
    view.setUint32(4 + 4 * s, offset, true);
    offset += segment.length;
  });
  return new Uint8Array([...header, ...segments.flat()]);
}

const info = (columns: number, bitsAllocated: number, samplesPerPixel = 1): DicomImageInfo => ({
  rows: 1,
  columns,
  samplesPerPixel,
  bitsAllocated,
  bitsStored: bitsAllocated,
  pixelRepresentation: 0,
});

describe('unpackBitsSegment', () => {
  it('expands literal and replicate runs and ignores the -128 no-op', () => {
    const out = new Uint8Array(7);
    // literal 2 bytes (1: 10, 20), no-op (0x80), replicate 4 x 7 (0xfd = -3), literal 1 (0: 9)
    unpackBitsSegment(new Uint8Array([1, 10, 20, 0x80, 0xfd, 7, 0, 9]), out);
    expect([...out]).toEqual([10, 20, 7, 7, 7, 7, 9]);
  });

  it('throws CORRUPT_FILE when a segment is short', () => {
    expect(() => unpackBitsSegment(new Uint8Array([2, 1, 2]), new Uint8Array(3))).toThrow(
      /decodes to 2 of 3/,
    );
  });
});

describe('decodeRle', () => {
  it('joins byte planes most significant first into 16-bit samples', () => {
    const frame = rleFrame([
      [2, 0x01, 0x02, 0xff], // high bytes
      [2, 0x10, 0x20, 0x30], // low bytes
    ]);
    expect([...decodeRle(frame, info(3, 16))]).toEqual([0x0110, 0x0220, 0xff30]);
  });

  it('interleaves samples of colour pixels', () => {
    const frame = rleFrame([
      [0xff, 1],
      [0xff, 2],
      [0xff, 3],
    ]);
    expect([...decodeRle(frame, info(2, 8, 3))]).toEqual([1, 2, 3, 1, 2, 3]);
  });

  it('rejects a header whose segment count does not fit the pixel format', () => {
    expect(() => decodeRle(rleFrame([[0, 1]]), info(1, 16))).toThrow(
      /1 segments, the pixel format needs 2/,
    );
  });
});
