// Study import (plain Node): NIfTI files, DICOM folders (one study per series) and Decathlon
// layout folders become studies. Everything is written into a staging folder first and moved
// into place only when every item succeeded, so a failed import leaves the project as it was.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { DEFAULT_LABELS, type LabelClass, type StudyRecord } from '../../shared/contract/project';
import { AppError } from '../errors';
import { writeFileAtomic, writeJsonAtomic } from '../fs/atomic';
import { pathExists } from '../fs/exists';
import { loadDicomSeries, scanDicomFolder, type DicomSeriesInfo } from '../volume/dicom';
import { encodeNifti, readVolumeFile } from '../volume/nifti';
import { voxelTypeOf, type Volume } from '../volume/volume';
import { assertSameGrid, countLabels, toLabelData } from './labels';
import { IMAGE_FILE, LABELS_DIR, STUDY_FILE, assertValidId, idFromName } from './paths';
import type { ProjectStore } from './store';

export type NonFinitePolicy = 'reject' | 'zero';

export interface ImportOptions {
  /** Decathlon folders: attach labels to the first N cases (sorted by name); default all. */
  labeled?: number;
  /** NaN/Inf image voxels: refuse the study (default) or set them to 0 and say so. */
  nonFinite?: NonFinitePolicy;
  onProgress?: (progress: { done: number; total: number; item: string }) => void;
  signal?: AbortSignal;
}

export interface ImportedStudy {
  id: string;
  sourcePath: string;
  labeled: boolean;
  warnings: string[];
}

type ImportItem =
  | { kind: 'nifti'; id: string; imagePath: string; labelPath?: string }
  | { kind: 'dicom'; id: string; series: DicomSeriesInfo };

const NIFTI_NAME = /\.(nii|nii\.gz|hdr)$/i;
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
): Promise<ImportedStudy[]> {
  return store.exclusive(async () => {
    const { items, labels } = await planImport(sources, options.labeled);
    await checkIds(store, items);
    const adopted = labels ? datasetLabelClasses(store, labels) : undefined;
    const labelValues = (adopted ?? store.manifest.labels).map((l) => l.value);
    const staging = path.join(store.paths.staging, randomBytes(6).toString('hex'));
    const imported: ImportedStudy[] = [];
    try {
      for (const [index, item] of items.entries()) {
        if (options.signal?.aborted)
          throw new AppError('CANCELLED', 'Import cancelled; nothing was added.');
        options.onProgress?.({ done: index, total: items.length, item: item.id });
        imported.push(await stageItem(staging, item, labelValues, options.nonFinite ?? 'reject'));
      }
      await moveIntoPlace(
        store,
        staging,
        imported.map((s) => s.id),
      );
      if (adopted) await store.replaceLabelClasses(adopted);
      options.onProgress?.({ done: items.length, total: items.length, item: '' });
      return imported;
    } finally {
      await fs.rm(staging, { recursive: true, force: true });
      await fs.rmdir(store.paths.staging).catch(() => undefined);
    }
  });
}

/** Resolves every source path into study items before anything is read or written. */
async function planImport(
  sources: string[],
  labeled: number | undefined,
): Promise<{ items: ImportItem[]; labels?: Record<string, string> }> {
  if (sources.length === 0)
    throw new AppError('BAD_INPUT', 'Nothing to import: give NIfTI files or folders.');
  const items: ImportItem[] = [];
  let labels: Record<string, string> | undefined;
  for (const source of sources) {
    const stat = await fs.stat(source).catch(() => undefined);
    if (!stat) throw new AppError('NOT_FOUND', `${source} does not exist.`);
    if (stat.isFile()) {
      if (!NIFTI_NAME.test(source)) {
        throw new AppError(
          'UNSUPPORTED',
          `${source} is not a NIfTI file (.nii, .nii.gz, .hdr); for DICOM, give the folder that holds the series.`,
        );
      }
      items.push({
        kind: 'nifti',
        id: idFromName(path.basename(source)),
        imagePath: path.resolve(source),
      });
    } else if (await isDecathlon(source)) {
      const planned = await planDecathlon(source, labeled);
      items.push(...planned.items);
      labels = planned.labels ?? labels;
    } else {
      items.push(...(await planDicom(source)));
    }
  }
  return { items, labels };
}

async function isDecathlon(dir: string): Promise<boolean> {
  return fs
    .stat(path.join(dir, 'imagesTr'))
    .then((s) => s.isDirectory())
    .catch(() => false);
}

async function planDecathlon(dir: string, labeled: number | undefined) {
  const imagesDir = path.join(dir, 'imagesTr');
  const names = (await fs.readdir(imagesDir))
    .filter((n) => NIFTI_NAME.test(n) && !n.startsWith('.'))
    .sort();
  if (names.length === 0) throw new AppError('NOT_FOUND', `${imagesDir} holds no NIfTI images.`);
  const count = labeled ?? names.length;
  if (!Number.isInteger(count) || count < 0) {
    throw new AppError('BAD_INPUT', `--labeled must be a whole number ≥ 0 (got ${labeled}).`);
  }
  const items: ImportItem[] = [];
  for (const [index, name] of names.entries()) {
    const item: ImportItem = {
      kind: 'nifti',
      id: idFromName(name),
      imagePath: path.join(imagesDir, name),
    };
    if (index < count) {
      const labelPath = path.join(dir, 'labelsTr', name);
      if (!(await pathExists(labelPath)))
        throw new AppError(
          'NOT_FOUND',
          `Case ${name} has no label ${labelPath}; lower --labeled or add it.`,
        );
      item.labelPath = labelPath;
    }
    items.push(item);
  }
  let labels: Record<string, string> | undefined;
  try {
    const dataset = JSON.parse(await fs.readFile(path.join(dir, 'dataset.json'), 'utf8')) as {
      labels?: Record<string, string>;
    };
    labels = dataset.labels;
  } catch {
    labels = undefined;
  }
  return { items, labels };
}

