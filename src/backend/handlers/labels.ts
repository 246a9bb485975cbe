// labels.* handlers (plain Node): a study's label versions — the mask as binary voxels, saving
// a mask drawn in the app as a new version (provenance "human", one record read per save),
// the history, restoring an old version, and exporting finished labels as NIfTI.
import path from 'node:path';
import { AppError } from '../../core/errors';
import { exportLabels, finishWarnings } from '../../core/project';
import { labelsParamSchemas, type LabelsApiResults } from '../../shared/contract/labels';
import { summarizeStudy } from '../../shared/contract/project';
import type { ProjectContext } from '../context';
import type { NamespaceHandlers } from './types';

export function createLabelsNamespace(
  ctx: ProjectContext,
): NamespaceHandlers<typeof labelsParamSchemas, LabelsApiResults> {
  const { store } = ctx;
  return {
    'labels.list': async ({ studyId }) => {
      const study = await store.getStudy(studyId);
      return { versions: study.labelVersions, current: study.currentLabel };
    },
    'labels.restore': async ({ studyId, versionId }) => ({
      version: await store.restoreLabel(studyId, versionId),
    }),
    'labels.export': async ({ outDir, studies, include, ignoreLabel, annotatedMasks }) => {
      // A relative folder would land wherever the back end happens to run.
      if (!path.isAbsolute(outDir))
        throw new AppError('BAD_INPUT', `Export folder "${outDir}" must be an absolute path.`);
      return exportLabels(store, outDir, {
        studies,
        include,
        ...(ignoreLabel !== undefined ? { ignoreLabel } : {}),
        annotatedMasks: annotatedMasks ?? false,
        onProgress: ctx.emit && ((progress) => ctx.emit!('exportProgressed', progress)),
      });
    },
    'labels.read': async ({ studyId, versionId }) => {
      const study = await store.getStudy(studyId);
      const wanted = versionId ?? study.currentLabel;
      const label = await store.readLabel(studyId, versionId);
      const version = study.labelVersions.find((v) => v.id === wanted);
      if (!label || !version) {
        return { studyId, dims: study.dims, versionId: null, final: false, data: null };
      }
      const bytes =
        label.data instanceof Uint8Array ? label.data.slice() : Uint8Array.from(label.data);
      return {
        studyId,
        dims: study.dims,
        versionId: version.id,
        final: version.final,
        data: bytes.buffer,
      };
    },
    'labels.save': async ({ studyId, data, baseVersion, final, note, annotatedSlices }) => {
      const voxels = new Uint8Array(data);
      const { version, study } = await store.saveDrawnLabel(studyId, voxels, {
        provenance: { kind: 'human', ...(ctx.author ? { author: ctx.author } : {}) },
        final: final ?? false,
        // Checked under the write lock, so two writers cannot both pass the check.
        ...(baseVersion !== undefined ? { baseVersion } : {}),
        ...(annotatedSlices ? { annotatedSlices } : {}),
        ...(note ? { note } : {}),
      });
      ctx.emit?.('labelSaved', { studyId, versionId: version.id });
      return {
        version,
        study: summarizeStudy(study),
        warnings: version.final ? finishWarnings(voxels, study.dims) : [],
      };
    },
  };
}
