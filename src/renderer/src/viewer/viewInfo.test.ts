// Unit tests for view overlays (pure; runs in Node).
import { describe, expect, it } from 'vitest';
import { describeSlice, describeView } from './viewInfo';

const header = {
  dims: [96, 96, 64] as [number, number, number],
  affine: [1, 0, 0, -47.5, 0, 1, 0, -47.5, 0, 0, 1.6, -50.4, 0, 0, 0, 1],
};

describe('describeView', () => {
  it('names the file slice under an axial camera and which way the normal runs', () => {
    // Voxel (10, 20, 31) is at RAS (−37.5, −27.5, −0.8), LPS (37.5, 27.5, −0.8).
    const info = describeView(header, [0, -1, 0], [0, 0, -1], {
      focalLps: [37.5, 27.5, -0.8],
      crosshairCanvas: [5, 6],
    });
    expect(info).toMatchObject({
      sliceAxis: 2,
      sliceIndex: 31,
      sliceCount: 64,
      sliceDirection: -1,
    });
    expect(info.edges).toEqual({ left: 'R', right: 'L', top: 'A', bottom: 'P' });
  });

  it('finds the i axis for a sagittal camera', () => {
    const info = describeView(header, [0, 0, 1], [1, 0, 0], {
      focalLps: [37.5, 27.5, -0.8],
      crosshairCanvas: [0, 0],
    });
    // LPS +x is RAS −x, i.e. towards lower i.
    expect(info).toMatchObject({
      sliceAxis: 0,
      sliceIndex: 10,
      sliceCount: 96,
      sliceDirection: -1,
    });
    expect(info.edges).toEqual({ left: 'A', right: 'P', top: 'S', bottom: 'I' });
  });

  it('numbers slices from 0, as the voxel readout and the command line do', () => {
    expect(describeSlice(39, 64, 2)).toBe('Slice 39 of 0–63 (k)');
    expect(describeSlice(0, 96, 0)).toBe('Slice 0 of 0–95 (i)');
  });
});
