// The studies of a training plan as data sources of the trainer (engine process): images and
// pinned label versions read from the project folder, read-only, without the project's lock.
import type { ProjectStore } from '../../../core/project';
import { readVolumeFile } from '../../../core/volume/nifti';
import type { TrainingStudySource } from '../../data/dataset';
import type { LabeledRef, TrainingPlan } from '../protocol';

/** Data sources reading from the project folder (read-only; safe in the trainer process). */
export function projectSources(store: ProjectStore, plan: TrainingPlan) {
  const withLabel = (ref: LabeledRef): TrainingStudySource => ({
    id: ref.studyId,
    ...(ref.annotatedSlices ? { annotatedSlices: ref.annotatedSlices } : {}),
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
