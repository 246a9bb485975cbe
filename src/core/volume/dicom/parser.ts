// DICOM byte parsing (plain Node) on top of dicom-parser: Part 10 files, files without the
// 128-byte preamble and meta header (syntax guessed from the first element), and deflated
// data sets (inflated here with node:zlib). Parse failures become CORRUPT_FILE.
import { createRequire } from 'node:module';
import { inflateRawSync } from 'node:zlib';
import type * as DicomParserModule from 'dicom-parser';
import type { DataSet } from 'dicom-parser';
import { AppError } from '../../errors';
import { EXPLICIT_VR_BE, EXPLICIT_VR_LE, IMPLICIT_VR_LE } from './transferSyntax';

// dicom-parser ships a UMD bundle; createRequire sidesteps ESM interop differences.
export const dicomParser = createRequire(import.meta.url)(
  'dicom-parser',
) as typeof DicomParserModule;

const PREAMBLE_BYTES = 128;
const TRANSFER_SYNTAX_TAG = 'x00020010';

export interface ParsedDicom {
  dataSet: DataSet;
  transferSyntaxUid: string;
  /** False for files that start directly with the data set (no preamble/meta header). */
  hasMetaHeader: boolean;
}

export function hasPart10Preamble(bytes: Uint8Array): boolean {
  return (
    bytes.length >= PREAMBLE_BYTES + 4 &&
    bytes[128] === 0x44 && // D
    bytes[129] === 0x49 && // I
    bytes[130] === 0x43 && // C
    bytes[131] === 0x4d // M
  );
}

const KNOWN_VRS = new Set(
  'AE AS AT CS DA DS DT FD FL IS LO LT OB OD OF OL OV OW PN SH SL SQ SS ST SV TM UC UI UL UN UR US UT UV'.split(
    ' ',
  ),
);

/** A file without meta header must start with a low, even group (0008 in practice). */
function plausibleFirstGroup(group: number): boolean {
  return group % 2 === 0 && group >= 0x0008 && group <= 0x0028;
}

/**
 * Transfer syntax of a data set that starts at byte 0, judged from its first element's tag
 * byte order and whether a VR follows; undefined when it does not look like DICOM at all.
 */
export function guessMetalessSyntax(bytes: Uint8Array): string | undefined {
  if (bytes.length < 8) return undefined;
  const groupLe = bytes[0]! | (bytes[1]! << 8);
  const groupBe = (bytes[0]! << 8) | bytes[1]!;
  const vr = String.fromCharCode(bytes[4]!, bytes[5]!);
  const explicit = KNOWN_VRS.has(vr);
  if (plausibleFirstGroup(groupLe)) return explicit ? EXPLICIT_VR_LE : IMPLICIT_VR_LE;
  if (plausibleFirstGroup(groupBe) && explicit) return EXPLICIT_VR_BE;
  return undefined;
}

function inflateDataSet(byteArray: Uint8Array, position: number): Uint8Array {
  const inflated = inflateRawSync(byteArray.subarray(position));
  const full = Buffer.alloc(position + inflated.length);
  full.set(byteArray.subarray(0, position), 0);
  full.set(inflated, position);
  return full;
}

function parseFailureMessage(source: string, error: unknown, fileBytes: number): string {
  // dicom-parser throws strings, Errors, or {exception, dataSet} wrappers holding what it read.
  const wrapped = typeof error === 'object' && error !== null && 'exception' in error;
  const pixels = wrapped ? (error as { dataSet?: DataSet }).dataSet?.elements.x7fe00010 : undefined;
  if (pixels && !pixels.hadUndefinedLength && pixels.dataOffset + pixels.length > fileBytes) {
    const remaining = Math.max(0, fileBytes - pixels.dataOffset);
    return `${source} is truncated: its Pixel Data should hold ${pixels.length} bytes but the file ends after ${remaining}.`;
  }
  const inner = wrapped ? (error as { exception: unknown }).exception : error;
  const detail = inner instanceof Error ? inner.message : String(inner);
  return `${source} is not a readable DICOM file (truncated or damaged): ${detail}.`;
}

/**
 * Parses `bytes` (a whole file, or its head when `headerOnly`, which stops at Pixel Data).
 * Returns undefined when the bytes are not DICOM; throws CORRUPT_FILE when they are DICOM
 * but cannot be parsed.
 */
export function parseDicomBytes(
  bytes: Uint8Array,
  source: string,
  options: { headerOnly?: boolean } = {},
): ParsedDicom | undefined {
  const hasMetaHeader = hasPart10Preamble(bytes);
  const guessed = hasMetaHeader ? undefined : guessMetalessSyntax(bytes);
  if (!hasMetaHeader && !guessed) return undefined;
  // dicom-parser's deflate and Buffer paths expect a Node Buffer.
  const buffer = Buffer.isBuffer(bytes)
    ? bytes
    : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
  let dataSet: DataSet;
  try {
    dataSet = dicomParser.parseDicom(buffer, {
      ...(guessed ? { TransferSyntaxUID: guessed } : {}),
      ...(options.headerOnly ? { untilTag: 'x7fe00010' } : {}),
      inflater: inflateDataSet as unknown as (arr: Uint8Array, position: number) => void,
    });
  } catch (error) {
    throw new AppError('CORRUPT_FILE', parseFailureMessage(source, error, buffer.length), {
      cause: error,
    });
  }
  const transferSyntaxUid =
    guessed ?? dataSet.string(TRANSFER_SYNTAX_TAG)?.replace(/\0/g, '').trim() ?? '';
  if (!transferSyntaxUid) {
    throw new AppError(
      'CORRUPT_FILE',
      `${source} has a DICOM meta header without a Transfer Syntax UID.`,
    );
  }
  if (!hasMetaHeader && !dataSet.elements.x00080016 && !dataSet.elements.x00080018) {
    // Random bytes can parse as implicit VR; a real data set names its SOP class/instance.
    return undefined;
  }
  return { dataSet, transferSyntaxUid, hasMetaHeader };
}
