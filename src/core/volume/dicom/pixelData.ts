// Pixel data access (plain Node): cuts one frame's bytes out of a parsed data set and
// dispatches them to the codec for the transfer syntax. Every codec returns stored values
// normalised the same way (see storedBits.ts), so callers never care which codec ran.
import { dicomParser } from './parser';
import type { DataSet } from 'dicom-parser';
import { AppError } from '../../errors';
import { decodeJpeg2000 } from './codecs/jpeg2000';
import { decodeJpegBaseline } from './codecs/jpegBaseline';
import { decodeJpegLossless } from './codecs/jpegLossless';
import { decodeJpegLs } from './codecs/jpegLs';
import { decodeNative, frameByteLength } from './codecs/native';
import { decodeRle } from './codecs/rle';
import { checkBitDepth, toStoredPixels } from './storedBits';
import { transferSyntaxInfo, transferSyntaxLabel } from './transferSyntax';
import type { DicomImageInfo, StoredPixels } from './types';

export const PIXEL_DATA_TAG = 'x7fe00010';

/** The bytes of the only frame of a single-frame image (all fragments joined if encapsulated). */
export function singleFrameBytes(dataSet: DataSet, info: DicomImageInfo): Uint8Array {
  const element = dataSet.elements[PIXEL_DATA_TAG];
  if (!element) throw new AppError('CORRUPT_FILE', 'the file has no Pixel Data (7FE0,0010).');
  const bytes = dataSet.byteArray;
  if (element.encapsulatedPixelData) {
    const fragments = element.fragments ?? [];
    if (fragments.length === 0)
      throw new AppError('CORRUPT_FILE', 'encapsulated Pixel Data has no fragments.');
    const last = fragments[fragments.length - 1]!;
    if (last.position + last.length > bytes.length) {
      throw new AppError(
        'CORRUPT_FILE',
        'the last pixel data fragment runs past the end of the file (truncated?).',
      );
    }
    return dicomParser.readEncapsulatedPixelDataFromFragments(
      dataSet,
      element,
      0,
      fragments.length,
    );
  }
  const needed = frameByteLength(info);
  const available = Math.min(element.length, bytes.length - element.dataOffset);
  if (available < needed) {
    throw new AppError(
      'CORRUPT_FILE',
      `Pixel Data holds ${Math.max(0, available)} bytes but ${info.rows}x${info.columns} pixels of ` +
        `${info.bitsAllocated} bits need ${needed}: the file is truncated or its header is wrong.`,
    );
  }
  return bytes.subarray(element.dataOffset, element.dataOffset + needed);
}

/**
 * Decodes one frame to stored values (before rescale): Int/Uint 8/16/32 per
 * BitsAllocated/PixelRepresentation, only the BitsStored low bits kept, sign-extended.
 * Greyscale only: colour frames are refused before any codec runs.
 */
export async function decodePixelData(
  transferSyntaxUid: string,
  frameBytes: Uint8Array,
  info: DicomImageInfo,
): Promise<StoredPixels> {
  checkBitDepth(info);
  if (info.samplesPerPixel !== 1) {
    throw new AppError(
      'UNSUPPORTED',
      `colour images (SamplesPerPixel = ${info.samplesPerPixel}) cannot be imported as a volume.`,
    );
  }
  const syntax = transferSyntaxInfo(transferSyntaxUid);
  let samples: ArrayLike<number>;
  switch (syntax.encoding) {
    case 'native':
      samples = decodeNative(frameBytes, info, syntax.bigEndian);
      break;
    case 'rle':
      samples = decodeRle(frameBytes, info);
      break;
    case 'jpeg-lossless':
      samples = decodeJpegLossless(frameBytes, info);
      break;
    case 'jpeg-baseline':
      samples = decodeJpegBaseline(frameBytes, info);
      break;
    case 'jpeg-ls':
      samples = await decodeJpegLs(frameBytes, info);
      break;
    case 'jpeg2000':
      samples = await decodeJpeg2000(frameBytes, info);
      break;
    default:
      throw new AppError(
        'UNSUPPORTED',
        `transfer syntax ${transferSyntaxLabel(transferSyntaxUid)} is not supported; ` +
          'convert the files to an uncompressed or lossless syntax (e.g. with dcmtk or gdcmconv).',
      );
  }
  return toStoredPixels(samples, info);
}
