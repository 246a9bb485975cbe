// Integration test (Node TF.js cpu + Debian PyTorch): every SimCVD loss value and its gradient
// w.r.t. the student inputs against an independent PyTorch implementation
// (test/reference/losses_torch.py), on seeded random inputs of 2 + 2 volumes of 8×12×12.

import * as tf from '@tensorflow/tfjs';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRng, type Rng } from '../../src/core/random';
import {
  consistencyLoss,
  contrastiveLoss,
  crossEntropyLoss,
  diceLoss,
  pairwiseDistillationLoss,
  rampUp,
  readLossTerms,
  supervisedLoss,
  totalLoss,
} from '../../src/engine/losses';
import {
  adaptiveAvgPool2d,
  alphaDropoutConstants,
  createProjectionHead,
  projectionHeadForward,
  type ProjectionHead,
} from '../../src/engine/model';

const PYTHON = '/usr/bin/python3';
const SCRIPT = fileURLToPath(new URL('../reference/losses_torch.py', import.meta.url));

interface Spec {
  shape: number[];
  data: number[];
}

/** Float32-exact random data, so TF.js (float32) and torch (float64) see identical inputs. */
function normal(rng: Rng, shape: number[], scale = 1): Spec {
  const size = shape.reduce((a, b) => a * b, 1);
  return { shape, data: Array.from({ length: size }, () => Math.fround(rng.normal() * scale)) };
}

function uniform(rng: Rng, shape: number[], lo: number, hi: number): Spec {
  const size = shape.reduce((a, b) => a * b, 1);
  return { shape, data: Array.from({ length: size }, () => Math.fround(rng.uniform(lo, hi))) };
}

function labelsSpec(rng: Rng, shape: number[], classes: number): Spec {
  const size = shape.reduce((a, b) => a * b, 1);
  return { shape, data: Array.from({ length: size }, () => rng.int(classes)) };
}

const t = (s: Spec) => tf.tensor(s.data, s.shape, 'float32');
const ints = (s: Spec) => tf.tensor(s.data, s.shape, 'int32');

/** max |got − want| ≤ rel · max |want| (and the reference is not all zeros). */
function expectClose(got: ArrayLike<number>, want: number[], what: string, rel = 1e-4): void {
  expect(got.length, `${what}: length`).toBe(want.length);
  const scale = Math.max(...want.map(Math.abs));
  expect(scale, `${what}: reference is all zeros`).toBeGreaterThan(0);
  let worst = 0;
  for (let i = 0; i < want.length; i++) worst = Math.max(worst, Math.abs(got[i] - want[i]));
  expect(worst / scale, `${what}: max relative error`).toBeLessThan(rel);
}

const scalar = (x: tf.Tensor) => x.dataSync()[0];

// Shapes: 2 labeled + 2 unlabeled volumes of D×H×W = 8×12×12, 2 classes.
const VOL = [2, 8, 12, 12];
const rng = createRng(20240611);
const inputs = {
  probs: uniform(rng, [...VOL, 2], 0, 1),
  logits: normal(rng, [...VOL, 2], 2),
  labels: labelsSpec(rng, VOL, 2),
  logits3: normal(rng, [1, 4, 5, 6, 3], 2),
  labels3: labelsSpec(rng, [1, 4, 5, 6], 3),
  sdmPred: uniform(rng, [...VOL, 1], -1, 1),
  sdmTarget: uniform(rng, [...VOL, 1], -1, 1),
  student: uniform(rng, [...VOL, 2], 0, 1),
  teacher: uniform(rng, [...VOL, 2], 0, 1),
  unlabeledLogits: normal(rng, [...VOL, 2]),
  teacherLogits: normal(rng, [...VOL, 2]),
  pool: [
    { x: normal(rng, [2, 12, 12]), out: [8, 8] as [number, number] },
    { x: normal(rng, [3, 13, 7]), out: [5, 10] as [number, number] },
    { x: normal(rng, [1, 5, 8]), out: [8, 3] as [number, number] },
  ],
  q: normal(rng, [...VOL, 1]),
  embTarget: { D: normal(rng, [16, 8]), W: normal(rng, [24, 8]) },
  studentEmb: normal(rng, [16, 8]),
  teacherEmb: normal(rng, [16, 8]),
  studentBottleneck: normal(rng, [2, 2, 3, 3, 16]),
  teacherBottleneck: normal(rng, [2, 2, 3, 3, 16]),
};
// Partial labels: annotated voxels (axial planes of item 0, all of item 1) and where the SDM is
// known (item 1 only, as 'skip' makes it). A separate generator leaves the inputs above as they were.
const known: Spec = {
  shape: VOL,
  data: Array.from({ length: VOL.reduce((a, b) => a * b, 1) }, (_, v) =>
    v >= 8 * 12 * 12 || [1, 4, 6].includes(Math.floor(v / 144) % 8) ? 1 : 0,
  ),
};
const sdmKnown: Spec = {
  shape: VOL,
  data: known.data.map((_, v) => (v >= 8 * 12 * 12 ? 1 : 0)),
};
const oneHotOf = (labels: Spec, classes: number) => tf.oneHot(ints(labels), classes).toFloat();
const ITERATIONS = [0, 149, 150, 1234, 2999, 5999, 6000, 7000];
const HEAD_CONFIG = { poolSize: 8, hiddenWidths: [16, 16], outputWidth: 8, dropoutRate: 0 };

