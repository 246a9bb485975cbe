// Study volumes in Cornerstone (renderer): turns the image and label buffers from the API into
// a local image volume plus a labelmap segmentation on the display grid (geometry.ts), with
// per-slice metadata so Cornerstone's tools can find every slice by position.
import {
  cache,
  utilities as coreUtilities,
  volumeLoader,
  type Types as CoreTypes,
} from '@cornerstonejs/core';
import { Enums as ToolEnums, segmentation } from '@cornerstonejs/tools';
import type { VolumeHeader } from '../../../shared/contract/volume';
import { displayGrid, reorderSlices, type DisplayGrid, type Vec3 } from './geometry';

export interface StudyVolumes {
  imageVolumeId: string;
  labelVolumeId: string;
  segmentationId: string;
  grid: DisplayGrid;
}

let serial = 0;

/** Image voxels as the header's data type says (file order, no copy). */
export type ImageArray = Uint8Array | Int16Array | Uint16Array | Float32Array;

export function typedImage(header: Pick<VolumeHeader, 'dataType'>, data: ArrayBuffer): ImageArray {
  switch (header.dataType) {
    case 'uint8':
      return new Uint8Array(data);
    case 'int16':
      return new Int16Array(data);
    case 'uint16':
      return new Uint16Array(data);
    default:
      return new Float32Array(data);
  }
}

/** Gives every slice its own position (createLocalVolume gives all of them the origin). */
function registerSliceMetadata(volumeId: string, grid: DisplayGrid, modality: string): void {
  const [nx, ny, nz] = grid.dimensions;
  const d = grid.direction;
  const rowPixelSpacing = grid.spacing[1];
  const columnPixelSpacing = grid.spacing[0];
  for (let k = 0; k < nz; k++) {
    const imageId = `${volumeId}_slice_${k}`;
    const position = [0, 1, 2].map((a) => grid.origin[a]! + d[6 + a]! * grid.spacing[2] * k);
    coreUtilities.genericMetadataProvider.add(imageId, {
      type: 'imagePlaneModule',
      metadata: {
        frameOfReferenceUID: 'simcvd-study',
        rows: ny,
        columns: nx,
        imageOrientationPatient: d.slice(0, 6),
        rowCosines: d.slice(0, 3),
        columnCosines: d.slice(3, 6),
        imagePositionPatient: position,
        pixelSpacing: [rowPixelSpacing, columnPixelSpacing],
        rowPixelSpacing,
        columnPixelSpacing,
        sliceThickness: grid.spacing[2],
      },
    });
    coreUtilities.genericMetadataProvider.add(imageId, {
      type: 'generalSeriesModule',
      metadata: { modality, seriesInstanceUID: volumeId },
    });
  }
}

export function createStudyVolumes(
  header: VolumeHeader,
  image: ArrayBuffer,
  labelFileOrder: Uint8Array | null,
): StudyVolumes {
  const grid = displayGrid({ dims: header.dims, affine: header.affine });
  const n = ++serial;
  // Volume ids must not contain ':' (Cornerstone reads it as a loader scheme).
  const imageVolumeId = `simcvd-image-${header.studyId}-${n}`;
  const labelVolumeId = `simcvd-label-${header.studyId}-${n}`;
  const segmentationId = `simcvd-seg-${header.studyId}-${n}`;
  const scalarData = reorderSlices(typedImage(header, image), header.dims, grid.flipK);
  const modality = header.modality ?? 'OT';
  const bits = scalarData.BYTES_PER_ELEMENT * 8;
  volumeLoader.createLocalVolume(imageVolumeId, {
    metadata: {
      BitsAllocated: bits,
      BitsStored: bits,
      SamplesPerPixel: 1,
      HighBit: bits - 1,
      PhotometricInterpretation: 'MONOCHROME2',
      PixelRepresentation: header.dataType === 'int16' || header.dataType === 'float32' ? 1 : 0,
      Modality: modality,
      ImageOrientationPatient: grid.direction.slice(0, 6),
      PixelSpacing: [grid.spacing[1], grid.spacing[0]],
      FrameOfReferenceUID: 'simcvd-study',
      Columns: grid.dimensions[0],
      Rows: grid.dimensions[1],
      voiLut: [],
      VOILUTFunction: 'LINEAR',
    },
    dimensions: grid.dimensions as CoreTypes.Point3,
    spacing: grid.spacing as CoreTypes.Point3,
    origin: grid.origin as CoreTypes.Point3,
    direction: grid.direction as CoreTypes.Mat3,
    scalarData,
  });
  registerSliceMetadata(imageVolumeId, grid, modality);
  const labelVolume = volumeLoader.createAndCacheDerivedLabelmapVolume(imageVolumeId, {
    volumeId: labelVolumeId,
  });
  if (labelFileOrder) {
    const display = reorderSlices(labelFileOrder, header.dims, grid.flipK);
    labelVolume.voxelManager!.setCompleteScalarDataArray!(display);
  }
  segmentation.addSegmentations([
    {
      segmentationId,
      representation: {
        type: ToolEnums.SegmentationRepresentations.Labelmap,
        data: { volumeId: labelVolumeId },
      },
    },
  ]);
  return { imageVolumeId, labelVolumeId, segmentationId, grid };
}

/** The labelmap in display order (a fresh copy). */
export function readDisplayLabels(volumes: StudyVolumes): Uint8Array {
  const volume = cache.getVolume(volumes.labelVolumeId)!;
  return volume.voxelManager!.getCompleteScalarDataArray!() as Uint8Array;
}

export function writeDisplayLabelVoxels(
  volumes: StudyVolumes,
  indices: Uint32Array,
  values: Uint8Array,
): void {
  const voxels = cache.getVolume(volumes.labelVolumeId)!.voxelManager!;
  for (let n = 0; n < indices.length; n++) voxels.setAtIndex(indices[n]!, values[n]!);
}

export function releaseStudyVolumes(volumes: StudyVolumes): void {
  segmentation.removeSegmentation(volumes.segmentationId);
  const imageIds = [volumes.labelVolumeId, volumes.imageVolumeId].flatMap(
    (id) => cache.getVolume(id)?.imageIds ?? [],
  );
  cache.removeVolumeLoadObject(volumes.labelVolumeId);
  cache.removeVolumeLoadObject(volumes.imageVolumeId);
  for (const imageId of imageIds) {
    try {
      cache.removeImageLoadObject(imageId, { force: true });
    } catch {
      // Already evicted: nothing to free.
    }
  }
}

export type { Vec3 };
