// V-Net checkpoint files (engine, Node): TF.js's own layout — model.json with a weightsManifest
// plus one weights.bin — written through a tf.io.IOHandler on plain node:fs (tfjs-node's file://
// handlers are not always installed). Our metadata (format version, full config, a checksum of
// weights.bin, caller extras) lives in model.json's userDefinedMetadata.simcvd.
import * as tf from '@tensorflow/tfjs';
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { AppError } from '../../core/errors';
import { writeFileAtomic, writeJsonAtomic } from '../../core/fs/atomic';
import { resolveVNetConfig, type ResolvedVNetConfig, type VNetConfig } from './config';
import { buildParamSpecs } from './specs';
import { getVar, paramsFromTensors, type CreateParamsOptions, type VNetParams } from './params';

import {
  MODEL_JSON,
  readMetadata,
  VNET_FORMAT,
  VNET_FORMAT_VERSION,
  WEIGHTS_BIN,
  type VNetFileMetadata,
} from './metadata';

export {
  MODEL_JSON,
  readParamsMetadata,
  VNET_FORMAT,
  VNET_FORMAT_VERSION,
  WEIGHTS_BIN,
  type VNetFileMetadata,
} from './metadata';

function sha256(data: ArrayBuffer): string {
  return createHash('sha256').update(new Uint8Array(data)).digest('hex');
}

async function readOrThrow(file: string): Promise<Buffer> {
  try {
    return await fs.readFile(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') {
      throw new AppError('NOT_FOUND', `Model file ${file} does not exist.`, { cause: error });
    }
    throw new AppError('IO_FAILED', `Could not read model file ${file} (${code}).`, {
      cause: error,
    });
  }
}

/** tf.io handler for a folder holding model.json + weights.bin. weights.bin is written first,
 *  model.json last, each atomically, so a finished save is always complete. */
export function vnetFolderHandler(dir: string): Required<Pick<tf.io.IOHandler, 'save' | 'load'>> {
  return {
    async save(artifacts: tf.io.ModelArtifacts): Promise<tf.io.SaveResult> {
      const data = tf.io.CompositeArrayBuffer.join(artifacts.weightData ?? new ArrayBuffer(0));
      await writeFileAtomic(path.join(dir, WEIGHTS_BIN), new Uint8Array(data));
      const modelJson: tf.io.ModelJSON = {
        modelTopology: artifacts.modelTopology ?? {},
        format: artifacts.format,
        generatedBy: artifacts.generatedBy,
        convertedBy: artifacts.convertedBy ?? null,
        weightsManifest: [{ paths: [WEIGHTS_BIN], weights: artifacts.weightSpecs ?? [] }],
        userDefinedMetadata: artifacts.userDefinedMetadata,
      };
      await writeJsonAtomic(path.join(dir, MODEL_JSON), modelJson);
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
    },
    async load(): Promise<tf.io.ModelArtifacts> {
      const jsonFile = path.join(dir, MODEL_JSON);
      let modelJson: tf.io.ModelJSON;
      try {
        modelJson = JSON.parse((await readOrThrow(jsonFile)).toString('utf8'));
      } catch (error) {
        if (error instanceof AppError) throw error;
        throw new AppError('CORRUPT_FILE', `${jsonFile} is not valid JSON.`, { cause: error });
      }
      if (!Array.isArray(modelJson.weightsManifest)) {
        throw new AppError('CORRUPT_FILE', `${jsonFile} has no weightsManifest.`);
      }
      return tf.io.getModelArtifactsForJSON(modelJson, async (manifest) => {
        const buffers = [];
        for (const group of manifest) {
          for (const p of group.paths) {
            const bytes = await readOrThrow(path.join(dir, p));
            buffers.push(
              bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length) as ArrayBuffer,
            );
          }
        }
        return [tf.io.getWeightSpecs(manifest), tf.io.CompositeArrayBuffer.join(buffers)];
      });
    },
  };
}

/** Writes params (moving BN statistics included) and config to `dir`. */
export async function saveParams(
  dir: string,
  params: VNetParams,
  extra: Record<string, unknown> = {},
): Promise<void> {
  const named = params.specs.map((spec) => ({ name: spec.key, tensor: getVar(params, spec.key) }));
  const { data, specs } = await tf.io.encodeWeights(named);
  const simcvd: VNetFileMetadata = {
    formatVersion: VNET_FORMAT_VERSION,
    config: params.config,
    weightsSha256: sha256(data),
    extra,
  };
  await vnetFolderHandler(dir).save({
    modelTopology: { note: 'function-built V-Net; see userDefinedMetadata.simcvd.config' },
    format: VNET_FORMAT,
    generatedBy: `TensorFlow.js tfjs-core v${tf.version_core}`,
    convertedBy: null,
    weightSpecs: specs,
    weightData: data,
    userDefinedMetadata: { simcvd: simcvd as unknown as object },
  });
}

/** Reads a folder written by saveParams into fresh variables. */
export async function loadParams(
  dir: string,
  options: CreateParamsOptions = {},
): Promise<{ params: VNetParams; metadata: VNetFileMetadata }> {
  const artifacts = await vnetFolderHandler(dir).load();
  const metadata = readMetadata(artifacts, dir);
  const data = tf.io.CompositeArrayBuffer.join(artifacts.weightData ?? new ArrayBuffer(0));
  if (sha256(data) !== metadata.weightsSha256) {
    throw new AppError(
      'CORRUPT_FILE',
      `${path.join(dir, WEIGHTS_BIN)} does not match ${MODEL_JSON} (checksum differs); ` +
        `the checkpoint is damaged or from an interrupted save.`,
    );
  }
  let config: ResolvedVNetConfig;
  try {
    config = resolveVNetConfig(metadata.config as VNetConfig);
  } catch (error) {
    throw new AppError('CORRUPT_FILE', `${dir} holds an invalid V-Net config.`, { cause: error });
  }
  let tensors: tf.NamedTensorMap;
  try {
    tensors = tf.io.decodeWeights(data, artifacts.weightSpecs ?? []);
  } catch (error) {
    throw new AppError('CORRUPT_FILE', `${path.join(dir, WEIGHTS_BIN)} cannot be decoded.`, {
      cause: error,
    });
  }
  try {
    const expected = buildParamSpecs(config).length;
    if (Object.keys(tensors).length !== expected) {
      throw new AppError(
        'CORRUPT_FILE',
        `${path.join(dir, MODEL_JSON)} lists ${Object.keys(tensors).length} weights; its config ` +
          `needs ${expected}.`,
      );
    }
    return { params: paramsFromTensors(config, tensors, options), metadata };
  } finally {
    tf.dispose(Object.values(tensors));
  }
}
