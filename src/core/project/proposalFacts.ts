// A model's proposals with what the user needs to decide (plain Node): the facts of each mask
// (stored when predicted, computed from the file for older proposals), the warnings against
// the project's finished labels, the slice to open first inside the mask, and the model's
// validation Dice. Shared by the Review panel, the study table, `simcvd rank` and `info`.
import type { ProposalFacts, ProposalFlag } from '../../shared/contract/proposals';
import type { StudyRecord } from '../../shared/contract/project';
import {
  finishedLabelRanges,
  proposalFlags,
  REVIEW_CHECKS,
  type ReviewChecks,
} from '../review/checks';
import { proposalFacts, topSliceWithin } from '../review/facts';
import { readVolumeFile } from '../volume/nifti';
import { getModel } from './models';
import { listProposals, proposalFile, type ProposalSummary } from './proposals';
import type { ProjectStore } from './store';

export interface ReviewedProposal extends ProposalSummary {
  modelId: string;
  facts: ProposalFacts;
  flags: ProposalFlag[];
}

export interface ModelProposals {
  modelId: string;
  /** The model's Dice on its validation studies; null when it was not validated. */
  validationDice: number | null;
  proposals: ReviewedProposal[];
}

async function factsOf(
  store: ProjectStore,
  modelId: string,
  summary: ProposalSummary,
  study: StudyRecord | undefined,
): Promise<ProposalFacts> {
  if (summary.facts) return summary.facts;
  const label = await readVolumeFile(proposalFile(store, modelId, summary.studyId, 'label'));
  const data = label.data instanceof Uint8Array ? label.data : Uint8Array.from(label.data);
  return proposalFacts(data, label.dims, study?.spacingMm ?? label.spacingMm);
}

/**
 * Every proposal of `modelId` with facts and flags. `studies` (default: the project's) give
 * the finished labels the volumes are compared with.
 */
export async function modelProposals(
  store: ProjectStore,
  modelId: string,
  options: { studies?: StudyRecord[]; checks?: ReviewChecks } = {},
): Promise<ModelProposals> {
  const studies = options.studies ?? (await store.listStudies());
  const byId = new Map(studies.map((s) => [s.id, s]));
  const ranges = finishedLabelRanges(studies);
  const proposals: ReviewedProposal[] = [];
  for (const summary of await listProposals(store, modelId)) {
    // A proposal whose label file cannot be read cannot be reviewed either; predicting again
    // rewrites it. It must not hide the others.
    const facts = await factsOf(store, modelId, summary, byId.get(summary.studyId)).catch(
      () => undefined,
    );
    if (!facts) continue;
    proposals.push({
      ...summary,
      modelId,
      facts,
      foregroundVoxels: facts.foregroundVoxels,
      // Older summaries chose over every slice; the choice is made inside the mask.
      topSlice: topSliceWithin(summary.sliceScores, facts.sliceExtent),
      flags: proposalFlags(facts, ranges, store.manifest.labels, options.checks ?? REVIEW_CHECKS),
    });
  }
  const record = await getModel(store, modelId).catch(() => undefined);
  return { modelId, validationDice: record?.metrics.validationDice ?? null, proposals };
}
