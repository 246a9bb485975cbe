// The app protocol (Electron main, plain-Node logic): the window loads the built renderer from
// simcvd://app/ instead of file://, so the page has a real origin (module workers, storage, a
// same-origin check on IPC) and every response carries the Content-Security-Policy header.
import { promises as fs } from 'node:fs';
import { contentTypeOf, fileUnderRoot } from '../core/fs/staticFiles';
import { CONTENT_SECURITY_POLICY_HEADER } from '../shared/csp';

export const APP_SCHEME = 'simcvd';
export const APP_HOST = 'app';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_INDEX_URL = `${APP_ORIGIN}/index.html`;

/** For protocol.registerSchemesAsPrivileged (before app ready): behave like https. */
export const APP_SCHEME_PRIVILEGES = {
  standard: true,
  secure: true,
  supportFetchAPI: true,
  codeCache: true,
} as const;

/** The file under `root` that `url` names, or null for another host or a path outside root. */
export function resolveAppFile(url: string, root: string): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (parsed.protocol !== `${APP_SCHEME}:` || parsed.host !== APP_HOST) return null;
  const file = fileUnderRoot(root, parsed.pathname);
  return file === 'malformed' || file === 'outside' ? null : file;
}

/** The protocol handler: a file from `root` with the CSP header, or 404. */
export function appRequestHandler(root: string): (request: Request) => Promise<Response> {
  return async (request) => {
    const file = resolveAppFile(request.url, root);
    const body = file && (await fs.readFile(file).catch(() => null));
    if (!file || !body)
      return new Response('Not found', { status: 404, headers: { 'content-type': 'text/plain' } });
    return new Response(new Uint8Array(body), {
      status: 200,
      headers: {
        'content-type': contentTypeOf(file),
        'content-security-policy': CONTENT_SECURITY_POLICY_HEADER,
        'x-content-type-options': 'nosniff',
        'cache-control': 'no-cache',
      },
    });
  };
}
