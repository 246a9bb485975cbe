// JPEG-LS (lossless and near-lossless) via the CharLS WebAssembly build (plain Node).
import type { DicomImageInfo } from '../types';
import { loadCharls } from './vendor';
import { decodeWasmFrame } from './wasmFrame';

export async function decodeJpegLs(
  bytes: Uint8Array,
  info: DicomImageInfo,
): Promise<Uint8Array | Uint16Array> {
  const { JpegLSDecoder } = await loadCharls();
  // CharLS frames are unsigned.
  return decodeWasmFrame('JPEG-LS', new JpegLSDecoder(), bytes, info) as Uint8Array | Uint16Array;
}
