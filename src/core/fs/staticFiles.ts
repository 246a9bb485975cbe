// Serving the built renderer from a folder (plain Node): the content types it uses and the
// mapping of a URL path to a file that can never leave the folder. Shared by server mode's HTTP
// route and the desktop app's simcvd:// protocol.
import path from 'node:path';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.wasm': 'application/wasm',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

export function contentTypeOf(file: string): string {
  return CONTENT_TYPES[path.extname(file)] ?? 'application/octet-stream';
}

/**
 * The file `urlPath` names under `root` (index.html for the root itself), 'malformed' for an
 * undecodable path, 'outside' when it would escape the folder (encoded "../" included).
 */
export function fileUnderRoot(root: string, urlPath: string): string | 'malformed' | 'outside' {
  let relative: string;
  try {
    relative = decodeURIComponent(urlPath).replace(/^\/+/, '');
  } catch {
    return 'malformed';
  }
  const base = path.resolve(root);
  const file = path.resolve(base, relative || 'index.html');
  return file === base || file.startsWith(base + path.sep) ? file : 'outside';
}
