// Reading DICOM files from disk (plain Node): whole files for loading, and just the head of
// each file (up to Pixel Data) for scanning, so a folder scan does not read every pixel.
import { AppError, isAppError } from '../../errors';
import { readRegularFile } from '../../fs/regularFile';
import { readHeader, type DicomHeader } from './header';
import { parseDicomBytes, type ParsedDicom } from './parser';

/** Enough for the headers of nearly all files, including large private (CSA) groups. */
const HEAD_BYTES = 256 * 1024;

async function readHead(path: string): Promise<{ bytes: Uint8Array; complete: boolean }> {
  const { bytes, size } = await readRegularFile(path, { maxBytes: HEAD_BYTES });
  return { bytes, complete: bytes.byteLength >= size };
}

/**
 * Header of `path` without its pixels; undefined when the file is not DICOM.
 * Throws CORRUPT_FILE for damaged DICOM and IO_FAILED/NOT_FOUND for file system errors.
 */
export async function readDicomHeaderFile(path: string): Promise<DicomHeader | undefined> {
  const head = await readHead(path);
  if (!head.complete) {
    try {
      const parsed = parseDicomBytes(head.bytes, path, { headerOnly: true });
      if (!parsed) return undefined;
      // Stopped at Pixel Data, so the head held the whole header.
      if (parsed.dataSet.elements.x7fe00010)
        return readHeader(parsed.dataSet, parsed.transferSyntaxUid);
    } catch (error) {
      // A cut-off head (or a deflated stream cut short) fails to parse: retry with the whole file.
      if (!isAppError(error) || error.code !== 'CORRUPT_FILE') throw error;
    }
  }
  const parsed = parseDicomBytes(head.complete ? head.bytes : await readWhole(path), path, {
    headerOnly: true,
  });
  return parsed ? readHeader(parsed.dataSet, parsed.transferSyntaxUid) : undefined;
}

async function readWhole(path: string): Promise<Uint8Array> {
  return (await readRegularFile(path)).bytes;
}

/** Whole file, parsed; BAD_INPUT when it is not DICOM. */
export async function readDicomFile(path: string): Promise<ParsedDicom & { header: DicomHeader }> {
  const parsed = parseDicomBytes(await readWhole(path), path);
  if (!parsed) throw new AppError('BAD_INPUT', `${path} is not a DICOM file.`);
  return { ...parsed, header: readHeader(parsed.dataSet, parsed.transferSyntaxUid) };
}
