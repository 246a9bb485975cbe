// Reading DICOM files from disk (plain Node): whole files for loading, and just the head of
// each file (up to Pixel Data) for scanning, so a folder scan does not read every pixel.
import { open, readFile } from 'node:fs/promises';
import { AppError, isAppError } from '../../errors';
import { readHeader, type DicomHeader } from './header';
import { parseDicomBytes, type ParsedDicom } from './parser';

/** Enough for the headers of nearly all files, including large private (CSA) groups. */
const HEAD_BYTES = 256 * 1024;

function ioFailure(path: string, error: unknown): AppError {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT')
    return new AppError('NOT_FOUND', `${path} does not exist.`, { cause: error });
  return new AppError('IO_FAILED', `${path} could not be read (${code ?? String(error)}).`, {
    cause: error,
  });
}

async function readHead(path: string): Promise<{ bytes: Uint8Array; complete: boolean }> {
  const handle = await open(path, 'r');
  try {
    const { size } = await handle.stat();
    const length = Math.min(size, HEAD_BYTES);
    const bytes = Buffer.alloc(length);
    let offset = 0;
    while (offset < length) {
      const { bytesRead } = await handle.read(bytes, offset, length - offset, offset);
      if (bytesRead === 0) break;
      offset += bytesRead;
    }
    return { bytes: bytes.subarray(0, offset), complete: offset >= size };
  } finally {
    await handle.close();
  }
}

/**
 * Header of `path` without its pixels; undefined when the file is not DICOM.
 * Throws CORRUPT_FILE for damaged DICOM and IO_FAILED/NOT_FOUND for file system errors.
 */
export async function readDicomHeaderFile(path: string): Promise<DicomHeader | undefined> {
  let head: { bytes: Uint8Array; complete: boolean };
  try {
    head = await readHead(path);
  } catch (error) {
    throw ioFailure(path, error);
  }
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
  try {
    return await readFile(path);
  } catch (error) {
    throw ioFailure(path, error);
  }
}

/** Whole file, parsed; BAD_INPUT when it is not DICOM. */
export async function readDicomFile(path: string): Promise<ParsedDicom & { header: DicomHeader }> {
  const parsed = parseDicomBytes(await readWhole(path), path);
  if (!parsed) throw new AppError('BAD_INPUT', `${path} is not a DICOM file.`);
  return { ...parsed, header: readHeader(parsed.dataSet, parsed.transferSyntaxUid) };
}
