// Trainer state (engine, TF.js): the student and its EMA teacher (V-Net + projection head),
// the optimizer and the iteration counter — everything a checkpoint must hold.
import * as tf from '@tensorflow/tfjs';
import { createRng, type Rng } from '../../core/random';
import {
  cloneProjectionHead,
  createProjectionHead,
  disposeProjectionHead,
  projectionHeadVariables,
  type ProjectionHead,
} from '../model/projectionHead';
import {
  copyParams,
  disposeParams,
  emaUpdate,
  initParams,
  trainableVariables,
  type VNetParams,
} from '../model/params';
import type { TrainingConfig } from './config';
import { SgdMomentum } from './optimizer';

export interface TrainerState {
  config: TrainingConfig;
  student: VNetParams;
  teacher: VNetParams;
  studentHead: ProjectionHead;
  teacherHead: ProjectionHead;
  optimizer: SgdMomentum;
  /** Completed student updates. */
  iteration: number;
  rng: Rng;
}

/** The variables the optimizer updates: the student V-Net, plus its projection head when the
 *  contrastive term is on. */
export function optimizedVariables(
  state: Pick<TrainerState, 'config' | 'student' | 'studentHead'>,
): tf.Variable[] {
  const network = trainableVariables(state.student);
  return state.config.supervisedOnly
    ? network
    : [...network, ...projectionHeadVariables(state.studentHead)];
}

let instances = 0;

export function createTrainerState(config: TrainingConfig): TrainerState {
  const rng = createRng(config.seed);
  // TF.js variable names are global to the engine: each trainer gets its own prefix.
  const tag = `#${++instances}`;
  const student = initParams(config.network, config.seed, { name: 'student' });
  const teacher = copyParams(student, { trainable: false, name: 'teacher' });
  const studentHead = createProjectionHead(rng.fork(), config.projection, `student-head${tag}`);
  const teacherHead = cloneProjectionHead(studentHead, `teacher-head${tag}`);
  for (const v of projectionHeadVariables(teacherHead)) v.trainable = false;
  const partial = { config, student, studentHead };
  const optimizer = new SgdMomentum(optimizedVariables(partial), {
    momentum: config.momentum,
    weightDecay: config.weightDecay,
  });
  return { config, student, teacher, studentHead, teacherHead, optimizer, iteration: 0, rng };
}

/** Mean-teacher update of the teacher network and head after a student step. */
export function updateTeacher(state: TrainerState): void {
  const a = emaUpdate(state.teacher, state.student, state.config.emaDecay, state.iteration);
  tf.tidy(() => {
    const t = projectionHeadVariables(state.teacherHead);
    const s = projectionHeadVariables(state.studentHead);
    t.forEach((variable, index) =>
      variable.assign(tf.add(tf.mul(variable, a), tf.mul(s[index]!, 1 - a))),
    );
  });
}

export function disposeTrainerState(state: TrainerState): void {
  disposeParams(state.student);
  disposeParams(state.teacher);
  disposeProjectionHead(state.studentHead);
  disposeProjectionHead(state.teacherHead);
  state.optimizer.dispose();
}
