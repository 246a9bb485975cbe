// The project manifest (plain Node): creating a project folder, reading project.json with its
// schema-version check, and the rule for editing the label classes it lists.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import {
  DEFAULT_LABELS,
  PROJECT_SCHEMA_VERSION,
  currentLabelVersion,
  projectManifestSchema,
  type LabelClass,
  type ProjectManifest,
  type StudyRecord,
} from '../../shared/contract/project';
import { AppError } from '../errors';
import { writeRecordAtomic } from '../fs/atomic';
import { projectPaths } from './paths';
import { firstIssue } from './studyRecords';

export async function createProject(
  dir: string,
  options: { name?: string; labels?: LabelClass[] } = {},
): Promise<ProjectManifest> {
  const paths = projectPaths(dir);
  const entries = await fs.readdir(paths.root).catch(() => [] as string[]);
  if (entries.includes(path.basename(paths.manifest))) {
    throw new AppError('CONFLICT', `${paths.root} is already a project; open it instead.`);
  }
  if (entries.some((e) => !e.startsWith('.'))) {
    throw new AppError('CONFLICT', `${paths.root} is not empty; choose an empty or new folder.`);
  }
  const manifest: ProjectManifest = {
    schemaVersion: PROJECT_SCHEMA_VERSION,
    name: options.name ?? path.basename(paths.root),
    createdAt: new Date().toISOString(),
    labels: options.labels ?? DEFAULT_LABELS,
  };
  for (const dirPath of [paths.studies, paths.models, paths.predictions]) {
    await fs.mkdir(dirPath, { recursive: true });
  }
  await writeRecordAtomic(paths.manifest, projectManifestSchema, manifest);
  return manifest;
}

export async function readManifest(file: string): Promise<ProjectManifest> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch {
    throw new AppError(
      'NOT_FOUND',
      `No project at ${path.dirname(file)} (missing ${path.basename(file)}). Create one with "simcvd init".`,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new AppError('CORRUPT_FILE', `${file} is not valid JSON.`);
  }
  const version = (json as { schemaVersion?: unknown }).schemaVersion;
  if (typeof version === 'number' && version > PROJECT_SCHEMA_VERSION) {
    throw new AppError(
      'UNSUPPORTED',
      `The project was written by a newer version (schema ${version}); this app reads schema ${PROJECT_SCHEMA_VERSION}. Update the app.`,
    );
  }
  const parsed = projectManifestSchema.safeParse(json);
  if (!parsed.success) {
    throw new AppError(
      'CORRUPT_FILE',
      `${file} is not a valid project manifest: ${firstIssue(parsed.error)}.`,
    );
  }
  return parsed.data;
}

/**
 * The classes `next` drops from `current`: none may still be painted in a study's current
 * label, or its voxels would keep a value no class names (invisible, untrainable).
 * `studies` is read only when a class is removed.
 */
export async function assertRemovableClasses(
  current: LabelClass[],
  next: LabelClass[],
  studies: () => Promise<StudyRecord[]>,
): Promise<void> {
  const kept = new Set(next.map((l) => String(l.value)));
  const removed = current.filter((l) => !kept.has(String(l.value)));
  if (removed.length === 0) return;
  const uses: string[] = [];
  for (const study of await studies()) {
    const counts = currentLabelVersion(study)?.voxelCounts ?? {};
    const used = removed.filter((l) => (counts[String(l.value)] ?? 0) > 0);
    if (used.length) uses.push(`${study.id} (${used.map((l) => l.name).join(', ')})`);
  }
  if (uses.length > 0) {
    throw new AppError(
      'CONFLICT',
      `Cannot remove a label class still painted in ${uses.length} ${uses.length === 1 ? 'study' : 'studies'}: ` +
        `${uses.slice(0, 5).join('; ')}${uses.length > 5 ? '; …' : ''}. Erase or relabel those voxels first.`,
    );
  }
}
