// API handlers for voxel data (plain Node): the study image and label masks as binary buffers,
// and saving a mask drawn in the app as a new label version with provenance "human".
import { summarizeStudy } from '../shared/contract/project';
import type { EmitEvent } from '../shared/contract/events';
import type { VolumeApiResults, volumeParamSchemas } from '../shared/contract/volume';
import { AppError } from '../core/errors';
import type { ProjectStore } from '../core/project';
import { intensityStats, toDisplayVoxels } from './displayVoxels';
import type { z } from 'zod';

type VolumeHandlers = {
  [M in keyof VolumeApiResults]: (
    params: z.output<(typeof volumeParamSchemas)[M]>,
  ) => Promise<VolumeApiResults[M]>;
};

export interface VolumeHandlerOptions {
  emit?: EmitEvent;
  /** Recorded in the provenance of labels saved from the app. */
  author?: string;
}

export function createVolumeHandlers(
  store: ProjectStore,
  options: VolumeHandlerOptions = {},
): VolumeHandlers {
  return {
    'volume.image': async ({ studyId }) => {
      const study = await store.getStudy(studyId);
      const image = await store.readImage(studyId);
      const display = toDisplayVoxels(image.data);
      const stats = intensityStats(image.data);
      return {
        header: {
          studyId,
          dims: image.dims,
          spacingMm: image.spacingMm,
          affine: image.affine,
          dataType: display.dataType,
          storedType: display.storedType,
          ...stats,
          ...(study.source.modality ? { modality: study.source.modality } : {}),
        },
        data: display.buffer,
      };
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
    'labels.save': async ({ studyId, data, baseVersion, final, note }) => {
      const study = await store.getStudy(studyId);
      const expected = study.dims[0] * study.dims[1] * study.dims[2];
      if (data.byteLength !== expected) {
        throw new AppError(
          'BAD_INPUT',
          `The label for study "${studyId}" has ${data.byteLength} voxels but the image has ` +
            `${study.dims.join('×')} = ${expected}; reload the study and draw again.`,
        );
      }
      const version = await store.saveLabel(
        studyId,
        { dims: study.dims, affine: study.affine, data: new Uint8Array(data) },
        {
          provenance: { kind: 'human', ...(options.author ? { author: options.author } : {}) },
          final: final ?? false,
          // Checked under the write lock, so two writers cannot both pass the check.
          ...(baseVersion !== undefined ? { baseVersion } : {}),
          ...(note ? { note } : {}),
        },
      );
      options.emit?.('labelSaved', { studyId, versionId: version.id });
      return { version, study: summarizeStudy(await store.getStudy(studyId)) };
    },
  };
}