function headSpecs(head: ProjectionHead): { weights: Spec[]; biases: Spec[] } {
  const spec = (v: tf.Variable): Spec => ({ shape: v.shape, data: Array.from(v.dataSync()) });
  return {
    weights: head.layers.map((l) => spec(l.weight)),
    biases: head.layers.map((l) => spec(l.bias)),
  };
}

type Result = Record<string, number[] & number & boolean & Record<string, unknown>>;
let results: Result[] = [];
let heads: Record<'D' | 'W', ProjectionHead>;
let workDir = '';

beforeAll(async () => {
  await tf.setBackend('cpu');
  heads = {
    D: createProjectionHead(createRng(7), { ...HEAD_CONFIG, sliceAxis: 'D' }),
    W: createProjectionHead(createRng(8), { ...HEAD_CONFIG, sliceAxis: 'W' }),
  };
  const oneHot = (labels: Spec) => ({
    shape: [...labels.shape, 2],
    data: Array.from(oneHotOf(labels, 2).dataSync()),
  });
  const cases = [
    { kind: 'dice', probs: inputs.probs, oneHot: oneHot(inputs.labels) },
    { kind: 'ce', logits: inputs.logits, labels: inputs.labels },
    { kind: 'ce', logits: inputs.logits3, labels: inputs.labels3 },
    {
      kind: 'supervised',
      logits: inputs.logits,
      labels: inputs.labels,
      sdmPred: inputs.sdmPred,
      sdmTarget: inputs.sdmTarget,
    },
    { kind: 'consistency', student: inputs.student, teacher: inputs.teacher },
    ...inputs.pool.map((p) => ({ kind: 'pool', ...p })),
    { kind: 'alphaDropout', rates: [0.1, 0.5] },
    ...(['D', 'W'] as const).map((axis) => ({
      kind: 'projection',
      axis,
      pool: 8,
      q: inputs.q,
      target: inputs.embTarget[axis],
      ...headSpecs(heads[axis]),
    })),
    {
      kind: 'contrastive',
      student: inputs.studentEmb,
      teacher: inputs.teacherEmb,
      temperature: 0.5,
    },
    { kind: 'pd', student: inputs.studentBottleneck, teacher: inputs.teacherBottleneck },
    { kind: 'ramp', iterations: ITERATIONS, maxIterations: 6000 },
    { kind: 'ramp', iterations: ITERATIONS, maxIterations: 1000 },
    {
      kind: 'total',
      ...inputs,
      pool: undefined,
      embTarget: undefined,
      iteration: 1234,
      maxIterations: 6000,
    },
    {
      kind: 'partial',
      logits: inputs.logits,
      labels: inputs.labels,
      sdmPred: inputs.sdmPred,
      sdmTarget: inputs.sdmTarget,
      known,
      sdmKnown,
    },
  ];
  workDir = mkdtempSync(join(tmpdir(), 'losses-torch-'));
  const request = join(workDir, 'request.json');
  writeFileSync(request, JSON.stringify({ cases }));
  const stdout = execFileSync(PYTHON, [SCRIPT, request], { maxBuffer: 256 << 20 });
  results = (JSON.parse(stdout.toString()) as { results: Result[] }).results;
});

afterAll(() => {
  if (workDir) rmSync(workDir, { recursive: true, force: true });
});

