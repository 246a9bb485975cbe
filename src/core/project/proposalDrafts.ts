// Drafts of an edited proposal (plain Node): what the user painted on a model's proposal,
// saved in the study folder as they paint (studies/<id>/drafts/<model>.nii.gz, atomic) so a
// reload, a crash or a closed window brings it back. A draft is not a label version: training
// never sees it, and Accept (which saves it as one) or Discard removes it.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { AppError } from '../errors';
import { writeFileAtomic } from '../fs/atomic';
import { encodeVolumeFile, readVolumeFile } from '../volume/nifti';
import { checkLabelData } from './labels';
import type { ProjectStore } from './store';

export interface ProposalDraftInfo {
  studyId: string;
  modelId: string;
  savedAt: string;
}

export async function proposalDraftInfo(
  store: ProjectStore,
  studyId: string,
  modelId: string,
): Promise<ProposalDraftInfo | null> {
  const stat = await fs.stat(store.paths.proposalDraft(studyId, modelId)).catch(() => undefined);
  return stat?.isFile() ? { studyId, modelId, savedAt: stat.mtime.toISOString() } : null;
}

export async function saveProposalDraft(
  store: ProjectStore,
  request: { studyId: string; modelId: string; data: Uint8Array },
): Promise<ProposalDraftInfo> {
  const { studyId, modelId, data } = request;
  return store.exclusive(async () => {
    const study = await store.getStudy(studyId);
    const expected = study.dims[0] * study.dims[1] * study.dims[2];
    if (data.length !== expected)
      throw new AppError(
        'BAD_INPUT',
        `The draft for study "${studyId}" has ${data.length} voxels but the image has ` +
          `${study.dims.join('×')} = ${expected}; reload the study.`,
      );
    const checked = checkLabelData(
      data,
      store.manifest.labels.map((l) => l.value),
      'The draft',
    );
    const bytes = await encodeVolumeFile(
      { ...study, data: checked.data },
      { gzip: true, description: `simcvd draft ${studyId} ${modelId}` },
    );
    await store.assertWritable();
    const file = store.paths.proposalDraft(studyId, modelId);
    await fs.mkdir(path.dirname(file), { recursive: true });
    await writeFileAtomic(file, bytes);
    return (await proposalDraftInfo(store, studyId, modelId))!;
  });
}

/** The draft's voxels, or null when there is none. */
export async function readProposalDraft(
  store: ProjectStore,
  studyId: string,
  modelId: string,
): Promise<Uint8Array | null> {
  const study = await store.getStudy(studyId);
  if (!(await proposalDraftInfo(store, studyId, modelId))) return null;
  const volume = await readVolumeFile(store.paths.proposalDraft(studyId, modelId));
  if (volume.dims.some((n, a) => n !== study.dims[a]) || !(volume.data instanceof Uint8Array))
    throw new AppError(
      'CORRUPT_FILE',
      `The draft of study "${studyId}" (${modelId}) does not fit the image; discard it.`,
    );
  return volume.data;
}

/** Removes the draft (Discard, or after Accept saved it as a label version). */
export async function discardProposalDraft(
  store: ProjectStore,
  studyId: string,
  modelId: string,
): Promise<boolean> {
  return store.exclusive(async () => {
    await store.assertWritable();
    const file = store.paths.proposalDraft(studyId, modelId);
    const existed = (await proposalDraftInfo(store, studyId, modelId)) !== null;
    await fs.rm(file, { force: true });
    return existed;
  });
}
