// Content-Security-Policy of the renderer (shared by the build, Electron main and tests): one
// policy, sent by Electron's app protocol as a header and written into the built index.html as
// a meta tag — which is what server mode hands to browsers too.
//
// What the renderer needs, checked against the production build: its own module scripts and
// Cornerstone's compute worker (same origin; vtk.js may also start workers from blob: URLs),
// images from data:/blob: URLs (cursors, canvases), inline style attributes (React and
// Cornerstone set element styles), and its own origin for the API (fetch) and the event
// WebSocket ('self' covers ws:/wss: to the same host in CSP Level 3). Nothing is evaluated from
// strings and the renderer bundle holds no WebAssembly, so neither 'unsafe-eval' nor
// 'wasm-unsafe-eval' is allowed.

const DIRECTIVES: [string, string[]][] = [
  ['default-src', ["'self'"]],
  ['script-src', ["'self'"]],
  ['style-src', ["'self'", "'unsafe-inline'"]],
  ['img-src', ["'self'", 'data:', 'blob:']],
  ['font-src', ["'self'", 'data:']],
  ['connect-src', ["'self'"]],
  ['worker-src', ["'self'", 'blob:']],
  ['object-src', ["'none'"]],
  ['base-uri', ["'none'"]],
  ['form-action', ["'none'"]],
];

/** The policy as a meta tag may carry it. */
export const CONTENT_SECURITY_POLICY = DIRECTIVES.map(([name, sources]) =>
  [name, ...sources].join(' '),
).join('; ');

/** The policy as a response header: adds what a meta tag cannot express (and would log as an error). */
export const CONTENT_SECURITY_POLICY_HEADER = `${CONTENT_SECURITY_POLICY}; frame-ancestors 'none'`;

/**
 * Puts the policy into an HTML page before any script or style — right after <meta charset> (or
 * first in <head>) — replacing any earlier policy.
 */
export function withCspMeta(html: string): string {
  const withoutOld = html.replace(
    /\s*<meta[^>]+http-equiv=["']Content-Security-Policy["'][^>]*>/gi,
    '',
  );
  const meta = `<meta http-equiv="Content-Security-Policy" content="${CONTENT_SECURITY_POLICY}" />`;
  const anchor = /<meta\s+charset[^>]*>/i.test(withoutOld)
    ? /<meta\s+charset[^>]*>/i
    : /<head[^>]*>/i;
  if (!anchor.test(withoutOld)) throw new Error('index.html has no <head> for the CSP');
  return withoutOld.replace(anchor, (tag) => `${tag}\n    ${meta}`);
}
