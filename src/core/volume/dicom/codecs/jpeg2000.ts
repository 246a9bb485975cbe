// JPEG 2000 (lossless and lossy) via the OpenJPEG WebAssembly build (plain Node).
import type { DicomImageInfo } from '../types';
import { checkDecodedSize, codecFailure } from './frameCheck';
import { loadOpenJpeg } from './vendor';

const CODEC = 'JPEG 2000';

export async function decodeJpeg2000(
  bytes: Uint8Array,
  info: DicomImageInfo,
): Promise<Uint8Array | Int8Array | Uint16Array | Int16Array> {
  const { J2KDecoder } = await loadOpenJpeg();
  const decoder = new J2KDecoder();
  try {
    decoder.getEncodedBuffer(bytes.length).set(bytes);
    decoder.decode();
    const frame = decoder.getFrameInfo();
    checkDecodedSize(
      CODEC,
      { width: frame.width, height: frame.height, components: frame.componentCount },
      info,
    );
    // A view into WebAssembly memory freed by delete(): copy it out.
    const decoded = decoder.getDecodedBuffer().slice();
    if (frame.bitsPerSample <= 8) return frame.isSigned ? new Int8Array(decoded.buffer) : decoded;
    const count = decoded.length / 2;
    return frame.isSigned
      ? new Int16Array(decoded.buffer, 0, count)
      : new Uint16Array(decoded.buffer, 0, count);
  } catch (error) {
    throw codecFailure(CODEC, error);
  } finally {
    decoder.delete();
  }
}
