// Arithmetic of the V-Net (engine, pure): floating-point operations of the convolutions for one
// forward pass, from the parameter layout alone, and of one SimCVD iteration. Normalisation,
// activations, losses and the projection heads are left out (a few per cent at most); a
// multiply-add counts as 2 operations, as GPU peak figures do.
import type { Vec3 } from '../../core/volume/volume';
import type { TrainingConfig } from '../trainer/config';
import { resolveVNetConfig, type ResolvedVNetConfig } from './config';
import { buildParamSpecs } from './specs';

/** The resolution level a convolution writes its output at, from its parameter name. */
function outputLevel(key: string): number {
  const match = /^(enc|down|up|dec)(\d+)/.exec(key);
  if (!match) return 0; // the heads
  const level = Number(match[2]);
  return match[1] === 'down' ? level + 1 : level;
}

/** Convolution FLOPs of one forward pass of one patch. */
export function forwardFlops(config: ResolvedVNetConfig, patch: Vec3): number {
  const voxels = patch[0] * patch[1] * patch[2];
  let flops = 0;
  for (const spec of buildParamSpecs(config)) {
    if (spec.role !== 'kernel') continue;
    const out = voxels / 8 ** outputLevel(spec.key);
    const [k, , , a, b] = spec.shape as [number, number, number, number, number];
    // Transposed convs keep [2, 2, 2, out, in]: each output voxel sums `in` values, once.
    const perOutput = spec.key.startsWith('up') ? b * a : k * k * k * a * b;
    flops += 2 * out * perOutput;
  }
  return flops;
}

/**
 * One training iteration: the teacher's forward passes on the unlabeled patches (its own, plus
 * the uncertainty mask's extra ones), and the student's forward and backward on all of them
 * (backward ≈ 2 forwards: the input and the filter gradients).
 */
export function iterationFlops(config: TrainingConfig): number {
  const network = resolveVNetConfig(config.network);
  const perPatch = forwardFlops(network, config.patchSize);
  const unlabeled = config.supervisedOnly ? 0 : config.unlabeledPerBatch;
  const teacherPasses =
    unlabeled === 0
      ? 0
      : 1 + (config.consistencyMask === 'uncertainty' ? config.uncertaintyPasses : 0);
  const student = config.labeledPerBatch + unlabeled;
  return perPatch * (3 * student + teacherPasses * unlabeled);
}
