// Review layers in Cornerstone (renderer): the look of a labelmap that is a model's proposal
// (thick outline, faint fill — never mistaken for a human label) and the uncertainty overlay,
// a second labelmap of binned uncertainty drawn faintly in heat colours on the same grid.
import { cache, utilities as coreUtilities, volumeLoader } from '@cornerstonejs/core';
import { Enums as ToolEnums, segmentation } from '@cornerstonejs/tools';
import type { VolumeHeader } from '../../../shared/contract/volume';
import { reorderSlices } from './geometry';
import type { StudyVolumes } from './studyVolume';
import { VIEWPORT_IDS } from './toolIds';
import { binUncertainty, heatColorLut, UNCERTAINTY_BINS } from './uncertaintyLut';

const LABELMAP = ToolEnums.SegmentationRepresentations.Labelmap;

export type LabelmapMode = 'human' | 'proposal';

/** Styles one labelmap as a human label (the global style) or as a proposal under review. */
export function applyLabelmapMode(segmentationId: string, mode: LabelmapMode): void {
  const style =
    mode === 'proposal'
      ? { renderOutline: true, outlineWidth: 3, renderFill: true, fillAlpha: 0.3 }
      : { renderOutline: true, outlineWidth: 1, renderFill: true, fillAlpha: 1 };
  segmentation.config.style.setStyle({ segmentationId, type: LABELMAP }, style);
}

let serial = 0;

export class UncertaintyLayer {
  private constructor(
    private readonly volumeId: string,
    private readonly segmentationId: string,
  ) {}

  /** Adds the overlay for `bytes` (uncertainty ×255, file order); the study's own labelmap
   *  stays the one the tools paint into. */
  static add(volumes: StudyVolumes, header: VolumeHeader, bytes: Uint8Array): UncertaintyLayer {
    const n = ++serial;
    const volumeId = `simcvd-uncertainty-${header.studyId}-${n}`;
    const segmentationId = `simcvd-useg-${header.studyId}-${n}`;
    const volume = volumeLoader.createAndCacheDerivedLabelmapVolume(volumes.imageVolumeId, {
      volumeId,
    });
    volume.voxelManager!.setCompleteScalarDataArray!(
      reorderSlices(binUncertainty(bytes), header.dims, volumes.grid.flipK),
    );
    // Without a window Cornerstone takes one from the middle slice's range, which is empty
    // (an error in vtk) when the whole slice falls in one bin — common for an unsure model.
    for (const imageId of volume.imageIds) {
      coreUtilities.genericMetadataProvider.add(imageId, {
        type: 'voiLutModule',
        metadata: { windowCenter: UNCERTAINTY_BINS / 2, windowWidth: UNCERTAINTY_BINS + 1 },
      });
    }
    segmentation.addSegmentations([
      { segmentationId, representation: { type: LABELMAP, data: { volumeId } } },
    ]);
    segmentation.config.style.setStyle(
      { segmentationId, type: LABELMAP },
      {
        renderOutline: false,
        renderFill: true,
        fillAlpha: 1,
        renderOutlineInactive: false,
        renderFillInactive: true,
        fillAlphaInactive: 1,
      },
    );
    const lut = heatColorLut();
    segmentation.addLabelmapRepresentationToViewportMap(
      Object.fromEntries(
        VIEWPORT_IDS.map((id) => [
          id,
          [{ segmentationId, type: LABELMAP, config: { colorLUTOrIndex: lut } }],
        ]),
      ),
    );
    // A newly added representation becomes the active one; painting must stay on the labels.
    for (const id of VIEWPORT_IDS) {
      segmentation.config.style.setRenderInactiveSegmentations(id, true);
      segmentation.activeSegmentation.setActiveSegmentation(id, volumes.segmentationId);
    }
    return new UncertaintyLayer(volumeId, segmentationId);
  }

  remove(): void {
    segmentation.removeSegmentation(this.segmentationId);
    const imageIds = cache.getVolume(this.volumeId)?.imageIds ?? [];
    cache.removeVolumeLoadObject(this.volumeId);
    for (const imageId of imageIds) {
      try {
        cache.removeImageLoadObject(imageId, { force: true });
      } catch {
        // Already evicted: nothing to free.
      }
    }
  }
}
