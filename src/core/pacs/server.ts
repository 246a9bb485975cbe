// A DICOMweb server as the client talks to it (plain Node): its base URL (checked, without
// credentials or a trailing slash), what messages call it, its credentials and time limit.
import { AppError } from '../errors';
import type { DicomwebAuth } from './auth';
import { redactUrl } from './redact';

export interface DicomwebServer {
  /** http(s)://host[:port]/path, no user info, no trailing slash. */
  baseUrl: string;
  /** What messages call it: "Hospital PACS (https://…)" or the URL. */
  label: string;
  auth: DicomwebAuth;
  /** A request that makes no progress (no answer, no bytes) this long fails. */
  timeoutMs: number;
  /** The registered source it came from, if any. */
  sourceId?: string;
}

export const DEFAULT_TIMEOUT_MS = 30_000;

/** Checks a DICOMweb base URL; refuses credentials in it (they would show in `ps` and logs). */
export function normalizeBaseUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw new AppError(
      'BAD_INPUT',
      `"${raw.length > 200 ? `${raw.slice(0, 200)}…` : raw}" is not a URL; give the DICOMweb service root, e.g. https://pacs.example.org/dicom-web.`,
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new AppError(
      'BAD_INPUT',
      `${redactUrl(raw)} is not an http(s) URL; DICOMweb is served over HTTP or HTTPS.`,
    );
  if (url.username || url.password)
    throw new AppError(
      'BAD_INPUT',
      `${redactUrl(raw)}: put credentials in a registered source (simcvd pacs add) or in ` +
        'SIMCVD_DICOMWEB_USER/SIMCVD_DICOMWEB_PASSWORD or SIMCVD_DICOMWEB_TOKEN, not in the URL, ' +
        'where they would show in the process list and in logs.',
    );
  if (url.search || url.hash)
    throw new AppError(
      'BAD_INPUT',
      `${redactUrl(raw)}: a DICOMweb base URL has no query or fragment; give the service root.`,
    );
  return url.toString().replace(/\/+$/, '');
}

export function serverLabel(baseUrl: string, name?: string): string {
  return name && name !== baseUrl ? `${name} (${baseUrl})` : baseUrl;
}
