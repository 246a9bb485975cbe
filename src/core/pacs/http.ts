// One HTTP exchange with a DICOMweb server (plain Node, fetch): credentials attached, a time
// limit on every wait (the answer, and each chunk of its body), a size limit on the body, and
// every failure turned into an AppError that names the server and what was being done —
// never with a password, token or credential-bearing URL in it.
import { AppError } from '../errors';
import { authorizationHeader, authSecrets, describeAuth, DICOMWEB_ENV } from './auth';
import { scrubSecrets } from './redact';
import type { DicomwebServer } from './server';

export type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

export interface HttpCall {
  method: 'GET' | 'POST';
  /** Below the base URL, already URL-encoded, starting with "/". */
  path: string;
  query?: URLSearchParams;
  accept: string;
  body?: Uint8Array;
  contentType?: string;
  /** A longer body is refused (and its download stopped). */
  maxBytes: number;
  /** For messages: "searching studies", "retrieving instance 1.2.3". */
  what: string;
  signal?: AbortSignal;
  /** Statuses returned to the caller instead of failing (STOW-RS's 409 carries a body). */
  acceptStatuses?: number[];
}

export interface HttpAnswer {
  status: number;
  contentType: string;
  body: Buffer;
}

const MIB = 1024 * 1024;
/** How much of an error answer is read for its message. */
const ERROR_EXCERPT_BYTES = 64 * 1024;

/** What a failed connection's code means, for people. */
const NETWORK_REASONS: Record<string, string> = {
  ECONNREFUSED: 'connection refused (is the server running, and is the port right?)',
  ENOTFOUND: 'unknown host name',
  EAI_AGAIN: 'the host name could not be looked up (DNS)',
  ECONNRESET: 'the connection was reset',
  EHOSTUNREACH: 'the host is unreachable',
  ENETUNREACH: 'the network is unreachable',
  ETIMEDOUT: 'the connection timed out',
  EPIPE: 'the connection was closed',
  UND_ERR_SOCKET: 'the connection was closed',
  UND_ERR_CONNECT_TIMEOUT: 'the connection timed out',
  CERT_HAS_EXPIRED: "the server's TLS certificate has expired",
  DEPTH_ZERO_SELF_SIGNED_CERT: "the server's TLS certificate is self-signed (not trusted)",
  SELF_SIGNED_CERT_IN_CHAIN: "the server's TLS certificate chain is not trusted",
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: "the server's TLS certificate cannot be verified",
  ERR_TLS_CERT_ALTNAME_INVALID: "the server's TLS certificate is for another host name",
};

export async function httpCall(
  server: DicomwebServer,
  call: HttpCall,
  fetchImpl: FetchLike = fetch,
): Promise<HttpAnswer> {
  const secrets = authSecrets(server.auth);
  const fail = (code: AppError['code'], message: string, cause?: unknown) =>
    new AppError(code, scrubSecrets(message, secrets), { cause });
  if (call.signal?.aborted) throw fail('CANCELLED', `Cancelled while ${call.what}.`);

  const controller = new AbortController();
  let timedOut = false;
  let timer: NodeJS.Timeout | undefined;
  const touch = () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, server.timeoutMs);
  };
  const onAbort = () => controller.abort();
  call.signal?.addEventListener('abort', onAbort, { once: true });
  const url = `${server.baseUrl}${call.path}${call.query?.size ? `?${call.query}` : ''}`;
  const headers: Record<string, string> = { accept: call.accept };
  const authorization = authorizationHeader(server.auth);
  if (authorization) headers.authorization = authorization;
  if (call.contentType) headers['content-type'] = call.contentType;
  try {
    touch();
    const response = await fetchImpl(url, {
      method: call.method,
      headers,
      body: call.body,
      signal: controller.signal,
      redirect: 'follow',
    });
    touch();
    const ok = response.ok || call.acceptStatuses?.includes(response.status);
    const limit = ok ? call.maxBytes : ERROR_EXCERPT_BYTES;
    const body = await readBody(response, limit, !ok, touch, () =>
      fail(
        'REMOTE_FAILED',
        `${server.label} sent more than ${formatBytes(call.maxBytes)} while ${call.what}; ` +
          'that is over the limit for one answer, so it was stopped.',
      ),
    );
    if (ok)
      return {
        status: response.status,
        contentType: response.headers.get('content-type') ?? '',
        body,
      };
    throw statusError(server, call, response, body, fail);
  } catch (error) {
    if (error instanceof AppError) throw error;
    if (call.signal?.aborted) throw fail('CANCELLED', `Cancelled while ${call.what}.`, error);
    if (timedOut)
      throw fail(
        'UNREACHABLE',
        `${server.label} did not answer within ${server.timeoutMs / 1000} s while ${call.what}; ` +
          'check that the server is up, or give the source a longer time limit.',
        error,
      );
    throw fail(
      'UNREACHABLE',
      `Could not reach ${server.label} while ${call.what}: ${networkReason(error)}.`,
      error,
    );
  } finally {
    clearTimeout(timer);
    call.signal?.removeEventListener('abort', onAbort);
  }
}

