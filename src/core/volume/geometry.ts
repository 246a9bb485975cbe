// Voxel-to-world geometry (pure, plain Node/browser): NIfTI sform/qform <-> 4x4 affine,
// following the NIfTI-1 reference (nifti_quatern_to_mat44 / nifti_mat44_to_quatern) and
// nibabel's precedence rule (sform if sform_code > 0, else qform if qform_code > 0, else the
// Analyze-style base affine centred on the volume with x flipped).
import type { Mat4, NiftiGeometry, Vec3 } from './volume';

export const XFORM_UNKNOWN = 0;
export const XFORM_SCANNER_ANAT = 1;
export const XFORM_ALIGNED_ANAT = 2;
/** xyzt_units for millimetres + seconds. */
export const UNITS_MM_SEC = 2 | 8;

export function identity4(): Mat4 {
  return [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1];
}

/** Affine from quaternion parameters (nifti_quatern_to_mat44). */
export function qformAffine(g: NiftiGeometry): Mat4 {
  const [b, c, d] = g.quatern;
  let a = 1 - (b * b + c * c + d * d);
  // As the reference: a tiny negative value is rounding; renormalise (b, c, d) instead.
  let bb = b,
    cc = c,
    dd = d;
  if (a < 1e-7) {
    const s = 1 / Math.sqrt(b * b + c * c + d * d);
    bb *= s;
    cc *= s;
    dd *= s;
    a = 0;
  } else {
    a = Math.sqrt(a);
  }
  const dx = g.pixdim[0] > 0 ? g.pixdim[0] : 1;
  const dy = g.pixdim[1] > 0 ? g.pixdim[1] : 1;
  let dz = g.pixdim[2] > 0 ? g.pixdim[2] : 1;
  if (g.qfac < 0) dz = -dz;
  const r11 = a * a + bb * bb - cc * cc - dd * dd;
  const r12 = 2 * (bb * cc - a * dd);
  const r13 = 2 * (bb * dd + a * cc);
  const r21 = 2 * (bb * cc + a * dd);
  const r22 = a * a + cc * cc - bb * bb - dd * dd;
  const r23 = 2 * (cc * dd - a * bb);
  const r31 = 2 * (bb * dd - a * cc);
  const r32 = 2 * (cc * dd + a * bb);
  const r33 = a * a + dd * dd - cc * cc - bb * bb;
  return [
    r11 * dx,
    r12 * dy,
    r13 * dz,
    g.qoffset[0],
    r21 * dx,
    r22 * dy,
    r23 * dz,
    g.qoffset[1],
    r31 * dx,
    r32 * dy,
    r33 * dz,
    g.qoffset[2],
    0,
    0,
    0,
    1,
  ];
}

export function sformAffine(g: NiftiGeometry): Mat4 {
  return [...g.srow.slice(0, 12), 0, 0, 0, 1];
}

/** nibabel's fallback when neither form is set: x flipped, centre voxel at the origin. */
export function baseAffine(dims: Vec3, pixdim: Vec3): Mat4 {
  const z = pixdim.map((p) => (p > 0 ? p : 1)) as Vec3;
  const diag: Vec3 = [-z[0], z[1], z[2]];
  const origin = dims.map((n) => (n - 1) / 2);
  return [
    diag[0],
    0,
    0,
    -diag[0] * origin[0],
    0,
    diag[1],
    0,
    -diag[1] * origin[1],
    0,
    0,
    diag[2],
    -diag[2] * origin[2],
    0,
    0,
    0,
    1,
  ];
}

/** The affine a reader should use: sform, else qform, else the base affine (nibabel's rule). */
export function bestAffine(g: NiftiGeometry, dims: Vec3): Mat4 {
  if (g.sformCode > 0) return sformAffine(g);
  if (g.qformCode > 0) return qformAffine(g);
  return baseAffine(dims, g.pixdim);
}

/** Column lengths of the affine's 3x3 part: the voxel size along i, j, k. */
export function spacingOf(affine: Mat4): Vec3 {
  const col = (c: number) => Math.hypot(affine[c] ?? 0, affine[4 + c] ?? 0, affine[8 + c] ?? 0);
  return [col(0), col(1), col(2)];
}

