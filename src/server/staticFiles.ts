// Static files for server mode (Node): serves the built renderer (out/renderer) to a browser,
// with index.html for unknown extension-less paths and nothing outside the folder.
import { promises as fs } from 'node:fs';
import type { ServerResponse } from 'node:http';
import path from 'node:path';
import { CONTENT_SECURITY_POLICY_HEADER } from '../shared/csp';

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

/** Serves `urlPath` from `root`; answers 404 for anything missing or outside it. */
export async function serveStatic(
  root: string,
  urlPath: string,
  response: ServerResponse,
): Promise<void> {
  let relative: string;
  try {
    relative = decodeURIComponent(urlPath).replace(/^\/+/, '');
  } catch {
    response.writeHead(400).end('Malformed path');
    return;
  }
  const base = path.resolve(root);
  let file = path.resolve(base, relative || 'index.html');
  if (file !== base && !file.startsWith(base + path.sep)) {
    response.writeHead(404).end('Not found');
    return;
  }
  let stat = await fs.stat(file).catch(() => undefined);
  if (stat?.isDirectory()) {
    file = path.join(file, 'index.html');
    stat = await fs.stat(file).catch(() => undefined);
  }
  if (!stat && path.extname(file) === '') {
    file = path.join(base, 'index.html');
    stat = await fs.stat(file).catch(() => undefined);
  }
  if (!stat?.isFile()) {
    response.writeHead(404, { 'content-type': 'text/plain' }).end('Not found');
    return;
  }
  const extension = path.extname(file);
  response.writeHead(200, {
    'content-type': CONTENT_TYPES[extension] ?? 'application/octet-stream',
    'content-length': stat.size,
    'x-content-type-options': 'nosniff',
    // The same policy the desktop window enforces (index.html also carries it as a meta tag).
    ...(extension === '.html' ? { 'content-security-policy': CONTENT_SECURITY_POLICY_HEADER } : {}),
    // Vite's hashed bundles under assets/ never change content; everything else may.
    'cache-control': relative.startsWith('assets/')
      ? 'public, max-age=31536000, immutable'
      : 'no-cache',
  });
  response.end(await fs.readFile(file));
}
