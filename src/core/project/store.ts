// The project store (plain Node): a human-readable project folder with a manifest, one folder
// per study (image, metadata, every label version), and places for models and predictions.
// Writes are atomic and serialised; label history is append-only (a save never overwrites).
import { promises as fs } from 'node:fs';
import path from 'node:path';
import {
  DEFAULT_LABELS,
  PROJECT_SCHEMA_VERSION,
  currentLabelVersion,
  projectManifestSchema,
  studyRecordSchema,
  type LabelClass,
  type LabelVersion,
  type ProjectManifest,
  type Provenance,
  type StudyRecord,
} from '../../shared/contract/project';
import type { AnnotatedSlices, StudyProblem } from '../../shared/contract/project';
import { AppError } from '../errors';
import { writeFileAtomic, writeRecordAtomic } from '../fs/atomic';
import { pathExists } from '../fs/exists';
import { encodeVolumeFile, readVolumeFile } from '../volume/nifti';
import type { Volume } from '../volume/volume';
import { normalizeAnnotatedSlices } from './annotation';
import { assertSameGrid, checkLabelData, type CheckedLabel } from './labels';
import { hasPendingImports } from './importJournal';
import { acquireLock, type ProjectLock } from './lock';
import { projectPaths, type ProjectPaths } from './paths';
import { recoverProject, type RecoveryReport } from './recovery';
import { studyFolderProblem } from './studyRepair';

export interface OpenOptions {
  /** Take the inter-process write lock; read-only stores never write. */
  write: boolean;
  /** Shown to another process that finds the project locked. */
  purpose?: string;
}

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

/** A study folder whose record cannot be read: the rest of the project still opens. */
export type { StudyProblem } from '../../shared/contract/project';

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

export class ProjectStore {
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(
    readonly paths: ProjectPaths,
    private manifestValue: ProjectManifest,
    private readonly lock: ProjectLock | undefined,
  ) {}

  /** What opening for writing found to finish or clean after a crash (empty when nothing). */
  recovery: RecoveryReport | undefined;

  static async open(dir: string, options: OpenOptions): Promise<ProjectStore> {
    const paths = projectPaths(dir);
    let manifest = await readManifest(paths.manifest);
    if (!options.write) {
      // A reader must not see half of an import a crash cut short: finish it first if no live
      // writer holds the project (one that does finished it when it opened).
      if (await hasPendingImports(paths)) {
        const writer = await ProjectStore.open(dir, { write: true, purpose: 'recovery' }).catch(
          () => undefined,
        );
        await writer?.close();
        manifest = await readManifest(paths.manifest);
      }
      return new ProjectStore(paths, manifest, undefined);
    }
    const lock = await acquireLock(paths.lock, options.purpose ?? 'simcvd');
    const store = new ProjectStore(paths, manifest, lock);
    try {
      store.recovery = await recoverProject(paths, (labels) =>
        store.replaceLabelClasses(labels).then(() => undefined),
      );
    } catch (error) {
      await lock.release();
      throw error;
    }
    return store;
  }

  get root(): string {
    return this.paths.root;
  }

  get manifest(): ProjectManifest {
    return this.manifestValue;
  }

  get writable(): boolean {
    return this.lock !== undefined;
  }

  async close(): Promise<void> {
    await this.queue.catch(() => undefined);
    await this.lock?.release();
  }

  /** Throws LOCKED unless this process still holds the project lock: checked before commits. */
  async assertWritable(): Promise<void> {
    if (!this.lock) throw new AppError('BAD_INPUT', 'The project was opened read-only.');
    await this.lock.assertHeld();
  }

  /** Runs writes one after another inside this process (the lock covers other processes). */
  exclusive<T>(work: () => Promise<T>): Promise<T> {
    if (!this.lock) {
      return Promise.reject(new AppError('BAD_INPUT', 'The project was opened read-only.'));
    }
    const run = this.queue.then(work, work);
    this.queue = run.catch(() => undefined);
    return run;
  }

