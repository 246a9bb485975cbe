// Whether a file is a DICOM SEG (plain Node), from its header alone: so `simcvd label` and
// `simcvd import` can take SEG files beside NIfTI masks and image folders.
import { promises as fs } from 'node:fs';
import { readDicomHeaderFile } from '../volume/dicom/dicomFile';
import { SEG_SOP_CLASS } from './read';

export async function isDicomSegFile(file: string): Promise<boolean> {
  const stat = await fs.stat(file).catch(() => undefined);
  if (!stat?.isFile()) return false;
  try {
    return (await readDicomHeaderFile(file))?.sopClassUid === SEG_SOP_CLASS;
  } catch {
    return false;
  }
}
