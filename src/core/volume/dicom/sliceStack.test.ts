// Unit tests (Node) for slice ordering, spacing checks and the LPS/RAS affine.
import { describe, expect, it } from 'vitest';
import { AppError } from '../../errors';
import { applyAffine } from '../geometry';
import type { Vec3 } from '../volume';
import { lpsToRas, stackSlices, type SlicePlacement } from './sliceStack';

const AXIAL = [1, 0, 0, 0, 1, 0];

function slices(zs: number[], iop = AXIAL, instances?: number[]): SlicePlacement[] {
  const normal: Vec3 = [
    iop[1]! * iop[5]! - iop[2]! * iop[4]!,
    iop[2]! * iop[3]! - iop[0]! * iop[5]!,
    iop[0]! * iop[4]! - iop[1]! * iop[3]!,
  ];
  return zs.map((z, n) => ({
    imagePositionPatient: [10 + z * normal[0], -20 + z * normal[1], 5 + z * normal[2]],
    imageOrientationPatient: iop,
    instanceNumber: instances?.[n] ?? n + 1,
    label: `f${n}`,
  }));
}

function thrown(fn: () => unknown): AppError {
  try {
    fn();
  } catch (error) {
    return error as AppError;
  }
  throw new Error('did not throw');
}

describe('stackSlices', () => {
  it('orders slices along the normal, not by instance number or input order', () => {
    const stack = stackSlices(slices([4, -2, 0, 2], AXIAL, [9, 1, 5, 7]), [0.5, 0.8]);
    expect(stack.order).toEqual([1, 2, 3, 0]);
    expect(stack.sliceSpacingMm).toBeCloseTo(2);
    // i follows the row cosine with PixelSpacing[1] (column spacing), j the column cosine with [0].
    expect(stack.affineLps).toEqual([0.8, 0, 0, 10, 0, 0.5, 0, -20, 0, 0, 2, 3, 0, 0, 0, 1]);
  });

  it('maps each slice index to its ImagePositionPatient for an oblique (coronal-ish) stack', () => {
    const iop = [1, 0, 0, 0, 0, -1]; // coronal: normal = row x col = (0, 1, 0)
    const input = slices([3, 0, 6, 9], iop);
    const stack = stackSlices(input, [1, 1]);
    stack.order.forEach((index, k) => {
      expect(applyAffine(stack.affineLps, [0, 0, k])).toEqual(input[index]!.imagePositionPatient);
    });
  });

  it('reports a gap with the neighbouring instances and how many slices are missing', () => {
    const error = thrown(() => stackSlices(slices([0, 2, 4, 10, 12]), [1, 1]));
    expect(error.code).toBe('CORRUPT_FILE');
    // Positions are projections on the normal: z + 5 for these slices.
    expect(error.message).toMatch(/f2 \(instance 3, at 9 mm\) and f3 \(instance 4, at 15 mm\)/);
    expect(error.message).toMatch(/2 slice\(s\) are missing/);
  });

  it('reports duplicates and uneven spacing distinctly', () => {
    const duplicate = thrown(() => stackSlices(slices([0, 2, 2, 4]), [1, 1]));
    expect(duplicate.code).toBe('UNSUPPORTED');
    expect(duplicate.message).toMatch(/same position: f1 .* and f2/);
    const uneven = thrown(() => stackSlices(slices([0, 2, 4, 7, 9]), [1, 1]));
    expect(uneven.code).toBe('UNSUPPORTED');
    expect(uneven.message).toMatch(/Uneven slice spacing: 3 mm/);
  });

  it('tolerates rounding noise in positions', () => {
    expect(stackSlices(slices([0, 2.0004, 3.9998, 6.0001]), [1, 1]).sliceSpacingMm).toBeCloseTo(
      2,
      3,
    );
  });

  it('refuses sheared stacks (gantry tilt)', () => {
    const input = slices([0, 2, 4]);
    input[2]!.imagePositionPatient![1] += 1;
    expect(thrown(() => stackSlices(input, [0.5, 0.5])).message).toMatch(/sheared/);
  });

  it('uses SliceThickness for a single slice and defaults missing geometry with warnings', () => {
    const one = stackSlices([{ label: 'cr' }], [0.2, 0.1], undefined);
    expect(one.sliceSpacingMm).toBe(1);
    expect(one.warnings).toHaveLength(3);
    expect(stackSlices(slices([0]), [1, 1], 5).affineLps[10]).toBe(5);
  });
});

describe('lpsToRas', () => {
  it('negates the x and y rows only', () => {
    expect(lpsToRas([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 0, 0, 0, 1])).toEqual([
      -1, -2, -3, -4, -5, -6, -7, -8, 9, 10, 11, 12, 0, 0, 0, 1,
    ]);
  });
});
