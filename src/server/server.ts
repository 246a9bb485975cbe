// Server mode (Node): serves the built renderer and the typed API over HTTP(S) + WebSocket, so
// the workstation runs in a browser (and the browser tests run against it). Handlers come from
// src/backend — the same ones Electron's IPC uses. No request can take the process down: every
// handler's failure is answered or ends its own connection, and every socket has an error
// listener.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { AppError } from '../core/errors';
import type { Workspace } from '../backend/workspace';
import { accessPolicy, refusal, sameSecret, tokenCookieName, type AccessPolicy } from './access';
import { createFrameGate, handleApiCall, sendError } from './apiRoute';
import type { EventHub } from './events';
import { serveStatic } from './staticFiles';

export interface ServeOptions {
  /** Built with this server's `emit` (see `createEventHub`), so events reach the browsers. */
  workspace: Workspace;
  hub: EventHub;
  /** Folder with the built renderer (index.html + assets/). */
  rendererDir: string;
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  /** Needed to bind anything but loopback; TLS (or `insecureHttp`) and a token are then required. */
  allowRemote?: boolean;
  /** Default: a random one. */
  token?: string;
  /** Loopback only: no token at all (every local user and process gets in). */
  noToken?: boolean;
  /** PEM certificate chain and key: serve HTTPS (and WSS). */
  tls?: { cert: Buffer | string; key: Buffer | string };
  insecureHttp?: boolean;
}

export interface RunningServer {
  /** Base URL to open; carries the token as ?token= when one is required. */
  url: string;
  port: number;
  policy: AccessPolicy;
  close(): Promise<void>;
}

/** The path of a request target; null when it is not a usable origin-form path. */
export function requestPath(raw: string | undefined): URL | null {
  const target = raw ?? '/';
  // "//host/x" would parse as a scheme-relative URL naming another host.
  if (!target.startsWith('/') || target.startsWith('//')) return null;
  try {
    return new URL(target, 'http://server');
  } catch {
    return null;
  }
}

function refuseUpgrade(socket: Duplex, status: string, why: string): void {
  if (socket.writable)
    socket.end(`HTTP/1.1 ${status}\r\nconnection: close\r\ncontent-type: text/plain\r\n\r\n${why}`);
  else socket.destroy();
}

export async function startServer(options: ServeOptions): Promise<RunningServer> {
  const host = options.host ?? '127.0.0.1';
  const policy = accessPolicy({
    host,
    allowRemote: options.allowRemote,
    token: options.token,
    noToken: options.noToken,
    tls: options.tls !== undefined,
    insecureHttp: options.insecureHttp,
  });
  const index = path.join(options.rendererDir, 'index.html');
  if (!(await fs.stat(index).catch(() => undefined))?.isFile()) {
    throw new AppError(
      'NOT_FOUND',
      `No built renderer at ${options.rendererDir} (missing index.html). ` +
        'Build it first with "npx electron-vite build".',
    );
  }
  const { hub, workspace } = options;
  const frames = createFrameGate();
  // Known once listening (port 0 picks one); no request arrives before that.
  let cookieName = '';

  const route = async (request: IncomingMessage, response: ServerResponse) => {
    const url = requestPath(request.url);
    if (!url) return sendError(response, { code: 'BAD_INPUT', message: 'Malformed path.' }, 400);
    if (url.pathname.startsWith('/api/')) {
      const why = refusal(request, policy, cookieName);
      if (why) return sendError(response, { code: 'BAD_INPUT', message: why }, 403);
      if (request.method !== 'POST')
        return sendError(response, { code: 'BAD_INPUT', message: 'API calls use POST.' }, 405);
      return handleApiCall(
        workspace,
        url.pathname.slice('/api/'.length),
        request,
        response,
        frames,
      );
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405).end();
      return;
    }
    const given = url.searchParams.get('token');
    if (given !== null) {
      // Trade a valid token in the URL for the cookie; a wrong one (a cross-site link, say)
      // leaves the cookie alone. Always back to "/", never to a path the link chose.
      const headers: Record<string, string> = { location: '/', 'cache-control': 'no-store' };
      if (policy.token && sameSecret(given, policy.token))
        headers['set-cookie'] =
          `${cookieName}=${encodeURIComponent(given)}; HttpOnly; SameSite=Strict; Path=/` +
          (policy.secure ? '; Secure' : '');
      response.writeHead(303, headers).end();
      return;
    }
    return serveStatic(options.rendererDir, url.pathname, response);
  };

  const onRequest = (request: IncomingMessage, response: ServerResponse) => {
    route(request, response).catch((error: Error) => {
      if (!response.headersSent) sendError(response, { code: 'INTERNAL', message: error.message });
      else response.destroy(error);
    });
  };
  const server: Server = options.tls
    ? createTlsServer({ cert: options.tls.cert, key: options.tls.key }, onRequest)
    : createServer(onRequest);
  // Resets and garbage on any connection end that connection only.
  server.on('connection', (socket: Socket) => socket.on('error', () => socket.destroy()));
  server.on('secureConnection', (socket: Socket) => socket.on('error', () => socket.destroy()));
  server.on('tlsClientError', (_error, socket) => socket.destroy());
  server.on('clientError', (_error, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nconnection: close\r\n\r\n');
    else socket.destroy();
  });
  server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    try {
      const url = requestPath(request.url);
      if (!url) return refuseUpgrade(socket, '400 Bad Request', 'Malformed path.');
      const why =
        url.pathname === '/api/events' ? refusal(request, policy, cookieName) : 'Unknown socket.';
      if (why) return refuseUpgrade(socket, '403 Forbidden', why);
      hub.accept(request, socket, head);
    } catch {
      socket.destroy();
    }
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 8420, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  // A listening server's later errors (e.g. EMFILE on accept) must not exit the process.
  server.on('error', (error) => process.stderr.write(`simcvd serve: ${error.message}\n`));
  const port = (server.address() as AddressInfo).port;
  cookieName = tokenCookieName(port);
  const shownHost = host.includes(':') ? `[${host}]` : host;
  const tokenQuery = policy.token ? `?token=${encodeURIComponent(policy.token)}` : '';
  return {
    url: `${options.tls ? 'https' : 'http'}://${shownHost}:${port}/${tokenQuery}`,
    port,
    policy,
    async close() {
      await hub.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
