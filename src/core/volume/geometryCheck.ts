// Geometry sanity (pure, plain Node/browser): a volume whose header geometry is not finite, or
// whose affine is singular or has an absurd voxel size, would place every voxel wrongly (or
// write NaN into the project's records). Such volumes are refused with the field at fault, or
// repaired on request from the header's other geometry (sform, then qform, then pixdim), as a
// NIfTI reader falls back from one form to the next.
import { AppError } from '../errors';
import { baseAffine, geometryFromAffine, qformAffine, sformAffine, spacingOf } from './geometry';
import type { Mat4, NiftiGeometry, Vec3, Volume } from './volume';

/** Voxel sizes beyond 10 m are corrupt headers, not scanners. */
export const MAX_SPACING_MM = 1e4;
/** |det| of the direction part below this (for unit columns) means the axes are not independent. */
const MIN_ORTHOGONALITY = 1e-6;

export type GeometryPolicy = 'reject' | 'repair';

const finite = (values: readonly number[]) => values.every(Number.isFinite);

/** The first non-finite stored header field, named as in NIfTI. */
function nonFiniteHeaderField(g: NiftiGeometry): string | undefined {
  const fields: [string, readonly number[]][] = [
    ['pixdim', g.pixdim],
    ['qfac (pixdim[0])', [g.qfac]],
    ['srow', g.srow],
    ['quatern', g.quatern],
    ['qoffset', g.qoffset],
    ['qform_code', [g.qformCode]],
    ['sform_code', [g.sformCode]],
    ['xyzt_units', [g.xyztUnits]],
  ];
  return fields.find(([, values]) => !finite(values))?.[0];
}

function det3(m: Mat4): number {
  const a = (r: number, c: number) => m[r * 4 + c]!;
  return (
    a(0, 0) * (a(1, 1) * a(2, 2) - a(1, 2) * a(2, 1)) -
    a(0, 1) * (a(1, 0) * a(2, 2) - a(1, 2) * a(2, 0)) +
    a(0, 2) * (a(1, 0) * a(2, 1) - a(1, 1) * a(2, 0))
  );
}

const mm = (s: Vec3) =>
  s
    .map((x) =>
      Math.abs(x) >= 1e4 || (x !== 0 && Math.abs(x) < 1e-3) ? x.toExponential(2) : +x.toFixed(4),
    )
    .join(' × ');

/** Why an affine cannot place voxels, or undefined when it can. */
export function affineProblem(affine: Mat4): string | undefined {
  if (affine.length !== 16 || !finite(affine)) return 'the voxel-to-world matrix is not finite';
  const spacing = spacingOf(affine);
  if (spacing.some((s) => s <= 0))
    return `the voxel size is ${mm(spacing)} mm (a zero axis: the matrix is degenerate)`;
  if (spacing.some((s) => s > MAX_SPACING_MM))
    return `the voxel size is ${mm(spacing)} mm, beyond ${MAX_SPACING_MM} mm (a damaged header)`;
  if (Math.abs(det3(affine)) / (spacing[0] * spacing[1] * spacing[2]) < MIN_ORTHOGONALITY)
    return 'the voxel-to-world matrix is singular (its axes are not independent)';
  return undefined;
}

/** Why a volume's geometry is unusable, or undefined when it is fine. */
export function geometryProblem(volume: Pick<Volume, 'affine' | 'geometry'>): string | undefined {
  const field = nonFiniteHeaderField(volume.geometry);
  if (field) return `the header field ${field} is not a finite number (NaN or infinite)`;
  return affineProblem(volume.affine);
}

interface Candidate {
  name: string;
  affine: () => Mat4;
  code: number;
  usable: boolean;
}

/** The header's geometry forms in a reader's order of preference, each tried on its own. */
function candidates(g: NiftiGeometry, dims: Vec3): Candidate[] {
  const pixdimOk = finite(g.pixdim) && g.pixdim.every((p) => p > 0 && p <= MAX_SPACING_MM);
  return [
    { name: 'the sform', affine: () => sformAffine(g), code: g.sformCode, usable: g.sformCode > 0 },
    {
      name: 'the qform',
      affine: () => qformAffine(g),
      code: g.qformCode,
      usable: g.qformCode > 0 && finite([...g.quatern, ...g.qoffset, g.qfac]) && pixdimOk,
    },
    {
      name: 'pixdim (no orientation)',
      affine: () => baseAffine(dims, g.pixdim),
      code: 0,
      usable: pixdimOk,
    },
    {
      name: '1 mm voxels (no usable geometry in the header)',
      affine: () => baseAffine(dims, [1, 1, 1]),
      code: 0,
      usable: true,
    },
  ];
}

/**
 * Checks a volume's geometry. A bad one is refused (BAD_INPUT, naming `source` and the
 * problem), or with `repair` rebuilt from the first usable form; the repaired volume carries a
 * clean header (both forms equal to the affine chosen) and says what was done.
 */
export function checkGeometry<V extends Volume>(
  volume: V,
  source: string,
  policy: GeometryPolicy,
): { volume: V; repaired?: string } {
  const problem = geometryProblem(volume);
  if (!problem) return { volume };
  if (policy === 'reject') {
    throw new AppError(
      'BAD_INPUT',
      `${source}: ${problem}, so its voxels cannot be placed. Fix the file, or import it with ` +
        'geometry repair (--repair-geometry) to rebuild it from the header\u2019s other fields.',
    );
  }
  for (const candidate of candidates(volume.geometry, volume.dims)) {
    if (!candidate.usable) continue;
    const affine = candidate.affine();
    if (affineProblem(affine)) continue;
    const geometry = geometryFromAffine(affine, candidate.code > 0 ? candidate.code : 0);
    return {
      volume: { ...volume, affine, spacingMm: spacingOf(affine), geometry },
      repaired: `geometry repaired (${problem}); now taken from ${candidate.name}`,
    };
  }
  // Unreachable: the 1 mm candidate always works.
  throw new AppError('BAD_INPUT', `${source}: ${problem}; it cannot be repaired.`);
}