async function planDicom(dir: string): Promise<ImportItem[]> {
  const series = await scanDicomFolder(dir, { recursive: true });
  if (series.length === 0) {
    throw new AppError(
      'NOT_FOUND',
      `${dir} holds no DICOM image series and is not a Decathlon folder (no imagesTr/).`,
    );
  }
  const base = idFromName(path.basename(path.resolve(dir)));
  return series.map((s, index) => ({
    kind: 'dicom' as const,
    id:
      series.length === 1
        ? base
        : idFromName(`${base}_${s.seriesDescription || 'series'}_${index + 1}`),
    series: s,
  }));
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
    if (await store.hasStudy(item.id)) {
      throw new AppError(
        'CONFLICT',
        `Study "${item.id}" already exists in the project; nothing was imported.`,
      );
    }
  }
}

/** A project still on the default label set takes the dataset's label names. */
function datasetLabelClasses(
  store: ProjectStore,
  labels: Record<string, string>,
): LabelClass[] | undefined {
  const untouched = JSON.stringify(store.manifest.labels) === JSON.stringify(DEFAULT_LABELS);
  const classes: LabelClass[] = Object.entries(labels)
    .map(([value, name]) => ({ value: Number(value), name }))
    .filter((c) => Number.isInteger(c.value) && c.value >= 1 && c.value <= 255)
    .map((c, index) => ({ ...c, color: PALETTE[index % PALETTE.length]! }));
  return untouched && classes.length > 0 ? classes : undefined;
}

async function stageItem(
  staging: string,
  item: ImportItem,
  labelValues: number[],
  nonFinite: NonFinitePolicy,
): Promise<ImportedStudy> {
  const warnings: string[] = [];
  const loaded =
    item.kind === 'nifti'
      ? { volume: await readVolumeFile(item.imagePath), sourcePath: item.imagePath, extra: {} }
      : await loadDicom(item.series);
  const { volume } = loaded;
  const replaced = checkFinite(volume, nonFinite, loaded.sourcePath);
  if (replaced > 0) warnings.push(`${replaced} NaN/Inf voxels set to 0`);

  const dir = path.join(staging, item.id);
  await writeFileAtomic(path.join(dir, IMAGE_FILE), encodeNifti(volume, { gzip: true }));
  const record: StudyRecord = {
    id: item.id,
    source: {
      kind: item.kind,
      path: loaded.sourcePath,
      importedAt: new Date().toISOString(),
      ...loaded.extra,
    },
    dims: volume.dims,
    spacingMm: volume.spacingMm,
    affine: volume.affine,
    geometry: volume.geometry,
    imageType: voxelTypeOf(volume.data),
    currentLabel: null,
    labelVersions: [],
  };
  if (item.kind === 'nifti' && item.labelPath) {
    const mask = await readVolumeFile(item.labelPath);
    assertSameGrid(mask, volume, `Label ${item.labelPath}`, item.id);
    const data = toLabelData(mask.data, labelValues, `Label ${item.labelPath}`);
    const bytes = encodeNifti(
      { ...volume, data },
      { gzip: true, description: `simcvd label ${item.id} v0001` },
    );
    await writeFileAtomic(path.join(dir, LABELS_DIR, 'v0001.nii.gz'), bytes);
    record.currentLabel = 'v0001';
    record.labelVersions.push({
      id: 'v0001',
      createdAt: new Date().toISOString(),
      file: `${LABELS_DIR}/v0001.nii.gz`,
      provenance: { kind: 'import', sourcePath: path.resolve(item.labelPath) },
      voxelCounts: countLabels(data),
      final: true,
    });
  }
  await writeJsonAtomic(path.join(dir, STUDY_FILE), record);
  return {
    id: item.id,
    sourcePath: loaded.sourcePath,
    labeled: record.currentLabel !== null,
    warnings,
  };
}

async function loadDicom(series: DicomSeriesInfo) {
  const { volume, meta } = await loadDicomSeries(series);
  return {
    volume,
    sourcePath: path.dirname(path.resolve(series.files[0]!)),
    extra: {
      seriesInstanceUid: series.seriesInstanceUid,
      modality: meta.modality,
      description: meta.seriesDescription,
    },
  };
}

/** Applies the NaN/Inf policy; returns how many voxels were replaced. */
function checkFinite(volume: Volume, policy: NonFinitePolicy, source: string): number {
  const data = volume.data;
  if (!(data instanceof Float32Array || data instanceof Float64Array)) return 0;
  let count = 0;
  for (let index = 0; index < data.length; index++) {
    if (!Number.isFinite(data[index]!)) {
      if (policy === 'reject') {
        throw new AppError(
          'BAD_INPUT',
          `${source} has NaN or infinite voxels (the first at voxel ${index}). Fix the file, or import with ` +
            '--replace-non-finite to set them to 0.',
        );
      }
      data[index] = 0;
      count++;
    }
  }
  return count;
}

async function moveIntoPlace(store: ProjectStore, staging: string, ids: string[]): Promise<void> {
  await fs.mkdir(store.paths.studies, { recursive: true });
  const moved: string[] = [];
  try {
    for (const id of ids) {
      await fs.rename(path.join(staging, id), store.paths.study(id));
      moved.push(id);
    }
  } catch (error) {
    // Undo the part that was moved, so the import is all or nothing.
    for (const id of moved)
      await fs.rename(store.paths.study(id), path.join(staging, id)).catch(() => undefined);
    throw new AppError(
      'IO_FAILED',
      `Could not move imported studies into ${store.paths.studies}: ${(error as Error).message}`,
    );
  }
}