/**
 * Header geometry for an affine (nifti_mat44_to_quatern, with Gram–Schmidt in place of the
 * reference's polar decomposition — identical for the orthogonal matrices scanners produce).
 * Both forms are set, sform exactly equal to the affine.
 */
export function geometryFromAffine(affine: Mat4, code = XFORM_SCANNER_ANAT): NiftiGeometry {
  const m = (r: number, c: number) => affine[r * 4 + c] ?? 0;
  const spacing = spacingOf(affine);
  const cols = [0, 1, 2].map((c) => {
    const len = spacing[c] || 1;
    return [m(0, c) / len, m(1, c) / len, m(2, c) / len];
  });
  const [u, v0, w0] = cols as [number[], number[], number[]];
  const dot = (p: number[], q: number[]) => p[0]! * q[0]! + p[1]! * q[1]! + p[2]! * q[2]!;
  const norm = (p: number[]) => {
    const l = Math.hypot(p[0]!, p[1]!, p[2]!) || 1;
    return p.map((x) => x / l);
  };
  const v = norm(v0.map((x, i) => x - dot(v0, u) * u[i]!));
  let w = norm(w0.map((x, i) => x - dot(w0, u) * u[i]! - dot(w0, v) * v[i]!));
  const det =
    u[0]! * (v[1]! * w[2]! - v[2]! * w[1]!) -
    v[0]! * (u[1]! * w[2]! - u[2]! * w[1]!) +
    w[0]! * (u[1]! * v[2]! - u[2]! * v[1]!);
  let qfac = 1;
  if (det < 0) {
    qfac = -1;
    w = w.map((x) => -x);
  }
  // Rotation matrix R with columns u, v, w; rows r_ij.
  const r11 = u[0]!,
    r21 = u[1]!,
    r31 = u[2]!;
  const r12 = v[0]!,
    r22 = v[1]!,
    r32 = v[2]!;
  const r13 = w[0]!,
    r23 = w[1]!,
    r33 = w[2]!;
  let a = r11 + r22 + r33 + 1;
  let b: number, c: number, d: number;
  if (a > 0.5) {
    a = 0.5 * Math.sqrt(a);
    b = (0.25 * (r32 - r23)) / a;
    c = (0.25 * (r13 - r31)) / a;
    d = (0.25 * (r21 - r12)) / a;
  } else {
    const xd = 1 + r11 - (r22 + r33);
    const yd = 1 + r22 - (r11 + r33);
    const zd = 1 + r33 - (r11 + r22);
    if (xd > 1) {
      b = 0.5 * Math.sqrt(xd);
      c = (0.25 * (r12 + r21)) / b;
      d = (0.25 * (r13 + r31)) / b;
      a = (0.25 * (r32 - r23)) / b;
    } else if (yd > 1) {
      c = 0.5 * Math.sqrt(yd);
      b = (0.25 * (r12 + r21)) / c;
      d = (0.25 * (r23 + r32)) / c;
      a = (0.25 * (r13 - r31)) / c;
    } else {
      d = 0.5 * Math.sqrt(zd);
      b = (0.25 * (r13 + r31)) / d;
      c = (0.25 * (r23 + r32)) / d;
      a = (0.25 * (r21 - r12)) / d;
    }
    if (a < 0) {
      b = -b;
      c = -c;
      d = -d;
    }
  }
  return {
    qformCode: code,
    sformCode: code,
    quatern: [b, c, d],
    qoffset: [m(0, 3), m(1, 3), m(2, 3)],
    qfac,
    pixdim: spacing,
    srow: affine.slice(0, 12),
    xyztUnits: UNITS_MM_SEC,
  };
}

// The affine maths shared with the renderer's viewer.
export { applyAffine, invertAffine } from '../../shared/affine';

/** True when two affines agree within `tolMm` on every entry (geometry equality check). */
export function affinesClose(p: Mat4, q: Mat4, tol = 1e-4): boolean {
  return p.every((x, idx) => Math.abs(x - (q[idx] ?? NaN)) <= tol * Math.max(1, Math.abs(x)));
}
