// API contract, studies namespace (shared): adding studies (NIfTI files, DICOM folders,
// Decathlon folders), fixing or setting aside one whose record cannot be read, and which study
// to review next.
import { z } from 'zod';
import { studyIdSchema as studyId } from './ids';
import type { StudySummary } from './project';
import type { ProposalBrief } from './proposals';

export const RANK_STRATEGY_CHOICES = ['uncertainty', 'diverse', 'random'] as const;

export const studiesParamSchemas = {
  /** Import NIfTI files, DICOM folders or a Decathlon folder (absolute paths on this machine). */
  'studies.import': z.object({
    paths: z.array(z.string().min(1)).min(1),
    labeled: z.number().int().min(0).optional(),
    replaceNonFinite: z.boolean().optional(),
    /** Rebuild non-finite or degenerate header geometry from the other fields instead of refusing. */
    repairGeometry: z.boolean().optional(),
    /** 4-D NIfTI files: which volume to import (0-based). */
    volumeIndex: z.number().int().min(0).optional(),
  }),
  /** Rebuild an unreadable study's record from its image and label files (the old one is kept). */
  'studies.repair': z.object({ studyId }),
  /** Set a study aside: its folder moves to .removed/ in the project; nothing is deleted. */
  'studies.remove': z.object({ studyId }),
  /** Studies not yet labeled or reviewed, best to review first. */
  'studies.rank': z.object({
    strategy: z.enum(RANK_STRATEGY_CHOICES).optional(),
    seed: z.number().int().min(0).optional(),
  }),
  /**
   * The study "Next study" opens and the slice to show: the best-ranked one that is neither
   * `current` nor in `skipped` (left undecided with Next this round, oldest first); when all
   * were skipped, the one skipped longest ago.
   */
  'studies.next': z.object({
    current: studyId.nullable().optional(),
    skipped: z.array(studyId).max(100_000).optional(),
    strategy: z.enum(RANK_STRATEGY_CHOICES).optional(),
  }),
} as const;

export interface RankedStudyRow extends ProposalBrief {
  rank: number;
  studyId: string;
  score: number;
  /** Axial slice (k) to open first: the most uncertain one inside the proposal. */
  slice: number;
}

export interface StudiesApiResults {
  'studies.import': {
    imported: { id: string; labeled: boolean; warnings: string[] }[];
    /** Series passed over while the others were imported, with the reason. */
    skipped: { source: string; reason: string }[];
    warnings: string[];
  };
  'studies.repair': { study: StudySummary; changes: string[] };
  'studies.remove': { movedTo: string };
  'studies.rank': {
    modelId: string | null;
    strategy: (typeof RANK_STRATEGY_CHOICES)[number];
    studies: RankedStudyRow[];
  };
  'studies.next': {
    modelId: string | null;
    /** null: no other study waits for review. */
    next: RankedStudyRow | null;
    /** Studies waiting for review besides the open one. */
    waiting: number;
  };
}
