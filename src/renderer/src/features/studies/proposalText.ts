// How a proposal's size and warnings read (renderer, pure): one wording for the study table and
// the Review panel — voxels with their share of the volume, millilitres, connected components
// per class, the back end's flags, the model's validation Dice — and how annotated slices read.
import type { LabelClass, StudySummary } from '../../../../shared/contract/project';
import type {
  ClassFacts,
  ProposalBrief,
  ProposalFlagKind,
} from '../../../../shared/contract/proposals';

/** A flag in a few words (the study table); the flag's own message says the rest. */
export const FLAG_SHORT: Record<ProposalFlagKind, string> = {
  empty: 'empty',
  'larger-than-labels': 'larger than the labels',
  'smaller-than-labels': 'smaller than the labels',
  'touches-border': 'touches the border',
};

const count = new Intl.NumberFormat('en-US');

export function formatMl(ml: number): string {
  return `${ml >= 100 ? ml.toFixed(0) : ml >= 10 ? ml.toFixed(1) : ml.toFixed(2)} mL`;
}

/** "543,864 voxels (92 % of the volume), 412 mL" — the share only when it is known. */
export function describeSize(
  brief: Pick<ProposalBrief, 'foregroundVoxels' | 'volumeMl'>,
  dims?: readonly number[],
): string {
  const total = dims ? dims.reduce((a, b) => a * b, 1) : 0;
  const share =
    total > 0 ? ` (${formatPercent(brief.foregroundVoxels / total)} of the volume)` : '';
  const voxels = `${count.format(brief.foregroundVoxels)} voxel${brief.foregroundVoxels === 1 ? '' : 's'}`;
  return `${voxels}${share}, ${formatMl(brief.volumeMl)}`;
}

function formatPercent(fraction: number): string {
  const percent = fraction * 100;
  if (percent > 0 && percent < 1) return '< 1 %';
  return `${Math.round(percent)} %`;
}

/** "target: 5,021 voxels, 4.12 mL, 2 components". */
export function describeClass(facts: ClassFacts, labels: readonly LabelClass[]): string {
  const name = labels.find((l) => l.value === facts.value)?.name ?? `label ${facts.value}`;
  const parts = `${count.format(facts.voxels)} voxels, ${formatMl(facts.volumeMl)}, ${facts.components} component${facts.components === 1 ? '' : 's'}`;
  return `${name}: ${parts}`;
}

/** "validation Dice 0.812", or "not validated" (fewer than four finished labels). */
export function describeValidation(dice: number | null): string {
  return dice === null ? 'not validated' : `validation Dice ${dice.toFixed(3)}`;
}

/**
 * Annotated slices of a study as the list shows them: "12 / 64 slices" along its own slice
 * axis (k), plus the other axes when some were annotated there; '' when there are none.
 */
export function describeAnnotated(
  study: Pick<StudySummary, 'coverage' | 'dims' | 'annotatedSlices'>,
): string {
  if (study.coverage !== 'partial') return '';
  const { i, j, k } = study.annotatedSlices;
  const parts = [`${k} / ${study.dims[2]} slices`];
  if (i > 0) parts.push(`${i} / ${study.dims[0]} i-slices`);
  if (j > 0) parts.push(`${j} / ${study.dims[1]} j-slices`);
  return parts.join(', ');
}
