// Continuing from a model version (engine, Node): a finished run keeps, beside the student's
// weights, its EMA teacher and both projection heads, so the next round of the active-learning
// loop starts where this one ended. Models saved before the teacher was kept continue with the
// teacher as a copy of the student and fresh heads.
import * as tf from '@tensorflow/tfjs';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { AppError } from '../../core/errors';
import { writeFileAtomic, writeJsonAtomic } from '../../core/fs/atomic';
import { pathExists } from '../../core/fs/exists';
import {
  assignParams,
  disposeParams,
  loadParams,
  projectionHeadVariables,
  saveParams,
} from '../model';
import type { TrainerState } from './state';

const TEACHER_DIR = 'teacher';
const HEADS_BIN = 'heads.bin';
const HEADS_JSON = 'heads.json';

/** Writes the teacher and the heads next to the student saved in `modelDir`. */
export async function saveWarmStart(modelDir: string, state: TrainerState): Promise<void> {
  await saveParams(path.join(modelDir, TEACHER_DIR), state.teacher);
  const named: tf.NamedTensorMap = {};
  projectionHeadVariables(state.studentHead).forEach((v, i) => (named[`studentHead/${i}`] = v));
  projectionHeadVariables(state.teacherHead).forEach((v, i) => (named[`teacherHead/${i}`] = v));
  const { data, specs } = await tf.io.encodeWeights(named);
  await writeFileAtomic(
    path.join(modelDir, HEADS_BIN),
    new Uint8Array(tf.io.CompositeArrayBuffer.join(data)),
  );
  await writeJsonAtomic(path.join(modelDir, HEADS_JSON), specs);
}

/** What a continuation could take over from the model folder. */
export interface WarmStartReport {
  teacher: 'loaded' | 'copied from the student';
  heads: 'loaded' | 'fresh';
}

/**
 * Loads a model version's weights into a new trainer state. The network must be the same as
 * the state's (the caller checked; a mismatch here is refused, not patched over).
 */
export async function applyWarmStart(
  state: TrainerState,
  modelDir: string,
): Promise<WarmStartReport> {
  const student = await loadParams(modelDir);
  try {
    if (JSON.stringify(student.params.config) !== JSON.stringify(state.student.config))
      throw new AppError(
        'CONFLICT',
        `The model in ${modelDir} has another network than this run; train from scratch.`,
      );
    assignParams(state.student, student.params);
  } finally {
    disposeParams(student.params);
  }
  const report: WarmStartReport = { teacher: 'copied from the student', heads: 'fresh' };
  const teacherDir = path.join(modelDir, TEACHER_DIR);
  if (await pathExists(teacherDir)) {
    const teacher = await loadParams(teacherDir);
    assignParams(state.teacher, teacher.params);
    disposeParams(teacher.params);
    report.teacher = 'loaded';
  } else {
    assignParams(state.teacher, state.student);
  }
  if (await pathExists(path.join(modelDir, HEADS_JSON))) {
    const specs = JSON.parse(
      await fs.readFile(path.join(modelDir, HEADS_JSON), 'utf8'),
    ) as tf.io.WeightsManifestEntry[];
    const bytes = await fs.readFile(path.join(modelDir, HEADS_BIN));
    const saved = tf.io.decodeWeights(
      bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength),
      specs,
    );
    const targets = [
      ...projectionHeadVariables(state.studentHead).map((v, i) => [v, `studentHead/${i}`] as const),
      ...projectionHeadVariables(state.teacherHead).map((v, i) => [v, `teacherHead/${i}`] as const),
    ];
    // Heads of another shape (a changed projection config) stay fresh: they are only the
    // contrastive term's, and relearn quickly.
    if (targets.every(([v, key]) => saved[key]?.shape.join() === v.shape.join())) {
      for (const [v, key] of targets) v.assign(saved[key]!);
      report.heads = 'loaded';
    }
    tf.dispose(Object.values(saved));
  }
  return report;
}
