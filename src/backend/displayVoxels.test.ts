// Unit tests for display voxel conversion and intensity statistics (pure; Node).
import { describe, expect, it } from 'vitest';
import { intensityStats, toDisplayVoxels } from './displayVoxels';

describe('toDisplayVoxels', () => {
  it('widens int8 to int16 exactly and narrows 64-bit floats to float32', () => {
    const int8 = toDisplayVoxels(Int8Array.from([-128, 0, 127]));
    expect(int8.dataType).toBe('int16');
    expect(int8.storedType).toBe('int8');
    expect(Array.from(new Int16Array(int8.buffer))).toEqual([-128, 0, 127]);
    const f64 = toDisplayVoxels(Float64Array.from([0.5, -1e3, 3.25]));
    expect(f64.dataType).toBe('float32');
    expect(Array.from(new Float32Array(f64.buffer))).toEqual([0.5, -1000, 3.25]);
    const i32 = toDisplayVoxels(Int32Array.from([70000, -5]));
    expect(Array.from(new Float32Array(i32.buffer))).toEqual([70000, -5]);
  });

  it('returns a buffer of exactly the voxels when the input is a view into a larger one', () => {
    const backing = new Int16Array(100).map((_, n) => n);
    const view = backing.subarray(10, 14);
    const display = toDisplayVoxels(view);
    expect(display.dataType).toBe('int16');
    expect(display.buffer.byteLength).toBe(8);
    expect(Array.from(new Int16Array(display.buffer))).toEqual([10, 11, 12, 13]);
  });
});

describe('intensityStats', () => {
  it('finds the extremes and robust percentiles', () => {
    const data = Float32Array.from({ length: 1000 }, (_, n) => n);
    data[0] = -1e6; // one outlier each side must not move the robust window
    data[999] = 1e6;
    const stats = intensityStats(data);
    expect(stats.minValue).toBe(-1e6);
    expect(stats.maxValue).toBe(1e6);
    expect(stats.robustRange).toEqual([5, 995]);
  });

  it('samples large volumes with a stride and stays close to the exact percentiles', () => {
    const data = Uint16Array.from({ length: 200_000 }, (_, n) => (n * 7919) % 4096);
    const stats = intensityStats(data, 10_000);
    expect(Math.abs(stats.robustRange[0] - 0.005 * 4096)).toBeLessThan(30);
    expect(Math.abs(stats.robustRange[1] - 0.995 * 4096)).toBeLessThan(30);
  });
});
