// API contract, training domain (shared): starting, watching and cancelling the one engine job
// a project may run at a time (training, or predicting proposals), with enough history in the
// status that a reloaded window redraws its curves.
import { z } from 'zod';

/** The backend an engine job runs on, why it was chosen, and the GPU adapter if one is used. */
export interface EngineBackendInfo {
  name: string;
  reason: string;
  /** e.g. "nvidia ampere (NVIDIA RTX A4000), buffers ≤ 4096 MiB, bindings ≤ 2048 MiB". */
  adapter?: string;
  /** Compute threads of the cpu/wasm kernels (other backends bring their own threading). */
  threads?: number;
}

/** "wasm (…), 3 compute threads": what a backend line says. */
export function describeBackend(b: EngineBackendInfo): string {
  const threaded = (b.name === 'wasm' || b.name === 'cpu') && b.threads !== undefined;
  return `${b.name} (${b.reason})${threaded ? `, ${b.threads} compute thread${b.threads === 1 ? '' : 's'}` : ''}`;
}

const studyId = z.string().min(1).max(128);

export const TRAINING_PROFILES = ['quick', 'paper', 'tiny', 'custom'] as const;

/**
 * Where a run starts: 'auto' continues the active model version when its network fits (the
 * next round of the loop: shorter, from its weights), else from scratch; 'continue' insists.
 */
export const START_FROM = ['auto', 'continue', 'scratch'] as const;
export type StartFrom = (typeof START_FROM)[number];

/** Whether a run can continue the active model, and why not when it cannot. */
export interface ContinuationCheck {
  modelId: string;
  possible: boolean;
  reason?: string;
  /** Finished labels the model did not train on (new studies or newer label versions). */
  newLabels: number;
}
export type TrainingProfileChoice = (typeof TRAINING_PROFILES)[number];

/** What "custom" may change (on top of the quick profile); every field also refines the others. */
export const trainingOptionsSchema = z.object({
  iterations: z.number().int().min(1).max(100000).optional(),
  supervisedOnly: z.boolean().optional(),
  seed: z.number().int().min(0).optional(),
  patchSize: z.tuple([z.number().int(), z.number().int(), z.number().int()]).optional(),
  /** Training grid voxel size in mm, or "native" (each study's own). */
  targetSpacingMm: z
    .union([z.tuple([z.number(), z.number(), z.number()]), z.literal('native')])
    .optional(),
  baseWidth: z.number().int().min(2).max(64).optional(),
  checkpointEvery: z.number().int().min(0).optional(),
  validationEvery: z.number().int().min(0).optional(),
});
export type TrainingOptions = z.infer<typeof trainingOptionsSchema>;

export type JobKind = 'training' | 'prediction';
export type JobPhase = 'starting' | 'training' | 'predicting' | 'finished' | 'failed' | 'cancelled';

/**
 * One row per iteration, these columns: the loss terms by the engine's own names (the one
 * list; the engine's history, its checkpoints, the job's rows and the charts all use it), Ψ
 * and the learning rate.
 */
export const LOSS_COLUMNS = [
  'iteration',
  'total',
  'supervised',
  'ce',
  'dice',
  'sdm',
  'contrastive',
  'pairwiseDistillation',
  'consistency',
  'rampWeight',
  'learningRate',
] as const;
export type LossColumn = (typeof LOSS_COLUMNS)[number];

export interface JobState {
  id: string;
  kind: JobKind;
  phase: JobPhase;
  startedAt: string;
  finishedAt?: string;
  /** Training: the profile and effective options. */
  profile?: TrainingProfileChoice;
  /** The model version this training continues from (absent: from scratch). */
  continueFrom?: string;
  backend?: EngineBackendInfo;
  resumed?: boolean;
  /** Latest training progress. */
  iteration?: number;
  iterations?: number;
  iterationsPerSecond?: number;
  etaSeconds?: number;
  validationDice?: number;
  /** Prediction progress (also after training when proposals follow). */
  prediction?: { done: number; total: number; item: string; etaSeconds: number };
  /** The model version this job produced or predicted with. */
  modelId?: string;
  error?: { code: string; message: string };
}

export interface TrainingEstimate {
  backend: EngineBackendInfo;
  profile: TrainingProfileChoice;
  iterations: number;
  /** Measured on this machine with the profile's network and batch (cached per backend). */
  secondsPerIteration: number;
  estimatedSeconds: number;
  /** Studies the run would use: finished labels (validation excluded), partial ones, and
   *  every study without a finished label for the unlabeled terms. */
  labeled: number;
  partiallyLabeled: number;
  /** Annotated slices of the partially labeled studies, all axes together. */
  annotatedSlices: number;
  unlabeled: number;
  validation: number;
  /** The active model's continuation check (null: no model yet). */
  continuation: ContinuationCheck | null;
  /** The model version the estimated run would continue (null: from scratch). */
  continueFrom: string | null;
}

export const trainingParamSchemas = {
  /** Time a run would take on the backend the engine would pick (measures one step once). */
  'training.estimate': z.object({
    profile: z.enum(TRAINING_PROFILES),
    options: trainingOptionsSchema.optional(),
    from: z.enum(START_FROM).optional(),
  }),
  /**
   * Train a new model version; with `predictAfter` (default true) proposals for every study
   * without a final label are predicted when training ends. Refused with CONFLICT while any job
   * runs in the project.
   */
  'training.start': z.object({
    profile: z.enum(TRAINING_PROFILES),
    options: trainingOptionsSchema.optional(),
    resume: z.boolean().optional(),
    predictAfter: z.boolean().optional(),
    from: z.enum(START_FROM).optional(),
  }),
  /** Stop the running job at the next safe point (training keeps a checkpoint to resume). */
  'training.cancel': z.object({}),
  /** The running or last job, with the loss curves so far. */
  'training.status': z.object({}),
  /**
   * The foreground probability of the network being trained on one axial slice of a study
   * (image grid), computed by the running trainer between two iterations. `network`: the EMA
   * teacher (default, smoother) or the student. NOT_FOUND when no training runs.
   */
  'training.preview': z.object({
    studyId,
    k: z.number().int().min(0),
    network: z.enum(['teacher', 'student']).optional(),
  }),
} as const;

export interface ResumableCheckpoint {
  /** Iterations done / planned in that run. */
  iteration: number;
  iterations: number;
  profile: string;
  savedAt: string;
}

export interface TrainingPreview {
  studyId: string;
  k: number;
  iteration: number;
  /** Which network produced it. */
  network: 'teacher' | 'student';
  /** Slice size [nx, ny] on the image grid. */
  dims: [number, number];
  /** The study's row-major 4×4 voxel → RAS+ mm affine, to draw the slice like the viewer. */
  affine: number[];
  /** nx·ny uint8 probabilities ×255, i fastest. */
  probability: ArrayBuffer;
}

export interface TrainingApiResults {
  'training.estimate': TrainingEstimate;
  'training.start': { job: JobState };
  'training.cancel': { job: JobState | null };
  'training.status': {
    job: JobState | null;
    /** Loss rows (LOSS_COLUMNS) and validation points of that job's training. */
    losses: number[][];
    validation: { iteration: number; dice: number }[];
    /** An interrupted run that `training.start` with `resume: true` would continue. */
    checkpoint: ResumableCheckpoint | null;
  };
  'training.preview': TrainingPreview;
}
