// Preload (sandboxed renderer context): exposes exactly `window.api.call` (a contract call to the
// main process) and `window.api.onEvent` (API and shell events). No Node or Electron object
// leaks through; malformed calls are refused here, and main validates every parameter again.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { API_CHANNEL, EVENT_CHANNEL } from '../shared/ipc';
import type { ApiMethod, ApiParams, ApiResponse } from '../shared/contract/api';
import type { ApiEventMessage } from '../shared/contract/events';

const api = {
  call: <M extends ApiMethod>(method: M, params: ApiParams<M>): Promise<ApiResponse<M>> => {
    if (typeof method !== 'string' || (params !== undefined && typeof params !== 'object'))
      return Promise.resolve({
        ok: false,
        error: {
          code: 'BAD_INPUT',
          message: 'api.call(method, params) needs a name and an object.',
        },
      });
    return ipcRenderer.invoke(API_CHANNEL, method, params) as Promise<ApiResponse<M>>;
  },
  /** Subscribes to events (progress, project changes, menu commands); returns the unsubscribe. */
  onEvent: (listener: (message: ApiEventMessage) => void): (() => void) => {
    if (typeof listener !== 'function') throw new TypeError('onEvent needs a function');
    const handler = (_event: IpcRendererEvent, message: ApiEventMessage) => listener(message);
    ipcRenderer.on(EVENT_CHANNEL, handler);
    return () => ipcRenderer.off(EVENT_CHANNEL, handler);
  },
};

export type PreloadApi = typeof api;

contextBridge.exposeInMainWorld('api', api);
