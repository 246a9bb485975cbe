// Ranking a project's studies (plain Node): the candidates are the studies the model's
// proposals cover that still need a person and that no person has started — no label at all,
// no decision on this model's proposal. Shared by `simcvd rank` and the app's "studies.rank" /
// "Next study". Each row carries the proposal's size and warnings.
import {
  decisionFor,
  modelProposals,
  proposalBrief,
  resolveModelId,
  type ProjectStore,
  type ReviewedProposal,
} from '../project';
import type { RankedStudyRow } from '../../shared/contract/studies';
import { rankStudies, type RankCandidate, type RankStrategy } from './rank';

export interface ProjectRanking {
  modelId: string;
  ranked: RankedStudyRow[];
  /** Studies that still need a person but have no proposal of this model (not ranked). */
  withoutProposal: string[];
}

export async function rankCandidates(
  store: ProjectStore,
  modelId: string,
): Promise<{
  candidates: RankCandidate[];
  proposals: Map<string, ReviewedProposal>;
  withoutProposal: string[];
}> {
  const studies = await store.listStudies();
  const open = new Map(
    studies
      .filter((s) => s.currentLabel === null && decisionFor(s, modelId) === 'pending')
      .map((s) => [s.id, s]),
  );
  const proposals = new Map<string, ReviewedProposal>();
  const candidates: RankCandidate[] = [];
  for (const proposal of (await modelProposals(store, modelId, { studies })).proposals) {
    const study = open.get(proposal.studyId);
    if (!study) continue;
    const [nx, ny, nz] = study.dims;
    proposals.set(proposal.studyId, proposal);
    candidates.push({
      studyId: proposal.studyId,
      studyScore: proposal.studyScore,
      sliceScores: proposal.sliceScores,
      topSlice: proposal.topSlice,
      foregroundVoxels: proposal.foregroundVoxels,
      totalVoxels: nx * ny * nz,
    });
  }
  return {
    candidates,
    proposals,
    withoutProposal: [...open.keys()].filter((id) => !proposals.has(id)),
  };
}

/** Ranks with a model's proposals (default: the active model). Deterministic for a seed. */
export async function rankProject(
  store: ProjectStore,
  options: { modelId?: string; strategy: RankStrategy; seed?: number },
): Promise<ProjectRanking> {
  const modelId = await resolveModelId(store, options.modelId);
  const { candidates, proposals, withoutProposal } = await rankCandidates(store, modelId);
  const ranked = rankStudies(candidates, options.strategy, options.seed ?? 1).map((r) => ({
    ...r,
    ...proposalBrief(proposals.get(r.studyId)!),
  }));
  return { modelId, ranked, withoutProposal };
}
