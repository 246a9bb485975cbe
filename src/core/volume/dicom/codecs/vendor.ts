// Typed handles on the CommonJS/Emscripten codec packages (plain Node). They are loaded with
// createRequire because their UMD/CJS shapes do not survive ESM named-import interop reliably,
// and the Emscripten factories must be told where their .wasm file lives.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

export interface JpegLosslessDecoder {
  /** The SOF header of the last decoded image. */
  frame: { dimX: number; dimY: number; numComp: number; precision: number };
  decode(
    buffer: ArrayBufferLike,
    offset?: number,
    length?: number,
    numBytes?: number,
  ): Uint8Array | Uint16Array;
}

export function createJpegLosslessDecoder(): JpegLosslessDecoder {
  const mod = require('jpeg-lossless-decoder-js') as { Decoder: new () => JpegLosslessDecoder };
  return new mod.Decoder();
}

export interface JpegJsImage {
  width: number;
  height: number;
  data: Uint8Array;
}

export type JpegJsDecode = (
  jpeg: Uint8Array,
  opts: {
    useTArray: true;
    formatAsRGBA: boolean;
    colorTransform?: boolean;
    tolerantDecoding?: boolean;
  },
) => JpegJsImage;

export function jpegJsDecode(): JpegJsDecode {
  return (require('jpeg-js') as { decode: JpegJsDecode }).decode;
}

/** What the CharLS and OpenJPEG embind decoders have in common. */
export interface WasmFrameDecoder {
  getEncodedBuffer(length: number): Uint8Array;
  getDecodedBuffer(): Uint8Array;
  decode(): void;
  getFrameInfo(): {
    width: number;
    height: number;
    bitsPerSample: number;
    componentCount: number;
    isSigned?: boolean;
  };
  delete(): void;
}

interface EmscriptenModuleOptions {
  locateFile: (file: string) => string;
  print: (text: string) => void;
  printErr: (text: string) => void;
}

type Factory<M> = (options: EmscriptenModuleOptions) => Promise<M>;

function instantiate<M>(packageName: string): Promise<M> {
  const factory = require(`${packageName}/decodewasmjs`) as Factory<M>;
  const wasmPath = require.resolve(`${packageName}/decodewasm`);
  return factory({
    locateFile: (file) => (file.endsWith('.wasm') ? wasmPath : file),
    // OpenJPEG logs "[INFO] ..." lines for every frame; they are noise for us.
    print: () => {},
    printErr: () => {},
  });
}

let charls: Promise<{ JpegLSDecoder: new () => WasmFrameDecoder }> | undefined;
let openjpeg: Promise<{ J2KDecoder: new () => WasmFrameDecoder }> | undefined;

/** The CharLS module is instantiated once per process, on first use. */
export function loadCharls(): Promise<{ JpegLSDecoder: new () => WasmFrameDecoder }> {
  charls ??= instantiate('@cornerstonejs/codec-charls');
  return charls;
}

export function loadOpenJpeg(): Promise<{ J2KDecoder: new () => WasmFrameDecoder }> {
  openjpeg ??= instantiate('@cornerstonejs/codec-openjpeg');
  return openjpeg;
}
