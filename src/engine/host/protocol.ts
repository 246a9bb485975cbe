// Messages between the engine host (caller/) and the engine process (worker/), and the requests
// and outcomes they carry: the one module both sides import (types only, no TF.js). One process
// runs one job: training, prediction, or a short speed probe. A training process also answers
// preview requests between two iterations.
import type { ApiErrorPayload } from '../../shared/contract/errors';
import type { TrainingConfig } from '../trainer/config';
import type { TrainingOutcome, TrainingProgress } from '../trainer/loop';
import type { AnnotatedSlices } from '../../shared/contract/project';
import type { PredictOptions } from '../inference/predictVolume';
import type { UncertaintySummary } from '../inference/uncertainty';

export interface LabeledRef {
  studyId: string;
  labelVersion: string;
  /** A partial label: its annotated slices (absent: finished, every voxel known). */
  annotatedSlices?: AnnotatedSlices;
}

export interface TrainingPlan {
  labeled: LabeledRef[];
  unlabeled: string[];
  validation: LabeledRef[];
  /** Background + the largest label value of the project's label set. */
  numClasses: number;
}

export interface TrainingRequest {
  projectRoot: string;
  runDir: string;
  config: TrainingConfig;
  plan: TrainingPlan;
  resume: boolean;
  /** A model version folder whose student, teacher and heads this run starts from. */
  warmStartDir?: string;
}

export type PredictionTarget =
  | { kind: 'project'; projectRoot: string; studyIds: string[]; outputDir: string }
  | { kind: 'files'; inputs: string[]; outDir: string };

export interface PredictionRequest {
  modelDir: string;
  target: PredictionTarget;
  options: Partial<Omit<PredictOptions, 'onProgress' | 'signal'>>;
}

export interface PredictedItem {
  name: string;
  /** Label map written (a study's proposal folder holds label, foreground and uncertainty). */
  outputPath: string;
  summary: UncertaintySummary;
  durationMs: number;
}

export interface PredictionOutcome {
  items: PredictedItem[];
  durationMs: number;
}

/** Times training steps of a configuration on synthetic patches (no project data). */
export interface ProbeRequest {
  config: TrainingConfig;
  /** Untimed steps first (kernel selection, allocations). */
  warmupSteps: number;
  timedSteps: number;
}

export interface ProbeOutcome {
  secondsPerIteration: number;
  timedSteps: number;
}

export type EngineJob =
  | { kind: 'train'; request: TrainingRequest }
  | { kind: 'predict'; request: PredictionRequest }
  | { kind: 'probe'; request: ProbeRequest };

export interface PredictionProgress {
  /** Items (studies or files) finished. */
  done: number;
  total: number;
  /** Current item and its sliding-window progress. */
  item: string;
  windowsDone: number;
  windowsTotal: number;
  etaSeconds: number;
}

/** Which network a preview shows: the EMA teacher is smoother than the student. */
export type PreviewNetwork = 'teacher' | 'student';

export interface PreviewRequest {
  studyId: string;
  /** Axial slice index on the study's own image grid. */
  k: number;
  network: PreviewNetwork;
}

/** A preview as it crosses the process boundary (base64 works over JSON and structured clone). */
export interface PreviewPayload {
  studyId: string;
  k: number;
  iteration: number;
  network: PreviewNetwork;
  /** [nx, ny] of the study's image grid. */
  dims: [number, number];
  /** nx·ny uint8 foreground probabilities ×255, i fastest, base64. */
  probabilityBase64: string;
}

export type HostMessage =
  | { type: 'start'; job: EngineJob; backend: string; threads: number }
  | { type: 'cancel' }
  | ({ type: 'preview'; requestId: string } & PreviewRequest);

export type EngineMessage =
  | { type: 'backend'; name: string; reason: string; adapter?: string; threads: number }
  | { type: 'log'; message: string }
  | { type: 'progress'; progress: TrainingProgress }
  | { type: 'predictProgress'; progress: PredictionProgress }
  | { type: 'preview'; requestId: string; preview?: PreviewPayload; error?: ApiErrorPayload }
  | { type: 'done'; outcome: TrainingOutcome | PredictionOutcome | ProbeOutcome }
  | { type: 'error'; error: ApiErrorPayload };
