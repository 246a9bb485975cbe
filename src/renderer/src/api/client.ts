// API client (renderer): the only way the UI reaches the back end. In Electron it uses the
// preload's `window.api` (ArrayBuffers cross IPC by structured clone); in server mode
// (browser) it POSTs to /api/<method> on the same origin — JSON, or a binary frame when voxel
// data travels — and listens for events on the /api/events WebSocket.
import type {
  ApiClient,
  ApiMethod,
  ApiParams,
  ApiResponse,
  ApiResult,
} from '../../../shared/contract/api';
import { ApiError } from '../../../shared/contract/errors';
import type { ApiEventMessage } from '../../../shared/contract/events';
import {
  decodeFrame,
  encodeFrame,
  FRAME_CONTENT_TYPE,
  hasBinaryFields,
} from '../../../shared/binaryFrame';

interface PreloadBridge {
  call<M extends ApiMethod>(method: M, params: ApiParams<M>): Promise<ApiResponse<M>>;
  onEvent?(listener: (message: ApiEventMessage) => void): () => void;
}

declare global {
  interface Window {
    api?: PreloadBridge;
  }
}

async function overHttp<M extends ApiMethod>(
  method: M,
  params: ApiParams<M>,
): Promise<ApiResponse<M>> {
  const binary = hasBinaryFields(params);
  let response: Response;
  try {
    response = await fetch(`/api/${method}`, {
      method: 'POST',
      headers: { 'content-type': binary ? FRAME_CONTENT_TYPE : 'application/json' },
      body: binary
        ? (encodeFrame(params as Record<string, unknown>) as Uint8Array<ArrayBuffer>)
        : JSON.stringify(params),
    });
  } catch (error) {
    return {
      ok: false,
      error: {
        code: 'IO_FAILED',
        message: `Cannot reach the SimCVD server (${(error as Error).message}). Is "simcvd serve" still running?`,
      },
    };
  }
  const type = response.headers.get('content-type') ?? '';
  if (type.startsWith(FRAME_CONTENT_TYPE)) {
    return { ok: true, result: decodeFrame(await response.arrayBuffer()) as ApiResult<M> };
  }
  if (!type.startsWith('application/json')) {
    return {
      ok: false,
      error: {
        code: 'IO_FAILED',
        message: `The server answered ${response.status} ${response.statusText}.`,
      },
    };
  }
  return (await response.json()) as ApiResponse<M>;
}

export const api: ApiClient = {
  async call<M extends ApiMethod>(method: M, params: ApiParams<M>): Promise<ApiResult<M>> {
    const response = window.api
      ? await window.api.call(method, params)
      : await overHttp(method, params);
    if (!response.ok) throw new ApiError(response.error.code, response.error.message);
    return response.result;
  },
};

/** Listens for back-end events; reconnects the WebSocket after drops. Returns an unsubscribe. */
export function subscribeToEvents(listener: (message: ApiEventMessage) => void): () => void {
  if (window.api) return window.api.onEvent?.(listener) ?? (() => undefined);
  let socket: WebSocket | undefined;
  let stopped = false;
  let delayMs = 500;
  const connect = () => {
    const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
    socket = new WebSocket(`${scheme}://${location.host}/api/events`);
    socket.onopen = () => {
      delayMs = 500;
    };
    socket.onmessage = (event) => listener(JSON.parse(String(event.data)) as ApiEventMessage);
    socket.onclose = () => {
      if (stopped) return;
      setTimeout(connect, delayMs);
      delayMs = Math.min(delayMs * 2, 10_000);
    };
  };
  connect();
  return () => {
    stopped = true;
    socket?.close();
  };
}
