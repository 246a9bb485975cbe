// The HTTP transport of the API contract (Node): POST /api/<method> with a JSON body, or a
// binary frame when params carry voxel data; answers JSON, or a frame when the result carries
// voxel data. Calls the same workspace entry point as Electron IPC, so no handler logic lives here.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ApiErrorCode, ApiErrorPayload } from '../shared/contract/errors';
import {
  decodeFrame,
  encodeFrame,
  FRAME_CONTENT_TYPE,
  hasBinaryFields,
} from '../shared/binaryFrame';
import { parseBoundedJson } from '../shared/boundedJson';
import { BINARY_PARAM_METHODS, isApiMethod } from '../shared/contract/api';
import { toErrorPayload } from '../core/errors';
import type { Workspace } from '../backend/workspace';
import { BodyGate, BodyRefused, MAX_JSON_BYTES, readFrameBody, readJsonBody } from './requestBody';

/** Voxel bodies read at once; more wait for the client to retry (each may be hundreds of MiB). */
const CONCURRENT_FRAMES = 2;

const STATUS: Record<ApiErrorCode, number> = {
  BAD_INPUT: 400,
  NOT_FOUND: 404,
  CORRUPT_FILE: 422,
  UNSUPPORTED: 422,
  GEOMETRY_MISMATCH: 422,
  LOCKED: 423,
  CONFLICT: 409,
  IO_FAILED: 500,
  CANCELLED: 499,
  INTERNAL: 500,
  // A remote (DICOMweb) server's failure, not this one's: gateway statuses.
  UNREACHABLE: 504,
  AUTH_FAILED: 502,
  REMOTE_FAILED: 502,
};

export function sendError(response: ServerResponse, error: ApiErrorPayload, status?: number): void {
  const body = JSON.stringify({ ok: false, error });
  response.writeHead(status ?? STATUS[error.code], {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
  });
  response.end(body);
}

/** Voxel bytes a frame's call may carry: the named study's grid as uint8 labels. */
async function studyVoxelBytes(workspace: Workspace, value: Record<string, unknown>) {
  const store = workspace.project;
  if (!store) throw new BodyRefused(404, 'No project is open: open or create one first.');
  if (typeof value.studyId !== 'string')
    throw new BodyRefused(400, 'A binary frame must name its studyId.');
  try {
    const { dims } = await store.getStudy(value.studyId);
    return dims[0] * dims[1] * dims[2];
  } catch (error) {
    const { code, message } = toErrorPayload(error);
    throw new BodyRefused(code === 'NOT_FOUND' ? 404 : 400, message);
  }
}

async function readParams(
  workspace: Workspace,
  method: string,
  request: IncomingMessage,
  frames: BodyGate,
): Promise<unknown> {
  const type = (request.headers['content-type'] ?? '').split(';')[0]!.trim();
  if (type === FRAME_CONTENT_TYPE) {
    if (!isApiMethod(method) || !BINARY_PARAM_METHODS.has(method))
      throw new BodyRefused(400, `${method} takes no voxel data: send its params as JSON.`);
    const release = frames.tryEnter();
    if (!release) throw new BodyRefused(503, 'The server is busy receiving other volumes; retry.');
    try {
      const body = await readFrameBody(request, (value) => studyVoxelBytes(workspace, value));
      return decodeFrame(body, { maxJsonBytes: MAX_JSON_BYTES });
    } finally {
      release();
    }
  }
  if (type === 'application/json') {
    const text = (await readJsonBody(request)).toString('utf8');
    return text.trim() === '' ? {} : parseBoundedJson(text);
  }
  // Browsers send cross-site "simple" requests without asking first; a JSON or frame content
  // type forces a CORS preflight that this server never answers.
  throw new BodyRefused(400, `Content-Type must be application/json or ${FRAME_CONTENT_TYPE}.`);
}

/** One gate per server: how many voxel bodies it buffers at once. */
export function createFrameGate(): BodyGate {
  return new BodyGate(CONCURRENT_FRAMES);
}

export async function handleApiCall(
  workspace: Workspace,
  method: string,
  request: IncomingMessage,
  response: ServerResponse,
  frames: BodyGate,
): Promise<void> {
  let params: unknown;
  try {
    params = await readParams(workspace, method, request, frames);
  } catch (error) {
    const status = error instanceof BodyRefused ? error.status : 400;
    const code = status === 404 ? 'NOT_FOUND' : status === 503 ? 'LOCKED' : 'BAD_INPUT';
    if (status !== 400 || !request.complete) {
      // The rest of the body is not wanted: close the connection instead of draining it.
      response.setHeader('connection', 'close');
      if (status === 503) response.setHeader('retry-after', '1');
    }
    sendError(response, { code, message: (error as Error).message }, status);
    return;
  }
  const outcome = await workspace.call(method, params);
  if (!outcome.ok) {
    sendError(response, outcome.error);
    return;
  }
  const result = outcome.result as unknown as Record<string, unknown>;
  if (hasBinaryFields(result)) {
    const frame = encodeFrame(result);
    response.writeHead(200, {
      'content-type': FRAME_CONTENT_TYPE,
      'content-length': frame.byteLength,
      'cache-control': 'no-store',
    });
    response.end(frame);
    return;
  }
  const body = JSON.stringify({ ok: true, result });
  response.writeHead(200, {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
  });
  response.end(body);
}
