// Messages between the trainer host (caller) and the trainer process (engine, both sides).
import type { ApiErrorPayload } from '../../shared/contract/errors';
import type { TrainingConfig } from '../trainer/config';
import type { TrainingOutcome, TrainingProgress } from '../trainer/loop';
import type { TrainingPlan } from './plan';

export interface TrainingRequest {
  projectRoot: string;
  runDir: string;
  config: TrainingConfig;
  plan: TrainingPlan;
  resume: boolean;
}

export type HostMessage = { type: 'start'; request: TrainingRequest } | { type: 'cancel' };

export type TrainerMessage =
  | { type: 'backend'; name: string; reason: string }
  | { type: 'log'; message: string }
  | { type: 'progress'; progress: TrainingProgress }
  | { type: 'done'; outcome: TrainingOutcome }
  | { type: 'error'; error: ApiErrorPayload };
