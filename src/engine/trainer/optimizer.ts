// SGD with momentum and weight decay (engine, TF.js), with PyTorch's semantics so the paper's
// hyper-parameters mean the same thing: g ← g + wd·θ; v ← μ·v + g; θ ← θ − lr·v.
import * as tf from '@tensorflow/tfjs';

export interface SgdOptions {
  momentum: number;
  weightDecay: number;
}

export class SgdMomentum {
  private readonly velocity = new Map<tf.Variable, tf.Variable>();

  constructor(
    private readonly variables: tf.Variable[],
    private readonly options: SgdOptions,
  ) {}

  /** Applies one update with learning rate `lr`; `grads` are keyed by variable name. */
  apply(grads: tf.NamedTensorMap, lr: number): void {
    tf.tidy(() => {
      for (const variable of this.variables) {
        const grad = grads[variable.name];
        if (!grad) continue;
        const g =
          this.options.weightDecay > 0
            ? tf.add(grad, tf.mul(variable, this.options.weightDecay))
            : grad;
        let v = this.velocity.get(variable);
        if (!v) {
          // PyTorch starts the buffer at the first gradient.
          v = tf.variable(g, false, `${variable.name}/momentum`);
          this.velocity.set(variable, v);
        } else {
          v.assign(tf.add(tf.mul(v, this.options.momentum), g));
        }
        variable.assign(tf.sub(variable, tf.mul(v, lr)));
      }
    });
  }

  /** Names of the optimised variables, in the order given to the constructor. */
  variableNames(): string[] {
    return this.variables.map((v) => v.name);
  }

  /** Momentum buffers by variable name, for checkpoints. */
  state(): tf.NamedTensorMap {
    const out: tf.NamedTensorMap = {};
    for (const [variable, v] of this.velocity) out[variable.name] = v;
    return out;
  }

  /** Restores momentum buffers saved by `state()` (names must match). */
  restore(state: tf.NamedTensorMap): void {
    for (const variable of this.variables) {
      const saved = state[variable.name];
      if (!saved) continue;
      this.velocity.get(variable)?.dispose();
      this.velocity.set(variable, tf.variable(saved, false, `${variable.name}/momentum`));
    }
  }

  dispose(): void {
    for (const v of this.velocity.values()) v.dispose();
    this.velocity.clear();
  }
}

/** Step schedule: lr × factor^floor(iteration / every) [P] (÷10 every 3000 iterations). */
export function stepLearningRate(
  base: number,
  iteration: number,
  every: number,
  factor: number,
): number {
  return base * factor ** Math.floor(iteration / every);
}
