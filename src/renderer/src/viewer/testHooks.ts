// Automation hooks (renderer): a small read-only window.__simcvd object so browser tests and
// benchmarks can aim at voxels through the viewer's own world↔canvas mapping instead of
// guessing pixels. It exposes geometry queries only; every edit still goes through the UI.
import type { ViewerSession } from './session';
import type { SimcvdTestHooks } from './testHooksApi';

declare global {
  interface Window {
    __simcvd?: SimcvdTestHooks;
  }
}

export function installTestHooks(session: ViewerSession): () => void {
  window.__simcvd = {
    voxelToPage: (viewportId, voxel) => session.navigation.voxelToPage(viewportId, voxel),
    worldToPage: (viewportId, ras) => session.navigation.worldToPage(viewportId, ras),
    labelCounts() {
      const data = session.labels.read();
      const counts: Record<string, number> = {};
      if (!data) return counts;
      for (let n = 0; n < data.length; n++) {
        const v = data[n]!;
        if (v) counts[v] = (counts[v] ?? 0) + 1;
      }
      return counts;
    },
    sliceCounts(axis) {
      const data = session.labels.read();
      const dims = session.header?.dims;
      const counts: Record<string, number> = {};
      if (!data || !dims) return counts;
      for (let n = 0; n < data.length; n++) {
        if (!data[n]) continue;
        const i = n % dims[0];
        const j = Math.floor(n / dims[0]) % dims[1];
        const k = Math.floor(n / (dims[0] * dims[1]));
        const slice = [i, j, k][axis]!;
        counts[slice] = (counts[slice] ?? 0) + 1;
      }
      return counts;
    },
    sliceVoxels(axis, index) {
      const data = session.labels.read();
      const dims = session.header?.dims;
      const voxels: [number, number, number, number][] = [];
      if (!data || !dims) return voxels;
      for (let n = 0; n < data.length; n++) {
        if (!data[n]) continue;
        const ijk = [
          n % dims[0],
          Math.floor(n / dims[0]) % dims[1],
          Math.floor(n / (dims[0] * dims[1])),
        ];
        if (ijk[axis] === index) voxels.push([ijk[0]!, ijk[1]!, ijk[2]!, data[n]!]);
      }
      return voxels;
    },
    studyId: () => session.studyId,
    reviewLayers: () => ({
      labelmapMode: session.review.labelmapMode,
      uncertainty: session.review.uncertaintyShown,
      reference: session.review.referenceShown,
    }),
    labelmapChangedAt: () => session.labels.changedAt,
  };
  return () => {
    delete window.__simcvd;
  };
}
