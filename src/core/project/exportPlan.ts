// The plan of a label export (plain Node): which studies get a file — final labels, and
// partial ones when an ignore label is given — filtered by origin, and why each other study
// was left out. Pure: it reads study records only, and writes nothing.
import {
  currentLabelVersion,
  labelCoverage,
  type LabelVersion,
  type StudyRecord,
} from '../../shared/contract/project';
import { AppError } from '../errors';
import { labelOrigin, type LabelOrigin } from './labelOrigin';
import { assertValidId } from './paths';

export interface ExportInclude {
  human: boolean;
  accepted: boolean;
}

/** What to export: the part of the export options the plan reads. */
export interface ExportSelection {
  /** Only these studies; default every study with a final label. */
  studies?: string[];
  /** Which origins to write; default both. */
  include?: ExportInclude;
  /**
   * Also export partial labels (annotated slices only), writing this value on every voxel no
   * annotated slice covers: nnU-Net v2's "ignore" label convention.
   */
  ignoreLabel?: number;
}

export interface ExportSkip {
  studyId: string;
  reason: string;
}

export interface ExportPlan {
  items: { study: StudyRecord; version: LabelVersion; origin: LabelOrigin; partial: boolean }[];
  skipped: ExportSkip[];
}

const ALL_ORIGINS: ExportInclude = { human: true, accepted: true };
const ORIGIN_WORDS: Record<LabelOrigin, string> = {
  human: 'a human label',
  accepted: 'an accepted model proposal',
};

/**
 * Which studies get a file. Drafts are always reported; unlabeled studies and labels of an
 * origin left out are reported only for studies the caller named (listing every unlabeled
 * study of a whole-project export would bury the useful lines).
 */
export function planExport(all: StudyRecord[], options: ExportSelection = {}): ExportPlan {
  const include = options.include ?? ALL_ORIGINS;
  const named = options.studies ? [...new Set(options.studies)] : undefined;
  for (const id of named ?? []) {
    assertValidId('study', id);
    if (!all.some((s) => s.id === id))
      throw new AppError('NOT_FOUND', `Study "${id}" does not exist in this project.`);
  }
  const chosen = named ? all.filter((s) => named.includes(s.id)) : all;
  const plan: ExportPlan = { items: [], skipped: [] };
  for (const study of chosen) {
    const version = currentLabelVersion(study);
    if (!version) {
      if (named) plan.skipped.push({ studyId: study.id, reason: 'unlabeled: no label to export' });
      continue;
    }
    const partial = labelCoverage(version) === 'partial';
    if (!version.final && !(partial && options.ignoreLabel !== undefined)) {
      plan.skipped.push({
        studyId: study.id,
        reason: partial
          ? `label ${version.id} is partial (annotated slices only): export it with an ignore label (--ignore-label V), or mark the annotation finished`
          : `label ${version.id} is a draft: mark the annotation finished to export it`,
      });
      continue;
    }
    const origin = labelOrigin(study, version.id);
    if (!include[origin]) {
      if (named)
        plan.skipped.push({
          studyId: study.id,
          reason: `label ${version.id} is ${ORIGIN_WORDS[origin]}, which was not included`,
        });
      continue;
    }
    plan.items.push({ study, version, origin, partial });
  }
  return plan;
}

/** Why nothing matched, naming the first skipped studies and what the user can do. */
export function nothingToExportMessage(options: ExportSelection, skipped: ExportSkip[]): string {
  const include = options.include ?? ALL_ORIGINS;
  const kind =
    include.human && include.accepted
      ? 'a finished'
      : include.human
        ? 'a finished human'
        : 'an accepted (from a model)';
  const scope = options.studies?.length ? ` among ${options.studies.join(', ')}` : '';
  const why = skipped.length
    ? ` Skipped: ${skipped
        .slice(0, 5)
        .map((s) => `${s.studyId} (${s.reason})`)
        .join('; ')}${skipped.length > 5 ? `; and ${skipped.length - 5} more` : ''}.`
    : '';
  return (
    `Nothing to export: no study${scope} has ${kind} label.${why} ` +
    'Finish an annotation or accept a proposal first, or change what to include.'
  );
}
