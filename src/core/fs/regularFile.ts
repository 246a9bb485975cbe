// Reading input files safely (plain Node): only regular files, after symlinks are resolved, and
// never waiting forever. A FIFO, socket or device found in an import folder (or linked from it)
// would block a plain read until something writes to it; opening non-blocking and checking the
// open handle's type refuses it at once, and a per-file timeout bounds a stalled mount.
import { constants, promises as fs } from 'node:fs';
import { AppError } from '../errors';

/** Long enough for a large file on a slow disk; short enough that a hung mount is reported. */
export const READ_TIMEOUT_MS = 120_000;

// O_NONBLOCK makes open() on a FIFO return at once instead of waiting for a writer; for a
// regular file it changes nothing. Windows has neither FIFOs of this kind nor the flag.
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0);

function kindOf(stat: import('node:fs').Stats): string {
  if (stat.isDirectory()) return 'a folder';
  if (stat.isFIFO()) return 'a named pipe (FIFO)';
  if (stat.isSocket()) return 'a socket';
  if (stat.isCharacterDevice() || stat.isBlockDevice()) return 'a device';
  return 'not a regular file';
}

function ioError(file: string, error: unknown): AppError {
  if (error instanceof AppError) return error;
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT')
    return new AppError('NOT_FOUND', `File not found: ${file}`, { cause: error });
  return new AppError(
    'IO_FAILED',
    `Could not read ${file} (${code ?? 'unknown error'}); check that it is a readable file.`,
    { cause: error },
  );
}

async function withTimeout<T>(work: Promise<T>, file: string, timeoutMs: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new AppError(
            'IO_FAILED',
            `Reading ${file} took longer than ${Math.round(timeoutMs / 1000)} s; is its disk or network share still there?`,
          ),
        ),
      timeoutMs,
    );
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** True for a regular file, following symlinks; false for anything else or a broken link. */
export async function isRegularFile(file: string): Promise<boolean> {
  return fs.stat(file).then(
    (s) => s.isFile(),
    () => false,
  );
}

/**
 * Reads `file` (up to `maxBytes` from the start when given) if it is a regular file; refuses
 * anything else with UNSUPPORTED naming what it is. Returns the bytes and the file's size.
 */
export async function readRegularFile(
  file: string,
  options: { maxBytes?: number; timeoutMs?: number } = {},
): Promise<{ bytes: Uint8Array; size: number }> {
  const work = async () => {
    const handle = await fs.open(file, OPEN_FLAGS);
    try {
      // The handle's own type: the path may have been swapped since any earlier check.
      const stat = await handle.stat();
      if (!stat.isFile())
        throw new AppError('UNSUPPORTED', `${file} is ${kindOf(stat)}, not a file; skipped.`);
      const length = Math.min(stat.size, options.maxBytes ?? stat.size);
      const bytes = Buffer.alloc(length);
      let offset = 0;
      while (offset < length) {
        const { bytesRead } = await handle.read(bytes, offset, length - offset, offset);
        if (bytesRead === 0) break;
        offset += bytesRead;
      }
      return { bytes: bytes.subarray(0, offset), size: stat.size };
    } finally {
      await handle.close();
    }
  };
  try {
    return await withTimeout(work(), file, options.timeoutMs ?? READ_TIMEOUT_MS);
  } catch (error) {
    throw ioError(file, error);
  }
}
