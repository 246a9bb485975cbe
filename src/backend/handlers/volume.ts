// volume.* handlers (plain Node): the study image as display-ready voxels plus its geometry and
// intensity statistics.
import { volumeParamSchemas, type VolumeApiResults } from '../../shared/contract/volume';
import { intensityStats, toDisplayVoxels } from '../displayVoxels';
import type { ProjectContext } from '../context';
import type { NamespaceHandlers } from './types';

export function createVolumeNamespace(
  ctx: ProjectContext,
): NamespaceHandlers<typeof volumeParamSchemas, VolumeApiResults> {
  const { store } = ctx;
  return {
    'volume.image': async ({ studyId }) => {
      const study = await store.getStudy(studyId);
      const image = await store.readImage(studyId, study);
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
  };
}
