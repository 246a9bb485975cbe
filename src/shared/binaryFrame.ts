// Binary framing of API messages (shared by the HTTP server and the renderer client; pure, no
// Node or DOM): voxel data crosses HTTP as raw bytes, never as JSON arrays. A frame holds a JSON
// part plus every top-level field whose value is an ArrayBuffer (or a typed-array view).
//
// Layout (little-endian): u32 magic "SCVF" | u32 JSON byte length | JSON | zero padding to a
// multiple of 8 | each binary field's bytes, each padded to a multiple of 8 (so typed arrays up
// to Float64 can view the decoded buffers without copying in the reader's own code).

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

/** Decodes a frame; binary fields come back as ArrayBuffers of their own (copied out). */
export function decodeFrame(input: ArrayBuffer | Uint8Array): Record<string, unknown> {
  const bytes = input instanceof Uint8Array ? input : new Uint8Array(input);
  if (bytes.byteLength < HEADER_BYTES) throw new Error('Binary frame is truncated (no header).');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.getUint32(0, true) !== MAGIC) throw new Error('Not a SimCVD binary frame (bad magic).');
  const jsonLength = view.getUint32(4, true);
  if (HEADER_BYTES + jsonLength > bytes.byteLength)
    throw new Error('Binary frame is truncated (JSON part).');
  const json = JSON.parse(
    new TextDecoder().decode(bytes.subarray(HEADER_BYTES, HEADER_BYTES + jsonLength)),
  ) as FrameJson;
  const result: Record<string, unknown> = { ...json.value };
  let offset = pad8(HEADER_BYTES + jsonLength);
  for (const { key, byteLength } of json.binary) {
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
