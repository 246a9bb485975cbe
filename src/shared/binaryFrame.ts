// Binary framing of API messages (shared by the HTTP server and the renderer client; pure, no
// Node or DOM): voxel data crosses HTTP as raw bytes, never as JSON arrays. A frame holds a JSON
// part plus every top-level field whose value is an ArrayBuffer (or a typed-array view).
//
// Layout (little-endian): u32 magic "SCVF" | u32 JSON byte length | JSON | zero padding to a
// multiple of 8 | each binary field's bytes, each padded to a multiple of 8 (so typed arrays up
// to Float64 can view the decoded buffers without copying in the reader's own code).

import { parseBoundedJson } from './boundedJson';

export const FRAME_CONTENT_TYPE = 'application/x-simcvd-frame';
const MAGIC = 0x46564353;
const HEADER_BYTES = 8;

interface FrameJson {
  value: Record<string, unknown>;
  binary: { key: string; byteLength: number }[];
}

export function isArrayBuffer(value: unknown): value is ArrayBuffer {
  // Object.prototype.toString survives realm boundaries (Electron IPC, vm contexts), instanceof does not.
  return Object.prototype.toString.call(value) === '[object ArrayBuffer]';
}

function binaryBytes(value: unknown): Uint8Array | undefined {
  if (isArrayBuffer(value)) return new Uint8Array(value);
  if (ArrayBuffer.isView(value))
    return new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
  return undefined;
}

/** True when a message must travel as a frame because a top-level field holds binary data. */
export function hasBinaryFields(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  return Object.values(value).some((v) => binaryBytes(v) !== undefined);
}

const pad8 = (n: number) => (n + 7) & ~7;

export function encodeFrame(value: Record<string, unknown>): Uint8Array {
  const rest: Record<string, unknown> = {};
  const parts: { key: string; bytes: Uint8Array }[] = [];
  for (const [key, field] of Object.entries(value)) {
    const bytes = binaryBytes(field);
    if (bytes) parts.push({ key, bytes });
    else rest[key] = field;
  }
  const json: FrameJson = {
    value: rest,
    binary: parts.map(({ key, bytes }) => ({ key, byteLength: bytes.byteLength })),
  };
  const jsonBytes = new TextEncoder().encode(JSON.stringify(json));
  let total = pad8(HEADER_BYTES + jsonBytes.byteLength);
  for (const part of parts) total += pad8(part.bytes.byteLength);
  const out = new Uint8Array(total);
  const view = new DataView(out.buffer);
  view.setUint32(0, MAGIC, true);
  view.setUint32(4, jsonBytes.byteLength, true);
  out.set(jsonBytes, HEADER_BYTES);
  let offset = pad8(HEADER_BYTES + jsonBytes.byteLength);
  for (const part of parts) {
    out.set(part.bytes, offset);
    offset += pad8(part.bytes.byteLength);
  }
  return out;
}

export const FRAME_HEADER_BYTES = HEADER_BYTES;

/**
 * The leading part of a frame once enough bytes arrived: the byte length of its JSON part and,
 * when that is complete too, its JSON value (bounded like decodeFrame). Lets a receiver size
 * the rest of the body from the JSON before the voxel bytes arrive.
 */
export function peekFrame(
  bytes: Uint8Array,
): { jsonLength: number; dataOffset: number; value?: Record<string, unknown> } | undefined {
  if (bytes.byteLength < HEADER_BYTES) return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.getUint32(0, true) !== MAGIC) throw new Error('Not a SimCVD binary frame (bad magic).');
  const jsonLength = view.getUint32(4, true);
  const dataOffset = pad8(HEADER_BYTES + jsonLength);
  if (bytes.byteLength < HEADER_BYTES + jsonLength) return { jsonLength, dataOffset };
  const json = parseBoundedJson(
    new TextDecoder().decode(bytes.subarray(HEADER_BYTES, HEADER_BYTES + jsonLength)),
  ) as FrameJson;
  return { jsonLength, dataOffset, value: json?.value };
}

export const pad8Bytes = pad8;

/**
 * Decodes a frame; binary fields come back as ArrayBuffers of their own (copied out). The JSON
 * part is held to `maxJsonBytes` (the same limit as a plain JSON body) and a nesting bound.
 */
export function decodeFrame(
  input: ArrayBuffer | Uint8Array,
  options: { maxJsonBytes?: number } = {},
): Record<string, unknown> {
  const bytes = input instanceof Uint8Array ? input : new Uint8Array(input);
  if (bytes.byteLength < HEADER_BYTES) throw new Error('Binary frame is truncated (no header).');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.getUint32(0, true) !== MAGIC) throw new Error('Not a SimCVD binary frame (bad magic).');
  const jsonLength = view.getUint32(4, true);
  if (options.maxJsonBytes !== undefined && jsonLength > options.maxJsonBytes)
    throw new Error(`Binary frame's JSON part is over ${options.maxJsonBytes} bytes.`);
  if (HEADER_BYTES + jsonLength > bytes.byteLength)
    throw new Error('Binary frame is truncated (JSON part).');
  const json = parseBoundedJson(
    new TextDecoder().decode(bytes.subarray(HEADER_BYTES, HEADER_BYTES + jsonLength)),
  ) as FrameJson;
  if (!Array.isArray(json?.binary) || typeof json.value !== 'object' || json.value === null)
    throw new Error('Binary frame has a malformed JSON part.');
  const result: Record<string, unknown> = { ...json.value };
  let offset = pad8(HEADER_BYTES + jsonLength);
  for (const { key, byteLength } of json.binary) {
    if (typeof key !== 'string' || !Number.isInteger(byteLength) || byteLength < 0)
      throw new Error('Binary frame has a malformed field entry.');
    if (offset + byteLength > bytes.byteLength)
      throw new Error(`Binary frame is truncated (field "${key}").`);
    // Copy explicitly: Node's Buffer#slice returns a view of a shared pool, not its own buffer.
    const copy = new Uint8Array(byteLength);
    copy.set(bytes.subarray(offset, offset + byteLength));
    result[key] = copy.buffer;
    offset += pad8(byteLength);
  }
  return result;
}