describe('segmentation losses vs PyTorch', () => {
  it('Dice (class 1 of 2, UA-MT) value and gradient', () => {
    const oneHot = oneHotOf(inputs.labels, 2);
    const probs = t(inputs.probs);
    const ref = results[0];
    expect(scalar(diceLoss(probs, oneHot))).toBeCloseTo(ref.value, 5);
    const grad = tf.grad((p: tf.Tensor) => diceLoss(p, oneHot))(probs);
    expectClose(grad.dataSync(), ref.grad, 'dice gradient');
  });

  it('cross-entropy value and gradient, 2 and 3 classes', () => {
    for (const [logitsSpec, labelSpec, ref] of [
      [inputs.logits, inputs.labels, results[1]],
      [inputs.logits3, inputs.labels3, results[2]],
    ] as const) {
      const logits = t(logitsSpec);
      const labels = ints(labelSpec);
      expectClose([scalar(crossEntropyLoss(logits, labels))], [ref.value], 'CE value');
      const grad = tf.grad((l: tf.Tensor) => crossEntropyLoss(l, labels))(logits);
      expectClose(grad.dataSync(), ref.grad, 'CE gradient');
    }
  });

  it('supervised loss 0.5·CE + 0.5·Dice + 0.1·MSE(sdm) and its gradients', () => {
    const ref = results[3];
    const oneHot = oneHotOf(inputs.labels, 2);
    const sdmTarget = t(inputs.sdmTarget);
    const f = (logits: tf.Tensor, sdmPred: tf.Tensor) =>
      supervisedLoss({ logits, oneHot, sdmPred, sdmTarget });
    const terms = f(t(inputs.logits), t(inputs.sdmPred));
    for (const key of ['ce', 'dice', 'sdm'] as const)
      expectClose([scalar(terms[key])], [ref[key]], `supervised ${key}`);
    expectClose([scalar(terms.total)], [ref.value], 'supervised total');
    const [gl, gs] = tf.grads((l: tf.Tensor, s: tf.Tensor) => f(l, s).total)([
      t(inputs.logits),
      t(inputs.sdmPred),
    ]);
    expectClose(gl.dataSync(), ref.gradLogits, 'supervised logits gradient');
    expectClose(gs.dataSync(), ref.gradSdm, 'supervised sdm gradient');
  });

  it('partial labels: CE with ignore_index, Dice masked, SDM over known voxels, and gradients', () => {
    const ref = results.at(-1)!;
    const oneHot = oneHotOf(inputs.labels, 2);
    const sdmTarget = t(inputs.sdmTarget);
    const weights = (s: Spec) => tf.tensor(s.data, [...s.shape, 1], 'float32');
    const f = (logits: tf.Tensor, sdmPred: tf.Tensor) =>
      supervisedLoss({
        logits,
        oneHot,
        sdmPred,
        sdmTarget,
        voxelWeights: weights(known),
        sdmWeights: weights(sdmKnown),
      });
    const terms = f(t(inputs.logits), t(inputs.sdmPred));
    for (const key of ['ce', 'dice', 'sdm'] as const)
      expectClose([scalar(terms[key])], [ref[key]], `partial ${key}`);
    expectClose([scalar(terms.total)], [ref.value], 'partial total');
    const [gl, gs] = tf.grads((l: tf.Tensor, s: tf.Tensor) => f(l, s).total)([
      t(inputs.logits),
      t(inputs.sdmPred),
    ]);
    expectClose(gl.dataSync(), ref.gradLogits, 'partial logits gradient');
    expectClose(gs.dataSync(), ref.gradSdm, 'partial sdm gradient');
    // Unannotated voxels get no gradient at all.
    const g = gl.dataSync();
    known.data.forEach((k, v) => {
      if (!k) expect(Math.abs(g[2 * v]!) + Math.abs(g[2 * v + 1]!)).toBe(0);
    });
  });
});

