// One SimCVD training step (engine, TF.js): teacher pass on noisy unlabeled patches, student pass
// on labeled + unlabeled patches, L = L_sup + Ψ(t)(λ L_contrast + β L_pd + γ L_con), SGD update,
// EMA teacher update. Supervised-only mode runs the same network on labeled patches alone.
import * as tf from '@tensorflow/tfjs';
import type { Batch } from '../data/dataset';
import {
  certaintyMask,
  consistencyLoss,
  contrastiveLoss,
  pairwiseDistillationLoss,
  lossTermsFrom,
  rampUp,
  sampleInputNoise,
  sigmoidRampUp,
  stackLossTerms,
  supervisedLoss,
  totalLoss,
  uncertaintyThreshold,
  type SimCvdLoss,
} from '../losses';
import { assertNoGpuErrors } from '../backends/webgpu';
import { projectionHeadForward } from '../model/projectionHead';
import { forward } from '../model/vnet';
import { stepLearningRate } from './optimizer';
import { supervisionTargets } from './supervision';
import { optimizedVariables, updateTeacher, type TrainerState } from './state';

export type LossTerms = Record<keyof SimCvdLoss, number>;

export interface StepResult {
  iteration: number;
  learningRate: number;
  losses: LossTerms;
}

/** The boundary-aware input Q = image + predicted SDM (mean over foreground channels for K > 2). */
function boundaryAwareInput(image: tf.Tensor5D, sdm: tf.Tensor5D): tf.Tensor5D {
  const channels = sdm.shape[4];
  const summary = channels === 1 ? sdm : tf.mean(sdm, 4, true);
  return tf.add(image, summary) as tf.Tensor5D;
}

/** One teacher pass on `xu` with its own input noise. The teacher runs with batch statistics
 *  and dropout on, and is never differentiated [B]. */
function noisyTeacherPass(state: TrainerState, xu: tf.Tensor5D) {
  const { config, rng } = state;
  const noise = { std: config.noiseStd, clip: config.noiseClip };
  const noisy = tf.add(xu, sampleInputNoise(xu.shape, rng, noise)) as tf.Tensor5D;
  return forward(state.teacher, noisy, { training: false, dropout: true, bnMode: 'batch', rng });
}

/**
 * UA-MT's certainty mask for L_con when `consistencyMask` is 'uncertainty': the entropy of the
 * teacher's mean prediction over `uncertaintyPasses` extra noisy passes (or its own pass when 0),
 * below a threshold that ramps per iteration to ln K over the run [B].
 */
function consistencyMask(
  state: TrainerState,
  xu: tf.Tensor5D,
  teacherProbs: tf.Tensor,
): tf.Tensor | undefined {
  const { config } = state;
  if (config.consistencyMask !== 'uncertainty') return undefined;
  const passes =
    config.uncertaintyPasses > 0
      ? Array.from({ length: config.uncertaintyPasses }, () =>
          tf.softmax(noisyTeacherPass(state, xu).logits),
        )
      : teacherProbs;
  const progress = sigmoidRampUp(state.iteration, config.iterations);
  return certaintyMask(passes, uncertaintyThreshold(progress, teacherProbs.shape.at(-1)!));
}

/**
 * One step. The loss terms come back in one asynchronous read after the update is queued (the
 * only device → host copy of the step; WebGPU in Node has no synchronous read), and a GPU that
 * rejected any of the step's work fails the step instead of returning its garbage.
 */
