// Label export (plain Node): the current final label of each chosen study as
// <outdir>/<study>.nii.gz, on the study image's geometry (the stored label file already carries
// that header verbatim, so its bytes are copied), filtered by origin (human or accepted from a
// model), with per-study progress and a summary of what was written and what was skipped.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import {
  currentLabelVersion,
  labelCoverage,
  type LabelVersion,
  type Provenance,
  type StudyRecord,
} from '../../shared/contract/project';
import { AppError } from '../errors';
import { writeFileAtomic } from '../fs/atomic';
import { readVolumeFile, writeVolumeFile } from '../volume/nifti';
import { annotatedVoxels } from './annotation';
import { assertValidId } from './paths';
import { listProposals, proposalFile } from './proposals';
import type { ProjectStore } from './store';

/** "accepted": the label came from a model's proposal (possibly edited); "human": everything else. */
export type LabelOrigin = 'human' | 'accepted';

export interface ExportInclude {
  human: boolean;
  accepted: boolean;
}

export interface ExportProgress {
  done: number;
  total: number;
  /** The study just written ('' for the initial 0-of-total report). */
  item: string;
}

export interface ExportOptions {
  /** Only these studies; default every study with a final label. */
  studies?: string[];
  /** Which origins to write; default both. */
  include?: ExportInclude;
  /** Called with {done: 0} first, then once after each file is in place. */
  onProgress?: (progress: ExportProgress) => void;
  signal?: AbortSignal;
  /** Return an empty summary instead of refusing when nothing matches. */
  allowNone?: boolean;
  /**
   * Also export partial labels (annotated slices only), writing this value on every voxel no
   * annotated slice covers: nnU-Net v2's "ignore" label convention.
   */
  ignoreLabel?: number;
  /** Also write each partial label's annotated voxels (1) as <outdir>/annotated/<study>.nii.gz. */
  annotatedMasks?: boolean;
}

export interface ExportedFile {
  studyId: string;
  labelVersion: string;
  path: string;
}

export interface ExportedLabelFile extends ExportedFile {
  origin: LabelOrigin;
  /** A partial label: unannotated voxels hold the ignore value. */
  partial?: boolean;
  /** Its annotated-voxel mask, when asked for. */
  annotatedPath?: string;
}

export interface ExportSkip {
  studyId: string;
  reason: string;
}

export interface ExportSummary {
  /** Absolute output folder. */
  outDir: string;
  files: ExportedLabelFile[];
  skipped: ExportSkip[];
}

export interface ExportPlan {
  items: { study: StudyRecord; version: LabelVersion; origin: LabelOrigin; partial: boolean }[];
  skipped: ExportSkip[];
}

const ALL: ExportInclude = { human: true, accepted: true };
const ORIGIN_WORDS: Record<LabelOrigin, string> = {
  human: 'a human label',
  accepted: 'an accepted model proposal',
};

/**
 * The provenance of a version's content: a restore is a copy, so it is the provenance of the
 * version it copies (following restores of restores); undefined when a chain cannot be
 * followed (a missing or circular source).
 */
export function contentProvenance(study: StudyRecord, versionId: string): Provenance | undefined {
  const seen = new Set<string>();
  let version = study.labelVersions.find((v) => v.id === versionId);
  while (version && !seen.has(version.id)) {
    seen.add(version.id);
    const provenance = version.provenance;
    if (provenance.kind !== 'restore') return provenance;
    version = study.labelVersions.find((v) => v.id === provenance.fromVersion);
  }
  return undefined;
}

/**
 * Where a label version came from: a model's proposal (possibly edited) or a person. A chain
 * of restores that cannot be followed counts as human, since restoring is a person's act.
 */
export function labelOrigin(study: StudyRecord, versionId: string): LabelOrigin {
  return contentProvenance(study, versionId)?.kind === 'model' ? 'accepted' : 'human';
}

/**
 * Which studies get a file. Drafts are always reported; unlabeled studies and labels of an
 * origin left out are reported only for studies the caller named (listing every unlabeled
 * study of a whole-project export would bury the useful lines).
 */
export function planExport(
  all: StudyRecord[],
  options: Pick<ExportOptions, 'studies' | 'include' | 'ignoreLabel'> = {},
): ExportPlan {
  const include = options.include ?? ALL;
  const named = options.studies ? [...new Set(options.studies)] : undefined;
  for (const id of named ?? []) {
    assertValidId('study', id);
    if (!all.some((s) => s.id === id))
      throw new AppError('NOT_FOUND', `Study "${id}" does not exist in this project.`);
  }
  const chosen = named ? all.filter((s) => named.includes(s.id)) : all;
  const plan: ExportPlan = { items: [], skipped: [] };
  for (const study of chosen) {
    const version = currentLabelVersion(study);
    if (!version) {
      if (named) plan.skipped.push({ studyId: study.id, reason: 'unlabeled: no label to export' });
      continue;
    }
    const partial = labelCoverage(version) === 'partial';
    if (!version.final && !(partial && options.ignoreLabel !== undefined)) {
      plan.skipped.push({
        studyId: study.id,
        reason: partial
          ? `label ${version.id} is partial (annotated slices only): export it with an ignore label (--ignore-label V), or mark the annotation finished`
          : `label ${version.id} is a draft: mark the annotation finished to export it`,
      });
      continue;
    }
    const origin = labelOrigin(study, version.id);
    if (!include[origin]) {
      if (named)
        plan.skipped.push({
          studyId: study.id,
          reason: `label ${version.id} is ${ORIGIN_WORDS[origin]}, which was not included`,
        });
      continue;
    }
    plan.items.push({ study, version, origin, partial });
  }
  return plan;
}

