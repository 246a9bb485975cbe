// multipart/related bodies (RFC 2046, 2387) for DICOMweb (plain Node): parsing a Content-Type
// header, splitting a WADO-RS answer into its parts, and building a STOW-RS request. The
// parts stay views into the one body buffer (no copy of a 500 MB instance). Lenient where real
// servers are (LF line ends, a missing final CRLF), strict where a mistake would lose data (an
// answer cut off before its closing boundary is refused).
import { randomBytes } from 'node:crypto';

export class MultipartError extends Error {}

export interface ContentType {
  /** Lower-case type/subtype, e.g. "multipart/related". */
  mediaType: string;
  /** Parameter names lower-cased; values unquoted. */
  params: Record<string, string>;
}

export interface MultipartPart {
  /** Header names lower-cased. */
  headers: Record<string, string>;
  body: Uint8Array;
}

/** Parses `type/subtype; name=value; name="quoted; value"`. */
export function parseContentType(header: string): ContentType {
  const [head = '', ...rest] = splitOutsideQuotes(header, ';');
  const params: Record<string, string> = {};
  for (const raw of rest) {
    const eq = raw.indexOf('=');
    if (eq <= 0) continue;
    const name = raw.slice(0, eq).trim().toLowerCase();
    let value = raw.slice(eq + 1).trim();
    if (value.startsWith('"') && value.endsWith('"') && value.length >= 2)
      value = value.slice(1, -1).replace(/\\(.)/g, '$1');
    params[name] = value;
  }
  return { mediaType: head.trim().toLowerCase(), params };
}

function splitOutsideQuotes(text: string, separator: string): string[] {
  const parts: string[] = [];
  let current = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '"' && text[i - 1] !== '\\') quoted = !quoted;
    if (c === separator && !quoted) {
      parts.push(current);
      current = '';
    } else current += c;
  }
  parts.push(current);
  return parts;
}

const CR = 0x0d;
const LF = 0x0a;
const DASH = 0x2d;

/**
 * Where a delimiter line starts at or after `from`, or -1: "--boundary" at a line start,
 * followed by "--" (the close) or by optional padding and a line end — not a longer word.
 */
function findDelimiter(body: Buffer, marker: Buffer, from: number): number {
  let at = body.indexOf(marker, from);
  while (at !== -1) {
    const after = at + marker.length;
    let end = after;
    while (body[end] === 0x20 || body[end] === 0x09) end++;
    const closes = body[after] === DASH && body[after + 1] === DASH;
    const lineEnds = body[end] === CR || body[end] === LF || end >= body.length;
    if ((at === 0 || body[at - 1] === LF) && (closes || lineEnds)) return at;
    at = body.indexOf(marker, at + 1);
  }
  return -1;
}

/** Index just past the line end at `at` (CRLF or LF), or `at` when none is there. */
function skipLineEnd(body: Buffer, at: number): number {
  if (body[at] === CR && body[at + 1] === LF) return at + 2;
  if (body[at] === LF) return at + 1;
  return at;
}

function parseHeaders(text: string): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const line of text.split(/\r?\n/)) {
    if (line.trim() === '') continue;
    const colon = line.indexOf(':');
    if (colon <= 0)
      throw new MultipartError(`a part header line without a name: "${line.slice(0, 80)}"`);
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return headers;
}

/** Splits a multipart body into its parts; throws MultipartError when it is malformed. */
export function parseMultipart(bytes: Uint8Array, boundary: string): MultipartPart[] {
  if (!boundary || boundary.length > 200)
    throw new MultipartError('the boundary is missing or longer than 200 characters');
  const body = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const marker = Buffer.from(`--${boundary}`, 'latin1');
  let at = findDelimiter(body, marker, 0);
  if (at === -1) throw new MultipartError(`no "--${boundary}" delimiter in the body`);
  const parts: MultipartPart[] = [];
  for (;;) {
    const afterMarker = at + marker.length;
    if (body[afterMarker] === DASH && body[afterMarker + 1] === DASH) return parts; // close
    // Transport padding (spaces, tabs) may follow the boundary before the line end.
    let lineEnd = afterMarker;
    while (body[lineEnd] === 0x20 || body[lineEnd] === 0x09) lineEnd++;
    const headersStart = skipLineEnd(body, lineEnd);
    const next = findDelimiter(body, marker, headersStart);
    if (next === -1)
      throw new MultipartError(
        `the body ends without its closing "--${boundary}--" delimiter (truncated?)`,
      );
    // The part ends before the line end that precedes the next delimiter.
    let end = next;
    if (body[end - 1] === LF) end--;
    if (body[end - 1] === CR) end--;
    const blank = findBlankLine(body, headersStart, end);
    const headers = parseHeaders(body.toString('latin1', headersStart, blank.headersEnd));
    parts.push({ headers, body: body.subarray(blank.bodyStart, Math.max(blank.bodyStart, end)) });
    at = next;
  }
}

/** The end of a part's headers and the start of its body (after the first empty line). */
function findBlankLine(
  body: Buffer,
  start: number,
  end: number,
): { headersEnd: number; bodyStart: number } {
  // A part with no headers starts with the empty line itself.
  if (body[start] === CR && body[start + 1] === LF)
    return { headersEnd: start, bodyStart: start + 2 };
  if (body[start] === LF) return { headersEnd: start, bodyStart: start + 1 };
  const crlf = body.indexOf('\r\n\r\n', start, 'latin1');
  const lf = body.indexOf('\n\n', start, 'latin1');
  const candidates = [
    ...(crlf !== -1 && crlf < end ? [{ headersEnd: crlf, bodyStart: crlf + 4 }] : []),
    ...(lf !== -1 && lf < end ? [{ headersEnd: lf, bodyStart: lf + 2 }] : []),
  ].sort((a, b) => a.headersEnd - b.headersEnd);
  if (candidates.length === 0)
    throw new MultipartError(`a part at byte ${start} has no empty line after its headers`);
  return candidates[0]!;
}

/** A STOW-RS body: each part with its Content-Type, and the header that announces them. */
export function buildMultipart(
  parts: { contentType: string; body: Uint8Array }[],
  type: string,
  boundary = `simcvd-${randomBytes(16).toString('hex')}`,
): { body: Buffer; contentType: string } {
  const chunks: Buffer[] = [];
  for (const part of parts) {
    chunks.push(
      Buffer.from(`--${boundary}\r\nContent-Type: ${part.contentType}\r\n\r\n`, 'latin1'),
    );
    chunks.push(Buffer.from(part.body.buffer, part.body.byteOffset, part.body.byteLength));
    chunks.push(Buffer.from('\r\n', 'latin1'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`, 'latin1'));
  return {
    body: Buffer.concat(chunks),
    contentType: `multipart/related; type="${type}"; boundary=${boundary}`,
  };
}
