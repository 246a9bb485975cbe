// Which studies a training run uses (engine host, caller side, no TF.js): finished labels and
// partial ones (some slices annotated) are the labeled set, pinned to their current version;
// every study without a finished label is unlabeled (partial ones too: the unlabeled terms learn
// from all of their voxels); a few finished studies are held back for validation when there are
// enough. The engine process reads the plan's studies through worker/projectSources.ts.
import { AppError } from '../../../core/errors';
import {
  currentLabelVersion,
  labelCoverage,
  type AnnotatedSlices,
  type StudyRecord,
} from '../../../shared/contract/project';
import type { TrainingConfig } from '../../trainer/config';
import type { LabeledRef, TrainingPlan } from '../protocol';

export type { LabeledRef, TrainingPlan } from '../protocol';

export function planTraining(
  studies: StudyRecord[],
  labelValues: number[],
  config: TrainingConfig,
): TrainingPlan {
  const labeled: LabeledRef[] = [];
  const unlabeled: string[] = [];
  const partial: LabeledRef[] = [];
  for (const study of studies) {
    const current = currentLabelVersion(study);
    const coverage = labelCoverage(current);
    if (coverage === 'full') {
      if (Object.keys(current!.voxelCounts).length === 0) {
        throw new AppError(
          'BAD_INPUT',
          `Study "${study.id}" has a final label (${current!.id}) with no foreground voxels. Draw the structure, or mark the label as a draft so it is not used for training.`,
        );
      }
      labeled.push({ studyId: study.id, labelVersion: current!.id });
      continue;
    }
    if (coverage === 'partial')
      partial.push({
        studyId: study.id,
        labelVersion: current!.id,
        annotatedSlices: current!.annotatedSlices!,
      });
    unlabeled.push(study.id);
  }
  if (labeled.length + partial.length === 0) {
    throw new AppError(
      'BAD_INPUT',
      `The project has no labeled study to train from (${studies.length} studies, none with a finished label or annotated slices). Label at least one study, or paint a few slices, first.`,
    );
  }
  // Validation needs complete ground truth: only finished studies are held back.
  const validation: LabeledRef[] = [];
  if (labeled.length >= config.validationMinLabeled && config.validationStudies > 0) {
    validation.push(
      ...labeled.splice(labeled.length - config.validationStudies, config.validationStudies),
    );
  }
  labeled.push(...partial);
  return { labeled, unlabeled, validation, numClasses: Math.max(...labelValues) + 1 };
}

/**
 * "2 labeled + 1 partially labeled (7 slices) + 3 unlabeled" counts of a plan, or of a model
 * record (the same lists). `unlabeled` is the whole pool of the unlabeled terms, the partial
 * studies included; `unlabeledOnly` counts each study once (those without any label).
 */
export function planCounts(
  plan: Pick<TrainingPlan, 'unlabeled'> & {
    labeled: readonly { studyId: string; annotatedSlices?: AnnotatedSlices }[];
    validation: readonly unknown[];
  },
): {
  full: number;
  partial: number;
  partialSlices: number;
  unlabeled: number;
  unlabeledOnly: number;
  validation: number;
} {
  const partial = plan.labeled.filter((l) => l.annotatedSlices);
  const partialIds = new Set(partial.map((l) => l.studyId));
  const slices = (a: AnnotatedSlices) => a.i.length + a.j.length + a.k.length;
  return {
    full: plan.labeled.length - partial.length,
    partial: partial.length,
    partialSlices: partial.reduce((n, l) => n + slices(l.annotatedSlices!), 0),
    unlabeled: plan.unlabeled.length,
    unlabeledOnly: plan.unlabeled.filter((id) => !partialIds.has(id)).length,
    validation: plan.validation.length,
  };
}
