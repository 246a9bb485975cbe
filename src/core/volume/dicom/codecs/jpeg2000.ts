// JPEG 2000 (lossless and lossy) via the OpenJPEG WebAssembly build (plain Node).
import type { DicomImageInfo } from '../types';
import { loadOpenJpeg } from './vendor';
import { decodeWasmFrame } from './wasmFrame';

export async function decodeJpeg2000(
  bytes: Uint8Array,
  info: DicomImageInfo,
): Promise<Uint8Array | Int8Array | Uint16Array | Int16Array> {
  const { J2KDecoder } = await loadOpenJpeg();
  return decodeWasmFrame('JPEG 2000', new J2KDecoder(), bytes, info);
}
