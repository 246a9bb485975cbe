import { describe, expect, it } from 'vitest';
import {
  buildMultipart,
  MultipartError,
  parseContentType,
  parseMultipart,
  type MultipartPart,
} from './multipart';

const text = (part: MultipartPart) => Buffer.from(part.body).toString('latin1');

describe('parseContentType', () => {
  it('reads the media type and quoted or bare parameters', () => {
    const parsed = parseContentType(
      'Multipart/Related; type="application/dicom"; boundary=abc-123; transfer-syntax=*',
    );
    expect(parsed.mediaType).toBe('multipart/related');
    expect(parsed.params).toEqual({
      type: 'application/dicom',
      boundary: 'abc-123',
      'transfer-syntax': '*',
    });
  });

  it('keeps separators inside quotes and unescapes quoted characters', () => {
    const parsed = parseContentType('multipart/related; boundary="a;b=c \\"d\\""; type=x');
    expect(parsed.params.boundary).toBe('a;b=c "d"');
    expect(parsed.params.type).toBe('x');
  });
});

describe('parseMultipart', () => {
  it('splits parts with CRLF line ends, ignoring preamble and epilogue', () => {
    const body = Buffer.from(
      'preamble text\r\n--B\r\nContent-Type: application/dicom\r\nContent-Length: 5\r\n\r\n' +
        'hello\r\n--B\r\nContent-Type: application/dicom\r\n\r\nsecond\r\npart\r\n--B--\r\nepilogue',
      'latin1',
    );
    const parts = parseMultipart(body, 'B');
    expect(parts).toHaveLength(2);
    expect(parts[0]!.headers['content-type']).toBe('application/dicom');
    expect(parts[0]!.headers['content-length']).toBe('5');
    expect(text(parts[0]!)).toBe('hello');
    // A CRLF inside a part is data; only the one before the delimiter belongs to it.
    expect(text(parts[1]!)).toBe('second\r\npart');
  });

  it('keeps binary bodies byte for byte, including CR, LF and dashes', () => {
    const payload = Buffer.from([0, 13, 10, 45, 45, 66, 255, 13, 10, 13, 10, 0]);
    const built = buildMultipart([{ contentType: 'application/dicom', body: payload }], 'x', 'B');
    const [part] = parseMultipart(built.body, 'B');
    expect(Buffer.from(part!.body).equals(payload)).toBe(true);
  });

  it('accepts LF-only line ends and transport padding after the boundary', () => {
    const body = Buffer.from(
      '--B  \nContent-Type: a/b\n\nbody one\n--B\n\nno headers\n--B--',
      'latin1',
    );
    const parts = parseMultipart(body, 'B');
    expect(parts.map(text)).toEqual(['body one', 'no headers']);
    expect(parts[1]!.headers).toEqual({});
  });

  it('does not take a longer word that starts with the boundary for a delimiter', () => {
    const body = Buffer.from('--B\r\n\r\nline\r\n--Bravo is data\r\n--B--\r\n', 'latin1');
    expect(parseMultipart(body, 'B').map(text)).toEqual(['line\r\n--Bravo is data']);
  });

  it('returns views into the body, not copies', () => {
    const body = buildMultipart(
      [{ contentType: 'a/b', body: Buffer.alloc(1000, 7) }],
      'a/b',
      'Z',
    ).body;
    const [part] = parseMultipart(body, 'Z');
    expect(part!.body.buffer).toBe(body.buffer);
  });

  it('refuses a body cut off before its closing delimiter', () => {
    const body = Buffer.from('--B\r\nContent-Type: a/b\r\n\r\nhalf of an instan', 'latin1');
    expect(() => parseMultipart(body, 'B')).toThrow(MultipartError);
    expect(() => parseMultipart(body, 'B')).toThrow(/closing "--B--" delimiter/);
  });

  it('refuses a body without any delimiter, and a part without its empty line', () => {
    expect(() => parseMultipart(Buffer.from('{"error": 1}'), 'B')).toThrow(/no "--B" delimiter/);
    const noBlank = Buffer.from('--B\r\nContent-Type: a/b\r\n--B--\r\n', 'latin1');
    expect(() => parseMultipart(noBlank, 'B')).toThrow(/no empty line/);
  });

  it('refuses a missing boundary', () => {
    expect(() => parseMultipart(Buffer.from('--\r\n'), '')).toThrow(/boundary is missing/);
  });
});

describe('buildMultipart', () => {
  it('announces the type and boundary and round-trips several parts', () => {
    const parts = [Buffer.from('first'), Buffer.from('second part')].map((body) => ({
      contentType: 'application/dicom',
      body,
    }));
    const built = buildMultipart(parts, 'application/dicom');
    const header = parseContentType(built.contentType);
    expect(header.mediaType).toBe('multipart/related');
    expect(header.params.type).toBe('application/dicom');
    expect(header.params.boundary).toMatch(/^simcvd-[0-9a-f]{32}$/);
    expect(parseMultipart(built.body, header.params.boundary!).map(text)).toEqual([
      'first',
      'second part',
    ]);
  });
});
