// Study import (plain Node): NIfTI files, DICOM folders (one study per series) and Decathlon
// layout folders become studies. Planning and staging (the slow part: reading and decoding)
// run outside the project's write queue, so saves of other studies are not held up; only the
// commit — re-checking the ids, then one atomic journal write — is exclusive. A crash at any
// point leaves none or all of the import (see ./importJournal).
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { DEFAULT_LABELS, type LabelClass } from '../../shared/contract/project';
import { AppError, toErrorPayload } from '../errors';
import type { GeometryPolicy } from '../volume/geometryCheck';
import { commitImport, stagedStudiesDir } from './importJournal';
import { planImport, type ImportItem, type ImportPlan } from './importPlan';
import { stageItem, type ImportedStudy, type NonFinitePolicy } from './importStage';
import { assertValidId } from './paths';
import type { ProjectStore } from './store';

export type { ImportedStudy, NonFinitePolicy } from './importStage';

export interface ImportOptions {
  /** Decathlon folders: attach labels to the first N cases (sorted by name); default all. */
  labeled?: number;
  /** NaN/Inf image voxels: refuse the study (default) or set them to 0 and say so. */
  nonFinite?: NonFinitePolicy;
  /** Non-finite or degenerate header geometry: refuse (default) or rebuild from other fields. */
  geometry?: GeometryPolicy;
  /** 4-D NIfTI files: import this volume (0-based). */
  volumeIndex?: number;
  onProgress?: (progress: { done: number; total: number; item: string }) => void;
  signal?: AbortSignal;
}

/** A series or file passed over while the rest of the import went ahead. */
export interface ImportSkip {
  source: string;
  reason: string;
}

/** The studies imported, plus what was skipped (a property, as on DicomScanResult). */
export type ImportResult = ImportedStudy[] & { skipped: ImportSkip[]; warnings: string[] };

const PALETTE = [
  '#e0533d',
  '#3d8be0',
  '#48b04a',
  '#e0b43d',
  '#9b59b6',
  '#1abc9c',
  '#e67e22',
  '#c0392b',
];

export async function importStudies(
  store: ProjectStore,
  sources: string[],
  options: ImportOptions = {},
): Promise<ImportResult> {
  if (!store.writable)
    throw new AppError('BAD_INPUT', 'The project was opened read-only; cannot import.');
  return importPlanned(store, await planImport(sources, options.labeled), options);
}

/**
 * Stages and commits planned items (a retrieve plans its own). `skipFailedSeries`: a DICOM
 * series that fails is passed over whenever any other item is imported.
 */
export async function importPlanned(
  store: ProjectStore,
  plan: ImportPlan,
  options: ImportOptions & { skipFailedSeries?: boolean } = {},
): Promise<ImportResult> {
  if (!store.writable)
    throw new AppError('BAD_INPUT', 'The project was opened read-only; cannot import.');
  await checkIds(store, plan.items);
  const labelsBefore = JSON.stringify(store.manifest.labels);
  const adopted = plan.labels ? datasetLabelClasses(store.manifest.labels, plan.labels) : undefined;
  const labelValues = (adopted ?? store.manifest.labels).map((l) => l.value);
  const txnDir = path.join(store.paths.staging, randomBytes(6).toString('hex'));
  const staged = stagedStudiesDir(txnDir);
  const imported: ImportedStudy[] = [];
  const skipped: ImportSkip[] = [];
  try {
    for (const [index, item] of plan.items.entries()) {
      if (options.signal?.aborted)
        throw new AppError('CANCELLED', 'Import cancelled; nothing was added.');
      options.onProgress?.({ done: index, total: plan.items.length, item: item.id });
      try {
        imported.push(
          await stageItem(staged, item, {
            labelValues,
            nonFinite: options.nonFinite ?? 'reject',
            geometry: options.geometry ?? 'reject',
            volumeIndex: options.volumeIndex,
          }),
        );
      } catch (error) {
        // One bad series of a DICOM folder does not block the consistent ones beside it.
        if (!skippable(item, plan.items, error, options.skipFailedSeries)) throw error;
        skipped.push({ source: describe(item), reason: toErrorPayload(error).message });
        await fs.rm(path.join(staged, item.id), { recursive: true, force: true });
      }
    }
    if (imported.length === 0) {
      throw new AppError(
        'UNSUPPORTED',
        `No series could be imported: ${skipped.map((s) => `${s.source}: ${s.reason}`).join(' | ')}`,
      );
    }
    await store.exclusive(async () => {
      await checkIds(store, plan.items);
      if (adopted && JSON.stringify(store.manifest.labels) !== labelsBefore)
        throw new AppError(
          'CONFLICT',
          'The label set changed while the import ran; import again to use the current one.',
        );
      await store.assertWritable();
      await commitImport(
        store.paths,
        txnDir,
        imported.map((s) => s.id),
        (labels) => store.replaceLabelClasses(labels).then(() => undefined),
        adopted,
      );
    });
    options.onProgress?.({ done: plan.items.length, total: plan.items.length, item: '' });
    return Object.assign(imported, { skipped, warnings: plan.warnings });
  } finally {
    // Gone after a successful commit; after a failure, the staged files go with it.
    await fs.rm(txnDir, { recursive: true, force: true }).catch(() => undefined);
    await fs.rmdir(store.paths.staging).catch(() => undefined);
  }
}

function describe(item: ImportItem): string {
  if (item.kind === 'nifti') return item.imagePath;
  const s = item.series;
  const where = item.origin?.seriesUrl ?? item.folder;
  return `series ${s.seriesNumber ?? '?'} "${s.seriesDescription || s.seriesInstanceUid}" in ${where}`;
}

/**
 * A failed DICOM series is skipped when its folder has other series (or, for a retrieve, when
 * there are other items at all); anything else stops.
 */
function skippable(
  item: ImportItem,
  items: ImportItem[],
  error: unknown,
  anyOther = false,
): boolean {
  if (item.kind !== 'dicom') return false;
  const code = toErrorPayload(error).code;
  if (code === 'CANCELLED' || code === 'IO_FAILED' || code === 'INTERNAL') return false;
  return items.some(
    (other) =>
      other !== item && other.kind === 'dicom' && (anyOther || other.folder === item.folder),
  );
}

async function checkIds(store: ProjectStore, items: ImportItem[]): Promise<void> {
  const seen = new Set<string>();
  for (const item of items) {
    assertValidId('study', item.id);
    if (seen.has(item.id)) {
      throw new AppError(
        'CONFLICT',
        `Two inputs would both become study "${item.id}"; rename one of them.`,
      );
    }
    seen.add(item.id);
    if (await store.hasStudyFolder(item.id)) {
      throw new AppError(
        'CONFLICT',
        `Study "${item.id}" already exists in the project; nothing was imported.`,
      );
    }
  }
}

/** A project still on the default label set takes the dataset's label names. */
function datasetLabelClasses(
  current: LabelClass[],
  labels: Record<string, string>,
): LabelClass[] | undefined {
  const untouched = JSON.stringify(current) === JSON.stringify(DEFAULT_LABELS);
  const classes: LabelClass[] = Object.entries(labels)
    .map(([value, name]) => ({ value: Number(value), name: name.slice(0, 64) }))
    .filter((c) => Number.isInteger(c.value) && c.value >= 1 && c.value <= 255)
    .map((c, index) => ({ ...c, color: PALETTE[index % PALETTE.length]! }));
  return untouched && classes.length > 0 ? classes : undefined;
}
