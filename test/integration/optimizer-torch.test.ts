// SGD with momentum and weight decay against torch.optim.SGD (Node + Debian's PyTorch): the
// same start values and the same gradient sequence give the same parameters after every step,
// with PyTorch's semantics (the buffer starts at the first gradient, no dampening, not
// Nesterov) and a learning rate that changes between steps.
import { execFileSync } from 'node:child_process';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { createRng } from '../../src/core/random';
import { SgdMomentum } from '../../src/engine/trainer/optimizer';
import { PYTHON } from '../helpers/fixtures';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('SgdMomentum', () => {
  it('follows torch.optim.SGD(momentum 0.9, weight decay 5e-4) step by step', async () => {
    const rng = createRng(3);
    const shapes = [[3, 2], [4]];
    const start = shapes.map((s) =>
      Array.from({ length: s.reduce((a, b) => a * b) }, () => rng.normal()),
    );
    const steps = 5;
    const grads = Array.from({ length: steps }, () =>
      start.map((values) => values.map(() => rng.normal())),
    );
    const lrs = [0.01, 0.01, 0.005, 0.005, 0.001];

    const variables = start.map((values, i) =>
      tf.variable(tf.tensor(values, shapes[i]), true, `p${i}`),
    );
    const optimizer = new SgdMomentum(variables, { momentum: 0.9, weightDecay: 5e-4 });
    const ours: number[][][] = [];
    for (let t = 0; t < steps; t++) {
      const named: tf.NamedTensorMap = {};
      variables.forEach((v, i) => (named[v.name] = tf.tensor(grads[t]![i]!, shapes[i])));
      optimizer.apply(named, lrs[t]!);
      tf.dispose(Object.values(named));
      ours.push(await Promise.all(variables.map(async (v) => Array.from(await v.data()))));
    }

    const code = [
      'import sys, json, torch',
      'spec = json.loads(sys.stdin.read())',
      'params = [torch.nn.Parameter(torch.tensor(v, dtype=torch.float64)) for v in spec["start"]]',
      'opt = torch.optim.SGD(params, lr=0.01, momentum=0.9, weight_decay=5e-4, dampening=0, nesterov=False)',
      'out = []',
      'for grads, lr in zip(spec["grads"], spec["lrs"]):',
      '    for group in opt.param_groups: group["lr"] = lr',
      '    for p, g in zip(params, grads): p.grad = torch.tensor(g, dtype=torch.float64)',
      '    opt.step()',
      '    out.append([p.detach().tolist() for p in params])',
      'print(json.dumps(out))',
    ].join('\n');
    const torch = JSON.parse(
      execFileSync(PYTHON, ['-c', code], {
        input: JSON.stringify({ start, grads, lrs }),
        encoding: 'utf8',
      }),
    ) as number[][][];
    for (let t = 0; t < steps; t++)
      for (let i = 0; i < variables.length; i++)
        ours[t]![i]!.forEach((value, k) => expect(value).toBeCloseTo(torch[t]![i]![k]!, 6));
    optimizer.dispose();
    tf.dispose(variables);
  });
});
