// Label export (plain Node): the current final label of each chosen study as
// <outdir>/<study>.nii.gz, on the study image's geometry (the stored label file already carries
// that header verbatim, so its bytes are copied), filtered by origin (human or accepted from a
// model), with per-study progress and a summary of what was written and what was skipped.
// The plan lives in exportPlan.ts, the output folder check in exportFolder.ts, the origin rule
// in labelOrigin.ts and the proposal export in proposalExport.ts; all are re-exported here.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { LabelVersion, StudyRecord } from '../../shared/contract/project';
import { AppError } from '../errors';
import { writeFileAtomic } from '../fs/atomic';
import { readVolumeFile, writeVolumeFile } from '../volume/nifti';
import { annotatedVoxels } from './annotation';
import { prepareOutputFolder } from './exportFolder';
import {
  nothingToExportMessage,
  planExport,
  type ExportSelection,
  type ExportSkip,
} from './exportPlan';
import type { LabelOrigin } from './labelOrigin';
import type { ProjectStore } from './store';

export { contentProvenance, labelOrigin, type LabelOrigin } from './labelOrigin';
export {
  planExport,
  type ExportInclude,
  type ExportPlan,
  type ExportSelection,
  type ExportSkip,
} from './exportPlan';
export { prepareOutputFolder } from './exportFolder';
export {
  exportProposals,
  planProposalExport,
  PROPOSAL_EXPORT_FOLDERS,
  type ProposalExportPlan,
  type ProposalKind,
} from './proposalExport';

export interface ExportProgress {
  done: number;
  total: number;
  /** The study just written ('' for the initial 0-of-total report). */
  item: string;
}

export interface ExportOptions extends ExportSelection {
  /** Called with {done: 0} first, then once after each file is in place. */
  onProgress?: (progress: ExportProgress) => void;
  signal?: AbortSignal;
  /** Return an empty summary instead of refusing when nothing matches. */
  allowNone?: boolean;
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

export interface ExportSummary {
  /** Absolute output folder. */
  outDir: string;
  files: ExportedLabelFile[];
  skipped: ExportSkip[];
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

function stoppedAt(error: unknown, studyId: string, written: number, total: number): AppError {
  const note = ` Export stopped at ${studyId} after ${written} of ${total} files (those are complete).`;
  if (error instanceof AppError)
    return new AppError(error.code, error.message + note, { cause: error });
  const code = (error as NodeJS.ErrnoException).code ?? 'unknown error';
  return new AppError('IO_FAILED', `Could not export ${studyId} (${code}).${note}`, {
    cause: error,
  });
}
