// Uncompressed pixel data (plain Node): little- or big-endian samples of 8, 16 or 32 bits.
// Used for implicit/explicit VR LE, explicit VR BE and deflated LE (inflated by the parser).
import { AppError } from '../../../errors';
import type { DicomImageInfo } from '../types';

export function frameByteLength(info: DicomImageInfo): number {
  return info.rows * info.columns * info.samplesPerPixel * (info.bitsAllocated / 8);
}

/** Raw unsigned samples in file order; the caller reinterprets sign and stored bits. */
export function decodeNative(
  bytes: Uint8Array,
  info: DicomImageInfo,
  bigEndian: boolean,
): Uint8Array | Uint16Array | Uint32Array {
  const needed = frameByteLength(info);
  if (bytes.length < needed) {
    throw new AppError(
      'CORRUPT_FILE',
      `pixel data holds ${bytes.length} bytes but ${info.rows}x${info.columns}x` +
        `${info.samplesPerPixel} samples of ${info.bitsAllocated} bits need ${needed} (file truncated?)`,
    );
  }
  const count = info.rows * info.columns * info.samplesPerPixel;
  if (info.bitsAllocated === 8) return bytes.slice(0, count);
  const view = new DataView(bytes.buffer, bytes.byteOffset, needed);
  const little = !bigEndian;
  if (info.bitsAllocated === 16) {
    const out = new Uint16Array(count);
    for (let p = 0; p < count; p++) out[p] = view.getUint16(2 * p, little);
    return out;
  }
  const out = new Uint32Array(count);
  for (let p = 0; p < count; p++) out[p] = view.getUint32(4 * p, little);
  return out;
}
