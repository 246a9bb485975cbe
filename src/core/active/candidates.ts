// Ranking a project's studies (plain Node): the candidates are the studies the model's
// proposals cover that still need a person — no finished label, no decision on this model's
// proposal. Shared by `simcvd rank` and the app's "studies.rank" / "Next study".
import { decisionFor, listProposals, resolveModelId, type ProjectStore } from '../project';
import { hasFinalLabel } from '../../shared/contract/project';
import { rankStudies, type RankCandidate, type RankedStudy, type RankStrategy } from './rank';

export interface ProjectRanking {
  modelId: string;
  ranked: RankedStudy[];
  /** Studies that still need a person but have no proposal of this model (not ranked). */
  withoutProposal: string[];
}

export async function rankCandidates(
  store: ProjectStore,
  modelId: string,
): Promise<{ candidates: RankCandidate[]; withoutProposal: string[] }> {
  const open = new Map(
    (await store.listStudies())
      .filter((s) => !hasFinalLabel(s) && decisionFor(s, modelId) === 'pending')
      .map((s) => [s.id, s]),
  );
  const candidates: RankCandidate[] = [];
  for (const proposal of await listProposals(store, modelId)) {
    const study = open.get(proposal.studyId);
    if (!study) continue;
    const [nx, ny, nz] = study.dims;
    candidates.push({
      studyId: proposal.studyId,
      studyScore: proposal.studyScore,
      sliceScores: proposal.sliceScores,
      topSlice: proposal.topSlice,
      foregroundVoxels: proposal.foregroundVoxels,
      totalVoxels: nx * ny * nz,
    });
  }
  const ranked = new Set(candidates.map((c) => c.studyId));
  return { candidates, withoutProposal: [...open.keys()].filter((id) => !ranked.has(id)) };
}

/** Ranks with a model's proposals (default: the active model). Deterministic for a seed. */
export async function rankProject(
  store: ProjectStore,
  options: { modelId?: string; strategy: RankStrategy; seed?: number },
): Promise<ProjectRanking> {
  const modelId = await resolveModelId(store, options.modelId);
  const { candidates, withoutProposal } = await rankCandidates(store, modelId);
  return {
    modelId,
    ranked: rankStudies(candidates, options.strategy, options.seed ?? 1),
    withoutProposal,
  };
}
