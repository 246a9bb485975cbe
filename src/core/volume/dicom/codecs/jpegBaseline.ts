// JPEG baseline / extended 8-bit (processes 1 and 2) via jpeg-js (plain Node). jpeg-js only
// produces 8-bit output, so 12-bit (process 4) codestreams are refused rather than truncated.
import { AppError } from '../../../errors';
import type { DicomImageInfo } from '../types';
import { checkDecodedSize, codecFailure } from './frameCheck';
import { jpegJsDecode } from './vendor';

const CODEC = 'JPEG baseline';

/** Sample precision from the first SOFn marker, or undefined when none is found. */
export function jpegPrecision(bytes: Uint8Array): number | undefined {
  let p = 2;
  while (p + 4 < bytes.length) {
    if (bytes[p] !== 0xff) {
      p++;
      continue;
    }
    const marker = bytes[p + 1]!;
    // SOF0..SOF15 except DHT (C4), JPG (C8) and DAC (CC).
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      return bytes[p + 4];
    }
    if (
      marker === 0xd8 ||
      marker === 0x01 ||
      (marker >= 0xd0 && marker <= 0xd7) ||
      marker === 0xff
    ) {
      p += marker === 0xff ? 1 : 2;
      continue;
    }
    p += 2 + ((bytes[p + 2]! << 8) | bytes[p + 3]!);
  }
  return undefined;
}

export function decodeJpegBaseline(bytes: Uint8Array, info: DicomImageInfo): Uint8Array {
  const precision = jpegPrecision(bytes);
  if (precision !== 8) {
    throw new AppError(
      'UNSUPPORTED',
      `JPEG with ${precision ?? 'unknown'}-bit precision (lossy 12-bit, process 4) cannot be decoded; ` +
        'convert the series to an uncompressed or lossless transfer syntax first.',
    );
  }
  let image;
  try {
    // colorTransform false: DICOM states the colour space in PhotometricInterpretation.
    image = jpegJsDecode()(bytes, { useTArray: true, formatAsRGBA: false, colorTransform: false });
  } catch (error) {
    throw codecFailure(CODEC, error);
  }
  const pixels = image.width * image.height;
  // jpeg-js always returns 3 channels without alpha; a greyscale image repeats Y in each.
  checkDecodedSize(
    CODEC,
    { width: image.width, height: image.height, components: info.samplesPerPixel },
    info,
  );
  if (info.samplesPerPixel === 3) return image.data;
  const out = new Uint8Array(pixels);
  for (let p = 0; p < pixels; p++) out[p] = image.data[3 * p]!;
  return out;
}
