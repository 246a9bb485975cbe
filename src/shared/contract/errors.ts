// API error payload (shared): the closed set of codes every failure is reported with.
export const API_ERROR_CODES = [
  'BAD_INPUT',
  'NOT_FOUND',
  'CORRUPT_FILE',
  'UNSUPPORTED',
  'GEOMETRY_MISMATCH',
  'LOCKED',
  'CONFLICT',
  'IO_FAILED',
  'CANCELLED',
  'INTERNAL',
  'UNREACHABLE',
  'AUTH_FAILED',
  'REMOTE_FAILED',
] as const;

export type ApiErrorCode = (typeof API_ERROR_CODES)[number];

export interface ApiErrorPayload {
  code: ApiErrorCode;
  message: string;
}

/** Thrown by API clients so callers can branch on `code`. */
export class ApiError extends Error {
  constructor(
    readonly code: ApiErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}
