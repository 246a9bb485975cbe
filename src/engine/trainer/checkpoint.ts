// Resumable checkpoints (engine, Node): student and teacher V-Nets in TF.js format, both
// projection heads and the optimizer's momentum in one weights file, and the loop state as
// JSON. Written to a temp folder and renamed over the previous checkpoint, so a crash mid-save
// leaves the last good one.
import * as tf from '@tensorflow/tfjs';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { AppError } from '../../core/errors';
import { writeFileAtomic, writeJsonAtomic } from '../../core/fs/atomic';
import { pathExists } from '../../core/fs/exists';
import { createRng } from '../../core/random';
import {
  loadParams,
  saveParams,
  assignParams,
  disposeParams,
  projectionHeadVariables,
} from '../model';
import { PROFILES, type TrainingConfig } from './config';
import { createTrainerState, type TrainerState } from './state';

const STATE_FILE = 'state.json';
const EXTRA_WEIGHTS = 'extra.bin';

export interface CheckpointState<H> {
  iteration: number;
  config: TrainingConfig;
  /** Whatever the loop wants back on resume (loss history, best validation, …). */
  history: H;
  extraSpecs: tf.io.WeightsManifestEntry[];
  savedAt: string;
}

/** Stable names for the head and momentum tensors (variable names carry per-process tags). */
function extraTensors(state: TrainerState): tf.NamedTensorMap {
  const named: tf.NamedTensorMap = {};
  projectionHeadVariables(state.studentHead).forEach((v, i) => (named[`studentHead/${i}`] = v));
  projectionHeadVariables(state.teacherHead).forEach((v, i) => (named[`teacherHead/${i}`] = v));
  const momentum = state.optimizer.state();
  state.optimizer.variableNames().forEach((name, i) => {
    const buffer = momentum[name];
    if (buffer) named[`momentum/${i}`] = buffer;
  });
  return named;
}

export async function saveCheckpoint<H>(
  dir: string,
  state: TrainerState,
  history: H,
): Promise<void> {
  const temp = `${dir}.saving`;
  await fs.rm(temp, { recursive: true, force: true });
  await saveParams(path.join(temp, 'student'), state.student);
  await saveParams(path.join(temp, 'teacher'), state.teacher);
  const { data, specs } = await tf.io.encodeWeights(extraTensors(state));
  await writeFileAtomic(
    path.join(temp, EXTRA_WEIGHTS),
    new Uint8Array(tf.io.CompositeArrayBuffer.join(data)),
  );
  const saved: CheckpointState<H> = {
    iteration: state.iteration,
    config: state.config,
    history,
    extraSpecs: specs,
    savedAt: new Date().toISOString(),
  };
  await writeJsonAtomic(path.join(temp, STATE_FILE), saved);
  const old = `${dir}.old`;
  await fs.rm(old, { recursive: true, force: true });
  await fs.rename(dir, old).catch(() => undefined);
  await fs.rename(temp, dir);
  await fs.rm(old, { recursive: true, force: true });
}

export async function hasCheckpoint(dir: string): Promise<boolean> {
  return pathExists(path.join(dir, STATE_FILE));
}

/** Rebuilds the trainer state of a checkpoint; the config comes from the checkpoint. */
export async function loadCheckpoint<H>(dir: string): Promise<{ state: TrainerState; history: H }> {
  let saved: CheckpointState<H>;
  try {
    saved = JSON.parse(await fs.readFile(path.join(dir, STATE_FILE), 'utf8')) as CheckpointState<H>;
  } catch (error) {
    throw new AppError('CORRUPT_FILE', `No readable checkpoint in ${dir}.`, { cause: error });
  }
  // Checkpoints of older versions lack options added since: the profile's defaults fill them.
  const config = { ...PROFILES[saved.config.profile], ...saved.config };
  const state = createTrainerState(config);
  const student = await loadParams(path.join(dir, 'student'));
  const teacher = await loadParams(path.join(dir, 'teacher'));
  assignParams(state.student, student.params);
  assignParams(state.teacher, teacher.params);
  disposeParams(student.params);
  disposeParams(teacher.params);
  const bytes = await fs.readFile(path.join(dir, EXTRA_WEIGHTS));
  const extra = tf.io.decodeWeights(
    bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength),
    saved.extraSpecs,
  );
  projectionHeadVariables(state.studentHead).forEach((v, i) =>
    v.assign(extra[`studentHead/${i}`]!),
  );
  projectionHeadVariables(state.teacherHead).forEach((v, i) =>
    v.assign(extra[`teacherHead/${i}`]!),
  );
  const names = state.optimizer.variableNames();
  const momentum: tf.NamedTensorMap = {};
  names.forEach((name, i) => {
    const t = extra[`momentum/${i}`];
    if (t) momentum[name] = t;
  });
  state.optimizer.restore(momentum);
  tf.dispose(Object.values(extra));
  state.iteration = saved.iteration;
  // A resumed run continues with a generator derived from the seed and the iteration, so the
  // same checkpoint always resumes the same way.
  state.rng = createRng((saved.config.seed * 1_000_003 + saved.iteration) >>> 0);
  return { state, history: saved.history };
}
