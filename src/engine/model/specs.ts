// V-Net parameter layout (engine, plain Node, no tensors): the name, shape and role of every
// weight, derived from the config alone so counts and file checks need no allocation.
import type { ResolvedVNetConfig } from './config';
import { levelChannels, numSdmChannels } from './config';

/** moving* are BatchNorm buffers: saved and EMA'd, but not trained (PyTorch's buffers). */
export type ParamRole = 'kernel' | 'bias' | 'gamma' | 'beta' | 'movingMean' | 'movingVariance';

export interface ParamSpec {
  /** Logical name, e.g. 'enc2.conv1.kernel'; also the name in the saved weights manifest. */
  key: string;
  shape: number[];
  role: ParamRole;
  /** PyTorch's fan-in for this weight (used by the initialisers); 0 for BN entries. */
  fanIn: number;
}

export function isTrainableRole(role: ParamRole): boolean {
  return role !== 'movingMean' && role !== 'movingVariance';
}

function bnSpecs(prefix: string, channels: number): ParamSpec[] {
  const roles: ParamRole[] = ['gamma', 'beta', 'movingMean', 'movingVariance'];
  return roles.map((role) => ({ key: `${prefix}.bn.${role}`, shape: [channels], role, fanIn: 0 }));
}

/** Conv (k³, channels-last filter [k,k,k,in,out]) + bias, then BN if the config has it. */
function convSpecs(
  config: ResolvedVNetConfig,
  prefix: string,
  kernelSize: number,
  inChannels: number,
  outChannels: number,
  withBn: boolean,
): ParamSpec[] {
  const fanIn = inChannels * kernelSize ** 3;
  const k = kernelSize;
  const specs: ParamSpec[] = [
    { key: `${prefix}.kernel`, shape: [k, k, k, inChannels, outChannels], role: 'kernel', fanIn },
    { key: `${prefix}.bias`, shape: [outChannels], role: 'bias', fanIn },
  ];
  if (withBn && config.normalization === 'batch') specs.push(...bnSpecs(prefix, outChannels));
  return specs;
}

/** k=2 s=2 transposed conv, kernel kept in tf.conv3dTranspose's layout [2,2,2,out,in]. PyTorch
 *  computes the fan-in of its ConvTranspose weight [in,out,k,k,k] from dim 1, i.e. out·k³. */
function upSpecs(
  config: ResolvedVNetConfig,
  prefix: string,
  inChannels: number,
  outChannels: number,
): ParamSpec[] {
  const fanIn = outChannels * 8;
  const specs: ParamSpec[] = [
    { key: `${prefix}.kernel`, shape: [2, 2, 2, outChannels, inChannels], role: 'kernel', fanIn },
    { key: `${prefix}.bias`, shape: [outChannels], role: 'bias', fanIn },
  ];
  if (config.normalization === 'batch') specs.push(...bnSpecs(prefix, outChannels));
  return specs;
}

/** The full ordered parameter list; the order is also the initialisation order for a seed. */
export function buildParamSpecs(config: ResolvedVNetConfig): ParamSpec[] {
  const specs: ParamSpec[] = [];
  for (let level = 0; level <= config.depth; level++) {
    const out = levelChannels(config, level);
    const stageIn = level === 0 ? config.inChannels : out;
    for (let j = 0; j < config.stageConvs[level]; j++) {
      specs.push(
        ...convSpecs(config, `enc${level}.conv${j}`, 3, j === 0 ? stageIn : out, out, true),
      );
    }
    if (level < config.depth) {
      specs.push(
        ...convSpecs(config, `down${level}`, 2, out, levelChannels(config, level + 1), true),
      );
    }
  }
  for (let level = config.depth - 1; level >= 0; level--) {
    const channels = levelChannels(config, level);
    specs.push(...upSpecs(config, `up${level}`, levelChannels(config, level + 1), channels));
    const convs = config.decoderConvs[config.depth - 1 - level];
    for (let j = 0; j < convs; j++) {
      specs.push(...convSpecs(config, `dec${level}.conv${j}`, 3, channels, channels, true));
    }
  }
  const top = levelChannels(config, 0);
  specs.push(...convSpecs(config, 'head.seg', 1, top, config.numClasses, false));
  if (config.sdmHead) {
    specs.push(...convSpecs(config, 'head.sdm', 1, top, numSdmChannels(config), false));
  }
  return specs;
}

export function specSize(spec: ParamSpec): number {
  return spec.shape.reduce((a, b) => a * b, 1);
}

/** Trainable scalars, as PyTorch's sum(p.numel() for p in model.parameters()) counts them. */
export function countTrainable(specs: readonly ParamSpec[]): number {
  return specs.filter((s) => isTrainableRole(s.role)).reduce((n, s) => n + specSize(s), 0);
}
