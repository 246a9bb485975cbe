// Server-mode access control (Node): who may call the API. Loopback-only by default; any other
// address must be asked for explicitly and then every API call and event socket needs a token.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { AppError } from '../core/errors';

export const TOKEN_COOKIE = 'simcvd_token';

export function isLoopbackHost(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

export interface AccessPolicy {
  host: string;
  /** Required on every API call and event socket when set. */
  token?: string;
}

/**
 * Refuses a non-loopback bind unless `allowRemote` is given, and then insists on a token
 * (a random one when the caller gave none): other machines on the network must not reach
 * patient images or write labels without it.
 */
export function accessPolicy(options: {
  host: string;
  allowRemote?: boolean;
  token?: string;
}): AccessPolicy {
  const remote = !isLoopbackHost(options.host);
  if (remote && !options.allowRemote) {
    throw new AppError(
      'BAD_INPUT',
      `Binding to ${options.host} would expose the project to other machines. Pass ` +
        '--allow-remote to do that on purpose (a token is then required), or use 127.0.0.1.',
    );
  }
  if (options.token !== undefined && options.token.length < 16) {
    throw new AppError('BAD_INPUT', 'The token must be at least 16 characters long.');
  }
  const token = options.token ?? (remote ? randomBytes(24).toString('base64url') : undefined);
  return { host: options.host, ...(token ? { token } : {}) };
}

function readCookie(request: IncomingMessage, name: string): string | undefined {
  for (const part of (request.headers.cookie ?? '').split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return decodeURIComponent(rest.join('='));
  }
  return undefined;
}

function sameSecret(given: string | undefined, expected: string): boolean {
  if (given === undefined) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

export function requestToken(request: IncomingMessage): string | undefined {
  const header = request.headers.authorization;
  if (header?.startsWith('Bearer ')) return header.slice('Bearer '.length).trim();
  return readCookie(request, TOKEN_COOKIE);
}

/**
 * Why an API request or event socket must be refused, or null when it may proceed. Without a
 * token, the Host header must name a loopback address (defeats DNS rebinding); a browser's
 * Origin, when sent, must match the Host (defeats cross-site requests from other pages).
 */
export function refusal(request: IncomingMessage, policy: AccessPolicy): string | null {
  const hostHeader = request.headers.host ?? '';
  if (policy.token) {
    if (!sameSecret(requestToken(request), policy.token))
      return 'A valid token is required: open the URL printed by "simcvd serve".';
  } else {
    const hostName = hostHeader.replace(/:\d+$/, '').replace(/^\[(.*)\]$/, '$1');
    if (!isLoopbackHost(hostName)) return `Host "${hostHeader}" is not this machine.`;
  }
  const origin = request.headers.origin;
  if (origin && origin !== 'null') {
    let originHost: string;
    try {
      originHost = new URL(origin).host;
    } catch {
      return `Malformed Origin "${origin}".`;
    }
    if (originHost !== hostHeader) return `Cross-origin request from ${origin} refused.`;
  }
  return null;
}
