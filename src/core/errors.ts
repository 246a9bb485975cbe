// Domain errors (plain Node): every failure the user can cause carries a code from a closed set
// and a message that names the bad input and what to do about it.

// The codes are the API contract's (src/shared/contract/errors.ts):
// BAD_INPUT malformed request or argument; NOT_FOUND missing study/version/project/file;
// CORRUPT_FILE truncated, wrong magic, or disagreeing with its own header; UNSUPPORTED valid
// but not handled (4-D, exotic datatype, codec); GEOMETRY_MISMATCH a mask off its image grid;
// LOCKED another process holds the project; CONFLICT already exists; IO_FAILED the file
// system refused (ENOSPC, EACCES); CANCELLED the user stopped long work; INTERNAL a bug.
// A remote server (DICOMweb): UNREACHABLE no answer (refused, DNS, TLS, timeout); AUTH_FAILED
// it refused the credentials (401/403); REMOTE_FAILED it answered with an error or an answer
// that cannot be used (5xx, a malformed or oversized body, a refused store).
import { API_ERROR_CODES, type ApiErrorCode } from '../shared/contract/errors';

export const ERROR_CODES = API_ERROR_CODES;
export type ErrorCode = ApiErrorCode;

export class AppError extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'AppError';
    this.code = code;
  }
}

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError;
}

/** Converts anything thrown into the `{code, message}` shape that crosses process boundaries. */
export function toErrorPayload(error: unknown): { code: ErrorCode; message: string } {
  if (isAppError(error)) return { code: error.code, message: error.message };
  const message = error instanceof Error ? error.message : String(error);
  return { code: 'INTERNAL', message };
}
