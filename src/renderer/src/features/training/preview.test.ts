// Unit tests (Node) for the live preview helpers: when a new preview is due, and heat colours
// with the canvas rows flipped so j points up.
import { describe, expect, it } from 'vitest';
import {
  HOT_GRADIENT,
  heatImage,
  sliceOrientation,
  PREVIEW_EVERY_ITERATIONS,
  PREVIEW_MIN_INTERVAL_MS,
  PREVIEW_SLICE_CHANGE_MS,
  previewDue,
} from './preview';

describe('previewDue', () => {
  const target = { studyId: 's', k: 4 };
  const last = { studyId: 's', k: 4, iteration: 10, atMs: 0 };

  it('asks at once for a first preview, never without a slice or a running iteration', () => {
    expect(previewDue(target, 1, null, 0)).toBe(true);
    expect(previewDue(null, 1, null, 0)).toBe(false);
    expect(previewDue(target, undefined, null, 0)).toBe(false);
  });

  it('refreshes after enough iterations and time, and soon after a slice change', () => {
    const later = PREVIEW_MIN_INTERVAL_MS;
    expect(previewDue(target, 10 + PREVIEW_EVERY_ITERATIONS - 1, last, later)).toBe(false);
    expect(previewDue(target, 10 + PREVIEW_EVERY_ITERATIONS, last, later - 1)).toBe(false);
    expect(previewDue(target, 10 + PREVIEW_EVERY_ITERATIONS, last, later)).toBe(true);
    const moved = { studyId: 's', k: 5 };
    expect(previewDue(moved, 10, last, PREVIEW_SLICE_CHANGE_MS - 1)).toBe(false);
    expect(previewDue(moved, 10, last, PREVIEW_SLICE_CHANGE_MS)).toBe(true);
  });
});

describe('heatImage', () => {
  it('colours black to white through red and yellow, with image row 0 at the bottom', () => {
    // 2×2 slice: (i, j) = (0, 0) is 0, (1, 0) is 255, (0, 1) is 128, (1, 1) is 85.
    const rgba = heatImage(Uint8Array.from([0, 255, 128, 85]), 2, 2);
    const pixel = (x: number, y: number) => [
      ...rgba.subarray((y * 2 + x) * 4, (y * 2 + x) * 4 + 4),
    ];
    expect(pixel(0, 1)).toEqual([0, 0, 0, 255]); // j = 0 is the bottom canvas row
    expect(pixel(1, 1)).toEqual([255, 255, 255, 255]);
    expect(pixel(1, 0)).toEqual([255, 0, 0, 255]); // 85/255 = 1/3: full red
    expect(pixel(0, 0)[0]).toBe(255);
    expect(pixel(0, 0)[1]).toBeGreaterThan(0); // 128: on the way to yellow
    expect(pixel(0, 0)[2]).toBe(0);
  });

  it('mirrors i and keeps j downwards when told', () => {
    const rgba = heatImage(Uint8Array.from([255, 0, 0, 0]), 2, 2, { mirrorI: true, jUp: false });
    // (i, j) = (0, 0) lands top right.
    expect([...rgba.subarray(4, 8)]).toEqual([255, 255, 255, 255]);
    expect(rgba[0]).toBe(0);
  });
});

describe('sliceOrientation', () => {
  const affine = (i: number[], j: number[]) => [
    i[0]!,
    j[0]!,
    0,
    0,
    i[1]!,
    j[1]!,
    0,
    0,
    i[2]!,
    j[2]!,
    1,
    0,
    0,
    0,
    0,
    1,
  ];

  it('shows the patient right on the left and anterior up, like the axial view', () => {
    // RAS-aligned (i → right, j → anterior): mirror i, j up.
    expect(sliceOrientation(affine([1, 0, 0], [0, 1, 0]))).toEqual({ mirrorI: true, jUp: true });
    // LPS-stored (i → left, j → posterior), e.g. DICOM-derived: neither.
    expect(sliceOrientation(affine([-0.8, 0, 0], [0, -0.8, 0]))).toEqual({
      mirrorI: false,
      jUp: false,
    });
    // Slightly oblique still follows the dominant axis.
    expect(sliceOrientation(affine([0.9, 0.2, 0], [-0.2, 0.9, 0.1]))).toEqual({
      mirrorI: true,
      jUp: true,
    });
  });
});

describe('HOT_GRADIENT', () => {
  it('runs from black at 0 to white at 1 through the heat image colours', () => {
    expect(HOT_GRADIENT).toMatch(/^linear-gradient\(to right, rgb\(0, 0, 0\) 0%, /);
    expect(HOT_GRADIENT).toMatch(/rgb\(255, 255, 255\) 100%\)$/);
    const [r, g, b] = heatImage(Uint8Array.of(128), 1, 1);
    expect(HOT_GRADIENT).toContain(`rgb(${r}, ${g}, ${b}) 50%`);
  });
});
