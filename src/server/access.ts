// Server-mode access control (Node): who may call the API. Loopback-only by default, and a token
// by default even there (other OS users of the machine reach loopback too, as with Jupyter).
// Any other address must be asked for explicitly, over TLS unless plain HTTP is asked for too.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { AppError } from '../core/errors';

export function isLoopbackHost(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/** Cookies are scoped to a host, not a port: one name per port keeps other local services out. */
export function tokenCookieName(port: number): string {
  return `simcvd_token_${port}`;
}

export interface AccessPolicy {
  host: string;
  /** Required on every API call and event socket when set; unset only with `noToken`. */
  token?: string;
  /** TLS is on: the cookie is marked Secure. */
  secure: boolean;
}

export interface AccessOptions {
  host: string;
  allowRemote?: boolean;
  token?: string;
  /** Loopback only: serve without a token (every local user and process gets in). */
  noToken?: boolean;
  tls?: boolean;
  /** Remote only: allow plain HTTP (tokens and images then cross the network unencrypted). */
  insecureHttp?: boolean;
}

export const MIN_TOKEN_LENGTH = 16;
const MIN_DISTINCT_TOKEN_CHARS = 8;

/** A new random token (32 url-safe characters, 192 bits). */
export function randomToken(): string {
  return randomBytes(24).toString('base64url');
}

export function checkToken(token: string, source: string): string {
  const trimmed = token.trim();
  if (trimmed.length < MIN_TOKEN_LENGTH)
    throw new AppError(
      'BAD_INPUT',
      `The token from ${source} must be at least ${MIN_TOKEN_LENGTH} characters long.`,
    );
  if (new Set(trimmed).size < MIN_DISTINCT_TOKEN_CHARS)
    throw new AppError(
      'BAD_INPUT',
      `The token from ${source} is too easy to guess (fewer than ${MIN_DISTINCT_TOKEN_CHARS} different characters).`,
    );
  return trimmed;
}

/**
 * Refuses a non-loopback bind unless `allowRemote` is given, and then insists on TLS (or an
 * explicit `insecureHttp`) and a token: other machines must not reach patient images or write
 * labels without one. Loopback gets a random token too unless `noToken` opts out.
 */
export function accessPolicy(options: AccessOptions): AccessPolicy {
  const remote = !isLoopbackHost(options.host);
  if (remote && !options.allowRemote) {
    throw new AppError(
      'BAD_INPUT',
      `Binding to ${options.host} would expose the project to other machines. Pass ` +
        '--allow-remote to do that on purpose (a token is then required), or use 127.0.0.1.',
    );
  }
  if (remote && options.noToken)
    throw new AppError('BAD_INPUT', '--no-token is only allowed on a loopback address.');
  if (remote && !options.tls && !options.insecureHttp) {
    throw new AppError(
      'BAD_INPUT',
      `Serving ${options.host} over plain HTTP would send the token and patient images ` +
        'unencrypted. Give --tls-cert and --tls-key, or pass --insecure-http on a trusted network.',
    );
  }
  if (options.noToken && options.token !== undefined)
    throw new AppError('BAD_INPUT', 'Give either a token or --no-token, not both.');
  const token = options.noToken
    ? undefined
    : options.token !== undefined
      ? checkToken(options.token, 'the options')
      : randomToken();
  return { host: options.host, secure: options.tls === true, ...(token ? { token } : {}) };
}

/** The named cookie's value; undefined when absent or not valid percent-encoding. */
export function readCookie(request: IncomingMessage, name: string): string | undefined {
  for (const part of (request.headers.cookie ?? '').split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key !== name) continue;
    try {
      return decodeURIComponent(rest.join('='));
    } catch {
      return undefined;
    }
  }
  return undefined;
}

export function sameSecret(given: string | undefined, expected: string): boolean {
  if (given === undefined) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

export function requestToken(request: IncomingMessage, cookieName: string): string | undefined {
  const header = request.headers.authorization;
  if (header?.startsWith('Bearer ')) return header.slice('Bearer '.length).trim();
  return readCookie(request, cookieName);
}

/**
 * A request a browser made: browsers send Sec-Fetch-Site and a Mozilla-style User-Agent (Node's
 * fetch sends Sec-Fetch-Mode only). Such a request must carry an Origin, which a page cannot
 * forge.
 */
function fromBrowser(request: IncomingMessage): boolean {
  const headers = request.headers;
  return headers['sec-fetch-site'] !== undefined || /^Mozilla\//.test(headers['user-agent'] ?? '');
}

/**
 * Why an API request or event socket must be refused, or null when it may proceed. With a
 * token, it must be given (Bearer header or the per-port cookie); without one, the Host header
 * must name a loopback address (defeats DNS rebinding). A browser's request must carry an
 * Origin matching the Host (defeats cross-site pages); "null" (sandboxed frames, file pages) is
 * never accepted.
 */
export function refusal(
  request: IncomingMessage,
  policy: AccessPolicy,
  cookieName: string,
): string | null {
  const hostHeader = request.headers.host ?? '';
  if (policy.token) {
    if (!sameSecret(requestToken(request, cookieName), policy.token))
      return 'A valid token is required: open the URL printed by "simcvd serve".';
  } else {
    const hostName = hostHeader.replace(/:\d+$/, '').replace(/^\[(.*)\]$/, '$1');
    if (!isLoopbackHost(hostName)) return `Host "${hostHeader}" is not this machine.`;
  }
  const origin = request.headers.origin;
  if (origin === undefined) {
    return fromBrowser(request) ? 'A browser request without an Origin header is refused.' : null;
  }
  if (origin === 'null') return 'Requests from an opaque origin ("null") are refused.';
  let originHost: string;
  try {
    originHost = new URL(origin).host;
  } catch {
    return `Malformed Origin "${origin}".`;
  }
  if (originHost !== hostHeader) return `Cross-origin request from ${origin} refused.`;
  return null;
}
