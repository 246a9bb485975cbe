// Label versions (plain Node): saving a mask as a new version, restoring an old one, reading
// one back. History is append-only: every save writes a new vNNNN file and then the study
// record that makes it current. The store runs these inside its write queue (`exclusive`).
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type {
  AnnotatedSlices,
  LabelVersion,
  Provenance,
  StudyRecord,
} from '../../shared/contract/project';
import { AppError } from '../errors';
import { writeFileAtomic } from '../fs/atomic';
import { encodeVolumeFile, readVolumeFile } from '../volume/nifti';
import type { Volume } from '../volume/volume';
import { normalizeAnnotatedSlices } from './annotation';
import { assertSameGrid, checkLabelData, type CheckedLabel } from './labels';
import type { ProjectStore } from './store';

export interface SaveLabelOptions {
  provenance: Provenance;
  final?: boolean;
  note?: string;
  /**
   * The version the edit started from (null: unlabeled). When given and another version is
   * current, the save fails with CONFLICT instead of replacing someone else's work; checked
   * under the write lock.
   */
  baseVersion?: string | null;
  /** A review decision recorded in the same study-record write as the new version. */
  review?: StudyReview;
  /** Slices annotated so far (a work-in-progress version); ignored for a final one. */
  annotatedSlices?: AnnotatedSlices;
}

/** The last decision about a model's proposal for a study. */
export type StudyReview = NonNullable<StudyRecord['review']>;

/** The current label (or a given version) as a uint8 volume; null when unlabeled. */
export async function readLabelVersion(
  store: ProjectStore,
  id: string,
  versionId?: string,
): Promise<Volume | null> {
  const study = await store.getStudy(id);
  const wanted = versionId ?? study.currentLabel;
  if (!wanted) return null;
  const version = findVersion(study, wanted);
  return readVolumeFile(store.paths.labelFile(id, version.file));
}

/** A mask on the study's grid (checked) saved as a new current version. */
export async function saveMaskVersion(
  store: ProjectStore,
  id: string,
  mask: Pick<Volume, 'dims' | 'affine' | 'data'>,
  options: SaveLabelOptions,
): Promise<LabelVersion> {
  const study = await store.getStudy(id);
  checkBase(study, options.baseVersion);
  assertSameGrid(mask, study, 'The mask', id);
  const data = checkLabelData(mask.data, classValues(store), 'The mask');
  return (await appendVersion(store, study, data, options)).version;
}

/** Voxels drawn in the app (uint8, study grid) saved as a new version, with the new record. */
export async function saveDrawnVersion(
  store: ProjectStore,
  id: string,
  data: Uint8Array,
  options: SaveLabelOptions,
): Promise<{ version: LabelVersion; study: StudyRecord }> {
  const study = await store.getStudy(id);
  const expected = study.dims[0] * study.dims[1] * study.dims[2];
  if (data.length !== expected)
    throw new AppError(
      'BAD_INPUT',
      `The label for study "${id}" has ${data.length} voxels but the image has ` +
        `${study.dims.join('×')} = ${expected}; reload the study and draw again.`,
    );
  checkBase(study, options.baseVersion);
  const { version, record } = await appendVersion(
    store,
    study,
    checkLabelData(data, classValues(store), 'The mask'),
    options,
  );
  return { version, study: record };
}

/** An old version copied into a new current one (history is kept). */
export async function restoreVersion(
  store: ProjectStore,
  id: string,
  versionId: string,
): Promise<LabelVersion> {
  const study = await store.getStudy(id);
  const source = findVersion(study, versionId);
  const volume = await readVolumeFile(store.paths.labelFile(id, source.file));
  const { version } = await appendVersion(
    store,
    study,
    checkLabelData(volume.data, classValues(store), `Label ${versionId}`),
    {
      provenance: { kind: 'restore', fromVersion: versionId },
      final: source.final,
      ...(source.annotatedSlices ? { annotatedSlices: source.annotatedSlices } : {}),
      note: `restored from ${versionId}`,
    },
  );
  return version;
}

export function findVersion(study: StudyRecord, versionId: string): LabelVersion {
  const version = study.labelVersions.find((v) => v.id === versionId);
  if (!version) {
    const known = study.labelVersions.map((v) => v.id).join(', ') || 'none';
    throw new AppError(
      'NOT_FOUND',
      `Study "${study.id}" has no label version "${versionId}" (versions: ${known}).`,
    );
  }
  return version;
}

const classValues = (store: ProjectStore): number[] => store.manifest.labels.map((l) => l.value);

/** CONFLICT when another version became current since the edit began from `base`. */
function checkBase(study: StudyRecord, base: string | null | undefined): void {
  if (base === undefined || base === study.currentLabel) return;
  throw new AppError(
    'CONFLICT',
    `Study "${study.id}" now has label ${study.currentLabel ?? '(none)'}, but this edit ` +
      `started from ${base ?? '(none)'}: someone else saved meanwhile. ` +
      'Reload the study, or save again to keep this edit as the newest version.',
  );
}

async function appendVersion(
  store: ProjectStore,
  study: StudyRecord,
  { data, voxelCounts }: CheckedLabel,
  options: SaveLabelOptions,
): Promise<{ version: LabelVersion; record: StudyRecord }> {
  // Checked before anything is written. A finished version has every slice annotated.
  const annotatedSlices =
    options.final !== false || !options.annotatedSlices
      ? undefined
      : normalizeAnnotatedSlices(
          options.annotatedSlices,
          study.dims,
          `Label of study "${study.id}"`,
        );
  const id = await nextVersionId(store, study);
  const file = `${id}.nii.gz`;
  const target = store.paths.labelFile(study.id, path.join('labels', file));
  // Compressed on libuv's pool: a large label does not block this thread (Electron's main).
  const bytes = await encodeVolumeFile(
    {
      dims: study.dims,
      spacingMm: study.spacingMm,
      affine: study.affine,
      geometry: study.geometry,
      data,
    },
    { gzip: true, description: `simcvd label ${study.id} ${id}` },
  );
  await writeFileAtomic(target, bytes);
  const final = options.final ?? true;
  const version: LabelVersion = {
    id,
    createdAt: new Date().toISOString(),
    file: `labels/${file}`,
    provenance: options.provenance,
    voxelCounts,
    final,
    ...(annotatedSlices ? { annotatedSlices } : {}),
    ...(options.note ? { note: options.note } : {}),
  };
  const record: StudyRecord = {
    ...study,
    currentLabel: id,
    labelVersions: [...study.labelVersions, version],
    ...(options.review ? { review: options.review } : {}),
  };
  await store.writeStudyRecord(record);
  return { version, record };
}

/** Next unused version id, also skipping files left by an interrupted save. */
async function nextVersionId(store: ProjectStore, study: StudyRecord): Promise<string> {
  const onDisk = await fs.readdir(store.paths.labelsDir(study.id)).catch(() => [] as string[]);
  const numbers = [...study.labelVersions.map((v) => v.id), ...onDisk]
    .map((name) => /^v(\d+)/.exec(name)?.[1])
    .filter((n): n is string => n !== undefined)
    .map(Number);
  const next = (numbers.length ? Math.max(...numbers) : 0) + 1;
  return `v${String(next).padStart(4, '0')}`;
}