export async function exportLabels(
  store: ProjectStore,
  outDir: string,
  options: ExportOptions = {},
): Promise<ExportSummary> {
  if (options.ignoreLabel !== undefined) assertIgnoreLabel(store, options.ignoreLabel);
  const plan = planExport(await store.listStudies(), options);
  const target = path.resolve(outDir);
  if (plan.items.length === 0) {
    if (options.allowNone) return { outDir: target, files: [], skipped: plan.skipped };
    throw new AppError('NOT_FOUND', nothingToExportMessage(options, plan.skipped));
  }
  await prepareOutputFolder(store.root, target);
  const total = plan.items.length;
  const files: ExportedLabelFile[] = [];
  options.onProgress?.({ done: 0, total, item: '' });
  for (const { study, version, origin, partial } of plan.items) {
    if (options.signal?.aborted)
      throw new AppError(
        'CANCELLED',
        `Export cancelled after ${files.length} of ${total} files (those are complete).`,
      );
    const file = path.join(target, `${study.id}.nii.gz`);
    const exported: ExportedLabelFile = {
      studyId: study.id,
      labelVersion: version.id,
      origin,
      path: file,
    };
    try {
      if (!partial)
        await writeFileAtomic(file, await fs.readFile(store.labelFilePath(study, version.id)));
      else {
        const written = await writePartial(store, study, version, file, options);
        Object.assign(exported, { partial: true }, written);
      }
    } catch (error) {
      throw stoppedAt(error, study.id, files.length, total);
    }
    files.push(exported);
    options.onProgress?.({ done: files.length, total, item: study.id });
  }
  return { outDir: target, files, skipped: plan.skipped };
}

/** The ignore value must be a byte no label class uses (it would read as that structure). */
function assertIgnoreLabel(store: ProjectStore, value: number): void {
  if (!Number.isInteger(value) || value < 1 || value > 255)
    throw new AppError('BAD_INPUT', `The ignore label must be 1…255, got ${value}.`);
  const taken = store.manifest.labels.find((l) => l.value === value);
  if (taken)
    throw new AppError(
      'BAD_INPUT',
      `The ignore label ${value} is the value of label class "${taken.name}"; choose another (nnU-Net commonly uses the highest value, e.g. 255).`,
    );
}

/** A partial label with the ignore value off its annotated slices (+ the annotated mask). */
async function writePartial(
  store: ProjectStore,
  study: StudyRecord,
  version: LabelVersion,
  file: string,
  options: ExportOptions,
): Promise<{ annotatedPath?: string }> {
  const label = await readVolumeFile(store.labelFilePath(study, version.id));
  const known = annotatedVoxels(version.annotatedSlices!, study.dims);
  const data = new Uint8Array(known.length);
  for (let v = 0; v < data.length; v++) data[v] = known[v] ? label.data[v]! : options.ignoreLabel!;
  const grid = {
    dims: study.dims,
    spacingMm: study.spacingMm,
    affine: study.affine,
    geometry: study.geometry,
  };
  await writeVolumeFile(
    file,
    { ...grid, data },
    { description: `simcvd partial ${study.id} ${version.id}` },
  );
  if (!options.annotatedMasks) return {};
  const annotatedPath = path.join(path.dirname(file), 'annotated', path.basename(file));
  await writeVolumeFile(
    annotatedPath,
    { ...grid, data: known },
    { description: `simcvd annotated ${study.id}` },
  );
  return { annotatedPath };
}

function nothingToExportMessage(options: ExportOptions, skipped: ExportSkip[]): string {
  const include = options.include ?? ALL;
  const kind =
    include.human && include.accepted
      ? 'a finished'
      : include.human
        ? 'a finished human'
        : 'an accepted (from a model)';
  const scope = options.studies?.length ? ` among ${options.studies.join(', ')}` : '';
  const why = skipped.length
    ? ` Skipped: ${skipped
        .slice(0, 5)
        .map((s) => `${s.studyId} (${s.reason})`)
        .join('; ')}${skipped.length > 5 ? `; and ${skipped.length - 5} more` : ''}.`
    : '';
  return (
    `Nothing to export: no study${scope} has ${kind} label.${why} ` +
    'Finish an annotation or accept a proposal first, or change what to include.'
  );
}

