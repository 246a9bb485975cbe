// Shared checks for compressed frames (plain Node): a codestream must match the DICOM header.
import { AppError } from '../../../errors';
import type { DicomImageInfo } from '../types';

export function checkDecodedSize(
  codec: string,
  decoded: { width: number; height: number; components: number },
  info: DicomImageInfo,
): void {
  if (
    decoded.width !== info.columns ||
    decoded.height !== info.rows ||
    decoded.components !== info.samplesPerPixel
  ) {
    throw new AppError(
      'CORRUPT_FILE',
      `${codec} frame is ${decoded.width}x${decoded.height} with ${decoded.components} component(s), ` +
        `but the header says Columns=${info.columns}, Rows=${info.rows}, ` +
        `SamplesPerPixel=${info.samplesPerPixel}.`,
    );
  }
}

/** Library errors come as Error, string or number (Emscripten); make them a CORRUPT_FILE. */
export function codecFailure(codec: string, error: unknown): AppError {
  if (error instanceof AppError) return error;
  const detail = error instanceof Error ? error.message : String(error);
  return new AppError('CORRUPT_FILE', `${codec} pixel data could not be decoded: ${detail}`, {
    cause: error,
  });
}
