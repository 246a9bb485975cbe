// Project folder layout and safe path resolution (plain Node). Every path inside a project is
// built here, so no user-supplied name can reach outside the project folder.
import path from 'node:path';
import { AppError } from '../errors';

export const MANIFEST_FILE = 'project.json';
export const LOCK_FILE = '.simcvd.lock';
export const STUDIES_DIR = 'studies';
export const MODELS_DIR = 'models';
export const PREDICTIONS_DIR = 'predictions';
export const STAGING_DIR = '.staging';
export const STUDY_FILE = 'study.json';
export const IMAGE_FILE = 'image.nii.gz';
export const LABELS_DIR = 'labels';
/** Unaccepted edits of a model's proposal: studies/<id>/drafts/<model>.nii.gz. */
export const DRAFTS_DIR = 'drafts';

const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

/** Study and model IDs become folder names: letters, digits, '.', '_' and '-', no '..'. */
export function assertValidId(kind: string, id: string): void {
  if (!ID_PATTERN.test(id) || id.includes('..')) {
    throw new AppError(
      'BAD_INPUT',
      `Invalid ${kind} ID "${id}": use 1–128 letters, digits, '.', '_' or '-', starting with a letter or digit.`,
    );
  }
}

/** Turns a file or series name into a valid ID (case_001.nii.gz -> case_001). */
export function idFromName(name: string): string {
  const base = name
    .replace(/\.(nii\.gz|nii|hdr|img|img\.gz|dcm)$/i, '')
    .replace(/[^A-Za-z0-9._-]+/g, '_')
    .replace(/\.{2,}/g, '.')
    .replace(/^[^A-Za-z0-9]+/, '')
    .slice(0, 128);
  return base || 'study';
}

/** Resolves `parts` under `root` and refuses anything that escapes it. */
export function resolveInside(root: string, ...parts: string[]): string {
  const resolved = path.resolve(root, ...parts);
  const rel = path.relative(path.resolve(root), resolved);
  if (rel.startsWith('..') || path.isAbsolute(rel)) {
    throw new AppError(
      'BAD_INPUT',
      `Path "${parts.join('/')}" escapes the project folder ${root}; refusing to touch it.`,
    );
  }
  return resolved;
}

export interface ProjectPaths {
  root: string;
  manifest: string;
  lock: string;
  studies: string;
  models: string;
  predictions: string;
  staging: string;
  study(id: string): string;
  studyFile(id: string): string;
  image(id: string): string;
  labelsDir(id: string): string;
  labelFile(id: string, file: string): string;
  proposalDraft(id: string, modelId: string): string;
  model(id: string): string;
}

export function projectPaths(root: string): ProjectPaths {
  const abs = path.resolve(root);
  const study = (id: string) => {
    assertValidId('study', id);
    return resolveInside(abs, STUDIES_DIR, id);
  };
  return {
    root: abs,
    manifest: path.join(abs, MANIFEST_FILE),
    lock: path.join(abs, LOCK_FILE),
    studies: path.join(abs, STUDIES_DIR),
    models: path.join(abs, MODELS_DIR),
    predictions: path.join(abs, PREDICTIONS_DIR),
    staging: path.join(abs, STAGING_DIR),
    study,
    studyFile: (id) => path.join(study(id), STUDY_FILE),
    image: (id) => path.join(study(id), IMAGE_FILE),
    labelsDir: (id) => path.join(study(id), LABELS_DIR),
    labelFile: (id, file) => resolveInside(study(id), file),
    proposalDraft: (id, modelId) => {
      assertValidId('model', modelId);
      return path.join(study(id), DRAFTS_DIR, `${modelId}.nii.gz`);
    },
    model: (id) => {
      assertValidId('model', id);
      return resolveInside(abs, MODELS_DIR, id);
    },
  };
}
