// Static files for server mode (Node): serves the built renderer (out/renderer) to a browser,
// with index.html for unknown extension-less paths and nothing outside the folder.
import { promises as fs } from 'node:fs';
import type { ServerResponse } from 'node:http';
import path from 'node:path';
import { CONTENT_SECURITY_POLICY_HEADER } from '../shared/csp';
import { contentTypeOf, fileUnderRoot } from '../core/fs/staticFiles';

/** Serves `urlPath` from `root`; answers 404 for anything missing or outside it. */
export async function serveStatic(
  root: string,
  urlPath: string,
  response: ServerResponse,
): Promise<void> {
  const resolved = fileUnderRoot(root, urlPath);
  if (resolved === 'malformed') {
    response.writeHead(400).end('Malformed path');
    return;
  }
  if (resolved === 'outside') {
    response.writeHead(404).end('Not found');
    return;
  }
  const base = path.resolve(root);
  let file = resolved;
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
  response.writeHead(200, {
    'content-type': contentTypeOf(file),
    'content-length': stat.size,
    'x-content-type-options': 'nosniff',
    // The same policy the desktop window enforces (index.html also carries it as a meta tag).
    ...(path.extname(file) === '.html'
      ? { 'content-security-policy': CONTENT_SECURITY_POLICY_HEADER }
      : {}),
    // Vite's hashed bundles under assets/ never change content; everything else may.
    'cache-control': path.relative(base, file).startsWith(`assets${path.sep}`)
      ? 'public, max-age=31536000, immutable'
      : 'no-cache',
  });
  response.end(await fs.readFile(file));
}
