// The project store (plain Node): a human-readable project folder with a manifest, one folder
// per study (image, metadata, every label version), and places for models and predictions.
// This class is the facade the rest of the code holds: it owns the write lock and the write
// queue; the work itself lives in manifest.ts, studyRecords.ts and labelVersions.ts.
// Writes are atomic and serialised; label history is append-only (a save never overwrites).
import {
  projectManifestSchema,
  studyRecordSchema,
  type LabelClass,
  type LabelVersion,
  type ProjectManifest,
  type StudyProblem,
  type StudyRecord,
} from '../../shared/contract/project';
import { AppError } from '../errors';
import { writeRecordAtomic } from '../fs/atomic';
import { pathExists } from '../fs/exists';
import { readVolumeFile } from '../volume/nifti';
import type { Volume } from '../volume/volume';
import { hasPendingImports } from './importJournal';
import {
  findVersion,
  readLabelVersion,
  restoreVersion,
  saveDrawnVersion,
  saveMaskVersion,
  type SaveLabelOptions,
  type StudyReview,
} from './labelVersions';
import { acquireLock, type ProjectLock } from './lock';
import { assertRemovableClasses, readManifest } from './manifest';
import { projectPaths, type ProjectPaths } from './paths';
import { recoverProject, type RecoveryReport } from './recovery';
import { readStudyRecord, scanStudyFolders } from './studyRecords';

export { createProject } from './manifest';
export type { SaveLabelOptions, StudyReview } from './labelVersions';
/** A study folder whose record cannot be read: the rest of the project still opens. */
export type { StudyProblem } from '../../shared/contract/project';

export interface OpenOptions {
  /** Take the inter-process write lock; read-only stores never write. */
  write: boolean;
  /** Shown to another process that finds the project locked. */
  purpose?: string;
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
      await assertRemovableClasses(this.manifestValue.labels, labels, () => this.listStudies());
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
    return scanStudyFolders(this.paths, (id) => this.getStudy(id));
  }

  async hasStudy(id: string): Promise<boolean> {
    return pathExists(this.paths.studyFile(id));
  }

  /** A folder of that name exists under studies/, readable record or not. */
  async hasStudyFolder(id: string): Promise<boolean> {
    return pathExists(this.paths.study(id));
  }

  async getStudy(id: string): Promise<StudyRecord> {
    return readStudyRecord(this.paths, id);
  }

  /** The study's image; `study`, when the caller has just read the record, saves a re-read. */
  async readImage(id: string, study?: StudyRecord): Promise<Volume> {
    if (study?.id !== id) await this.getStudy(id);
    return readVolumeFile(this.paths.image(id));
  }

  /** The current label (or a given version) as a uint8 volume; null when unlabeled. */
  async readLabel(id: string, versionId?: string): Promise<Volume | null> {
    return readLabelVersion(this, id, versionId);
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
    return this.exclusive(() => saveMaskVersion(this, id, mask, options));
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
    return this.exclusive(() => saveDrawnVersion(this, id, data, options));
  }

  /** Makes an old version current again by copying it into a new version (history is kept). */
  async restoreLabel(id: string, versionId: string): Promise<LabelVersion> {
    return this.exclusive(() => restoreVersion(this, id, versionId));
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

  /** Writes a study record (validated first), after checking this process still holds the lock. */
  async writeStudyRecord(record: StudyRecord): Promise<void> {
    await this.assertWritable();
    await writeRecordAtomic(this.paths.studyFile(record.id), studyRecordSchema, record);
  }
}
