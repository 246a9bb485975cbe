// Review layers in Cornerstone (renderer): the look of a labelmap that is a model's proposal
// (thick outline, faint fill — never mistaken for a human label) and the two overlays drawn on
// the study's grid beside it: the uncertainty (binned, heat colours, faint fill) and a proposal
// shown as a reference (outline only, one colour) over a person's own label. Each overlay is a
// second labelmap; the study's own labelmap stays the one the tools paint into.
import { cache, utilities as coreUtilities, volumeLoader } from '@cornerstonejs/core';
import { Enums as ToolEnums, segmentation, type Types as ToolTypes } from '@cornerstonejs/tools';
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

type Rgba = [number, number, number, number];
type LabelmapStyle = ToolTypes.LabelmapStyle;

/** The reference outline's colour (cyan: no label class default, unlike the heat overlay). */
export const REFERENCE_COLOR: Rgba = [40, 220, 240, 255];

interface OverlayKind {
  prefix: 'uncertainty' | 'reference';
  /** A colour per value (index 0 transparent). */
  lut: Rgba[];
  /** Active and inactive style alike: the overlay is never the segmentation painted into. */
  style: LabelmapStyle;
}

let serial = 0;

/** One overlay labelmap over the study in view. */
export class OverlayLabelmap {
  private constructor(
    private readonly volumeId: string,
    readonly segmentationId: string,
  ) {}

  /** The uncertainty (bytes ×255, file order), binned into faint heat colours. */
  static uncertainty(volumes: StudyVolumes, header: VolumeHeader, bytes: Uint8Array) {
    return OverlayLabelmap.add(volumes, header, binUncertainty(bytes), {
      prefix: 'uncertainty',
      lut: heatColorLut(),
      style: {
        renderOutline: false,
        renderFill: true,
        fillAlpha: 1,
        renderOutlineInactive: false,
        renderFillInactive: true,
        fillAlphaInactive: 1,
      },
    });
  }

  /** A proposal (label values, file order) as a reference: its outline in one colour. */
  static reference(volumes: StudyVolumes, header: VolumeHeader, labels: Uint8Array) {
    const lut: Rgba[] = [[0, 0, 0, 0]];
    for (let v = 1; v <= 255; v++) lut.push(REFERENCE_COLOR);
    return OverlayLabelmap.add(volumes, header, labels, {
      prefix: 'reference',
      lut,
      style: {
        renderOutline: true,
        outlineWidth: 2,
        renderFill: false,
        renderOutlineInactive: true,
        outlineWidthInactive: 2,
        renderFillInactive: false,
      },
    });
  }

  private static add(
    volumes: StudyVolumes,
    header: VolumeHeader,
    fileOrder: Uint8Array,
    kind: OverlayKind,
  ): OverlayLabelmap {
    const n = ++serial;
    const volumeId = `simcvd-${kind.prefix}-${header.studyId}-${n}`;
    const segmentationId = `simcvd-${kind.prefix[0]}seg-${header.studyId}-${n}`;
    const volume = volumeLoader.createAndCacheDerivedLabelmapVolume(volumes.imageVolumeId, {
      volumeId,
    });
    volume.voxelManager!.setCompleteScalarDataArray!(
      reorderSlices(fileOrder, header.dims, volumes.grid.flipK),
    );
    // Without a window Cornerstone takes one from the middle slice's range, which is empty
    // (an error in vtk) when the whole slice holds one value — common for an unsure model.
    const top = kind.prefix === 'uncertainty' ? UNCERTAINTY_BINS : 255;
    for (const imageId of volume.imageIds) {
      coreUtilities.genericMetadataProvider.add(imageId, {
        type: 'voiLutModule',
        metadata: { windowCenter: top / 2, windowWidth: top + 1 },
      });
    }
    segmentation.addSegmentations([
      { segmentationId, representation: { type: LABELMAP, data: { volumeId } } },
    ]);
    segmentation.config.style.setStyle({ segmentationId, type: LABELMAP }, kind.style);
    segmentation.addLabelmapRepresentationToViewportMap(
      Object.fromEntries(
        VIEWPORT_IDS.map((id) => [
          id,
          [{ segmentationId, type: LABELMAP, config: { colorLUTOrIndex: kind.lut } }],
        ]),
      ),
    );
    // A newly added representation becomes the active one; painting must stay on the labels.
    for (const id of VIEWPORT_IDS) {
      segmentation.config.style.setRenderInactiveSegmentations(id, true);
      segmentation.activeSegmentation.setActiveSegmentation(id, volumes.segmentationId);
    }
    return new OverlayLabelmap(volumeId, segmentationId);
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
