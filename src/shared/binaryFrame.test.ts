// Unit tests for binary API frames (pure; runs in Node).
import { describe, expect, it } from 'vitest';
import { decodeFrame, encodeFrame, hasBinaryFields, isArrayBuffer } from './binaryFrame';

describe('binary frames', () => {
  it('round-trips JSON fields and several binary fields of odd lengths', () => {
    const a = Int16Array.from([-3, 7, 32767]);
    const b = Uint8Array.from([1, 2, 3, 4, 5]);
    const frame = encodeFrame({ header: { dims: [3, 1, 1] }, data: a.buffer, extra: b, note: 'x' });
    const out = decodeFrame(frame);
    expect(out.header).toEqual({ dims: [3, 1, 1] });
    expect(out.note).toBe('x');
    expect(Array.from(new Int16Array(out.data as ArrayBuffer))).toEqual([-3, 7, 32767]);
    expect(Array.from(new Uint8Array(out.extra as ArrayBuffer))).toEqual([1, 2, 3, 4, 5]);
  });

  it('gives each binary field its own exact-size buffer even when slice() returns a view', () => {
    const frame = encodeFrame({ data: new Uint8Array(10).fill(9) });
    // Node's Buffer is such a Uint8Array, and small Buffers share an 8 KiB pool.
    class ViewSlicing extends Uint8Array {
      override slice(start?: number, end?: number) {
        return this.subarray(start, end) as this;
      }
    }
    const pool = new ViewSlicing(8192);
    pool.set(frame, 64);
    const out = decodeFrame(pool.subarray(64, 64 + frame.length));
    expect(isArrayBuffer(out.data)).toBe(true);
    expect((out.data as ArrayBuffer).byteLength).toBe(10);
  });

  it('rejects truncated frames and detects binary fields', () => {
    const frame = encodeFrame({ data: new Uint8Array(64) });
    expect(() => decodeFrame(frame.subarray(0, frame.length - 16))).toThrow(/truncated/);
    expect(() => decodeFrame(new Uint8Array(16))).toThrow(/magic/);
    expect(hasBinaryFields({ a: 1 })).toBe(false);
    expect(hasBinaryFields({ a: new Float32Array(1) })).toBe(true);
  });
});
