// Folder evaluation (Node): pairs predicted and true NIfTI masks by file name, checks that each
// pair shares a voxel grid, and scores every pair with `evaluateCase`. Used by `simcvd eval`.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { AppError } from '../errors';
import { isRegularFile } from '../fs/regularFile';
import { affinesClose } from '../volume/geometry';
import { readVolumeFile } from '../volume/nifti';
import type { Volume } from '../volume/volume';
import {
  evaluateCase,
  foregroundLabels,
  meanMetrics,
  type CaseMetrics,
  type MeanMetrics,
} from './evaluate';

export interface NamedCaseMetrics extends CaseMetrics {
  /** File name without `.nii`/`.nii.gz`. */
  name: string;
}

export interface MissingCase {
  name: string;
  /** The folder the file is in; the other one lacks it. */
  onlyIn: 'pred' | 'truth';
  file: string;
}

export interface FolderEvaluation {
  label: number;
  cases: NamedCaseMetrics[];
  mean: MeanMetrics;
  missing: MissingCase[];
}

export interface FolderEvaluationOptions {
  /** Label value to score. Unset: 1, and masks holding any other non-zero value are refused. */
  label?: number;
  onProgress?: (done: number, total: number, name: string) => void;
}

const NIFTI_NAME = /\.nii(\.gz)?$/i;

/** Scores every prediction that has a truth file of the same name (extension aside). */
export async function evaluateFolders(
  predDir: string,
  truthDir: string,
  options: FolderEvaluationOptions = {},
): Promise<FolderEvaluation> {
  const preds = await listMasks(predDir, 'prediction');
  const truths = await listMasks(truthDir, 'truth');
  const names = [...truths.keys()].filter((n) => preds.has(n)).sort();
  const missing: MissingCase[] = [
    ...[...truths]
      .filter(([n]) => !preds.has(n))
      .map(([name, file]) => ({ name, onlyIn: 'truth' as const, file })),
    ...[...preds]
      .filter(([n]) => !truths.has(n))
      .map(([name, file]) => ({ name, onlyIn: 'pred' as const, file })),
  ].sort((a, b) => a.name.localeCompare(b.name));
  if (names.length === 0) {
    throw new AppError(
      'NOT_FOUND',
      `No file name is in both ${predDir} (${listNames(preds)}) and ${truthDir} (${listNames(truths)}). ` +
        'Predictions must be named like their ground-truth files (e.g. case_001.nii.gz in both).',
    );
  }
  const label = options.label ?? 1;
  const cases: NamedCaseMetrics[] = [];
  for (const [done, name] of names.entries()) {
    options.onProgress?.(done, names.length, name);
    const predFile = preds.get(name)!;
    const truthFile = truths.get(name)!;
    const [pred, truth] = await Promise.all([readVolumeFile(predFile), readVolumeFile(truthFile)]);
    assertSameGrid(pred, truth, predFile, truthFile);
    if (options.label === undefined) {
      assertOnlyLabelOne(pred, predFile);
      assertOnlyLabelOne(truth, truthFile);
    }
    const metrics = evaluateCase(pred.data, truth.data, truth.dims, truth.spacingMm, { label });
    cases.push({ name, ...metrics });
  }
  options.onProgress?.(names.length, names.length, '');
  return { label, cases, mean: meanMetrics(cases), missing };
}

/** NIfTI files of a folder by name without extension. */
async function listMasks(dir: string, role: string): Promise<Map<string, string>> {
  let entries: import('node:fs').Dirent[];
  try {
    entries = await fs.readdir(dir, { withFileTypes: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT')
      throw new AppError('NOT_FOUND', `The ${role} folder ${dir} does not exist.`, {
        cause: error,
      });
    if (code === 'ENOTDIR')
      throw new AppError(
        'BAD_INPUT',
        `The ${role} folder ${dir} is a file; give a folder of .nii/.nii.gz masks.`,
        { cause: error },
      );
    throw new AppError(
      'IO_FAILED',
      `Could not list the ${role} folder ${dir} (${code ?? 'unknown error'}).`,
      { cause: error },
    );
  }
  const byName = new Map<string, string>();
  for (const entry of entries) {
    if (!NIFTI_NAME.test(entry.name)) continue;
    // Links are followed (masks are often linked in from a dataset folder), to files only.
    if (
      !entry.isFile() &&
      !(entry.isSymbolicLink() && (await isRegularFile(path.join(dir, entry.name))))
    )
      continue;
    const name = entry.name.replace(NIFTI_NAME, '');
    const earlier = byName.get(name);
    if (earlier !== undefined) {
      throw new AppError(
        'BAD_INPUT',
        `The ${role} folder ${dir} holds both ${path.basename(earlier)} and ${entry.name}; keep one of them.`,
      );
    }
    byName.set(name, path.join(dir, entry.name));
  }
  if (byName.size === 0)
    throw new AppError('NOT_FOUND', `The ${role} folder ${dir} holds no .nii or .nii.gz file.`);
  return byName;
}

function listNames(files: Map<string, string>): string {
  const names = [...files.keys()].sort();
  const shown = names.slice(0, 5).join(', ');
  return names.length > 5 ? `${shown}, … ${names.length} files` : shown;
}

function assertSameGrid(pred: Volume, truth: Volume, predFile: string, truthFile: string): void {
  if (!pred.dims.every((n, axis) => n === truth.dims[axis])) {
    throw new AppError(
      'GEOMETRY_MISMATCH',
      `${predFile} has ${pred.dims.join('×')} voxels but its truth ${truthFile} has ${truth.dims.join('×')}. ` +
        'Save the prediction on the grid of the image it was predicted from.',
    );
  }
  // 1e-3 relative absorbs float32 header rounding, nothing real (as in project/labels.ts).
  if (!affinesClose(pred.affine, truth.affine, 1e-3)) {
    throw new AppError(
      'GEOMETRY_MISMATCH',
      `${predFile} has the size of its truth ${truthFile} but a different position, orientation or ` +
        `spacing (affine ${formatAffine(pred.affine)} vs ${formatAffine(truth.affine)}). ` +
        'Save the prediction on the grid of the image it was predicted from.',
    );
  }
}

/** Without --label, a mask holding anything but 0 and 1 is ambiguous: refuse, naming the values. */
function assertOnlyLabelOne(volume: Volume, file: string): void {
  const labels = foregroundLabels([volume.data], 8);
  if (labels.every((v) => v === 1)) return;
  const shown =
    labels.length > 8
      ? `more than 8 distinct values (an image, not a mask?)`
      : `values ${labels.join(', ')}`;
  throw new AppError(
    'BAD_INPUT',
    `${file} holds ${shown}, not only 0 and 1. Choose the label to score with --label N.`,
  );
}

function formatAffine(m: number[]): string {
  return `[${m
    .slice(0, 12)
    .map((x) => Number(x.toFixed(3)))
    .join(', ')}]`;
}
