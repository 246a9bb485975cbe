// Unit tests (Node) for reading the JPEG sample precision that decides baseline vs 12-bit.
import { describe, expect, it } from 'vitest';
import { jpegPrecision } from './jpegBaseline';

describe('jpegPrecision', () => {
  it('finds the precision in the SOF marker after other segments', () => {
    const app0 = [0xff, 0xe0, 0x00, 0x04, 0x00, 0x00];
    const sof = (marker: number, precision: number) => [
      0xff,
      marker,
      0x00,
      0x0b,
      precision,
      0,
      1,
      0,
      1,
      1,
      1,
      0x11,
      0,
    ];
    expect(jpegPrecision(new Uint8Array([0xff, 0xd8, ...app0, ...sof(0xc0, 8)]))).toBe(8);
    expect(jpegPrecision(new Uint8Array([0xff, 0xd8, ...app0, ...sof(0xc1, 12)]))).toBe(12);
    // A DHT (C4) segment is not a frame header.
    const dht = [0xff, 0xc4, 0x00, 0x04, 0x00, 0x00];
    expect(jpegPrecision(new Uint8Array([0xff, 0xd8, ...dht, ...sof(0xc3, 16)]))).toBe(16);
    expect(jpegPrecision(new Uint8Array([0xff, 0xd8, 0xff, 0xd9]))).toBeUndefined();
  });
});
