// Errors → one line for the PACS panels (renderer, pure): the back end's message already names
// the server and what failed; the code adds what kind of failure it was, so "cannot reach",
// "refused the credentials" and "the server failed" read differently at a glance.
import { ApiError, type ApiErrorCode } from '../../../../shared/contract/errors';

const KINDS: Partial<Record<ApiErrorCode, string>> = {
  UNREACHABLE: 'PACS unreachable',
  AUTH_FAILED: 'PACS refused the credentials',
  REMOTE_FAILED: 'PACS error',
  NOT_FOUND: 'Not found',
  BAD_INPUT: 'Check the input',
  CONFLICT: 'Busy',
  CANCELLED: 'Cancelled',
};

export function errorLine(error: unknown): string {
  const message = (error instanceof Error ? error.message : String(error))
    .replace(/\s*\n\s*/g, ' ')
    .trim();
  const kind = error instanceof ApiError ? KINDS[error.code] : undefined;
  return kind ? `${kind}: ${message}` : message || 'Something went wrong (no message).';
}

/** The job's own error (it travels as {code, message}) as the same one line. */
export function jobErrorLine(error: { code: string; message: string }): string {
  return errorLine(new ApiError(error.code as ApiErrorCode, error.message));
}
