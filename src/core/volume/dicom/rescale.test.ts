// Unit tests (Node) for the modality rescale and the choice of output array type.
import { describe, expect, it } from 'vitest';
import { assembleVolumeData } from './rescale';

describe('assembleVolumeData', () => {
  it('keeps integer scaling in the smallest integer array that holds the result', () => {
    const ct = assembleVolumeData(
      [
        { pixels: new Uint16Array([0, 4095]), slope: 1, intercept: -1024 },
        { pixels: new Uint16Array([10, 20]), slope: 2, intercept: 0 },
      ],
      16,
    );
    expect(ct).toBeInstanceOf(Int16Array);
    expect([...ct]).toEqual([-1024, 3071, 20, 40]);
    expect(
      assembleVolumeData([{ pixels: new Uint16Array([0, 65535]), slope: 1, intercept: 0 }], 16),
    ).toBeInstanceOf(Uint16Array);
    expect(
      assembleVolumeData([{ pixels: new Uint16Array([0, 65535]), slope: 1, intercept: -1 }], 16),
    ).toBeInstanceOf(Int32Array);
    expect(
      assembleVolumeData([{ pixels: new Uint8Array([0, 255]), slope: 1, intercept: 0 }], 8),
    ).toBeInstanceOf(Uint8Array);
    const big = assembleVolumeData(
      [{ pixels: new Uint32Array([0xffffffff]), slope: 1, intercept: 0 }],
      32,
    );
    expect(big[0]).toBe(0xffffffff);
  });

  it('uses Float32 for fractional slope or intercept, per slice', () => {
    const out = assembleVolumeData(
      [
        { pixels: new Int16Array([4, -4]), slope: 0.25, intercept: 0 },
        { pixels: new Int16Array([4, -4]), slope: 1, intercept: 0.5 },
      ],
      16,
    );
    expect(out).toBeInstanceOf(Float32Array);
    expect([...out]).toEqual([1, -1, 4.5, -3.5]);
  });
});
