// Server mode (Node): serves the built renderer and the typed API over HTTP + WebSocket, so the
// workstation runs in a browser (and the browser tests run against it). Handlers come from
// src/backend — the same ones Electron's IPC uses.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { AppError } from '../core/errors';
import type { Workspace } from '../backend/workspace';
import { accessPolicy, refusal, TOKEN_COOKIE, type AccessPolicy } from './access';
import { handleApiCall, sendError } from './apiRoute';
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
  /** Needed to bind anything but loopback; a token is then required. */
  allowRemote?: boolean;
  token?: string;
}

export interface RunningServer {
  /** Base URL to open; carries the token as ?token= when one is required. */
  url: string;
  port: number;
  policy: AccessPolicy;
  close(): Promise<void>;
}

export async function startServer(options: ServeOptions): Promise<RunningServer> {
  const host = options.host ?? '127.0.0.1';
  const policy = accessPolicy({ host, allowRemote: options.allowRemote, token: options.token });
  const index = path.join(options.rendererDir, 'index.html');
  if (!(await fs.stat(index).catch(() => undefined))?.isFile()) {
    throw new AppError(
      'NOT_FOUND',
      `No built renderer at ${options.rendererDir} (missing index.html). ` +
        'Build it first with "npx electron-vite build".',
    );
  }
  const { hub, workspace } = options;

  const route = async (request: IncomingMessage, response: ServerResponse) => {
    const url = new URL(request.url ?? '/', 'http://server');
    if (url.pathname.startsWith('/api/')) {
      const why = refusal(request, policy);
      if (why) return sendError(response, { code: 'BAD_INPUT', message: why }, 403);
      if (request.method !== 'POST')
        return sendError(response, { code: 'BAD_INPUT', message: 'API calls use POST.' }, 405);
      return handleApiCall(workspace, url.pathname.slice('/api/'.length), request, response);
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405).end();
      return;
    }
    const given = url.searchParams.get('token');
    if (given !== null && policy.token) {
      // Trade the token in the URL for a cookie so it leaves the address bar and history.
      response.writeHead(303, {
        location: url.pathname,
        'set-cookie': `${TOKEN_COOKIE}=${encodeURIComponent(given)}; HttpOnly; SameSite=Strict; Path=/`,
      });
      response.end();
      return;
    }
    return serveStatic(options.rendererDir, url.pathname, response);
  };

  const server = createServer((request, response) => {
    route(request, response).catch((error: Error) => {
      if (!response.headersSent) sendError(response, { code: 'INTERNAL', message: error.message });
      else response.destroy(error);
    });
  });
  server.on('upgrade', (request, socket, head) => {
    const url = new URL(request.url ?? '/', 'http://server');
    const why = url.pathname === '/api/events' ? refusal(request, policy) : 'Unknown socket.';
    if (why) {
      socket.end(`HTTP/1.1 403 Forbidden\r\ncontent-type: text/plain\r\n\r\n${why}`);
      return;
    }
    hub.accept(request, socket, head);
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 8420, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const shownHost = host.includes(':') ? `[${host}]` : host;
  const tokenQuery = policy.token ? `?token=${encodeURIComponent(policy.token)}` : '';
  return {
    url: `http://${shownHost}:${port}/${tokenQuery}`,
    port,
    policy,
    async close() {
      await hub.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
