// V-Net checkpoint metadata (engine, plain Node, no TF.js): the format tag and what our saves
// keep in model.json's userDefinedMetadata.simcvd — read without loading weights or TF.js, so
// the app's main process can tell which network a model version has.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { AppError } from '../../core/errors';
import type { ResolvedVNetConfig } from './config';

export const MODEL_JSON = 'model.json';
export const WEIGHTS_BIN = 'weights.bin';
export const VNET_FORMAT = 'simcvd-vnet';
export const VNET_FORMAT_VERSION = 1;

export interface VNetFileMetadata {
  formatVersion: number;
  config: ResolvedVNetConfig;
  /** sha256 of weights.bin, so a model.json paired with another save's weights is caught. */
  weightsSha256: string;
  /** Whatever the caller stored (iteration, data fingerprint, ...). */
  extra: Record<string, unknown>;
}

/** Our metadata of model.json's parsed content; UNSUPPORTED for other formats and newer ones. */
export function readMetadata(
  artifacts: { format?: string; userDefinedMetadata?: unknown },
  dir: string,
): VNetFileMetadata {
  const meta = (artifacts.userDefinedMetadata as { simcvd?: VNetFileMetadata } | undefined)?.simcvd;
  if (artifacts.format !== VNET_FORMAT || !meta || typeof meta.formatVersion !== 'number') {
    throw new AppError(
      'UNSUPPORTED',
      `${path.join(dir, MODEL_JSON)} is not a SimCVD V-Net checkpoint (format "${artifacts.format}").`,
    );
  }
  if (meta.formatVersion > VNET_FORMAT_VERSION) {
    throw new AppError(
      'UNSUPPORTED',
      `${dir} was saved in V-Net format ${meta.formatVersion}; this version reads up to ` +
        `${VNET_FORMAT_VERSION}. Update the application to open it.`,
    );
  }
  return meta;
}

/** The metadata of a folder written by saveParams (its network, its extras); no weights read. */
export async function readParamsMetadata(dir: string): Promise<VNetFileMetadata> {
  const jsonFile = path.join(dir, MODEL_JSON);
  let text: string;
  try {
    text = await fs.readFile(jsonFile, 'utf8');
  } catch {
    throw new AppError('NOT_FOUND', `Model file ${jsonFile} does not exist.`);
  }
  let json: { format?: string; userDefinedMetadata?: unknown };
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new AppError('CORRUPT_FILE', `${jsonFile} is not valid JSON.`, { cause: error });
  }
  return readMetadata(json, dir);
}
