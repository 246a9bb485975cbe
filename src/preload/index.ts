// Preload (sandboxed renderer context): exposes exactly one typed function, `window.api.call`,
// that forwards a contract call to the main process. No Node or Electron object leaks through.
import { contextBridge, ipcRenderer } from 'electron';
import { API_CHANNEL, EVENT_CHANNEL } from '../shared/ipc';
import type { ApiMethod, ApiParams, ApiResponse } from '../shared/contract/api';
import type { ApiEventMessage } from '../shared/contract/events';

const api = {
  call: <M extends ApiMethod>(method: M, params: ApiParams<M>): Promise<ApiResponse<M>> =>
    ipcRenderer.invoke(API_CHANNEL, method, params) as Promise<ApiResponse<M>>,
  /** Subscribes to API events (progress); returns the unsubscribe function. */
  onEvent: (listener: (message: ApiEventMessage) => void): (() => void) => {
    const handler = (_event: unknown, message: ApiEventMessage) => listener(message);
    ipcRenderer.on(EVENT_CHANNEL, handler);
    return () => ipcRenderer.off(EVENT_CHANNEL, handler);
  },
};

export type PreloadApi = typeof api;

contextBridge.exposeInMainWorld('api', api);
