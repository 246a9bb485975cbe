// The DICOM reference of a study imported from DICOM (plain Node): studies/<id>/dicom.json,
// written with the study at import, holds per slice the SOP instance it came from and its
// position, and the patient and study attributes — what a DICOM SEG of the study references
// and carries over. A study imported before this file existed gets it rebuilt from its source
// folder when that still holds the series on the same grid.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { StudyRecord } from '../../shared/contract/project';
import { AppError } from '../errors';
import { writeRecordAtomic } from '../fs/atomic';
import { affinesClose } from '../volume/geometry';
import { loadDicomSeries, scanDicomFolder, type DicomSeriesReference } from '../volume/dicom';
import type { ProjectStore } from './store';

export const DICOM_REFERENCE_FILE = 'dicom.json';

const vec3 = z.tuple([z.number(), z.number(), z.number()]);

export const dicomReferenceSchema = z.object({
  studyInstanceUid: z.string(),
  seriesInstanceUid: z.string(),
  frameOfReferenceUid: z.string().optional(),
  modality: z.string(),
  seriesDescription: z.string(),
  seriesNumber: z.number().optional(),
  attributes: z.record(z.string(), z.string()),
  rows: z.number().int().min(1),
  columns: z.number().int().min(1),
  orientationLps: z.tuple([z.number(), z.number(), z.number(), z.number(), z.number(), z.number()]),
  pixelSpacingMm: z.tuple([z.number(), z.number()]),
  sliceThicknessMm: z.number().optional(),
  sliceSpacingMm: z.number(),
  slices: z
    .array(
      z.object({
        sopClassUid: z.string(),
        sopInstanceUid: z.string(),
        frameNumber: z.number().int().min(1).optional(),
        positionLps: vec3,
      }),
    )
    .min(1),
  segUnsupported: z.string().optional(),
});

export function dicomReferencePath(studyDir: string): string {
  return path.join(studyDir, DICOM_REFERENCE_FILE);
}

export async function writeDicomReference(
  studyDir: string,
  reference: DicomSeriesReference,
): Promise<void> {
  await writeRecordAtomic(dicomReferencePath(studyDir), dicomReferenceSchema, reference);
}

/** The stored reference; undefined when the study has none (not DICOM, or imported earlier). */
export async function readDicomReference(
  store: ProjectStore,
  studyId: string,
): Promise<DicomSeriesReference | undefined> {
  const file = dicomReferencePath(store.paths.study(studyId));
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch {
    return undefined;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new AppError('CORRUPT_FILE', `${file} is not valid JSON.`);
  }
  const parsed = dicomReferenceSchema.safeParse(json);
  if (!parsed.success)
    throw new AppError(
      'CORRUPT_FILE',
      `${file} is not a valid DICOM reference (${parsed.error.issues[0]!.message}).`,
    );
  return parsed.data as DicomSeriesReference;
}

/** The reference, or why there is none (a reason a person can act on). */
export type DicomReferenceLookup =
  { reference: DicomSeriesReference } | { reference?: undefined; reason: string };

/**
 * The study's DICOM reference: stored, or rebuilt from its source folder (read again, checked
 * to give the study's own grid). Studies from NIfTI have none.
 */
export async function dicomReferenceFor(
  store: ProjectStore,
  study: StudyRecord,
): Promise<DicomReferenceLookup> {
  if (study.source.kind !== 'dicom')
    return {
      reason:
        'it was imported from NIfTI, so there is no DICOM series for a SEG to reference (import the DICOM series instead)',
    };
  const stored = await readDicomReference(store, study.id);
  if (stored) return { reference: stored };
  const rebuilt = await rebuildFromSource(study);
  return rebuilt.reference
    ? rebuilt
    : {
        reason: `it was imported before DICOM references were kept, and its source ${rebuilt.reason}; import the series again`,
      };
}

async function rebuildFromSource(study: StudyRecord): Promise<DicomReferenceLookup> {
  const folder = study.source.path;
  const uid = study.source.seriesInstanceUid;
  if (!uid) return { reason: 'does not name its series' };
  const stat = await fs.stat(folder).catch(() => undefined);
  if (!stat?.isDirectory()) return { reason: `folder ${folder} is gone` };
  const series = (await scanDicomFolder(folder, { recursive: true })).find(
    (s) => s.seriesInstanceUid === uid,
  );
  if (!series) return { reason: `folder ${folder} no longer holds series ${uid}` };
  const { volume, meta } = await loadDicomSeries(series);
  const same =
    volume.dims.every((n, axis) => n === study.dims[axis]) &&
    affinesClose(volume.affine, study.affine, 1e-3);
  if (!same) return { reason: `series ${uid} in ${folder} is no longer on the study's grid` };
  return { reference: meta.reference };
}