export async function trainStep(state: TrainerState, batch: Batch): Promise<StepResult> {
  const { config, rng } = state;
  const [pi, pj, pk] = config.patchSize;
  const K = state.student.config.numClasses;
  const L = batch.labeledCount;
  const U = config.supervisedOnly ? 0 : batch.unlabeledCount;
  const learningRate = stepLearningRate(
    config.learningRate,
    state.iteration,
    config.lrStepEvery,
    config.lrStepFactor,
  );
  // A continued model's teacher is already trained: Ψ starts at full weight unless asked.
  const psi = config.supervisedOnly
    ? 0
    : config.continueFrom && config.continuation?.rampUp === 'skip'
      ? 1
      : rampUp(state.iteration, config.iterations, { stepEvery: config.rampUpStepEvery });
  const targets = supervisionTargets(batch, config.patchSize, K, config.sdmOnPartial);
  let terms: tf.Tensor1D | undefined;
  let rampWeight = 0;

  tf.tidy(() => {
    const xl = tf.tensor5d(batch.labeledImages, [L, pk, pj, pi, 1]);
    const labels = tf.tensor1d(Int32Array.from(batch.labels), 'int32');
    const oneHot = tf.reshape(tf.oneHot(labels, K), [L, pk, pj, pi, K]);
    const sdmT = tf.tensor5d(targets.sdmTarget, [L, pk, pj, pi, K - 1]);
    const weights = (w?: Float32Array) => w && tf.tensor5d(w, [L, pk, pj, pi, 1]);
    const voxelWeights = weights(targets.voxelWeights);
    const sdmWeights = weights(targets.sdmWeights);
    const noise = { std: config.noiseStd, clip: config.noiseClip };

    let xu: tf.Tensor5D | undefined;
    let teacher:
      | { probs: tf.Tensor; mask?: tf.Tensor; bottleneck: tf.Tensor; embeddings: tf.Tensor }
      | undefined;
    if (U > 0) {
      xu = tf.tensor5d(batch.unlabeledImages.subarray(0, U * pi * pj * pk), [U, pk, pj, pi, 1]);
      const out = noisyTeacherPass(state, xu);
      const probs = tf.softmax(out.logits);
      teacher = {
        probs,
        mask: consistencyMask(state, xu, probs),
        bottleneck: out.bottleneck,
        embeddings: projectionHeadForward(state.teacherHead, boundaryAwareInput(xu, out.sdm!), {
          training: true,
          rng,
        }),
      };
    }
    const studentUnlabeled =
      xu && (config.studentNoise ? tf.add(xu, sampleInputNoise(xu.shape, rng, noise)) : xu);
    const studentInput = studentUnlabeled
      ? (tf.concat([xl, studentUnlabeled], 0) as tf.Tensor5D)
      : xl;

    const { grads } = tf.variableGrads(() => {
      const out = forward(state.student, studentInput, {
        training: true,
        dropout: true,
        bnMode: 'batch',
        rng,
      });
      // Labeled and unlabeled parts of the batch by split (its gradient is a concat): a rank-5
      // slice's gradient is a rank-5 pad, which tfjs-webgpu 4.22 compiles to an invalid shader.
      const parts = new Map<tf.Tensor, tf.Tensor5D[]>();
      const split = (t: tf.Tensor5D): tf.Tensor5D[] => {
        if (!parts.has(t)) parts.set(t, tf.split(t, [L, U], 0) as tf.Tensor5D[]);
        return parts.get(t)!;
      };
      const labeled = (t: tf.Tensor5D) => (U === 0 ? t : split(t)[0]!);
      const unlabeled = (t: tf.Tensor5D) => split(t)[1]!;
      const supervised = supervisedLoss(
        {
          logits: labeled(out.logits),
          oneHot,
          sdmPred: labeled(out.sdm!),
          sdmTarget: sdmT,
          ...(voxelWeights ? { voxelWeights } : {}),
          ...(sdmWeights ? { sdmWeights } : {}),
        },
        config.lossWeights,
      );
      let loss: SimCvdLoss;
      if (!teacher || !xu) {
        loss = totalLoss(
          { supervised },
          { rampWeight: 0, supervisedOnly: true, weights: config.lossWeights },
        );
      } else {
        const logitsU = unlabeled(out.logits);
        const consistency = consistencyLoss(tf.softmax(logitsU), teacher.probs, teacher.mask);
        const embeddings = projectionHeadForward(
          state.studentHead,
          boundaryAwareInput(xu, unlabeled(out.sdm!)),
          {
            training: true,
            rng,
          },
        );
        const contrastive = contrastiveLoss(embeddings, teacher.embeddings, {
          temperature: config.temperature,
        });
        const pairwiseDistillation = pairwiseDistillationLoss(
          unlabeled(out.bottleneck),
          teacher.bottleneck,
          {
            reduction: config.pairwiseReduction,
          },
        );
        loss = totalLoss(
          { supervised, contrastive, pairwiseDistillation, consistency },
          { rampWeight: psi, weights: config.lossWeights },
        );
      }
      terms = tf.keep(stackLossTerms(loss));
      rampWeight = loss.rampWeight;
      // The other terms are intermediates of this tape: the surrounding tidy frees them.
      return loss.total;
    }, optimizedVariables(state));
    state.optimizer.apply(grads, learningRate);
  });
  updateTeacher(state);
  state.iteration += 1;
  let values: ArrayLike<number>;
  try {
    values = await terms!.data();
  } finally {
    terms!.dispose();
  }
  assertNoGpuErrors(`training step ${state.iteration}`);
  return { iteration: state.iteration, learningRate, losses: lossTermsFrom(values, rampWeight) };
}
