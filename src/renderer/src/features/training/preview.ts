// Live preview helpers (renderer, pure): when to ask the trainer for a new preview, and the
// heat colours of a probability slice.

export const PREVIEW_EVERY_ITERATIONS = 5;
/** Never more often than this, whatever the iteration rate (each preview costs the trainer). */
export const PREVIEW_MIN_INTERVAL_MS = 3000;
/** Scrolling through slices asks at most this often. */
export const PREVIEW_SLICE_CHANGE_MS = 1000;

export interface PreviewTarget {
  studyId: string;
  k: number;
}

export interface LastPreview extends PreviewTarget {
  /** Training iteration when it was requested. */
  iteration: number;
  atMs: number;
}

/** A new preview is due when the slice changed, or training moved on enough since the last. */
export function previewDue(
  target: PreviewTarget | null,
  iteration: number | undefined,
  last: LastPreview | null,
  nowMs: number,
): boolean {
  if (!target || iteration === undefined) return false;
  if (!last) return true;
  if (last.studyId !== target.studyId || last.k !== target.k)
    return nowMs - last.atMs >= PREVIEW_SLICE_CHANGE_MS;
  return (
    iteration - last.iteration >= PREVIEW_EVERY_ITERATIONS &&
    nowMs - last.atMs >= PREVIEW_MIN_INTERVAL_MS
  );
}

/** 256 RGBA entries: black → red → yellow → white ("hot"). */
function hotTable(): Uint8ClampedArray {
  const table = new Uint8ClampedArray(256 * 4);
  for (let v = 0; v < 256; v++) {
    const t = v / 255;
    table[v * 4] = Math.min(1, t * 3) * 255;
    table[v * 4 + 1] = Math.min(1, Math.max(0, t * 3 - 1)) * 255;
    table[v * 4 + 2] = Math.min(1, Math.max(0, t * 3 - 2)) * 255;
    table[v * 4 + 3] = 255;
  }
  return table;
}

const HOT = hotTable();

/** The same "hot" scale as a CSS gradient, for its legend (0 left, 1 right). */
export const HOT_GRADIENT = `linear-gradient(to right, ${[0, 64, 128, 192, 255]
  .map(
    (v) =>
      `rgb(${HOT[v * 4]}, ${HOT[v * 4 + 1]}, ${HOT[v * 4 + 2]}) ${((v / 255) * 100).toFixed(0)}%`,
  )
  .join(', ')})`;

/** How to lay an axial slice on screen so it matches the viewer's radiological axial view. */
export interface SliceOrientation {
  /** Draw i from right to left (i points towards the patient's right). */
  mirrorI: boolean;
  /** Draw j from bottom to top (j points anteriorly). */
  jUp: boolean;
}

/**
 * From a row-major voxel → RAS+ affine: the viewer shows the patient's right on the left and
 * anterior at the top. Only flips are handled (an i axis running anterior–posterior, i.e. a
 * transposed slice, keeps i horizontal).
 */
export function sliceOrientation(affine: readonly number[]): SliceOrientation {
  const column = (c: number) => [affine[c]!, affine[4 + c]!, affine[8 + c]!];
  const dominant = (v: number[]) => v.map(Math.abs).indexOf(Math.max(...v.map(Math.abs)));
  const i = column(0);
  const j = column(1);
  return {
    mirrorI: dominant(i) === 0 ? i[0]! > 0 : i[1]! < 0,
    jUp: dominant(j) === 1 ? j[1]! > 0 : j[0]! < 0,
  };
}

/** RGBA pixels of an nx·ny probability slice (i fastest) laid out as `orientation` says. */
export function heatImage(
  bytes: Uint8Array,
  nx: number,
  ny: number,
  orientation: SliceOrientation = { mirrorI: false, jUp: true },
): Uint8ClampedArray {
  const out = new Uint8ClampedArray(nx * ny * 4);
  for (let j = 0; j < ny; j++) {
    const y = orientation.jUp ? ny - 1 - j : j;
    for (let i = 0; i < nx; i++) {
      const x = orientation.mirrorI ? nx - 1 - i : i;
      const c = bytes[i + nx * j]! * 4;
      const o = (y * nx + x) * 4;
      out[o] = HOT[c]!;
      out[o + 1] = HOT[c + 1]!;
      out[o + 2] = HOT[c + 2]!;
      out[o + 3] = 255;
    }
  }
  return out;
}
