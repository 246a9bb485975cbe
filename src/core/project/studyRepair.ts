// Unreadable studies (plain Node): what is wrong with a study folder whose record cannot be
// read, how to rebuild its record from the files beside it, and how to set it aside. Nothing is
// deleted: a repair keeps the old record and the original files in a backup folder inside the
// study; a removal moves the whole folder to .removed/ at the project root.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import {
  labelVersionSchema,
  studyRecordSchema,
  studySourceSchema,
  type LabelVersion,
  type StudyRecord,
} from '../../shared/contract/project';
import { AppError, toErrorPayload } from '../errors';
import { writeFileAtomic, writeRecordAtomic } from '../fs/atomic';
import { pathExists } from '../fs/exists';
import { checkGeometry } from '../volume/geometryCheck';
import { encodeVolumeFile, readVolumeFile } from '../volume/nifti';
import { voxelTypeOf } from '../volume/volume';
import { checkLabelData } from './labels';
import { IMAGE_FILE, LABELS_DIR, STUDY_FILE, type ProjectPaths } from './paths';
import type { ProjectStore } from './store';

export const REMOVED_DIR = '.removed';

/** The reason to report for a study folder whose record failed to load; undefined: not a study. */
export async function studyFolderProblem(
  paths: ProjectPaths,
  name: string,
  error: unknown,
): Promise<string | undefined> {
  const folder = path.join(paths.studies, name);
  const stat = await fs.stat(folder).catch(() => undefined);
  if (!stat?.isDirectory()) return undefined; // a stray file beside the study folders
  if (!(await pathExists(path.join(folder, STUDY_FILE)))) return `the folder has no ${STUDY_FILE}`;
  return toErrorPayload(error).message;
}

const stamp = () => new Date().toISOString().replace(/[:.]/g, '-');

/** Label files on disk (labels/v0001.nii.gz, …) in version order. */
async function labelFilesOnDisk(folder: string): Promise<string[]> {
  const names = await fs.readdir(path.join(folder, LABELS_DIR)).catch(() => [] as string[]);
  return names.filter((n) => /^v\d+\.nii(\.gz)?$/.test(n)).sort();
}

/**
 * Rebuilds a study record from its image and label files: the grid and geometry from the image
 * (repaired if its header geometry is bad), the label versions the old record still describes
 * validly, and any label file it lost (added as a draft, never as a finished label).
 */
export async function repairStudy(
  store: ProjectStore,
  id: string,
): Promise<{ record: StudyRecord; changes: string[] }> {
  return store.exclusive(async () => {
    const folder = store.paths.study(id);
    if (!(await pathExists(folder)))
      throw new AppError('NOT_FOUND', `Study "${id}" does not exist in ${store.root}.`);
    const imageFile = path.join(folder, IMAGE_FILE);
    let image;
    try {
      image = await readVolumeFile(imageFile);
    } catch (error) {
      throw new AppError(
        'CORRUPT_FILE',
        `Study "${id}" cannot be repaired: its image ${imageFile} is unreadable (${toErrorPayload(error).message}). Remove the study instead.`,
      );
    }
    const changes: string[] = [];
    const { volume, repaired } = checkGeometry(image, imageFile, 'repair');
    const old = await readLoose(path.join(folder, STUDY_FILE));
    const backup = path.join(folder, `.repair-${stamp()}`);
    await fs.mkdir(backup, { recursive: true });
    if (await pathExists(path.join(folder, STUDY_FILE)))
      await fs.copyFile(path.join(folder, STUDY_FILE), path.join(backup, STUDY_FILE));

    const versions: LabelVersion[] = [];
    const described = Array.isArray(old.labelVersions) ? old.labelVersions : [];
    for (const entry of described) {
      const parsed = labelVersionSchema.safeParse(entry);
      if (parsed.success && (await pathExists(path.join(folder, parsed.data.file))))
        versions.push(parsed.data);
      else
        changes.push(
          `dropped an unreadable label-version entry (${JSON.stringify(entry).slice(0, 80)})`,
        );
    }
    const values = store.manifest.labels.map((l) => l.value);
    for (const name of await labelFilesOnDisk(folder)) {
      const file = `${LABELS_DIR}/${name}`;
      const versionId = name.replace(/\.nii(\.gz)?$/, '');
      const known = versions.find((v) => v.file === file);
      if (known && !repaired) continue;
      const label = await readVolumeFile(path.join(folder, file));
      const { data, voxelCounts } = checkLabelData(label.data, values, `Label file ${file}`);
      if (repaired) {
        // Its header carried the same broken geometry: rewrite it on the repaired grid.
        await fs.copyFile(path.join(folder, file), path.join(backup, name));
        await writeFileAtomic(
          path.join(folder, file),
          await encodeVolumeFile({ ...volume, data }, { gzip: true }),
        );
      }
      if (!known) {
        const stat = await fs.stat(path.join(folder, file));
        versions.push({
          id: versionId,
          createdAt: stat.mtime.toISOString(),
          file,
          provenance: { kind: 'import', sourcePath: path.join(folder, file) },
          voxelCounts,
          final: false,
          note: 'recovered by repair: check it, then mark it finished',
        });
        changes.push(`recovered label file ${file} as a draft version ${versionId}`);
      }
    }
    versions.sort((a, b) => a.id.localeCompare(b.id));
    if (repaired) {
      await fs.copyFile(imageFile, path.join(backup, IMAGE_FILE));
      await writeFileAtomic(imageFile, await encodeVolumeFile(volume, { gzip: true }));
      changes.push(repaired);
    }
    const source = studySourceSchema.safeParse(old.source);
    const current = typeof old.currentLabel === 'string' ? old.currentLabel : null;
    const record: StudyRecord = {
      id,
      source: source.success
        ? source.data
        : { kind: 'nifti', path: imageFile, importedAt: new Date().toISOString() },
      dims: volume.dims,
      spacingMm: volume.spacingMm,
      affine: volume.affine,
      geometry: volume.geometry,
      imageType: voxelTypeOf(volume.data),
      currentLabel: versions.some((v) => v.id === current)
        ? current
        : (versions.at(-1)?.id ?? null),
      labelVersions: versions,
      ...(studyRecordSchema.shape.review.safeParse(old.review).success && old.review
        ? { review: old.review as StudyRecord['review'] }
        : {}),
    };
    if (!source.success)
      changes.push('the source entry was unreadable; it now names the stored image');
    await store.assertWritable();
    await writeRecordAtomic(path.join(folder, STUDY_FILE), studyRecordSchema, record);
    changes.push(`record rebuilt; the old one and replaced files are kept in ${backup}`);
    return { record, changes };
  });
}

/** Moves a study folder (readable or not) to .removed/<id>-<time>/; nothing is deleted. */
export async function removeStudy(store: ProjectStore, id: string): Promise<{ movedTo: string }> {
  return store.exclusive(async () => {
    const folder = store.paths.study(id);
    if (!(await pathExists(folder)))
      throw new AppError('NOT_FOUND', `Study "${id}" does not exist in ${store.root}.`);
    const target = path.join(store.root, REMOVED_DIR, `${id}-${stamp()}`);
    await fs.mkdir(path.dirname(target), { recursive: true });
    await store.assertWritable();
    await fs.rename(folder, target);
    return { movedTo: target };
  });
}

async function readLoose(file: string): Promise<Record<string, unknown>> {
  try {
    const value = JSON.parse(await fs.readFile(file, 'utf8'));
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}
