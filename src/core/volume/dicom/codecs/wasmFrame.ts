// One frame through a WebAssembly codec (plain Node): the decoder shell CharLS (JPEG-LS) and
// OpenJPEG (JPEG 2000) share — copy in, decode, check the size against the header, copy the
// pixels out of WebAssembly memory before it is freed, and type them by bit depth and sign.
import type { DicomImageInfo } from '../types';
import { checkDecodedSize, codecFailure } from './frameCheck';

export interface WasmFrameDecoder {
  getEncodedBuffer(length: number): Uint8Array;
  decode(): void;
  getFrameInfo(): {
    width: number;
    height: number;
    componentCount: number;
    bitsPerSample: number;
    /** OpenJPEG says; CharLS has no signed samples. */
    isSigned?: boolean;
  };
  getDecodedBuffer(): Uint8Array;
  delete(): void;
}

export function decodeWasmFrame(
  codec: string,
  decoder: WasmFrameDecoder,
  bytes: Uint8Array,
  info: DicomImageInfo,
): Uint8Array | Int8Array | Uint16Array | Int16Array {
  try {
    decoder.getEncodedBuffer(bytes.length).set(bytes);
    decoder.decode();
    const frame = decoder.getFrameInfo();
    checkDecodedSize(
      codec,
      { width: frame.width, height: frame.height, components: frame.componentCount },
      info,
    );
    // A view into WebAssembly memory freed by delete(): copy it out.
    const decoded = decoder.getDecodedBuffer().slice();
    if (frame.bitsPerSample <= 8) return frame.isSigned ? new Int8Array(decoded.buffer) : decoded;
    // WebAssembly memory is little-endian, as is every platform Node runs on.
    const count = decoded.length / 2;
    return frame.isSigned
      ? new Int16Array(decoded.buffer, 0, count)
      : new Uint16Array(decoded.buffer, 0, count);
  } catch (error) {
    throw codecFailure(codec, error);
  } finally {
    decoder.delete();
  }
}