function networkReason(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  const code = cause?.code ?? (error as { code?: string }).code;
  if (code && NETWORK_REASONS[code]) return `${NETWORK_REASONS[code]} (${code})`;
  if (code) return code;
  return cause?.message ?? (error instanceof Error ? error.message : String(error));
}

/** The body, stopping at `limit` bytes: an error (over the limit) or a cut excerpt. */
async function readBody(
  response: Response,
  limit: number,
  excerpt: boolean,
  touch: () => void,
  tooLarge: () => AppError,
): Promise<Buffer> {
  const declared = Number(response.headers.get('content-length'));
  if (!excerpt && Number.isFinite(declared) && declared > limit) {
    await response.body?.cancel().catch(() => undefined);
    throw tooLarge();
  }
  if (!response.body) return Buffer.alloc(0);
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    touch();
    total += value.byteLength;
    if (total > limit) {
      await reader.cancel().catch(() => undefined);
      if (!excerpt) throw tooLarge();
      chunks.push(value.subarray(0, value.byteLength - (total - limit)));
      break;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}

function statusError(
  server: DicomwebServer,
  call: HttpCall,
  response: Response,
  body: Buffer,
  fail: (code: AppError['code'], message: string) => AppError,
): AppError {
  const status = `HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''}`;
  const said = excerptOf(body);
  if (response.status === 401 || response.status === 403) {
    const hint =
      server.auth.kind === 'none'
        ? `it needs credentials: register the source with them (simcvd pacs add … --auth basic|bearer) or set ${DICOMWEB_ENV.user}/${DICOMWEB_ENV.password} or ${DICOMWEB_ENV.token}`
        : server.auth.kind === 'basic'
          ? 'check the user name and password'
          : 'check the token (it may have expired)';
    return fail(
      'AUTH_FAILED',
      `${server.label} refused ${describeAuth(server.auth)} (${status}) while ${call.what}; ${hint}.`,
    );
  }
  if (response.status === 404)
    return fail(
      'NOT_FOUND',
      `${server.label} has nothing at ${call.path} (${status}) while ${call.what}` +
        `${said ? `: ${said}` : ''}. Check that the base URL is the DICOMweb root (often …/dicom-web) and that the UIDs exist there.`,
    );
  return fail(
    'REMOTE_FAILED',
    `${server.label} answered ${status} while ${call.what}${said ? `: ${said}` : ''}.`,
  );
}

/** The start of an error answer, on one line, short enough for a message. */
function excerptOf(body: Buffer): string {
  // Binary (a DICOM part, say) says nothing readable.
  if (body.subarray(0, 512).includes(0)) return '';
  const text = body.toString('utf8').replace(/\s+/g, ' ').trim();
  if (!text) return '';
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}

export function formatBytes(bytes: number): string {
  return bytes >= MIB ? `${Math.round(bytes / MIB)} MiB` : `${Math.round(bytes / 1024)} KiB`;
}
