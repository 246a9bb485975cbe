// DICOM RLE Lossless decoder (PS3.5 Annex G), plain Node. No maintained npm package for it was
// installed, and the format is tiny: a 64-byte header of segment offsets, then one PackBits
// segment per byte plane, most significant byte first, one set of planes per sample.
import { AppError } from '../../../errors';
import type { DicomImageInfo } from '../types';

const HEADER_BYTES = 64;
const MAX_SEGMENTS = 15;

function corrupt(detail: string): AppError {
  return new AppError('CORRUPT_FILE', `RLE pixel data is damaged: ${detail}`);
}

/** Reads the segment table: [start, end) byte ranges in `bytes`. */
function segmentRanges(bytes: Uint8Array, expected: number): [number, number][] {
  if (bytes.length < HEADER_BYTES) throw corrupt(`only ${bytes.length} bytes, no RLE header`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, HEADER_BYTES);
  const count = view.getUint32(0, true);
  if (count !== expected || count > MAX_SEGMENTS) {
    throw corrupt(`header lists ${count} segments, the pixel format needs ${expected}`);
  }
  const starts: number[] = [];
  for (let s = 0; s < count; s++) starts.push(view.getUint32(4 + 4 * s, true));
  return starts.map((start, s) => {
    const end = s + 1 < count ? starts[s + 1]! : bytes.length;
    if (start < HEADER_BYTES || end > bytes.length || end < start) {
      throw corrupt(`segment ${s + 1} has an invalid offset ${start}`);
    }
    return [start, end];
  });
}

/** PackBits: n in 0..127 copies n+1 literal bytes, -127..-1 repeats the next byte 1-n times. */
export function unpackBitsSegment(src: Uint8Array, out: Uint8Array): void {
  let i = 0;
  let o = 0;
  while (o < out.length && i < src.length) {
    const header = src[i++]!;
    const n = header > 127 ? header - 256 : header;
    if (n >= 0) {
      const len = Math.min(n + 1, out.length - o, src.length - i);
      out.set(src.subarray(i, i + len), o);
      i += n + 1;
      o += len;
    } else if (n > -128) {
      if (i >= src.length) break;
      const value = src[i++]!;
      const len = Math.min(1 - n, out.length - o);
      out.fill(value, o, o + len);
      o += len;
    }
  }
  if (o < out.length) throw corrupt(`a segment decodes to ${o} of ${out.length} bytes`);
}

/** Samples interleaved per pixel (like native planar configuration 0), unsigned. */
export function decodeRle(
  bytes: Uint8Array,
  info: DicomImageInfo,
): Uint8Array | Uint16Array | Uint32Array {
  const bytesPerSample = info.bitsAllocated / 8;
  const spp = info.samplesPerPixel;
  const pixels = info.rows * info.columns;
  const ranges = segmentRanges(bytes, spp * bytesPerSample);
  const out =
    bytesPerSample === 1
      ? new Uint8Array(pixels * spp)
      : bytesPerSample === 2
        ? new Uint16Array(pixels * spp)
        : new Uint32Array(pixels * spp);
  const plane = new Uint8Array(pixels);
  for (let s = 0; s < spp; s++) {
    for (let b = 0; b < bytesPerSample; b++) {
      const [start, end] = ranges[s * bytesPerSample + b]!;
      unpackBitsSegment(bytes.subarray(start, end), plane);
      // Segment b holds byte b counted from the most significant one.
      const factor = 2 ** (8 * (bytesPerSample - 1 - b));
      for (let p = 0; p < pixels; p++) out[p * spp + s] += plane[p]! * factor;
    }
  }
  return out;
}
