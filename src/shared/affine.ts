// Affine maths of voxel grids (pure, any process): row-major 4×4 matrices mapping (i, j, k, 1)
// to world millimetres. One copy for the core (NIfTI/DICOM geometry) and the renderer's viewer.

/** Row-major 4×4, last row 0 0 0 1. */
export type Affine = number[];
export type Point3 = [number, number, number];

/** Multiplies a row-major 4×4 by (x, y, z, 1). */
export function applyAffine(affine: Affine, p: Point3): Point3 {
  const out: Point3 = [0, 0, 0];
  for (let r = 0; r < 3; r++) {
    out[r] =
      affine[r * 4]! * p[0] +
      affine[r * 4 + 1]! * p[1] +
      affine[r * 4 + 2]! * p[2] +
      affine[r * 4 + 3]!;
  }
  return out;
}

/** Inverse of an affine 4×4 (last row 0 0 0 1); throws for a singular one. */
export function invertAffine(m: Affine): Affine {
  const [a, b, c] = [m[0]!, m[1]!, m[2]!];
  const [d, e, f] = [m[4]!, m[5]!, m[6]!];
  const [g, h, i] = [m[8]!, m[9]!, m[10]!];
  const A = e * i - f * h;
  const B = -(d * i - f * g);
  const C = d * h - e * g;
  const det = a * A + b * B + c * C;
  if (Math.abs(det) < 1e-12) throw new Error('affine is singular');
  const inv = [
    A / det,
    -(b * i - c * h) / det,
    (b * f - c * e) / det,
    B / det,
    (a * i - c * g) / det,
    -(a * f - c * d) / det,
    C / det,
    -(a * h - b * g) / det,
    (a * e - b * d) / det,
  ];
  const t = [m[3]!, m[7]!, m[11]!];
  const out: Affine = [];
  for (let r = 0; r < 3; r++) {
    const row = inv.slice(r * 3, r * 3 + 3);
    out.push(row[0]!, row[1]!, row[2]!, -(row[0]! * t[0]! + row[1]! * t[1]! + row[2]! * t[2]!));
  }
  out.push(0, 0, 0, 1);
  return out;
}
