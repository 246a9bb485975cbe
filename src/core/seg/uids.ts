// DICOM UIDs under the 2.25 root (PS3.5 B.2: a UUID as one decimal integer) (plain Node). A
// derived UID is a name-based UUID (version 8, from SHA-256 of its parts), so exporting the
// same label version again yields the same SOP instance and a PACS keeps one copy.
import { createHash, randomUUID } from 'node:crypto';

function fromUuidHex(hex: string): string {
  return `2.25.${BigInt(`0x${hex}`).toString(10)}`;
}

export function randomUid(): string {
  return fromUuidHex(randomUUID().replace(/-/g, ''));
}

/** The same parts give the same UID; any other parts (practically) never do. */
export function derivedUid(...parts: string[]): string {
  const bytes = createHash('sha256').update(parts.join('\u0000')).digest().subarray(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x80; // version 8 (custom)
  bytes[8] = (bytes[8]! & 0x3f) | 0x80; // RFC 4122 variant
  return fromUuidHex(bytes.toString('hex'));
}
