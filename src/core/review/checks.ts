// Warnings on a proposal (pure): an empty mask, a volume outside the range of the project's
// finished labels by more than a factor, or a mask touching the volume border on most slices.
// They do not block Accept; they make a 92 %-of-the-volume proposal impossible to miss.
import {
  currentLabelVersion,
  type LabelClass,
  type StudyRecord,
} from '../../shared/contract/project';
import type { ProposalFacts, ProposalFlag } from '../../shared/contract/proposals';
import { voxelVolumeMl } from './facts';

export interface ReviewChecks {
  /** Flag a class volume above max × factor or below min ÷ factor of the finished labels. */
  volumeFactor: number;
  /** Flag a mask touching the in-plane border on more than this fraction of the slices. */
  borderSliceFraction: number;
}

/** [D] defaults: a factor of 2 leaves room for normal anatomical variation. */
export const REVIEW_CHECKS: ReviewChecks = { volumeFactor: 2, borderSliceFraction: 0.5 };

/** Volume range of one class over the project's finished labels. */
export interface ClassVolumeRange {
  value: number;
  minMl: number;
  maxMl: number;
  /** Finished labels the range comes from. */
  labels: number;
}

/** Per class, the smallest and largest volume among the studies' finished labels. */
export function finishedLabelRanges(studies: StudyRecord[]): ClassVolumeRange[] {
  const ranges = new Map<number, ClassVolumeRange>();
  for (const study of studies) {
    const version = currentLabelVersion(study);
    if (!version?.final) continue;
    const ml = voxelVolumeMl(study.spacingMm);
    for (const [key, voxels] of Object.entries(version.voxelCounts)) {
      if (voxels <= 0) continue;
      const value = Number(key);
      const volume = voxels * ml;
      const range = ranges.get(value);
      if (!range) ranges.set(value, { value, minMl: volume, maxMl: volume, labels: 1 });
      else {
        range.minMl = Math.min(range.minMl, volume);
        range.maxMl = Math.max(range.maxMl, volume);
        range.labels++;
      }
    }
  }
  return [...ranges.values()].sort((a, b) => a.value - b.value);
}

const mL = (x: number) => `${x < 10 ? x.toFixed(2) : x.toFixed(1)} mL`;

export function proposalFlags(
  facts: ProposalFacts,
  ranges: ClassVolumeRange[],
  labels: LabelClass[],
  checks: ReviewChecks = REVIEW_CHECKS,
): ProposalFlag[] {
  if (facts.foregroundVoxels === 0)
    return [{ kind: 'empty', message: 'The proposal is empty: the model found no foreground.' }];
  const flags: ProposalFlag[] = [];
  const name = (value: number) => labels.find((l) => l.value === value)?.name ?? `label ${value}`;
  for (const c of facts.classes) {
    const range = ranges.find((r) => r.value === c.value);
    if (!range) continue;
    const of = `${range.labels} finished label${range.labels === 1 ? '' : 's'}`;
    if (c.volumeMl > range.maxMl * checks.volumeFactor)
      flags.push({
        kind: 'larger-than-labels',
        value: c.value,
        message:
          `${name(c.value)}: ${mL(c.volumeMl)}, ${(c.volumeMl / range.maxMl).toFixed(1)}× the ` +
          `largest of ${of} (${mL(range.maxMl)}).`,
      });
    else if (c.volumeMl * checks.volumeFactor < range.minMl)
      flags.push({
        kind: 'smaller-than-labels',
        value: c.value,
        message:
          `${name(c.value)}: ${mL(c.volumeMl)}, ${(range.minMl / c.volumeMl).toFixed(1)}× smaller ` +
          `than the smallest of ${of} (${mL(range.minMl)}).`,
      });
  }
  if (facts.borderSlices > checks.borderSliceFraction * facts.slices)
    flags.push({
      kind: 'touches-border',
      message:
        `The mask touches the edge of the volume on ${facts.borderSlices} of ${facts.slices} ` +
        'slices.',
    });
  return flags;
}
