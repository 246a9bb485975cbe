// DICOMweb credentials (plain Node): none, HTTP basic or a bearer token; the Authorization
// header they make, the strings that must never appear in a message, and the environment
// variables that supply them without writing them anywhere.
import { AppError } from '../errors';

export type DicomwebAuth =
  | { kind: 'none' }
  | { kind: 'basic'; username: string; password: string }
  | { kind: 'bearer'; token: string };

export const AUTH_KINDS = ['none', 'basic', 'bearer'] as const;
export type AuthKind = (typeof AUTH_KINDS)[number];

/** Environment variables read for a server given by URL, or a source stored without its secret. */
export const DICOMWEB_ENV = {
  user: 'SIMCVD_DICOMWEB_USER',
  password: 'SIMCVD_DICOMWEB_PASSWORD',
  token: 'SIMCVD_DICOMWEB_TOKEN',
} as const;

export const NO_AUTH: DicomwebAuth = { kind: 'none' };

export function authorizationHeader(auth: DicomwebAuth): string | undefined {
  if (auth.kind === 'basic')
    return `Basic ${Buffer.from(`${auth.username}:${auth.password}`, 'utf8').toString('base64')}`;
  if (auth.kind === 'bearer') return `Bearer ${auth.token}`;
  return undefined;
}

/** Every form a secret of `auth` could take in text: scrubbed from messages. */
export function authSecrets(auth: DicomwebAuth): string[] {
  if (auth.kind === 'bearer') return [auth.token];
  if (auth.kind === 'basic')
    return [auth.password, authorizationHeader(auth)!.slice('Basic '.length)];
  return [];
}

/** The credentials the environment gives (a token wins over user/password); none when unset. */
export function authFromEnv(env: NodeJS.ProcessEnv = process.env): DicomwebAuth | undefined {
  const token = env[DICOMWEB_ENV.token];
  if (token) return { kind: 'bearer', token };
  const username = env[DICOMWEB_ENV.user];
  const password = env[DICOMWEB_ENV.password];
  if (username && password !== undefined) return { kind: 'basic', username, password };
  if (username)
    throw new AppError(
      'BAD_INPUT',
      `${DICOMWEB_ENV.user} is set but ${DICOMWEB_ENV.password} is not; set both for HTTP basic authentication.`,
    );
  return undefined;
}

/** What a person may see of the credentials: the kind and the user name, never the secret. */
export function describeAuth(auth: DicomwebAuth): string {
  if (auth.kind === 'basic') return `HTTP basic as "${auth.username}"`;
  if (auth.kind === 'bearer') return 'a bearer token';
  return 'no credentials';
}
