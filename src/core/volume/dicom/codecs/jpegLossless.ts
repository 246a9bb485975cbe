// JPEG Lossless (process 14, any predictor incl. SV1) via jpeg-lossless-decoder-js (plain Node).
import type { DicomImageInfo } from '../types';
import { checkDecodedSize, codecFailure } from './frameCheck';
import { createJpegLosslessDecoder } from './vendor';

const CODEC = 'JPEG Lossless';

export function decodeJpegLossless(
  bytes: Uint8Array,
  info: DicomImageInfo,
): Uint8Array | Uint16Array {
  const decoder = createJpegLosslessDecoder();
  let out: Uint8Array | Uint16Array;
  try {
    // numBytes: output container width; 16-bit containers also carry 9..16-bit precisions.
    out = decoder.decode(
      bytes.buffer,
      bytes.byteOffset,
      bytes.length,
      info.bitsAllocated > 8 ? 2 : 1,
    );
  } catch (error) {
    throw codecFailure(CODEC, error);
  }
  const { dimX, dimY, numComp } = decoder.frame;
  checkDecodedSize(CODEC, { width: dimX, height: dimY, components: numComp }, info);
  if (out.length !== info.rows * info.columns * info.samplesPerPixel) {
    throw codecFailure(CODEC, `decoder returned ${out.length} samples`);
  }
  return out;
}
