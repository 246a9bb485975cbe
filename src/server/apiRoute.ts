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
import type { Workspace } from '../backend/workspace';

const MAX_JSON_BYTES = 16 * 1024 * 1024;
/** A uint8 label of 1024×1024×1024 voxels, with room for the header. */
const MAX_FRAME_BYTES = 1024 * 1024 * 1024 + 1024 * 1024;

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
};

export function sendError(response: ServerResponse, error: ApiErrorPayload, status?: number): void {
  const body = JSON.stringify({ ok: false, error });
  response.writeHead(status ?? STATUS[error.code], {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
  });
  response.end(body);
}

async function readBody(request: IncomingMessage, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new Error(`Request body over ${limit} bytes.`);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

async function readParams(request: IncomingMessage): Promise<unknown> {
  const type = (request.headers['content-type'] ?? '').split(';')[0]!.trim();
  if (type === FRAME_CONTENT_TYPE) return decodeFrame(await readBody(request, MAX_FRAME_BYTES));
  if (type === 'application/json') {
    const text = (await readBody(request, MAX_JSON_BYTES)).toString('utf8');
    return text.trim() === '' ? {} : JSON.parse(text);
  }
  // Browsers send cross-site "simple" requests without asking first; a JSON or frame content
  // type forces a CORS preflight that this server never answers.
  throw new Error(`Content-Type must be application/json or ${FRAME_CONTENT_TYPE}.`);
}

export async function handleApiCall(
  workspace: Workspace,
  method: string,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  let params: unknown;
  try {
    params = await readParams(request);
  } catch (error) {
    sendError(response, { code: 'BAD_INPUT', message: (error as Error).message });
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
