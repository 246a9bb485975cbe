// Validation during training (engine): whole-volume sliding-window Dice of the student on
// held-back labeled studies, on the training grid.
import { dice } from '../../core/metrics/overlap';
import type { Vec3 } from '../../core/volume/volume';
import type { PreparedStudy } from '../data/dataset';
import { argmaxLabels, predictProbabilities } from '../inference/slidingWindow';
import type { VNetParams } from '../model';

export async function validationDice(
  params: VNetParams,
  studies: PreparedStudy[],
  patchSize: Vec3,
): Promise<number> {
  let sum = 0;
  for (const study of studies) {
    const probs = await predictProbabilities(params, study.image, study.dims, {
      patchSize,
      stride: patchSize.map((n) => Math.max(1, Math.floor(n / 2))) as Vec3,
      blending: 'uniform',
      batchSize: 2,
    });
    const labels = argmaxLabels(probs);
    let classes = 0;
    let total = 0;
    for (let c = 1; c < params.config.numClasses; c++, classes++)
      total += dice(labels, study.label!, c);
    sum += total / classes;
  }
  return studies.length ? sum / studies.length : NaN;
}
