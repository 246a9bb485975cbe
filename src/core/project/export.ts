// Label export (plain Node): the current label of each labeled study as <outdir>/<study>.nii.gz,
// on the study image's geometry (the stored label file already carries that header verbatim).
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { AppError } from '../errors';
import { writeFileAtomic } from '../fs/atomic';
import { assertValidId } from './paths';
import { listProposals, proposalFile } from './proposals';
import type { ProjectStore } from './store';

export interface ExportOptions {
  /** Only these studies; default every labeled study. */
  studies?: string[];
  onProgress?: (progress: { done: number; total: number; item: string }) => void;
  signal?: AbortSignal;
  /** Return nothing instead of refusing when no study is labeled. */
  allowNone?: boolean;
}

export interface ExportedFile {
  studyId: string;
  labelVersion: string;
  path: string;
}

export async function exportLabels(
  store: ProjectStore,
  outDir: string,
  options: ExportOptions = {},
): Promise<ExportedFile[]> {
  const all = await store.listStudies();
  const wanted = options.studies ? new Set(options.studies) : undefined;
  for (const id of wanted ?? []) {
    assertValidId('study', id);
    if (!all.some((s) => s.id === id))
      throw new AppError('NOT_FOUND', `Study "${id}" does not exist.`);
  }
  const studies = all.filter((s) => s.currentLabel && (!wanted || wanted.has(s.id)));
  if (studies.length === 0 && !options.allowNone) {
    throw new AppError('NOT_FOUND', 'No labeled study to export: attach or draw a label first.');
  }
  await fs.mkdir(outDir, { recursive: true });
  const written: ExportedFile[] = [];
  for (const [index, study] of studies.entries()) {
    if (options.signal?.aborted)
      throw new AppError('CANCELLED', `Export cancelled after ${index} files.`);
    options.onProgress?.({ done: index, total: studies.length, item: study.id });
    const bytes = await fs.readFile(store.labelFilePath(study, study.currentLabel!));
    const target = path.join(outDir, `${study.id}.nii.gz`);
    await writeFileAtomic(target, bytes);
    written.push({ studyId: study.id, labelVersion: study.currentLabel!, path: target });
  }
  options.onProgress?.({ done: studies.length, total: studies.length, item: '' });
  return written;
}

/**
 * A model's proposals as <outdir>/proposals/<study>.nii.gz and, optionally, the voxel
 * uncertainty maps as float NIfTI in <outdir>/uncertainty/<study>.nii.gz.
 */
export async function exportProposals(
  store: ProjectStore,
  outDir: string,
  modelId: string,
  options: { uncertainty: boolean; labels: boolean },
): Promise<ExportedFile[]> {
  const proposals = await listProposals(store, modelId);
  if (proposals.length === 0)
    throw new AppError(
      'NOT_FOUND',
      `Model ${modelId} has no proposals: run "simcvd predict" first.`,
    );
  const kinds: ('label' | 'uncertainty')[] = [
    ...(options.labels ? ['label' as const] : []),
    ...(options.uncertainty ? ['uncertainty' as const] : []),
  ];
  const written: ExportedFile[] = [];
  for (const kind of kinds) {
    const folder = path.join(outDir, kind === 'label' ? 'proposals' : 'uncertainty');
    await fs.mkdir(folder, { recursive: true });
    for (const p of proposals) {
      const target = path.join(folder, `${p.studyId}.nii.gz`);
      await writeFileAtomic(
        target,
        await fs.readFile(proposalFile(store, modelId, p.studyId, kind)),
      );
      written.push({ studyId: p.studyId, labelVersion: `${modelId}:${kind}`, path: target });
    }
  }
  return written;
}
