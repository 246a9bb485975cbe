// Exporting a model's proposals (plain Node): the label proposals and, optionally, the
// uncertainty maps, copied byte for byte into folders of the export folder after a plan that
// checks everything first.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { AppError } from '../errors';
import { writeFileAtomic } from '../fs/atomic';
import type { ExportedFile } from './export';
import { prepareOutputFolder } from './exportFolder';
import { listProposals, proposalFile } from './proposals';
import type { ProjectStore } from './store';

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
