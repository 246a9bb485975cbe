// Request bodies for the HTTP API (Node), read within limits: a JSON body is held to a few
// MiB; a binary frame (voxel data) to its JSON part plus the voxels of the study it names, so
// no client can make the server buffer more than the largest legitimate save. Content-Length
// is checked before the bytes are read, and only a few frames are read at once.
import type { IncomingMessage } from 'node:http';
import { pad8Bytes, peekFrame } from '../shared/binaryFrame';

export const MAX_JSON_BYTES = 2 * 1024 * 1024;

/** Why a body was refused, with the HTTP status to answer. */
export class BodyRefused extends Error {
  constructor(
    readonly status: 400 | 404 | 413 | 503,
    message: string,
  ) {
    super(message);
  }
}

function declaredLength(request: IncomingMessage): number | undefined {
  const header = request.headers['content-length'];
  if (header === undefined) return undefined;
  const n = Number(header);
  if (!Number.isSafeInteger(n) || n < 0) throw new BodyRefused(400, 'Malformed Content-Length.');
  return n;
}

function tooLarge(limit: number): BodyRefused {
  return new BodyRefused(413, `Request body over ${limit} bytes.`);
}

export async function readJsonBody(request: IncomingMessage, limit = MAX_JSON_BYTES) {
  const declared = declaredLength(request);
  if (declared !== undefined && declared > limit) throw tooLarge(limit);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > limit) throw tooLarge(limit);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/**
 * Reads a binary frame. Once its JSON part has arrived, `voxelBytes(value)` says how many data
 * bytes that call may carry (e.g. the named study's voxel count); the whole body is then held
 * to the JSON part plus that, before any voxel byte is buffered.
 */
export async function readFrameBody(
  request: IncomingMessage,
  voxelBytes: (value: Record<string, unknown>) => Promise<number>,
  maxJsonBytes = MAX_JSON_BYTES,
): Promise<Buffer> {
  const declared = declaredLength(request);
  const chunks: Buffer[] = [];
  let size = 0;
  let limit = 8 + maxJsonBytes + 8;
  let sized = false;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    chunks.push(chunk as Buffer);
    if (!sized) {
      const head = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
      let peeked;
      try {
        peeked = peekFrame(head);
      } catch (error) {
        throw new BodyRefused(400, (error as Error).message);
      }
      if (peeked && peeked.jsonLength > maxJsonBytes)
        throw new BodyRefused(413, `Binary frame's JSON part is over ${maxJsonBytes} bytes.`);
      if (peeked?.value) {
        limit = peeked.dataOffset + pad8Bytes(await voxelBytes(peeked.value));
        sized = true;
        if (declared !== undefined && declared > limit) throw tooLarge(limit);
      }
    }
    if (size > limit) throw tooLarge(limit);
  }
  return Buffer.concat(chunks);
}

/** At most `max` holders at once; the rest are refused at once (the client may retry). */
export class BodyGate {
  private held = 0;
  constructor(private readonly max: number) {}

  tryEnter(): (() => void) | null {
    if (this.held >= this.max) return null;
    this.held++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.held--;
    };
  }
}
