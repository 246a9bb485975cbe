// What kind of DICOM a file is (plain Node), from its header alone: so `simcvd label` and
// `simcvd import` can take SEG files beside NIfTI masks and image folders, and say so when a
// DICOM image is given where a mask belongs.
import { promises as fs } from 'node:fs';
import { readDicomHeaderFile } from '../volume/dicom/dicomFile';
import { SEG_SOP_CLASS } from './read';

/** 'seg' for a DICOM SEG, 'other' for any other DICOM object, undefined for anything else. */
export async function dicomKind(file: string): Promise<'seg' | 'other' | undefined> {
  const stat = await fs.stat(file).catch(() => undefined);
  if (!stat?.isFile()) return undefined;
  try {
    const header = await readDicomHeaderFile(file);
    if (!header) return undefined;
    return header.sopClassUid === SEG_SOP_CLASS ? 'seg' : 'other';
  } catch {
    return undefined;
  }
}

export async function isDicomSegFile(file: string): Promise<boolean> {
  return (await dicomKind(file)) === 'seg';
}
