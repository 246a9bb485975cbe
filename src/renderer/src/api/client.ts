// API client (renderer): the only way the UI reaches the back end. In Electron it uses the
// preload's `window.api`; in server mode (browser) it POSTs to /api/<method> on the same origin.
import type { ApiClient, ApiMethod, ApiParams, ApiResponse, ApiResult } from '../../../shared/contract/api';
import { ApiError } from '../../../shared/contract/errors';

interface PreloadBridge {
  call<M extends ApiMethod>(method: M, params: ApiParams<M>): Promise<ApiResponse<M>>;
}

declare global {
  interface Window {
    api?: PreloadBridge;
  }
}

async function overHttp<M extends ApiMethod>(method: M, params: ApiParams<M>): Promise<ApiResponse<M>> {
  const response = await fetch(`/api/${method}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(params),
  });
  return (await response.json()) as ApiResponse<M>;
}

export const api: ApiClient = {
  async call<M extends ApiMethod>(method: M, params: ApiParams<M>): Promise<ApiResult<M>> {
    const response = window.api ? await window.api.call(method, params) : await overHttp(method, params);
    if (!response.ok) throw new ApiError(response.error.code, response.error.message);
    return response.result;
  },
};
