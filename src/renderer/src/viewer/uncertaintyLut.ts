// Uncertainty overlay colours (renderer, pure): the proposal's voxel uncertainty (bytes, ×255)
// binned into a few heat-coloured labelmap values, so Cornerstone can draw it as a second,
// faint labelmap over the image. Low uncertainty stays transparent.
export const UNCERTAINTY_BINS = 8;
/** Below this (≈ 0.1 of the [0, 1] range) a voxel is left uncoloured. */
export const UNCERTAINTY_FLOOR = 26;

/** Bin 1..UNCERTAINTY_BINS per voxel, 0 under the floor (same voxel order as the input). */
export function binUncertainty(bytes: Uint8Array): Uint8Array {
  const out = new Uint8Array(bytes.length);
  const span = 256 - UNCERTAINTY_FLOOR;
  for (let n = 0; n < bytes.length; n++) {
    const u = bytes[n]!;
    if (u < UNCERTAINTY_FLOOR) continue;
    out[n] = Math.min(
      UNCERTAINTY_BINS,
      1 + Math.floor(((u - UNCERTAINTY_FLOOR) * UNCERTAINTY_BINS) / span),
    );
  }
  return out;
}

/** RGBA per bin (index 0 transparent): dark red through orange to pale yellow, more opaque as
 *  the uncertainty grows. */
export function heatColorLut(): [number, number, number, number][] {
  const lut: [number, number, number, number][] = [[0, 0, 0, 0]];
  for (let b = 1; b <= UNCERTAINTY_BINS; b++) {
    const t = (b - 1) / (UNCERTAINTY_BINS - 1);
    const r = Math.round(140 + 115 * Math.min(1, t * 2));
    const g = Math.round(255 * Math.max(0, t * 1.3 - 0.3));
    const blue = Math.round(160 * Math.max(0, t - 0.7) * 3.3);
    lut.push([r, g, Math.min(255, blue), Math.round(50 + 90 * t)]);
  }
  return lut;
}

/** One legend swatch per bin: its colour (CSS) and the uncertainty range (0…1) it covers. */
export function uncertaintyLegend(): { color: string; from: number; to: number }[] {
  const span = 256 - UNCERTAINTY_FLOOR;
  return heatColorLut()
    .slice(1)
    .map(([r, g, b, a], n) => ({
      color: `rgba(${r}, ${g}, ${b}, ${(a / 255).toFixed(2)})`,
      from: (UNCERTAINTY_FLOOR + (n * span) / UNCERTAINTY_BINS) / 255,
      to: Math.min(1, (UNCERTAINTY_FLOOR + ((n + 1) * span) / UNCERTAINTY_BINS) / 255),
    }));
}