  /**
   * Replaces the label set. Removing a class whose value is painted in a study's current label
   * is refused: its voxels would keep a value no class names (invisible, untrainable).
   */
  async setLabelClasses(labels: LabelClass[]): Promise<ProjectManifest> {
    return this.exclusive(async () => {
      const kept = new Set(labels.map((l) => String(l.value)));
      const removed = this.manifestValue.labels.filter((l) => !kept.has(String(l.value)));
      if (removed.length > 0) {
        const uses: string[] = [];
        for (const study of await this.listStudies()) {
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
      return this.replaceLabelClasses(labels);
    });
  }

  /** Writes the label set; callers must already be inside `exclusive`. */
  async replaceLabelClasses(labels: LabelClass[]): Promise<ProjectManifest> {
    await this.assertWritable();
    const next = await writeRecordAtomic(this.paths.manifest, projectManifestSchema, {
      ...this.manifestValue,
      labels,
    });
    this.manifestValue = next;
    return next;
  }

  /** The readable studies; an unreadable record is left out (see `scanStudies`). */
  async listStudies(): Promise<StudyRecord[]> {
    return (await this.scanStudies()).studies;
  }

  /**
   * Every study folder: the readable records, and for each unreadable one its path and reason.
   * One bad study.json must not make the whole project unreadable.
   */
  async scanStudies(): Promise<{ studies: StudyRecord[]; problems: StudyProblem[] }> {
    const names = await fs.readdir(this.paths.studies).catch(() => [] as string[]);
    const studies: StudyRecord[] = [];
    const problems: StudyProblem[] = [];
    for (const name of names.sort()) {
      if (name.startsWith('.')) continue;
      try {
        studies.push(await this.getStudy(name));
      } catch (error) {
        const reason = await studyFolderProblem(this.paths, name, error);
        if (reason)
          problems.push({ studyId: name, path: path.join(this.paths.studies, name), reason });
      }
    }
    return { studies, problems };
  }

  async hasStudy(id: string): Promise<boolean> {
    return pathExists(this.paths.studyFile(id));
  }

  /** A folder of that name exists under studies/, readable record or not. */
  async hasStudyFolder(id: string): Promise<boolean> {
    return pathExists(this.paths.study(id));
  }

  async getStudy(id: string): Promise<StudyRecord> {
    const file = this.paths.studyFile(id);
    let text: string;
    try {
      text = await fs.readFile(file, 'utf8');
    } catch {
      throw new AppError('NOT_FOUND', `Study "${id}" does not exist in ${this.root}.`);
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new AppError('CORRUPT_FILE', `${file} is not valid JSON.`);
    }
    const parsed = studyRecordSchema.safeParse(json);
    if (!parsed.success) {
      throw new AppError(
        'CORRUPT_FILE',
        `${file} is not a valid study record: ${firstIssue(parsed.error)}. Repair the study ` +
          '(simcvd repair) or remove it (simcvd remove); the other studies are unaffected.',
      );
    }
    return parsed.data;
  }

  /** The study's image; `study`, when the caller has just read the record, saves a re-read. */
  async readImage(id: string, study?: StudyRecord): Promise<Volume> {
    if (study?.id !== id) await this.getStudy(id);
    return readVolumeFile(this.paths.image(id));
  }

  /** The current label (or a given version) as a uint8 volume; null when unlabeled. */
  async readLabel(id: string, versionId?: string): Promise<Volume | null> {
    const study = await this.getStudy(id);
    const wanted = versionId ?? study.currentLabel;
    if (!wanted) return null;
    const version = findVersion(study, wanted);
    return readVolumeFile(this.paths.labelFile(id, version.file));
  }

  labelFilePath(study: StudyRecord, versionId: string): string {
    return this.paths.labelFile(study.id, findVersion(study, versionId).file);
  }

  /** Saves a mask as a new label version and makes it current; earlier versions stay. */
  async saveLabel(
    id: string,
    mask: Pick<Volume, 'dims' | 'affine' | 'data'>,
    options: SaveLabelOptions,
  ): Promise<LabelVersion> {
    return this.exclusive(async () => {
      const study = await this.getStudy(id);
      this.checkBase(study, options.baseVersion);
      assertSameGrid(mask, study, 'The mask', id);
      const values = this.manifestValue.labels.map((l) => l.value);
      const data = checkLabelData(mask.data, values, 'The mask');
      return (await this.appendVersion(study, data, options)).version;
    });
  }

  /**
   * Saves a mask drawn in the app (uint8 voxels on the study grid) as a new version: the study
   * record is read once, under the write lock, and the updated record comes back with it.
   */
  async saveDrawnLabel(
    id: string,
    data: Uint8Array,
    options: SaveLabelOptions,
  ): Promise<{ version: LabelVersion; study: StudyRecord }> {
    return this.exclusive(async () => {
      const study = await this.getStudy(id);
      const expected = study.dims[0] * study.dims[1] * study.dims[2];
      if (data.length !== expected)
        throw new AppError(
          'BAD_INPUT',
          `The label for study "${id}" has ${data.length} voxels but the image has ` +
            `${study.dims.join('×')} = ${expected}; reload the study and draw again.`,
        );
      this.checkBase(study, options.baseVersion);
      const values = this.manifestValue.labels.map((l) => l.value);
      const { version, record } = await this.appendVersion(
        study,
        checkLabelData(data, values, 'The mask'),
        options,
      );
      return { version, study: record };
    });
  }

  /** Makes an old version current again by copying it into a new version (history is kept). */
  async restoreLabel(id: string, versionId: string): Promise<LabelVersion> {
    return this.exclusive(async () => {
      const study = await this.getStudy(id);
      const source = findVersion(study, versionId);
      const volume = await readVolumeFile(this.paths.labelFile(id, source.file));
      const { version } = await this.appendVersion(
        study,
        checkLabelData(
          volume.data,
          this.manifestValue.labels.map((l) => l.value),
          `Label ${versionId}`,
        ),
        {
          provenance: { kind: 'restore', fromVersion: versionId },
          final: source.final,
          ...(source.annotatedSlices ? { annotatedSlices: source.annotatedSlices } : {}),
          note: `restored from ${versionId}`,
        },
      );
      return version;
    });
  }

  /**
   * Records a review decision on a model's proposal (null: none, after an undo); the study's
   * labels stay as they are.
   */
  async recordReview(id: string, review: StudyReview | null): Promise<StudyRecord> {
    return this.exclusive(async () => {
      const next = { ...(await this.getStudy(id)), review };
      await this.writeStudyRecord(next);
      return next;
    });
  }

  /** CONFLICT when another version became current since the edit began from `base`. */
  private checkBase(study: StudyRecord, base: string | null | undefined): void {
    if (base === undefined || base === study.currentLabel) return;
    throw new AppError(
      'CONFLICT',
      `Study "${study.id}" now has label ${study.currentLabel ?? '(none)'}, but this edit ` +
        `started from ${base ?? '(none)'}: someone else saved meanwhile. ` +
        'Reload the study, or save again to keep this edit as the newest version.',
    );
  }

  /** Writes a study record (validated first), after checking this process still holds the lock. */
  async writeStudyRecord(record: StudyRecord): Promise<void> {
    await this.assertWritable();
    await writeRecordAtomic(this.paths.studyFile(record.id), studyRecordSchema, record);
  }

  private async appendVersion(
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
    const id = await this.nextVersionId(study);
    const file = `${id}.nii.gz`;
    const target = this.paths.labelFile(study.id, path.join('labels', file));
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
    await this.writeStudyRecord(record);
    return { version, record };
  }

  /** Next unused version id, also skipping files left by an interrupted save. */
  private async nextVersionId(study: StudyRecord): Promise<string> {
    const onDisk = await fs.readdir(this.paths.labelsDir(study.id)).catch(() => [] as string[]);
    const numbers = [...study.labelVersions.map((v) => v.id), ...onDisk]
      .map((name) => /^v(\d+)/.exec(name)?.[1])
      .filter((n): n is string => n !== undefined)
      .map(Number);
    const next = (numbers.length ? Math.max(...numbers) : 0) + 1;
    return `v${String(next).padStart(4, '0')}`;
  }
}

function findVersion(study: StudyRecord, versionId: string): LabelVersion {
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

async function readManifest(file: string): Promise<ProjectManifest> {
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

/** "field.path: message" of a validation error's first issue (zod's own message is a JSON dump). */
function firstIssue(error: { issues: { path: PropertyKey[]; message: string }[] }): string {
  const issue = error.issues[0];
  if (!issue) return 'invalid';
  const field = issue.path.map(String).join('.');
  return field ? `field "${field}": ${issue.message}` : issue.message;
}
