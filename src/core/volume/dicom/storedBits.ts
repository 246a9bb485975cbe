// Stored-value normalisation (plain Node): turns decoded samples into the typed array that
// BitsAllocated/PixelRepresentation call for, keeping only the BitsStored low bits and
// sign-extending them. Codecs disagree on signedness (a J2K codestream may say unsigned while
// PixelRepresentation says signed); PS3.5 8.2 makes the DICOM attributes authoritative.
import { AppError } from '../../errors';
import type { DicomImageInfo, StoredPixels } from './types';

export function checkBitDepth(info: DicomImageInfo): void {
  const { bitsAllocated, bitsStored } = info;
  if (bitsAllocated !== 8 && bitsAllocated !== 16 && bitsAllocated !== 32) {
    throw new AppError(
      'UNSUPPORTED',
      `BitsAllocated = ${bitsAllocated} is not supported (only 8, 16 and 32-bit integer pixels).`,
    );
  }
  if (!(bitsStored >= 1 && bitsStored <= bitsAllocated)) {
    throw new AppError(
      'CORRUPT_FILE',
      `BitsStored = ${bitsStored} does not fit BitsAllocated = ${bitsAllocated}.`,
    );
  }
}

export function allocateStored(info: DicomImageInfo, length: number): StoredPixels {
  const signed = info.pixelRepresentation === 1;
  switch (info.bitsAllocated) {
    case 8:
      return signed ? new Int8Array(length) : new Uint8Array(length);
    case 16:
      return signed ? new Int16Array(length) : new Uint16Array(length);
    default:
      return signed ? new Int32Array(length) : new Uint32Array(length);
  }
}

/** Samples as produced by a codec (any integer typed array) -> stored values per the header. */
export function toStoredPixels(samples: ArrayLike<number>, info: DicomImageInfo): StoredPixels {
  checkBitDepth(info);
  const out = allocateStored(info, samples.length);
  const bits = info.bitsStored;
  if (bits === info.bitsAllocated) {
    // Typed-array stores wrap modulo 2^bits, which is exactly the reinterpretation we want.
    for (let p = 0; p < samples.length; p++) out[p] = samples[p]!;
    return out;
  }
  const mask = 2 ** bits - 1;
  const half = 2 ** (bits - 1);
  const span = 2 ** bits;
  const signed = info.pixelRepresentation === 1;
  for (let p = 0; p < samples.length; p++) {
    // `>>> 0` keeps the masked value non-negative even when bit 31 of the mask is set.
    const v = (samples[p]! & mask) >>> 0;
    out[p] = signed && v >= half ? v - span : v;
  }
  return out;
}
