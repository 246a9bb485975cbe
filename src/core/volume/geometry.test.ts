import { describe, expect, it } from 'vitest';
import {
  applyAffine,
  baseAffine,
  bestAffine,
  geometryFromAffine,
  invertAffine,
  qformAffine,
  spacingOf,
} from './geometry';
import type { Mat4 } from './volume';

function rotation(ax: number, ay: number, az: number): number[][] {
  const [ca, sa, cb, sb, cc, sc] = [
    Math.cos(ax),
    Math.sin(ax),
    Math.cos(ay),
    Math.sin(ay),
    Math.cos(az),
    Math.sin(az),
  ];
  const rx = [
    [1, 0, 0],
    [0, ca, -sa],
    [0, sa, ca],
  ];
  const ry = [
    [cb, 0, sb],
    [0, 1, 0],
    [-sb, 0, cb],
  ];
  const rz = [
    [cc, -sc, 0],
    [sc, cc, 0],
    [0, 0, 1],
  ];
  const mul = (a: number[][], b: number[][]) =>
    a.map((row) => [0, 1, 2].map((c) => row.reduce((s, v, k) => s + v * b[k]![c]!, 0)));
  return mul(rz, mul(ry, rx));
}

function affineFrom(r: number[][], spacing: number[], origin: number[], flip = false): Mat4 {
  const m: Mat4 = [];
  for (let row = 0; row < 3; row++) {
    for (let c = 0; c < 3; c++) m.push(r[row]![c]! * spacing[c]! * (flip && c === 2 ? -1 : 1));
    m.push(origin[row]!);
  }
  return [...m, 0, 0, 0, 1];
}

describe('geometry', () => {
  it('round-trips oblique affines through the quaternion form, both handednesses', () => {
    for (const flip of [false, true]) {
      for (const angles of [
        [0, 0, 0],
        [0.3, -0.2, 1.1],
        [Math.PI, 0, 0],
        [0, Math.PI, 0.5],
        [0.01, 3.1, -2.9],
      ]) {
        const affine = affineFrom(
          rotation(angles[0]!, angles[1]!, angles[2]!),
          [0.7, 0.9, 2.5],
          [10, -20, 33],
          flip,
        );
        const g = geometryFromAffine(affine);
        const q = qformAffine(g);
        q.forEach((v, i) => expect(v).toBeCloseTo(affine[i]!, 6));
        expect(g.qfac).toBe(flip ? -1 : 1);
        expect(bestAffine(g, [4, 4, 4])).toEqual(affine);
      }
    }
  });

  it('falls back to the centred base affine like nibabel', () => {
    expect(baseAffine([3, 5, 7], [2, 1, 1])).toEqual([
      -2, 0, 0, 2, 0, 1, 0, -2, 0, 0, 1, -3, 0, 0, 0, 1,
    ]);
  });

  it('inverts affines and measures spacing', () => {
    const affine = affineFrom(rotation(0.2, 0.4, -0.3), [0.5, 0.8, 3], [1, 2, 3]);
    const inv = invertAffine(affine);
    const p = applyAffine(inv, applyAffine(affine, [3, 4, 5]));
    p.forEach((v, i) => expect(v).toBeCloseTo([3, 4, 5][i]!, 9));
    spacingOf(affine).forEach((v, i) => expect(v).toBeCloseTo([0.5, 0.8, 3][i]!, 12));
  });
});