function stoppedAt(error: unknown, studyId: string, written: number, total: number): AppError {
  const note = ` Export stopped at ${studyId} after ${written} of ${total} files (those are complete).`;
  if (error instanceof AppError)
    return new AppError(error.code, error.message + note, { cause: error });
  const code = (error as NodeJS.ErrnoException).code ?? 'unknown error';
  return new AppError('IO_FAILED', `Could not export ${studyId} (${code}).${note}`, {
    cause: error,
  });
}

/** Resolves symlinks of the longest existing prefix (the folder itself may not exist yet). */
async function realpathOfNearest(target: string): Promise<string> {
  const rest: string[] = [];
  let current = target;
  for (;;) {
    try {
      return path.join(await fs.realpath(current), ...rest);
    } catch {
      const parent = path.dirname(current);
      if (parent === current) return target;
      rest.unshift(path.basename(current));
      current = parent;
    }
  }
}

function isInsideOrSame(child: string, parent: string): boolean {
  const rel = path.relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/**
 * Refuses a folder inside the project (exports would mix with the project's own files and
 * travel with it) and one that cannot be written, before any file is written; creates it.
 */
export async function prepareOutputFolder(projectRoot: string, outDir: string): Promise<void> {
  const target = path.resolve(outDir);
  const root = path.resolve(projectRoot);
  const [realTarget, realRoot] = await Promise.all([
    realpathOfNearest(target),
    realpathOfNearest(root),
  ]);
  if (isInsideOrSame(target, root) || isInsideOrSame(realTarget, realRoot)) {
    throw new AppError(
      'BAD_INPUT',
      `Export folder ${target} is inside the project folder ${root}; choose a folder outside the project (for example ${root}-export).`,
    );
  }
  const stat = await fs.stat(target).catch(() => undefined);
  if (stat && !stat.isDirectory())
    throw new AppError(
      'BAD_INPUT',
      `Export folder ${target} is a file, not a folder; choose a folder.`,
    );
  try {
    await fs.mkdir(target, { recursive: true });
    // A real write, not access(): permission bits say nothing for root or read-only mounts.
    const probe = path.join(target, '.simcvd-write-test');
    await writeFileAtomic(probe, '');
    await fs.rm(probe, { force: true });
  } catch (error) {
    const reason =
      error instanceof AppError
        ? (/\((E[A-Z]+)\)/.exec(error.message)?.[1] ?? error.code)
        : ((error as NodeJS.ErrnoException).code ?? 'unknown error');
    throw new AppError(
      'IO_FAILED',
      `Export folder ${target} is not writable (${reason}); choose another folder or fix its permissions.`,
      { cause: error },
    );
  }
}

export type ProposalKind = 'label' | 'uncertainty';

export interface ProposalExportPlan {
  modelId: string;
  kinds: ProposalKind[];
  studyIds: string[];
}

/**
 * What a proposal export will write, checked before anything is written (so an export that
 * cannot complete fails with the folder untouched): the model's proposals, narrowed to the
 * named studies.
 */
export async function planProposalExport(
  store: ProjectStore,
  modelId: string,
  options: { uncertainty: boolean; labels: boolean; studies?: string[] },
): Promise<ProposalExportPlan> {
  const proposals = await listProposals(store, modelId);
  if (proposals.length === 0)
    throw new AppError(
      'NOT_FOUND',
      `Model ${modelId} has no proposals: run "simcvd predict" first (nothing was exported).`,
    );
  const studyIds = proposals
    .map((p) => p.studyId)
    .filter((id) => !options.studies || options.studies.includes(id));
  if (studyIds.length === 0)
    throw new AppError(
      'NOT_FOUND',
      `Model ${modelId} has no proposal for ${options.studies!.join(', ')} (it has ${proposals.length} for other studies; nothing was exported).`,
    );
  const kinds: ProposalKind[] = [
    ...(options.labels ? ['label' as const] : []),
    ...(options.uncertainty ? ['uncertainty' as const] : []),
  ];
  return { modelId, kinds, studyIds };
}

/** Folder of each kind inside the export folder. */
export const PROPOSAL_EXPORT_FOLDERS: Record<ProposalKind, string> = {
  label: 'proposals',
  uncertainty: 'uncertainty',
};

/**
 * A model's proposals as <outdir>/proposals/<study>.nii.gz and, optionally, the voxel
 * uncertainty maps (values 0–1, stored as bytes with scl_slope 1/255) in
 * <outdir>/uncertainty/<study>.nii.gz.
 */
export async function exportProposals(
  store: ProjectStore,
  outDir: string,
  plan: ProposalExportPlan,
): Promise<ExportedFile[]> {
  await prepareOutputFolder(store.root, outDir);
  const written: ExportedFile[] = [];
  for (const kind of plan.kinds) {
    const folder = path.join(outDir, PROPOSAL_EXPORT_FOLDERS[kind]);
    await fs.mkdir(folder, { recursive: true });
    for (const studyId of plan.studyIds) {
      const target = path.join(folder, `${studyId}.nii.gz`);
      await writeFileAtomic(
        target,
        await fs.readFile(proposalFile(store, plan.modelId, studyId, kind)),
      );
      written.push({ studyId, labelVersion: `${plan.modelId}:${kind}`, path: target });
    }
  }
  return written;
}
