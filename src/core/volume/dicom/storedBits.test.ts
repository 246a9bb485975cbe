// Unit tests (Node) for stored-value normalisation: masking, sign extension, container types.
import { describe, expect, it } from 'vitest';
import { toStoredPixels } from './storedBits';
import type { DicomImageInfo } from './types';

const info = (
  bitsAllocated: number,
  bitsStored: number,
  pixelRepresentation: number,
): DicomImageInfo => ({
  rows: 1,
  columns: 4,
  samplesPerPixel: 1,
  bitsAllocated,
  bitsStored,
  pixelRepresentation,
});

describe('toStoredPixels', () => {
  it('reinterprets full-width samples by PixelRepresentation', () => {
    const out = toStoredPixels(new Uint16Array([0, 1, 0x7fff, 0xffff]), info(16, 16, 1));
    expect(out).toBeInstanceOf(Int16Array);
    expect([...out]).toEqual([0, 1, 32767, -1]);
  });

  it('drops bits above BitsStored (overlay/garbage) and sign-extends 12-bit values', () => {
    // 0xF800 = garbage high nibble over 0x800 (-2048 in 12 bits); 0x17FF -> 0x7FF = 2047.
    const out = toStoredPixels(new Uint16Array([0xf800, 0x17ff, 0x0fff, 0x0001]), info(16, 12, 1));
    expect([...out]).toEqual([-2048, 2047, -1, 1]);
    const unsigned = toStoredPixels(
      new Uint16Array([0xf800, 0x17ff, 0x0fff, 0x0001]),
      info(16, 12, 0),
    );
    expect(unsigned).toBeInstanceOf(Uint16Array);
    expect([...unsigned]).toEqual([0x800, 0x7ff, 0xfff, 1]);
  });

  it('handles signed J2K output that already carries the sign', () => {
    expect([...toStoredPixels(new Int16Array([-5, 5, -2048, 2047]), info(16, 12, 1))]).toEqual([
      -5, 5, -2048, 2047,
    ]);
  });

  it('keeps 32-bit unsigned values above 2^31', () => {
    const out = toStoredPixels(new Uint32Array([0xffffffff, 0x80000000, 1, 0]), info(32, 32, 0));
    expect([...out]).toEqual([0xffffffff, 0x80000000, 1, 0]);
    expect([...toStoredPixels(new Uint32Array([0xfffffffe, 3, 0, 0]), info(32, 31, 1))]).toEqual([
      -2, 3, 0, 0,
    ]);
  });

  it('refuses 1-bit and oversize BitsStored', () => {
    expect(() => toStoredPixels(new Uint8Array(4), info(1, 1, 0))).toThrow(/BitsAllocated = 1/);
    expect(() => toStoredPixels(new Uint8Array(4), info(8, 12, 0))).toThrow(/BitsStored = 12/);
  });
});
