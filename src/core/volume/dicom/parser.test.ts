// Unit tests (Node) for recognising DICOM bytes with and without the Part 10 header.
import { describe, expect, it } from 'vitest';
import { guessMetalessSyntax, hasPart10Preamble, parseDicomBytes } from './parser';

/** (0008,0016) SOP Class UID, explicit or implicit VR little endian. */
function element(explicit: boolean, value = '1.2.840.10008.5.1.4.1.1.4\0'): number[] {
  const tag = [0x08, 0x00, 0x16, 0x00];
  const bytes = [...value].map((c) => c.charCodeAt(0));
  const length = explicit ? [0x55, 0x49, bytes.length, 0] : [bytes.length, 0, 0, 0];
  return [...tag, ...length, ...bytes];
}

describe('guessMetalessSyntax', () => {
  it('tells explicit from implicit VR and little from big endian by the first element', () => {
    expect(guessMetalessSyntax(new Uint8Array(element(true)))).toBe('1.2.840.10008.1.2.1');
    expect(guessMetalessSyntax(new Uint8Array(element(false)))).toBe('1.2.840.10008.1.2');
    expect(guessMetalessSyntax(new Uint8Array([0x00, 0x08, 0x00, 0x16, 0x55, 0x49, 0, 2]))).toBe(
      '1.2.840.10008.1.2.2',
    );
  });

  it('rejects bytes that do not start like a data set', () => {
    expect(guessMetalessSyntax(new TextEncoder().encode('hello, this is text'))).toBeUndefined();
    expect(guessMetalessSyntax(new Uint8Array([0x09, 0x00, 0, 0, 0, 0, 0, 0]))).toBeUndefined(); // odd group
    expect(guessMetalessSyntax(new Uint8Array(4))).toBeUndefined();
  });
});

describe('parseDicomBytes', () => {
  it('reads a meta-less implicit VR data set and reports its guessed syntax', () => {
    const parsed = parseDicomBytes(new Uint8Array(element(false)), 'x');
    expect(parsed?.transferSyntaxUid).toBe('1.2.840.10008.1.2');
    expect(parsed?.hasMetaHeader).toBe(false);
    expect(parsed?.dataSet.string('x00080016')).toBe('1.2.840.10008.5.1.4.1.1.4');
  });

  it('returns undefined for non-DICOM bytes, and a parsed file that names no SOP is not DICOM', () => {
    expect(
      parseDicomBytes(new TextEncoder().encode('plain text file\n'.repeat(20)), 'x'),
    ).toBeUndefined();
    // (0008,0005) only: parses, but a data set without SOP class/instance is not taken as DICOM.
    const charset = [0x08, 0x00, 0x05, 0x00, 0x43, 0x53, 0x0a, 0x00, ...'ISO_IR 100'].map((b) =>
      typeof b === 'string' ? b.charCodeAt(0) : b,
    );
    expect(parseDicomBytes(new Uint8Array(charset), 'x')).toBeUndefined();
  });

  it('throws CORRUPT_FILE naming the file when a Part 10 file cannot be parsed', () => {
    const bytes = new Uint8Array(140);
    bytes.set([0x44, 0x49, 0x43, 0x4d], 128);
    expect(hasPart10Preamble(bytes)).toBe(true);
    expect(() => parseDicomBytes(bytes, 'broken.dcm')).toThrow(/broken\.dcm/);
  });
});
