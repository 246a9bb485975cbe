// JPEG-LS (lossless and near-lossless) via the CharLS WebAssembly build (plain Node).
import type { DicomImageInfo } from '../types';
import { checkDecodedSize, codecFailure } from './frameCheck';
import { loadCharls } from './vendor';

const CODEC = 'JPEG-LS';

export async function decodeJpegLs(
  bytes: Uint8Array,
  info: DicomImageInfo,
): Promise<Uint8Array | Uint16Array> {
  const { JpegLSDecoder } = await loadCharls();
  const decoder = new JpegLSDecoder();
  try {
    decoder.getEncodedBuffer(bytes.length).set(bytes);
    decoder.decode();
    const frame = decoder.getFrameInfo();
    checkDecodedSize(
      CODEC,
      { width: frame.width, height: frame.height, components: frame.componentCount },
      info,
    );
    // The decoded buffer is a view into WebAssembly memory freed by delete(): copy it out.
    const decoded = decoder.getDecodedBuffer().slice();
    if (frame.bitsPerSample <= 8) return decoded;
    // WebAssembly memory is little-endian, as is every platform Node runs on.
    return new Uint16Array(decoded.buffer, 0, decoded.length / 2);
  } catch (error) {
    throw codecFailure(CODEC, error);
  } finally {
    decoder.delete();
  }
}
