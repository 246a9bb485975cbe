// Which studies a training run uses (engine, Node): final labels are the labeled set (pinned to
// their current version), everything else is unlabeled; a few labeled studies are held back
// for validation when there are enough.
import { AppError } from '../../core/errors';
import type { ProjectStore } from '../../core/project';
import { readVolumeFile } from '../../core/volume/nifti';
import { currentLabelVersion, type StudyRecord } from '../../shared/contract/project';
import type { TrainingStudySource } from '../data/dataset';
import type { TrainingConfig } from '../trainer/config';

export interface LabeledRef {
  studyId: string;
  labelVersion: string;
}

export interface TrainingPlan {
  labeled: LabeledRef[];
  unlabeled: string[];
  validation: LabeledRef[];
  /** Background + the largest label value of the project's label set. */
  numClasses: number;
}

export function planTraining(
  studies: StudyRecord[],
  labelValues: number[],
  config: TrainingConfig,
): TrainingPlan {
  const labeled: LabeledRef[] = [];
  const unlabeled: string[] = [];
  for (const study of studies) {
    const current = currentLabelVersion(study);
    if (current?.final) {
      if (Object.keys(current.voxelCounts).length === 0) {
        throw new AppError(
          'BAD_INPUT',
          `Study "${study.id}" has a final label (${current.id}) with no foreground voxels. Draw the structure, or mark the label as a draft so it is not used for training.`,
        );
      }
      labeled.push({ studyId: study.id, labelVersion: current.id });
    } else {
      unlabeled.push(study.id);
    }
  }
  if (labeled.length === 0) {
    throw new AppError(
      'BAD_INPUT',
      `The project has no labeled study to train from (${studies.length} studies, none with a final label). Label at least one study first.`,
    );
  }
  const validation: LabeledRef[] = [];
  if (labeled.length >= config.validationMinLabeled && config.validationStudies > 0) {
    validation.push(
      ...labeled.splice(labeled.length - config.validationStudies, config.validationStudies),
    );
  }
  return { labeled, unlabeled, validation, numClasses: Math.max(...labelValues) + 1 };
}

/** Data sources reading from the project folder (read-only; safe in the trainer process). */
export function projectSources(store: ProjectStore, plan: TrainingPlan) {
  const withLabel = (ref: LabeledRef): TrainingStudySource => ({
    id: ref.studyId,
    load: async () => {
      const study = await store.getStudy(ref.studyId);
      return {
        image: await store.readImage(ref.studyId),
        label: await readVolumeFile(store.labelFilePath(study, ref.labelVersion)),
      };
    },
  });
  return {
    labeled: plan.labeled.map(withLabel),
    validation: plan.validation.map(withLabel),
    unlabeled: plan.unlabeled.map((id): TrainingStudySource => ({
      id,
      load: async () => ({ image: await store.readImage(id) }),
    })),
  };
}
