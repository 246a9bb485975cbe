// Model proposals in a project (plain Node): predictions/<model>/<study>/ holds a proposed label
// map, the foreground probability, the voxel uncertainty and a summary. Proposals live apart
// from human labels and never replace them; accepting one makes a new label version.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { ProposalFacts } from '../../shared/contract/proposals';
import { AppError } from '../errors';
import { activeModelId, listModelIds } from './activeModel';
import { assertValidId } from './paths';
import type { ProjectStore } from './store';

export const PROPOSAL_FILES = {
  label: 'label.nii.gz',
  foreground: 'foreground.nii.gz',
  uncertainty: 'uncertainty.nii.gz',
  summary: 'summary.json',
} as const;

export interface ProposalSummary {
  studyId: string;
  createdAt: string;
  studyScore: number;
  sliceScores: number[];
  topSlice: number;
  foregroundVoxels: number;
  /** Absent in proposals predicted before facts were stored: computed from the file then. */
  facts?: ProposalFacts;
}

export function proposalsDir(store: ProjectStore, modelId: string): string {
  assertValidId('model', modelId);
  return path.join(store.paths.predictions, modelId);
}

export function proposalFile(
  store: ProjectStore,
  modelId: string,
  studyId: string,
  kind: keyof typeof PROPOSAL_FILES,
): string {
  assertValidId('study', studyId);
  return path.join(proposalsDir(store, modelId), studyId, PROPOSAL_FILES[kind]);
}

/** Summaries of every proposal of a model, by study ID. */
export async function listProposals(
  store: ProjectStore,
  modelId: string,
): Promise<ProposalSummary[]> {
  const dir = proposalsDir(store, modelId);
  const names = await fs.readdir(dir).catch(() => [] as string[]);
  const out: ProposalSummary[] = [];
  for (const name of names.sort()) {
    try {
      out.push(
        JSON.parse(
          await fs.readFile(path.join(dir, name, PROPOSAL_FILES.summary), 'utf8'),
        ) as ProposalSummary,
      );
    } catch {
      // A proposal whose summary is missing was interrupted mid-write; it is not listed.
    }
  }
  return out;
}

/** The model version asked for (checked to exist), else the active one (default: the newest). */
export async function resolveModelId(store: ProjectStore, requested?: string): Promise<string> {
  const names = await listModelIds(store);
  if (requested) {
    if (!names.includes(requested)) {
      throw new AppError(
        'NOT_FOUND',
        `Model "${requested}" does not exist (models: ${names.join(', ') || 'none'}).`,
      );
    }
    return requested;
  }
  const active = await activeModelId(store);
  if (!active)
    throw new AppError(
      'NOT_FOUND',
      'The project has no trained model yet: run "simcvd train" (or Train in the app) first.',
    );
  return active;
}
