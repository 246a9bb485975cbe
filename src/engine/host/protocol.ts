// Messages between the engine host (caller) and the engine process (both sides). One process
// runs one job: training or prediction.
import type { ApiErrorPayload } from '../../shared/contract/errors';
import type { TrainingConfig } from '../trainer/config';
import type { TrainingOutcome, TrainingProgress } from '../trainer/loop';
import type { PredictionOutcome, PredictionRequest } from './predictJob';
import type { TrainingPlan } from './plan';

export interface TrainingRequest {
  projectRoot: string;
  runDir: string;
  config: TrainingConfig;
  plan: TrainingPlan;
  resume: boolean;
}

export type EngineJob =
  { kind: 'train'; request: TrainingRequest } | { kind: 'predict'; request: PredictionRequest };

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

export type HostMessage = { type: 'start'; job: EngineJob; backend: string } | { type: 'cancel' };

export type EngineMessage =
  | { type: 'backend'; name: string; reason: string }
  | { type: 'log'; message: string }
  | { type: 'progress'; progress: TrainingProgress }
  | { type: 'predictProgress'; progress: PredictionProgress }
  | { type: 'done'; outcome: TrainingOutcome | PredictionOutcome }
  | { type: 'error'; error: ApiErrorPayload };
