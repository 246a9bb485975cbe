// Maps of values in [0, 1] (probabilities, uncertainty) stored as bytes: value = byte / 255,
// declared in the NIfTI header as scl_slope 1/255 so every reader (ours, nibabel, ITK) gets the
// floats back. A quarter of float32's size before gzip; the error, ≤ 1/510, is below what an
// 8-bit overlay can show.
export const UNIT_SCALE = { slope: 1 / 255, inter: 0 } as const;

/** Values in [0, 1] as bytes 0…255, rounded; below 0 and NaN give 0, above 1 gives 255. */
export function quantizeUnit(values: Float32Array): Uint8Array {
  const out = new Uint8Array(values.length);
  for (let v = 0; v < values.length; v++) {
    const x = values[v]!;
    out[v] = x > 0 ? Math.min(255, Math.round(x * 255)) : 0;
  }
  return out;
}
