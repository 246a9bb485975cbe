// Siemens CSA headers (pure, plain Node): the private (0029,xx10) "CSA Image Header Info" block
// that Siemens MR files carry. Only what a MOSAIC needs is read: NumberOfImagesInMosaic (how many
// slices are tiled into the one stored frame) and SliceNormalVector (their stacking direction).
// Format "SV10" (CSA2): a tag table of 64-byte names, each with a list of length-prefixed
// string items; the older CSA1 layout differs only in how item lengths are stored.
import type { DataSet } from 'dicom-parser';
import type { Vec3 } from '../volume';

export interface CsaImageInfo {
  numberOfImagesInMosaic?: number;
  sliceNormalVector?: Vec3;
}

const CSA_CREATOR = 'SIEMENS CSA HEADER';
const MAX_TAGS = 1000;
const MAX_ITEMS = 1000;

/** The element tag of the CSA Image Header Info: its private block is named by a creator. */
function csaImageTag(ds: DataSet): string | undefined {
  for (let block = 0x10; block <= 0xff; block++) {
    const creator = ds.string(`x002900${block.toString(16).padStart(2, '0')}`);
    if (creator?.trim() === CSA_CREATOR) return `x0029${block.toString(16).padStart(2, '0')}10`;
  }
  return ds.elements.x00291010 ? 'x00291010' : undefined;
}

/** All tags of a CSA block as name → string items; undefined when it is not a CSA block. */
export function parseCsa(bytes: Uint8Array): Map<string, string[]> | undefined {
  if (bytes.length < 16) return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const csa2 = String.fromCharCode(...bytes.subarray(0, 4)) === 'SV10';
  let at = csa2 ? 8 : 0;
  const tagCount = view.getUint32(at, true);
  if (tagCount < 1 || tagCount > MAX_TAGS) return undefined;
  at += 8;
  const tags = new Map<string, string[]>();
  for (let t = 0; t < tagCount; t++) {
    if (at + 84 > bytes.length) return undefined;
    const nameBytes = bytes.subarray(at, at + 64);
    const end = nameBytes.indexOf(0);
    const name = String.fromCharCode(...nameBytes.subarray(0, end < 0 ? 64 : end));
    const itemCount = view.getInt32(at + 76, true);
    at += 84;
    if (itemCount < 0 || itemCount > MAX_ITEMS) return undefined;
    const items: string[] = [];
    for (let i = 0; i < itemCount; i++) {
      if (at + 16 > bytes.length) return undefined;
      const length = csa2 ? view.getInt32(at + 4, true) : view.getInt32(at, true) - tagCount;
      at += 16;
      if (length < 0 || at + length > bytes.length) return undefined;
      const text = String.fromCharCode(...bytes.subarray(at, at + length));
      items.push(text.replace(/\0.*$/s, '').trim());
      at += (length + 3) & ~3;
    }
    tags.set(name, items);
  }
  return tags;
}

const numbers = (items: string[] | undefined) => (items ?? []).filter((s) => s !== '').map(Number);

/** NumberOfImagesInMosaic and SliceNormalVector from a data set's CSA header, if present. */
export function readCsaImageInfo(ds: DataSet): CsaImageInfo {
  const tag = csaImageTag(ds);
  const element = tag ? ds.elements[tag] : undefined;
  if (!element) return {};
  const tags = parseCsa(
    ds.byteArray.subarray(element.dataOffset, element.dataOffset + element.length),
  );
  if (!tags) return {};
  const [images] = numbers(tags.get('NumberOfImagesInMosaic'));
  const normal = numbers(tags.get('SliceNormalVector'));
  return {
    ...(images !== undefined && Number.isInteger(images) && images > 0
      ? { numberOfImagesInMosaic: images }
      : {}),
    ...(normal.length === 3 && normal.every(Number.isFinite)
      ? { sliceNormalVector: normal as Vec3 }
      : {}),
  };
}