describe('unlabeled losses vs PyTorch', () => {
  it('consistency MSE value and student gradient', () => {
    const ref = results[4];
    const teacher = t(inputs.teacher);
    expectClose([scalar(consistencyLoss(t(inputs.student), teacher))], [ref.value], 'L_con');
    const grad = tf.grad((s: tf.Tensor) => consistencyLoss(s, teacher))(t(inputs.student));
    expectClose(grad.dataSync(), ref.grad, 'L_con gradient');
  });

  it('adaptive average pooling matches F.adaptive_avg_pool2d (divisible, odd, up-sampling)', () => {
    inputs.pool.forEach((p, i) => {
      const got = adaptiveAvgPool2d(t(p.x), p.out).dataSync();
      expectClose(
        got,
        results[5 + i].value,
        `pool ${p.x.shape.join('×')} → ${p.out.join('×')}`,
        1e-5,
      );
    });
  });

  it('alpha dropout uses the same constants as F.alpha_dropout, and p = 0 is the identity', () => {
    const ref = results[8];
    expect(ref.identityAtZero).toBe(true);
    for (const p of [0.1, 0.5]) {
      const c = alphaDropoutConstants(p);
      const torchValues = ref.values[String(p)] as { zeros: number[]; ones: number[] };
      const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
      const ours = {
        zeros: sorted([c.droppedValue, c.keptOffset]),
        ones: sorted([c.droppedValue, c.scale + c.keptOffset]),
      };
      for (const key of ['zeros', 'ones'] as const) {
        expect(torchValues[key]).toHaveLength(2);
        sorted(torchValues[key]).forEach((v, i) => expect(ours[key][i]).toBeCloseTo(v, 12));
      }
    }
  });

  it('projection head (p = 0, pool 8, widths 16-16-8) embeddings and gradients, D and W slices', () => {
    (['D', 'W'] as const).forEach((axis, i) => {
      const ref = results[9 + i];
      const head = heads[axis];
      const target = t(inputs.embTarget[axis]);
      const objective = (q: tf.Tensor) =>
        tf.sum(
          tf.mul(projectionHeadForward(head, q, { training: true, rng: createRng(1) }), target),
        );
      const q = t(inputs.q);
      expectClose(
        projectionHeadForward(head, q, { training: true, rng: createRng(1) }).dataSync(),
        ref.embeddings,
        `${axis} embeddings`,
      );
      expectClose(tf.grad(objective)(q).dataSync(), ref.gradQ, `${axis} gradient w.r.t. Q`);
      const { grads } = tf.variableGrads(() => objective(q) as tf.Scalar, [head.layers[0].weight]);
      expectClose(
        grads[head.layers[0].weight.name].dataSync(),
        ref.gradW0,
        `${axis} gradient w.r.t. W0`,
      );
    });
  });

  it('contrastive symmetric InfoNCE (τ 0.5) value and student gradient', () => {
    const ref = results[11];
    const teacher = t(inputs.teacherEmb);
    expectClose(
      [scalar(contrastiveLoss(t(inputs.studentEmb), teacher))],
      [ref.value],
      'L_contrast',
    );
    const grad = tf.grad((s: tf.Tensor) => contrastiveLoss(s, teacher))(t(inputs.studentEmb));
    expectClose(grad.dataSync(), ref.grad, 'L_contrast gradient');
  });

  it('pair-wise distillation (Eq. 4) value and student gradient', () => {
    const ref = results[12];
    const teacher = t(inputs.teacherBottleneck);
    const student = t(inputs.studentBottleneck);
    expectClose([scalar(pairwiseDistillationLoss(student, teacher))], [ref.value], 'L_pd');
    const grad = tf.grad((s: tf.Tensor) => pairwiseDistillationLoss(s, teacher))(student);
    expectClose(grad.dataSync(), ref.grad, 'L_pd gradient');
  });

  it('ramp-up matches UA-MT sigmoid_rampup(iter // 150, max / 150)', () => {
    for (const [max, ref] of [
      [6000, results[13]],
      [1000, results[14]],
    ] as const) {
      ITERATIONS.forEach((it, i) => expect(rampUp(it, max)).toBeCloseTo(ref.values[i], 12));
    }
  });
});

describe('total SimCVD loss vs PyTorch', () => {
  it('matches value and gradients w.r.t. every student input', async () => {
    const ref = results[15];
    const oneHot = oneHotOf(inputs.labels, 2);
    const psi = rampUp(1234, 6000);
    expect(psi).toBeCloseTo(ref.ramp, 12);
    const objective = (
      logits: tf.Tensor,
      sdmPred: tf.Tensor,
      unlabeledLogits: tf.Tensor,
      studentEmb: tf.Tensor,
      studentBottleneck: tf.Tensor,
    ) =>
      totalLoss(
        {
          supervised: supervisedLoss({ logits, oneHot, sdmPred, sdmTarget: t(inputs.sdmTarget) }),
          contrastive: contrastiveLoss(studentEmb, t(inputs.teacherEmb)),
          pairwiseDistillation: pairwiseDistillationLoss(
            studentBottleneck,
            t(inputs.teacherBottleneck),
          ),
          consistency: consistencyLoss(
            tf.softmax(unlabeledLogits),
            tf.softmax(t(inputs.teacherLogits)),
          ),
        },
        { rampWeight: psi },
      );
    const args = [
      t(inputs.logits),
      t(inputs.sdmPred),
      t(inputs.unlabeledLogits),
      t(inputs.studentEmb),
      t(inputs.studentBottleneck),
    ];
    const loss = objective(args[0], args[1], args[2], args[3], args[4]);
    expectClose([(await readLossTerms(loss)).total], [ref.value], 'total');
    const grads = tf.grads(
      (a: tf.Tensor, b: tf.Tensor, c: tf.Tensor, d: tf.Tensor, e: tf.Tensor) =>
        objective(a, b, c, d, e).total,
    )(args);
    const names = [
      'gradLogits',
      'gradSdm',
      'gradUnlabeledLogits',
      'gradStudentEmb',
      'gradStudentBottleneck',
    ];
    grads.forEach((g, i) => expectClose(g.dataSync(), ref[names[i]], `total ${names[i]}`));
  });
});
